"""Core Services (/20160918): the compute and virtual network calls the agents make.

Handlers run under Model.lock and return a Reply or raise ApiError.
"""

import copy
import ipaddress
import secrets

import seed as seedlib
from common import ApiError, Reply, bad_request, not_found
from model import check_if_match, etag

PREFIX = "/20160918"
MAX_IPS_PER_VNIC = 32  # OCI's limit: the primary plus 31 secondary private IPs


def _one(item: dict, status: int = 200) -> Reply:
    return Reply(item, status, {"etag": etag(item)})


def _listed(model, items: list, query: dict) -> Reply:
    """A list call's answer: a JSON array, opc-next-page when more pages exist."""
    page, next_page = model.page(items, query)
    return Reply(page, headers={"opc-next-page": next_page} if next_page else {})


def _required(value, name: str):
    if value in (None, ""):
        raise bad_request(f"{name} is required", "MissingParameter")
    return value


# --- compute ----------------------------------------------------------------------

def get_instance(svc, call, instance_id):
    return _one(svc.model.view_or_404("instances", instance_id, "instance"))


def instance_action(svc, call, instance_id):
    model = svc.model
    inst = model.get("instances", instance_id, "instance")
    action = _required(call.query.get("action"), "action")
    call.json()  # optional {"actionType", ...}: only checked to be JSON
    check_if_match(call, inst)
    previous = copy.deepcopy(inst)
    model.instance_action(inst, action)
    model.lag_reads(call, "instances", instance_id, previous)
    return _one(copy.deepcopy(inst))


def list_instances(svc, call):
    model, q = svc.model, call.query
    compartment = model.require_compartment(q.get("compartmentId"))
    filters = {k: q[k] for k in ("displayName", "lifecycleState", "availabilityDomain") if q.get(k)}
    items = [i for i in model.view_all("instances")
             if i["compartmentId"] == compartment and all(i.get(k) == v for k, v in filters.items())]
    return _listed(model, items, q)


# --- VNICs and subnets ------------------------------------------------------------

def list_vnic_attachments(svc, call):
    model, q = svc.model, call.query
    compartment = model.require_compartment(q.get("compartmentId"))
    filters = {k: q[k] for k in ("instanceId", "vnicId", "availabilityDomain") if q.get(k)}
    items = [a for a in model.view_all("vnicAttachments")
             if a["compartmentId"] == compartment and all(a.get(k) == v for k, v in filters.items())]
    return _listed(model, items, q)


def get_vnic_attachment(svc, call, attachment_id):
    return _one(svc.model.view_or_404("vnicAttachments", attachment_id, "VNIC attachment"))


def get_vnic(svc, call, vnic_id):
    model = svc.model
    vnic = model.view_or_404("vnics", vnic_id, "VNIC")
    primary = next((p for p in model.view_all("privateIps") if p["vnicId"] == vnic_id and p["isPrimary"]), None)
    pub = model.public_ip_for(primary["id"]) if primary else None
    vnic["publicIp"] = pub["ipAddress"] if pub and pub["lifecycleState"] == "ASSIGNED" else None
    return _one(vnic)


def get_subnet(svc, call, subnet_id):
    return _one(svc.model.view_or_404("subnets", subnet_id, "subnet"))


# --- private IPs ------------------------------------------------------------------

def list_private_ips(svc, call):
    model, q = svc.model, call.query
    address, subnet_id, vnic_id = q.get("ipAddress"), q.get("subnetId"), q.get("vnicId")
    if vnic_id:
        model.view_or_404("vnics", vnic_id, "VNIC")
        items = [p for p in model.view_all("privateIps") if p["vnicId"] == vnic_id]
    elif subnet_id:
        model.view_or_404("subnets", subnet_id, "subnet")
        items = [p for p in model.view_all("privateIps") if p["subnetId"] == subnet_id]
    else:
        raise bad_request("ListPrivateIps needs subnetId (with or without ipAddress) or vnicId",
                          "MissingParameter")
    items = [p for p in items if not address or p["ipAddress"] == address]
    items.sort(key=lambda p: not p["isPrimary"])
    return _listed(model, items, q)


def get_private_ip(svc, call, private_ip_id):
    return _one(svc.model.view_or_404("privateIps", private_ip_id, "private IP"))


def create_private_ip(svc, call):
    model, body = svc.model, call.json()
    vnic = model.get("vnics", _required(body.get("vnicId"), "vnicId"), "VNIC")
    subnet = model.get("subnets", vnic["subnetId"], "subnet")
    taken = {p["ipAddress"] for p in model.items["privateIps"].values() if p["subnetId"] == subnet["id"]}
    if sum(p["vnicId"] == vnic["id"] for p in model.items["privateIps"].values()) >= MAX_IPS_PER_VNIC:
        raise bad_request(f"VNIC {vnic['id']} already has {MAX_IPS_PER_VNIC} private IPs", "LimitExceeded")
    address = _pick_address(subnet, body.get("ipAddress"), taken)
    new_id = seedlib.ocid("privateip", secrets.token_hex(8), model.seed["regionKey"])
    fields = {"id": new_id, "vnicId": vnic["id"], "ipAddress": address, "isPrimary": False,
              **{k: body[k] for k in ("displayName", "hostnameLabel") if body.get(k)}}
    created = copy.deepcopy(model.add("privateIps", fields))
    model.lag_reads(call, "privateIps", new_id, None)
    return _one(created)


