"""DNS (/20180115): zones and their records, addressed by zone name or OCID.

A zone keeps a flat list of records {domain, rtype, ttl, rdata, rrsetVersion}; an
RRSet is the records sharing domain and rtype. Domains compare case-insensitively
without the trailing dot. Each change bumps the zone version, which becomes the
rrsetVersion of the RRSets it touched (as OCI reports it).
"""

import copy
import hashlib
import json

from common import ApiError, Reply, bad_request, not_found

PREFIX = "/20180115"
OPERATIONS = ("ADD", "REMOVE", "REQUIRE", "PROHIBIT")
MATCH_FIELDS = ("domain", "rtype", "rdata", "ttl", "recordHash", "rrsetVersion")


def _name(value: str) -> str:
    return value.strip().lower().rstrip(".")


def _rdata_key(rtype: str, rdata: str) -> str:
    """rdata as compared: names are case-insensitive and the final dot is optional."""
    rdata = str(rdata).strip()
    return rdata if rtype == "TXT" else rdata.lower().rstrip(".")


def _record_hash(r: dict) -> str:
    return hashlib.md5(f"{r['domain']}|{r['rtype']}|{r['ttl']}|{r['rdata']}".encode()).hexdigest()


def _shown(r: dict) -> dict:
    return {"domain": r["domain"], "rtype": r["rtype"], "rdata": r["rdata"], "ttl": r["ttl"],
            "recordHash": _record_hash(r), "rrsetVersion": r["rrsetVersion"], "isProtected": False}


def _etag(records: list) -> str:
    return hashlib.sha256(json.dumps([_shown(r) for r in records], sort_keys=True).encode()).hexdigest()[:32]


def _items_reply(model, records: list, query: dict) -> Reply:
    page, next_page = model.page([_shown(r) for r in records], query)
    headers = {"etag": _etag(records), "opc-total-items": str(len(records))}
    if next_page:
        headers["opc-next-page"] = next_page
    return Reply({"items": page}, headers=headers)


# --- addressing -------------------------------------------------------------------

def _zone(svc, call, zone_key: str) -> dict:
    """The zone for zoneNameOrId, scope and viewId, as OCI resolves them."""
    q = call.query
    scope, view = q.get("scope"), q.get("viewId")
    if scope and scope not in ("GLOBAL", "PRIVATE"):
        raise bad_request(f"scope {scope!r} is not GLOBAL or PRIVATE")
    zones = svc.model.items["dnsZones"]
    if zone_key.startswith("ocid1."):
        zone = zones.get(zone_key)
        if zone is None or (scope and zone["scope"] != scope) or (view and zone["viewId"] != view):
            raise not_found("zone")
        return zone
    named = [z for z in zones.values() if z["name"] == _name(zone_key)]
    if scope == "PRIVATE" or view:
        if not view:
            raise bad_request("viewId is required for a private zone addressed by name")
        found = [z for z in named if z["scope"] == "PRIVATE" and z["viewId"] == view]
    else:
        found = [z for z in named if z["scope"] == "GLOBAL"]
        if not found and scope is None and named:
            raise bad_request("viewId is required for a private zone addressed by name")
    if not found:
        raise not_found("zone")
    return found[0]


def _domain_in(zone: dict, domain: str) -> str:
    domain = _name(domain)
    if domain != zone["name"] and not domain.endswith("." + zone["name"]):
        raise bad_request(f"domain {domain} is not in zone {zone['name']}")
    return domain


def _rrset(model, zone: dict, domain: str, rtype: str) -> list:
    """The RRSet as readers see it (the previous one while a write's lag lasts)."""
    hit = model.stale_hit("rrsets", (zone["id"], domain, rtype))
    if hit is not None:
        return copy.deepcopy(hit[0] or [])
    return [copy.deepcopy(r) for r in zone["records"] if r["domain"] == domain and r["rtype"] == rtype]


def _zone_records(model, zone: dict) -> list:
    keys = [(r["domain"], r["rtype"]) for r in zone["records"]]
    keys += [(d, t) for (z, d, t) in model.stale_keys("rrsets") if z == zone["id"]]
    return [r for key in dict.fromkeys(keys) for r in _rrset(model, zone, *key)]


def _check_if_match(call, records: list) -> None:
    wanted = call.header("if-match")
    if wanted and wanted.strip().strip('"') not in ("*", _etag(records)):
        raise ApiError(412, "NoEtagMatch", "The If-Match etag does not match the current records")


