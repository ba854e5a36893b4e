"""The seed: the mock's starting state, read from a JSON file or built in.

load() checks a seed and fills in every optional field, so the model can rely on
them. The format is documented in README.md; default_seed() is a working example.
"""

import base64
import copy
import hashlib
import ipaddress
import json
import os

from cryptography.hazmat.primitives import serialization

import tls

# Region identifier -> the short key in OCIDs and regionInfo (a few common regions;
# a seed may name any other region together with its "regionKey").
REGION_KEYS = {
    "us-ashburn-1": "iad", "us-phoenix-1": "phx", "us-sanjose-1": "sjc", "us-chicago-1": "ord",
    "ca-toronto-1": "yyz", "eu-frankfurt-1": "fra", "eu-amsterdam-1": "ams", "eu-zurich-1": "zrh",
    "uk-london-1": "lhr", "ap-tokyo-1": "nrt", "ap-sydney-1": "syd", "ap-mumbai-1": "bom",
    "sa-saopaulo-1": "gru",
}

DEFAULT_TIMING = {"stop_seconds": 1.0, "start_seconds": 1.0, "reset_seconds": 1.0,
                  "public_ip_assign_seconds": 1.0}
DEFAULT_PAGE_SIZE = 1000
DEFAULT_TOKEN_TTL = 1200


class SeedError(Exception):
    pass


def ocid(kind: str, name: str, region_key: str = "") -> str:
    """A stable OCID in OCI's shape, e.g. ocid1.instance.oc1.iad.aaaaaaaa<52 base32 chars>.

    Regional resources carry the region key; tenancy-wide ones (tenancy, user,
    compartment) leave that field empty, as OCI does.
    """
    digest = base64.b32encode(hashlib.sha256(f"{kind}/{region_key}/{name}".encode()).digest())
    return f"ocid1.{kind}.oc1.{region_key}.aaaaaaaa{digest.decode().lower()[:52]}"


def default_seed() -> dict:
    """Three RUNNING nodes in one subnet, a floating IP on node1, a reserved public IP,
    a global and a private DNS zone; small page size and short timings."""
    rk = "iad"
    tenancy = ocid("tenancy", "mock")
    comp = ocid("compartment", "cluster")
    subnet = ocid("subnet", "cluster", rk)
    nodes = ["node1", "node2", "node3"]
    vnic = {n: ocid("vnic", n, rk) for n in nodes}
    instances = [{"id": ocid("instance", n, rk), "displayName": n, "compartmentId": comp,
                  "faultDomain": f"FAULT-DOMAIN-{i + 1}"} for i, n in enumerate(nodes)]
    vnics = [{"id": vnic[n], "subnetId": subnet, "privateIp": f"10.0.0.{11 + i}", "isPrimary": True,
              "hostnameLabel": n, "instanceId": ocid("instance", n, rk)} for i, n in enumerate(nodes)]
    vip = ocid("privateip", "vip", rk)
    return {
        "tenancy": tenancy,
        "region": "us-ashburn-1",
        "users": [{"name": "admin", "id": ocid("user", "admin")}],
        "compartments": [{"id": comp, "name": "cluster"}],
        "instances": instances,
        "subnets": [{"id": subnet, "cidrBlock": "10.0.0.0/24", "compartmentId": comp}],
        "vnics": vnics,
        "privateIps": [{"id": vip, "ipAddress": "10.0.0.100", "vnicId": vnic["node1"], "hostnameLabel": "vip"}],
        "publicIps": [{"id": ocid("publicip", "vip", rk), "ipAddress": "203.0.113.10", "privateIpId": vip}],
        "dnsZones": [
            {"name": "example.com", "rrsets": [{"domain": "db.example.com", "rtype": "A", "ttl": 30,
                                                "rdata": ["10.0.0.100"]}]},
            {"name": "cluster.internal", "scope": "PRIVATE", "viewId": ocid("dnsview", "cluster", rk),
             "rrsets": [{"domain": "db.cluster.internal", "rtype": "A", "ttl": 30, "rdata": ["10.0.0.100"]}]},
        ],
        "self": "node1",
        "timing": dict(DEFAULT_TIMING),
        "page_size": 2,
        "deny": [],
    }


def load(path: str | None, keys_dir: str) -> dict:
    """Reads and completes a seed; API users without a public key get a generated key
    pair whose private half is written to keys_dir."""
    if path:
        try:
            with open(path) as f:
                raw = json.load(f)
        except (OSError, ValueError) as e:
            raise SeedError(f"{path}: {e}")
        base = os.path.dirname(os.path.abspath(path))
    else:
        raw, base = default_seed(), os.getcwd()
    if not isinstance(raw, dict):
        raise SeedError("the seed must be a JSON object")
    return _complete(copy.deepcopy(raw), base, keys_dir)