def _pick_address(subnet: dict, wanted: str | None, taken: set) -> str:
    """The requested address (checked as OCI does) or the first free one."""
    network = ipaddress.ip_network(subnet["cidrBlock"])
    # OCI keeps the network address, the router (first host) and the broadcast address.
    reserved = {network.network_address, network.network_address + 1, network.broadcast_address}
    if not wanted:
        free = next((a for a in network if a not in reserved and str(a) not in taken), None)
        if free is None:
            raise bad_request(f"Subnet {subnet['id']} has no free address", "LimitExceeded")
        return str(free)
    try:
        address = ipaddress.ip_address(wanted)
    except ValueError:
        raise bad_request(f"ipAddress {wanted!r} is not an IP address")
    if address not in network or address in reserved:
        raise bad_request(f"ipAddress {wanted} is not usable in subnet {subnet['cidrBlock']}")
    if wanted in taken:
        raise ApiError(409, "Conflict", f"ipAddress {wanted} is already assigned in subnet {subnet['id']}")
    return wanted


def update_private_ip(svc, call, private_ip_id):
    model, body = svc.model, call.json()
    ip = model.get("privateIps", private_ip_id, "private IP")
    check_if_match(call, ip)
    target = body.get("vnicId")
    if target and target != ip["vnicId"]:
        if ip["isPrimary"]:
            raise bad_request("A VNIC's primary private IP cannot be moved to another VNIC")
        vnic = model.get("vnics", target, "VNIC")
        if vnic["subnetId"] != ip["subnetId"]:
            raise bad_request(f"VNIC {target} is in another subnet; a private IP moves only within its subnet")
    previous = copy.deepcopy(ip)
    for field in ("vnicId", "displayName", "hostnameLabel"):
        if body.get(field) is not None:
            ip[field] = body[field]
    model.lag_reads(call, "privateIps", private_ip_id, previous)
    return _one(copy.deepcopy(ip))


def delete_private_ip(svc, call, private_ip_id):
    model = svc.model
    ip = model.get("privateIps", private_ip_id, "private IP")
    check_if_match(call, ip)
    if ip["isPrimary"]:
        raise bad_request("A VNIC's primary private IP cannot be deleted")
    del model.items["privateIps"][private_ip_id]
    model.release_public_ip(private_ip_id)
    model.lag_reads(call, "privateIps", private_ip_id, ip)
    return Reply(None, 204)


# --- public IPs -------------------------------------------------------------------

def get_public_ip_by_private_ip(svc, call):
    model = svc.model
    private_ip_id = _required(call.json().get("privateIpId"), "privateIpId")
    model.view_or_404("privateIps", private_ip_id, "private IP")
    pub = next((p for p in model.view_all("publicIps") if p["privateIpId"] == private_ip_id), None)
    if pub is None:
        raise not_found("public IP")
    return _one(pub)


def get_public_ip(svc, call, public_ip_id):
    return _one(svc.model.view_or_404("publicIps", public_ip_id, "public IP"))


def list_public_ips(svc, call):
    model, q = svc.model, call.query
    _required(q.get("scope"), "scope")
    compartment = model.require_compartment(q.get("compartmentId"))
    items = [p for p in model.view_all("publicIps") if p["compartmentId"] == compartment
             and (not q.get("lifetime") or p["lifetime"] == q["lifetime"])]
    return _listed(model, items, q)


def update_public_ip(svc, call, public_ip_id):
    model, body = svc.model, call.json()
    pub = model.get("publicIps", public_ip_id, "public IP")
    check_if_match(call, pub)
    previous = copy.deepcopy(pub)
    if "privateIpId" in body:
        if pub["lifetime"] != "RESERVED":
            raise bad_request("Only a reserved public IP can be moved")
        model.assign_public_ip(pub, body["privateIpId"])
    if body.get("displayName"):
        pub["displayName"] = body["displayName"]
    model.lag_reads(call, "publicIps", public_ip_id, previous)
    return _one(copy.deepcopy(pub))


ROUTES = [
    ("GET", "/instances/{instance_id}", "GetInstance", get_instance),
    ("POST", "/instances/{instance_id}", "InstanceAction", instance_action),
    ("GET", "/instances", "ListInstances", list_instances),
    ("GET", "/vnicAttachments", "ListVnicAttachments", list_vnic_attachments),
    ("GET", "/vnicAttachments/{attachment_id}", "GetVnicAttachment", get_vnic_attachment),
    ("GET", "/vnics/{vnic_id}", "GetVnic", get_vnic),
    ("GET", "/subnets/{subnet_id}", "GetSubnet", get_subnet),
    ("GET", "/privateIps", "ListPrivateIps", list_private_ips),
    ("POST", "/privateIps", "CreatePrivateIp", create_private_ip),
    ("GET", "/privateIps/{private_ip_id}", "GetPrivateIp", get_private_ip),
    ("PUT", "/privateIps/{private_ip_id}", "UpdatePrivateIp", update_private_ip),
    ("DELETE", "/privateIps/{private_ip_id}", "DeletePrivateIp", delete_private_ip),
    ("POST", "/publicIps/actions/getByPrivateIpId", "GetPublicIpByPrivateIpId", get_public_ip_by_private_ip),
    ("GET", "/publicIps", "ListPublicIps", list_public_ips),
    ("GET", "/publicIps/{public_ip_id}", "GetPublicIp", get_public_ip),
    ("PUT", "/publicIps/{public_ip_id}", "UpdatePublicIp", update_public_ip),
]