def _commit(model, call, zone: dict, records: list) -> None:
    """Replaces the zone's records; the RRSets that changed get the new zone version."""
    before = {}
    for r in zone["records"]:
        before.setdefault((r["domain"], r["rtype"]), []).append(r)
    after = {}
    for r in records:
        after.setdefault((r["domain"], r["rtype"]), []).append(r)
    changed = [k for k in before.keys() | after.keys()
               if _contents(before.get(k, [])) != _contents(after.get(k, []))]
    if not changed:
        return
    zone["version"] += 1
    for key in changed:
        model.lag_reads(call, "rrsets", (zone["id"], *key), before.get(key, []))
        for r in after.get(key, []):
            r["rrsetVersion"] = str(zone["version"])
    zone["records"] = records


def _contents(records: list) -> list:
    return sorted((r["ttl"], _rdata_key(r["rtype"], r["rdata"])) for r in records)


# --- record operations ------------------------------------------------------------

def _parse_items(call) -> list:
    items = call.json().get("items")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        code = "MissingParameter" if items is None else "InvalidParameter"
        raise bad_request("items must be a list of records", code)
    return items


def _record(zone: dict, item: dict, ttl_default: int | None = None) -> dict:
    for field in ("domain", "rtype", "rdata"):
        if not isinstance(item.get(field), str) or not item[field].strip():
            raise bad_request(f"record field {field} is required")
    ttl = item.get("ttl", ttl_default)
    if not isinstance(ttl, int) or ttl < 1:
        raise bad_request(f"record ttl {ttl!r} is not a positive integer")
    return {"domain": _domain_in(zone, item["domain"]), "rtype": item["rtype"].upper(),
            "rdata": item["rdata"].strip(), "ttl": ttl, "rrsetVersion": None}


def _matches(record: dict, op: dict) -> bool:
    """A precondition or REMOVE matches on every field it names."""
    shown = _shown(record)
    for field in MATCH_FIELDS:
        if op.get(field) is None:
            continue
        if field == "domain":
            equal = shown["domain"] == _name(op["domain"])
        elif field == "rtype":
            equal = shown["rtype"] == str(op["rtype"]).upper()
        elif field == "rdata":
            equal = _rdata_key(shown["rtype"], shown["rdata"]) == _rdata_key(shown["rtype"], op["rdata"])
        else:
            equal = shown[field] == op[field]
        if not equal:
            return False
    return True


def _apply_patch(zone: dict, records: list, ops: list) -> list:
    """PatchZoneRecords: all REQUIRE/PROHIBIT first (nothing changes if one fails),
    then ADD/REMOVE in order. Returns the new record list."""
    for op in ops:
        if op.get("operation") not in OPERATIONS:
            raise bad_request(f"operation {op.get('operation')!r} is not one of {', '.join(OPERATIONS)}")
        if not op.get("domain"):
            raise bad_request("every record operation needs a domain")
        _domain_in(zone, op["domain"])
    for op in ops:
        found = any(_matches(r, op) for r in records)
        if op["operation"] == "REQUIRE" and not found:
            raise ApiError(409, "Conflict", f"REQUIRE precondition failed: no record matches {_describe(op)}")
        if op["operation"] == "PROHIBIT" and found:
            raise ApiError(409, "Conflict", f"PROHIBIT precondition failed: a record matches {_describe(op)}")
    records = copy.deepcopy(records)
    for op in ops:
        if op["operation"] == "ADD":
            records = _add(zone, records, op)
        elif op["operation"] == "REMOVE":
            records = [r for r in records if not _matches(r, op)]
    return records


def _add(zone: dict, records: list, op: dict) -> list:
    if not op.get("rdata"):  # no rdata: a new TTL for the records it names
        if not isinstance(op.get("ttl"), int):
            raise bad_request("ADD without rdata must give a ttl")
        for r in records:
            if _matches(r, {k: v for k, v in op.items() if k != "ttl"}):
                r["ttl"] = op["ttl"]
        return records
    rtype = str(op.get("rtype", "")).upper()
    same_set = [r for r in records if r["domain"] == _name(op["domain"]) and r["rtype"] == rtype]
    new = _record(zone, op, same_set[0]["ttl"] if same_set else None)
    existing = next((r for r in same_set if _rdata_key(rtype, r["rdata"]) == _rdata_key(rtype, new["rdata"])), None)
    if existing:
        existing["ttl"] = new["ttl"]
    else:
        records.append(new)
    return records