def _complete(s: dict, base: str, keys_dir: str) -> dict:
    _require(s, "tenancy", "seed")
    s.setdefault("region", "us-ashburn-1")
    s["regionKey"] = s.get("regionKey") or REGION_KEYS.get(s["region"]) or s["region"].split("-")[1][:3]
    s["realmKey"] = s.get("realmKey", "oc1")
    s["realmDomainComponent"] = s.get("realmDomainComponent", "oraclecloud.com")
    s["users"] = [_user(u, i, base, keys_dir) for i, u in enumerate(s.get("users", []))]
    s["compartments"] = [_compartment(c) for c in s.get("compartments", [])]
    s["instances"] = [_instance(i, s) for i in s.get("instances", [])]
    s["subnets"] = [_subnet(n, s) for n in s.get("subnets", [])]
    s["vnics"] = [_vnic(v, s) for v in s.get("vnics", [])]
    s["vnicAttachments"] = _attachments(s)
    s["privateIps"] = _private_ips(s)
    s["publicIps"] = [_public_ip(p, s) for p in s.get("publicIps", [])]
    s["dnsZones"] = [_zone(z, s) for z in s.get("dnsZones", [])]
    s["self"] = _self_instance(s)
    s["timing"] = {**DEFAULT_TIMING, **s.get("timing", {})}
    s.setdefault("page_size", DEFAULT_PAGE_SIZE)
    s.setdefault("deny", [])
    s.setdefault("token_ttl_seconds", DEFAULT_TOKEN_TTL)
    s.setdefault("hook", None)
    _check_references(s)
    return s


def _require(d: dict, field: str, what: str):
    if not d.get(field):
        raise SeedError(f"{what}: missing {field!r}")
    return d[field]


def _user(u: dict, index: int, base: str, keys_dir: str) -> dict:
    name = u.get("name") or f"user{index + 1}"
    u.setdefault("id", ocid("user", name))
    if u.get("publicKeyFile"):
        with open(os.path.join(base, u["publicKeyFile"]), "rb") as f:
            u["publicKeyPem"] = f.read().decode()
    if not u.get("publicKeyPem"):
        u["privateKeyFile"] = _generate_user_key(name, keys_dir, u)
    public_key = serialization.load_pem_public_key(u["publicKeyPem"].encode())
    actual = tls.api_key_fingerprint(public_key)
    if u.get("fingerprint") and u["fingerprint"].lower() != actual:
        raise SeedError(f"user {u['id']}: fingerprint {u['fingerprint']} is not the key's ({actual})")
    u["fingerprint"] = actual
    return u


def _generate_user_key(name: str, keys_dir: str, u: dict) -> str:
    key = tls.new_key()
    os.makedirs(keys_dir, exist_ok=True)
    path = os.path.join(keys_dir, f"{name}.pem")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(tls.key_pem(key))
    u["publicKeyPem"] = tls.public_pem(key.public_key()).decode()
    return path


def _compartment(c: dict) -> dict:
    c.setdefault("name", "compartment")
    c.setdefault("id", ocid("compartment", c["name"]))
    return c


def _instance(i: dict, s: dict) -> dict:
    name = i.get("displayName") or i.get("id") or _fail("instance: needs id or displayName")
    i.setdefault("displayName", name)
    i.setdefault("id", ocid("instance", name, s["regionKey"]))
    i.setdefault("compartmentId", _default_compartment(s))
    i.setdefault("availabilityDomain", _default_ad(s))
    i.setdefault("faultDomain", "FAULT-DOMAIN-1")
    i.setdefault("shape", "VM.Standard.E4.Flex")
    i.setdefault("lifecycleState", "RUNNING")
    i.setdefault("region", s["region"])
    i.setdefault("imageId", ocid("image", "oracle-linux", s["regionKey"]))
    i.setdefault("timeCreated", "2024-01-01T00:00:00.000Z")
    i.setdefault("metadata", {})
    i.setdefault("freeformTags", {})
    i.setdefault("definedTags", {})
    return i