def _describe(op: dict) -> str:
    return " ".join(f"{k}={op[k]}" for k in MATCH_FIELDS if op.get(k) is not None)


# --- handlers ---------------------------------------------------------------------

def get_zone(svc, call, zone):
    z = _zone(svc, call, zone)
    shown = {k: z[k] for k in ("id", "name", "scope", "viewId", "compartmentId")}
    shown.update(zoneType="PRIMARY", lifecycleState="ACTIVE", serial=z["version"], version=str(z["version"]))
    return Reply(shown, headers={"etag": _etag(z["records"])})


def get_zone_records(svc, call, zone):
    z, q = _zone(svc, call, zone), call.query
    records = [r for r in _zone_records(svc.model, z)
               if (not q.get("domain") or r["domain"] == _name(q["domain"]))
               and (not q.get("rtype") or r["rtype"] == q["rtype"].upper())]
    return _items_reply(svc.model, records, q)


def patch_zone_records(svc, call, zone):
    z = _zone(svc, call, zone)
    ops = _parse_items(call)
    _check_if_match(call, z["records"])
    _commit(svc.model, call, z, _apply_patch(z, z["records"], ops))
    return _items_reply(svc.model, z["records"], call.query)


def get_rrset(svc, call, zone, domain, rtype):
    z = _zone(svc, call, zone)
    return _items_reply(svc.model, _rrset(svc.model, z, _domain_in(z, domain), rtype.upper()), call.query)


def _current_rrset(z: dict, domain: str, rtype: str) -> tuple[list, list]:
    """(the RRSet's records, the zone's other records)"""
    inside = [r for r in z["records"] if r["domain"] == domain and r["rtype"] == rtype]
    return inside, [r for r in z["records"] if not (r["domain"] == domain and r["rtype"] == rtype)]


def update_rrset(svc, call, zone, domain, rtype):
    z = _zone(svc, call, zone)
    domain, rtype = _domain_in(z, domain), rtype.upper()
    new = [_record(z, item) for item in _parse_items(call)]
    if any(r["domain"] != domain or r["rtype"] != rtype for r in new):
        raise bad_request(f"every item must have domain {domain} and rtype {rtype}")
    inside, others = _current_rrset(z, domain, rtype)
    _check_if_match(call, inside)
    unique = list({_rdata_key(rtype, r["rdata"]): r for r in new}.values())
    _commit(svc.model, call, z, others + unique)
    return _items_reply(svc.model, _current_rrset(z, domain, rtype)[0], call.query)


def patch_rrset(svc, call, zone, domain, rtype):
    z = _zone(svc, call, zone)
    domain, rtype = _domain_in(z, domain), rtype.upper()
    ops = [{**op, "domain": op.get("domain") or domain, "rtype": op.get("rtype") or rtype}
           for op in _parse_items(call)]
    if any(_name(op["domain"]) != domain or str(op["rtype"]).upper() != rtype for op in ops):
        raise bad_request(f"every item must have domain {domain} and rtype {rtype}")
    inside, others = _current_rrset(z, domain, rtype)
    _check_if_match(call, inside)
    _commit(svc.model, call, z, others + _apply_patch(z, inside, ops))
    return _items_reply(svc.model, _current_rrset(z, domain, rtype)[0], call.query)


def delete_rrset(svc, call, zone, domain, rtype):
    z = _zone(svc, call, zone)
    domain, rtype = _domain_in(z, domain), rtype.upper()
    inside, others = _current_rrset(z, domain, rtype)
    _check_if_match(call, inside)
    _commit(svc.model, call, z, others)
    return Reply(None, 204)


ROUTES = [
    ("GET", "/zones/{zone}", "GetZone", get_zone),
    ("GET", "/zones/{zone}/records", "GetZoneRecords", get_zone_records),
    ("PATCH", "/zones/{zone}/records", "PatchZoneRecords", patch_zone_records),
    ("GET", "/zones/{zone}/records/{domain}/{rtype}", "GetRRSet", get_rrset),
    ("PUT", "/zones/{zone}/records/{domain}/{rtype}", "UpdateRRSet", update_rrset),
    ("PATCH", "/zones/{zone}/records/{domain}/{rtype}", "PatchRRSet", patch_rrset),
    ("DELETE", "/zones/{zone}/records/{domain}/{rtype}", "DeleteRRSet", delete_rrset),
]