def _subnet(n: dict, s: dict) -> dict:
    cidr = ipaddress.ip_network(_require(n, "cidrBlock", "subnet"))
    n.setdefault("displayName", f"subnet-{cidr.network_address}")
    n.setdefault("id", ocid("subnet", n["displayName"], s["regionKey"]))
    n.setdefault("compartmentId", _default_compartment(s))
    n.setdefault("virtualRouterIp", str(cidr.network_address + 1))
    n.setdefault("virtualRouterMac", "00:00:17:00:00:01")
    n.setdefault("vcnId", ocid("vcn", "vcn", s["regionKey"]))
    n.setdefault("lifecycleState", "AVAILABLE")
    n.setdefault("availabilityDomain", None)
    return n


def _vnic(v: dict, s: dict) -> dict:
    subnet = _find(s["subnets"], _require(v, "subnetId", "vnic"), "vnic subnetId")
    v["subnetId"] = subnet["id"]
    _require(v, "privateIp", "vnic")
    v.setdefault("id", ocid("vnic", f"{subnet['id']}/{v['privateIp']}", s["regionKey"]))
    v.setdefault("isPrimary", True)
    digest = hashlib.sha256(v["id"].encode()).digest()
    v.setdefault("macAddress", "02:00:17:" + ":".join(f"{b:02X}" for b in digest[:3]))
    v.setdefault("hostnameLabel", None)
    v.setdefault("displayName", v["hostnameLabel"] or "vnic")
    v.setdefault("compartmentId", subnet["compartmentId"])
    v.setdefault("availabilityDomain", _default_ad(s))
    v.setdefault("lifecycleState", "AVAILABLE")
    v.setdefault("skipSourceDestCheck", False)
    v.setdefault("timeCreated", "2024-01-01T00:00:00.000Z")
    return v


def _attachments(s: dict) -> list:
    """Explicit vnicAttachments, plus one for each VNIC that names its instanceId."""
    out = list(s.get("vnicAttachments", []))
    attached = {a.get("vnicId") for a in out}
    for v in s["vnics"]:
        owner = v.pop("instanceId", None)
        if owner and v["id"] not in attached:
            out.append(_implied_attachment(v, owner))
    return [_attachment(a, s) for a in out]


def _implied_attachment(vnic: dict, instance_id: str) -> dict:
    return {"instanceId": instance_id, "vnicId": vnic["id"], "nicIndex": 0 if vnic["isPrimary"] else 1}


def _attachment(a: dict, s: dict) -> dict:
    instance = _find(s["instances"], _require(a, "instanceId", "vnicAttachment"), "vnicAttachment instanceId")
    vnic = _find(s["vnics"], _require(a, "vnicId", "vnicAttachment"), "vnicAttachment vnicId")
    a["instanceId"], a["vnicId"] = instance["id"], vnic["id"]
    a.setdefault("id", ocid("vnicattachment", vnic["id"], s["regionKey"]))
    a.setdefault("nicIndex", 0)
    a.setdefault("subnetId", vnic["subnetId"])
    a.setdefault("compartmentId", instance["compartmentId"])
    a.setdefault("availabilityDomain", instance["availabilityDomain"])
    a.setdefault("displayName", None)
    a.setdefault("lifecycleState", "ATTACHED")
    a.setdefault("vlanTag", 0)
    a.setdefault("timeCreated", "2024-01-01T00:00:00.000Z")
    return a


def _private_ips(s: dict) -> list:
    """Seeded private IPs, plus the primary one of each VNIC the seed did not list."""
    out = [_private_ip(p, s) for p in s.get("privateIps", [])]
    listed = {(p["vnicId"], p["ipAddress"]) for p in out}
    primaries = [_private_ip({"vnicId": v["id"], "ipAddress": v["privateIp"], "isPrimary": True,
                              "hostnameLabel": v["hostnameLabel"]}, s)
                 for v in s["vnics"] if (v["id"], v["privateIp"]) not in listed]
    return primaries + out


def _private_ip(p: dict, s: dict) -> dict:
    vnic = _find(s["vnics"], _require(p, "vnicId", "privateIp"), "privateIp vnicId")
    p["vnicId"] = vnic["id"]
    _require(p, "ipAddress", "privateIp")
    p.setdefault("subnetId", vnic["subnetId"])
    p.setdefault("id", ocid("privateip", f"{p['subnetId']}/{p['ipAddress']}", s["regionKey"]))
    p.setdefault("isPrimary", p["ipAddress"] == vnic["privateIp"])
    p.setdefault("hostnameLabel", None)
    p.setdefault("displayName", p["hostnameLabel"] or p["ipAddress"])
    p.setdefault("compartmentId", vnic["compartmentId"])
    p.setdefault("availabilityDomain", vnic["availabilityDomain"])
    p.setdefault("timeCreated", "2024-01-01T00:00:00.000Z")
    p.setdefault("ipState", "ASSIGNED")
    p.setdefault("lifetime", "EPHEMERAL")
    return p


def _public_ip(p: dict, s: dict) -> dict:
    _require(p, "ipAddress", "publicIp")
    p.setdefault("id", ocid("publicip", p["ipAddress"], s["regionKey"]))
    p.setdefault("lifetime", "RESERVED")
    target = p.get("privateIpId")
    if target and not target.startswith("ocid1."):  # an address: resolve it to the private IP's id
        p["privateIpId"] = next((x["id"] for x in s["privateIps"] if x["ipAddress"] == target), None) \
            or _fail(f"publicIp {p['ipAddress']}: no private IP {target}")
    p.setdefault("privateIpId", None)
    p["assignedEntityId"] = p["privateIpId"]
    p["assignedEntityType"] = "PRIVATE_IP" if p["privateIpId"] else None
    p["lifecycleState"] = "ASSIGNED" if p["privateIpId"] else "AVAILABLE"
    p.setdefault("compartmentId", _default_compartment(s))
    p.setdefault("displayName", p["ipAddress"])
    p.setdefault("scope", "REGION")
    p.setdefault("timeCreated", "2024-01-01T00:00:00.000Z")
    return p


def _zone(z: dict, s: dict) -> dict:
    name = _require(z, "name", "dnsZone").lower().rstrip(".")
    z["name"] = name
    z["scope"] = z.get("scope", "GLOBAL").upper()
    if z["scope"] == "PRIVATE":
        _require(z, "viewId", f"private zone {name}")
        z.setdefault("id", ocid("dns-zone", name, s["regionKey"]))
    else:
        z["viewId"] = None
        z.setdefault("id", ocid("dns-zone", name))
    z.setdefault("compartmentId", _default_compartment(s))
    rrsets = z.pop("rrsets", [])
    z["records"] = [{"domain": r["domain"].lower().rstrip("."), "rtype": r["rtype"].upper(),
                     "ttl": int(r.get("ttl", 300)), "rdata": str(rdata).strip(), "rrsetVersion": "1"}
                    for r in rrsets for rdata in _as_list(r.get("rdata"))]
    z.setdefault("version", 1)
    return z


def _self_instance(s: dict) -> str | None:
    wanted = s.get("self") or (s["instances"][0]["id"] if s["instances"] else None)
    if wanted is None:
        return None
    return _find(s["instances"], wanted, "self")["id"]


def _check_references(s: dict) -> None:
    for p in s["publicIps"]:
        if p["privateIpId"]:
            _find(s["privateIps"], p["privateIpId"], f"publicIp {p['ipAddress']} privateIpId")
    ids = [x["id"] for coll in ("instances", "subnets", "vnics", "privateIps", "publicIps", "dnsZones")
           for x in s[coll]]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise SeedError(f"duplicate ids: {', '.join(sorted(dupes))}")


def complete_item(collection: str, item: dict, context: dict) -> list[tuple[str, dict]]:
    """An item added after start (control interface), completed like a seeded one.

    context is the current state in seed form. Returns (collection, item) pairs: a VNIC
    that names its instanceId brings its attachment along.
    """
    if collection == "vnicAttachments":
        return [(collection, _attachment(item, context))]
    if collection == "vnics":
        owner = item.pop("instanceId", None)
        vnic = _vnic(item, context)
        context = {**context, "vnics": context["vnics"] + [vnic]}
        extra = [("vnicAttachments", _attachment(_implied_attachment(vnic, owner), context))] if owner else []
        return [("vnics", vnic)] + extra
    completers = {"instances": _instance, "subnets": _subnet, "privateIps": _private_ip,
                  "publicIps": _public_ip, "dnsZones": _zone}
    return [(collection, completers[collection](item, context))]


def _find(items: list, key: str, what: str) -> dict:
    """An item by id, or by displayName/name for convenience in hand-written seeds."""
    for item in items:
        if key in (item.get("id"), item.get("displayName"), item.get("name")):
            return item
    raise SeedError(f"{what}: nothing with id or name {key!r}")


def _default_ad(s: dict) -> str:
    """AD-1 as OCI names it in the region: us-ashburn-1 -> Uocm:US-ASHBURN-AD-1."""
    return f"Uocm:{s['region'].upper().rsplit('-', 1)[0]}-AD-1"


def _default_compartment(s: dict) -> str:
    return s["compartments"][0]["id"] if s["compartments"] else s["tenancy"]


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _fail(message: str):
    raise SeedError(message)
