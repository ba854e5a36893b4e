"""The simulated tenancy: its resources, the lifecycles that take time (instance
power actions, public IP assignment), read-after-write lag, and the hook run when an
instance changes power state.

Every method expects the caller to hold Model.lock; timers take it themselves.
"""

import copy
import hashlib
import json
import os
import queue
import shlex
import subprocess
import sys
import threading
import time

import seed as seedlib
from common import ApiError, bad_request, iso_time, not_found

COLLECTIONS = ("instances", "subnets", "vnics", "vnicAttachments", "privateIps", "publicIps", "dnsZones")
POWER_ACTIONS = ("STOP", "START", "RESET", "SOFTSTOP", "SOFTRESET")
PAGE_PREFIX = "MOCKPAGE-"


class Hooks:
    """Runs the hook command for power transitions: one at a time, in the order the
    transitions happened, so a test sees STOPPING before STOPPED before RUNNING."""

    def __init__(self, command: str | None):
        self.command = command
        self.runs: list[dict] = []
        self._queue: queue.Queue = queue.Queue()
        threading.Thread(target=self._worker, name="hooks", daemon=True).start()

    def fire(self, instance: dict, action: str, state: str) -> None:
        if self.command:
            self._queue.put((self.command, instance["id"], instance["displayName"], action, state))

    def _worker(self) -> None:
        while True:
            self._run(*self._queue.get())

    def _run(self, command: str, inst_id: str, name: str, action: str, state: str) -> None:
        env = dict(os.environ, MOCK_INSTANCE_ID=inst_id, MOCK_INSTANCE_NAME=name,
                   MOCK_ACTION=action, MOCK_STATE=state)
        run = {"time": iso_time(), "instance": inst_id, "name": name, "action": action, "state": state}
        try:
            done = subprocess.run(shlex.split(command), env=env, stdin=subprocess.DEVNULL,
                                  stdout=sys.stderr, timeout=300)
            run["rc"] = done.returncode
        except (OSError, ValueError, subprocess.TimeoutExpired) as e:
            run["rc"], run["error"] = None, str(e)
        self.runs.append(run)
        print(f"mock-oci: hook {action} {state} {name}: rc={run['rc']} {run.get('error', '')}",
              file=sys.stderr, flush=True)


def etag(item: dict) -> str:
    """A content hash: any change to the resource changes its etag."""
    return hashlib.sha256(json.dumps(item, sort_keys=True).encode()).hexdigest()[:32]


def check_if_match(call, item: dict) -> None:
    wanted = call.header("if-match")
    if wanted and wanted.strip().strip('"') not in ("*", etag(item)):
        raise ApiError(412, "NoEtagMatch", "The If-Match etag does not match the resource's current etag")


class Model:
    def __init__(self, seed: dict, hooks: Hooks):
        self.lock = threading.RLock()
        self.seed = seed
        self.hooks = hooks
        self.tenancy = seed["tenancy"]
        self.users = {u["id"]: u for u in seed["users"]}
        self.compartments = {c["id"] for c in seed["compartments"]} | {self.tenancy}
        self.items = {name: {x["id"]: x for x in seed[name]} for name in COLLECTIONS}
        self.self_id = seed["self"]
        self.timing = dict(seed["timing"])
        self.page_size = int(seed["page_size"])
        self.deny = list(seed["deny"])
        self.token_ttl_seconds = int(seed["token_ttl_seconds"])
        self._generation: dict[str, int] = {}  # a newer transition turns older timers into no-ops
        self._stale: dict[tuple, tuple] = {}   # (collection, key) -> (snapshot or None, until)

    # --- lookups ------------------------------------------------------------------

    def get(self, collection: str, key: str, what: str = "resource") -> dict:
        """The current version (for writes); 404 NotAuthorizedOrNotFound if unknown."""
        item = self.items[collection].get(key)
        if item is None:
            raise not_found(what)
        return item

    def find(self, collection: str, key: str) -> dict | None:
        """By id, or by displayName/name (the control interface and IMDS prefixes)."""
        found = self.items[collection].get(key)
        return found or next((x for x in self.items[collection].values()
                              if key in (x.get("displayName"), x.get("name"))), None)

    def view(self, collection: str, key) -> dict | None:
        """What a reader sees: the previous version while a write's lag lasts."""
        hit = self.stale_hit(collection, key)
        if hit is not None:
            return copy.deepcopy(hit[0])
        item = self.items[collection].get(key)
        return copy.deepcopy(item) if item is not None else None

    def view_or_404(self, collection: str, key: str, what: str = "resource") -> dict:
        item = self.view(collection, key)
        if item is None:
            raise not_found(what)
        return item

    def view_all(self, collection: str) -> list[dict]:
        keys = list(self.items[collection]) + [k for (c, k) in list(self._stale)
                                               if c == collection and k not in self.items[collection]]
        return [x for x in (self.view(collection, k) for k in keys) if x is not None]

    def require_compartment(self, compartment_id: str | None) -> str:
        if not compartment_id:
            raise bad_request("compartmentId is required", "MissingParameter")
        if compartment_id not in self.compartments:
            raise not_found("compartment")
        return compartment_id

    # --- read-after-write lag -------------------------------------------------------

    def lag_reads(self, call, collection: str, key, previous) -> None:
        """After a write under a stale_seconds fault, readers keep seeing `previous`
        (None: the resource did not exist) for that long."""
        if call.stale_seconds > 0:
            self._stale[(collection, key)] = (copy.deepcopy(previous), time.monotonic() + call.stale_seconds)

    def stale_keys(self, collection: str) -> list:
        return [k for (c, k) in list(self._stale) if c == collection and self.stale_hit(c, k) is not None]

    def stale_hit(self, collection: str, key) -> tuple | None:
        entry = self._stale.get((collection, key))
        if entry is None:
            return None
        if time.monotonic() >= entry[1]:
            del self._stale[(collection, key)]
            return None
        return entry

    # --- paging ---------------------------------------------------------------------

    def page(self, items: list, query: dict) -> tuple[list, str | None]:
        """One page of a list call and the opc-next-page token (None on the last page)."""
        size = self.page_size
        if query.get("limit"):
            if not query["limit"].isdigit() or int(query["limit"]) < 1:
                raise bad_request(f"limit {query['limit']!r} is not a positive integer")
            size = min(size, int(query["limit"]))
        start = 0
        if query.get("page"):
            token = query["page"]
            if not token.startswith(PAGE_PREFIX) or not token[len(PAGE_PREFIX):].isdigit():
                raise bad_request(f"page {token!r} is not a page token this service issued")
            start = int(token[len(PAGE_PREFIX):])
        end = start + size
        return items[start:end], (f"{PAGE_PREFIX}{end}" if end < len(items) else None)

    # --- timers ---------------------------------------------------------------------

    def _bump(self, key: str) -> int:
        self._generation[key] = self._generation.get(key, 0) + 1
        return self._generation[key]

    def _after(self, key: str, generation: int, delay: float, fn) -> None:
        """Runs fn under the lock after delay, unless a newer transition of key started."""
        def fire():
            with self.lock:
                if self._generation.get(key) == generation:
                    fn()
        timer = threading.Timer(max(float(delay), 0.0), fire)
        timer.daemon = True
        timer.start()

    # --- instances ------------------------------------------------------------------

    def instance_action(self, inst: dict, action: str) -> None:
        """OCI's InstanceAction state machine; raises 409 IncorrectState where OCI does."""
        state, t = inst["lifecycleState"], self.timing
        if action not in POWER_ACTIONS:
            raise bad_request(f"action {action!r} is not one of {', '.join(POWER_ACTIONS)}")
        if action in ("STOP", "SOFTSTOP"):
            if state in ("STOPPED", "STOPPING"):
                return  # already (going) off: OCI answers 200 and changes nothing
            self._require_state(inst, action, "RUNNING")
            steps = [("STOPPING", t["stop_seconds"]), ("STOPPED", 0)]
        elif action == "START":
            if state in ("RUNNING", "STARTING"):
                return
            self._require_state(inst, action, "STOPPED")
            steps = [("STARTING", t["start_seconds"]), ("RUNNING", 0)]
        else:
            self._require_state(inst, action, "RUNNING")
            half = float(t["reset_seconds"]) / 2
            steps = [("STOPPING", half), ("STARTING", half), ("RUNNING", 0)]
        self._run_steps(inst["id"], self._bump(inst["id"]), action, steps)

    @staticmethod
    def _require_state(inst: dict, action: str, wanted: str) -> None:
        if inst["lifecycleState"] != wanted:
            raise ApiError(409, "IncorrectState",
                           f"Instance {inst['id']} is {inst['lifecycleState']}; {action} needs {wanted}")

    def _run_steps(self, inst_id: str, generation: int, action: str, steps: list) -> None:
        """Enters steps[0]'s state now, then the next one after its delay, and so on."""
        state, delay = steps[0]
        self._set_state(self.items["instances"][inst_id], state, action)
        if len(steps) > 1:
            self._after(inst_id, generation, delay, lambda: self._run_steps(inst_id, generation, action, steps[1:]))

    def _set_state(self, inst: dict, state: str, action: str | None) -> None:
        inst["lifecycleState"] = state
        # The hook marks the moments a cluster test acts on: power going away
        # (STOPPING), gone (STOPPED), back (RUNNING).
        if action and state in ("STOPPING", "STOPPED", "RUNNING"):
            self.hooks.fire(inst, action, state)

    def set_instance_state(self, inst: dict, state: str) -> None:
        """Control interface: a direct change, cancelling any transition under way."""
        self._bump(inst["id"])
        self._set_state(inst, state, None)

    # --- public IPs -----------------------------------------------------------------

    def public_ip_for(self, private_ip_id: str, exclude: str | None = None) -> dict | None:
        return next((p for p in self.items["publicIps"].values()
                     if p["privateIpId"] == private_ip_id and p["id"] != exclude), None)

    def assign_public_ip(self, pub: dict, target: str | None) -> None:
        """UpdatePublicIp: asynchronous, ASSIGNING -> ASSIGNED or UNASSIGNING -> AVAILABLE."""
        if pub["lifecycleState"] in ("ASSIGNING", "UNASSIGNING"):
            raise ApiError(409, "IncorrectState", f"Public IP {pub['id']} is {pub['lifecycleState']}")
        if target == pub["privateIpId"]:
            return
        delay = self.timing["public_ip_assign_seconds"]
        generation = self._bump(pub["id"])
        if target is None:
            pub["lifecycleState"] = "UNASSIGNING"
            self._after(pub["id"], generation, delay, lambda: self._set_public_ip(pub, None))
            return
        self.get("privateIps", target, "private IP")
        if self.public_ip_for(target, exclude=pub["id"]):
            raise ApiError(409, "Conflict", f"Private IP {target} already has a public IP")
        pub.update(privateIpId=target, assignedEntityId=target, assignedEntityType="PRIVATE_IP",
                   lifecycleState="ASSIGNING")
        self._after(pub["id"], generation, delay, lambda: self._set_public_ip(pub, target))

    def _set_public_ip(self, pub: dict, target: str | None) -> None:
        pub.update(privateIpId=target, assignedEntityId=target,
                   assignedEntityType="PRIVATE_IP" if target else None,
                   lifecycleState="ASSIGNED" if target else "AVAILABLE")

    def release_public_ip(self, private_ip_id: str) -> None:
        """Deleting a private IP leaves its reserved public IP unassigned."""
        pub = self.public_ip_for(private_ip_id)
        if pub:
            self._bump(pub["id"])
            self._set_public_ip(pub, None)

    # --- control interface ----------------------------------------------------------

    def snapshot(self) -> dict:
        state = {name: list(self.items[name].values()) for name in COLLECTIONS}
        state.update(tenancy=self.tenancy, region=self.seed["region"], regionKey=self.seed["regionKey"],
                     users=list(self.users.values()), compartments=self.seed["compartments"],
                     self=self.self_id, timing=self.timing, page_size=self.page_size, deny=self.deny,
                     token_ttl_seconds=self.token_ttl_seconds, hook=self.hooks.command,
                     stale=[{"collection": c, "key": k, "seconds_left": round(until - time.monotonic(), 2)}
                            for (c, k), (_, until) in self._stale.items() if until > time.monotonic()])
        return copy.deepcopy(state)

    def patch(self, changes: dict) -> None:
        """POST /_mock/state/patch: see README.md for the shape."""
        unknown = set(changes) - set(COLLECTIONS) - {"add", "timing", "page_size", "deny", "token_ttl_seconds",
                                                     "hook", "self"}
        if unknown:
            raise bad_request(f"unknown keys: {', '.join(sorted(unknown))}")
        for name, items in (changes.get("add") or {}).items():
            self._collection(name)
            for fields in items:
                self.add(name, fields)
        for name in COLLECTIONS:
            for key, fields in (changes.get(name) or {}).items():
                self._patch_item(name, key, fields)
        if "timing" in changes:
            self.timing.update({k: float(v) for k, v in changes["timing"].items()})
        if "page_size" in changes:
            self.page_size = max(1, int(changes["page_size"]))
        if "deny" in changes:
            self.deny = list(changes["deny"])
        if "token_ttl_seconds" in changes:
            self.token_ttl_seconds = int(changes["token_ttl_seconds"])
        if "hook" in changes:
            self.hooks.command = changes["hook"] or None
        if "self" in changes:
            self.self_id = self._existing("instances", changes["self"])["id"]

    @staticmethod
    def _collection(name: str) -> None:
        if name not in COLLECTIONS:
            raise bad_request(f"no collection {name!r}; there are {', '.join(COLLECTIONS)}")

    def _existing(self, name: str, key: str) -> dict:
        item = self.find(name, key)
        if item is None:
            raise bad_request(f"{name}: nothing with id or name {key!r}")
        return item

    def _patch_item(self, name: str, key: str, fields: dict | None) -> None:
        """Merges fields into an item (null deletes it); a direct lifecycleState change
        cancels the transition under way."""
        item = self._existing(name, key)
        if fields is None:
            del self.items[name][item["id"]]
            return
        if name == "instances" and "lifecycleState" in fields:
            self.set_instance_state(item, fields["lifecycleState"])
        if name == "publicIps" and ({"privateIpId", "lifecycleState"} & fields.keys()):
            self._bump(item["id"])
        item.update(fields)
        if name == "publicIps" and "privateIpId" in fields and "lifecycleState" not in fields:
            self._set_public_ip(item, fields["privateIpId"])

    def add(self, name: str, fields: dict) -> dict:
        """Adds an item completed with the seed's defaults; 400 if it does not make sense."""
        context = {**self.seed, **{n: list(self.items[n].values()) for n in COLLECTIONS}}
        try:
            added = seedlib.complete_item(name, copy.deepcopy(fields), context)
        except (seedlib.SeedError, KeyError, ValueError) as e:
            raise bad_request(f"cannot add to {name}: {e}")
        for collection, item in added:
            if item["id"] in self.items[collection]:
                raise bad_request(f"{collection} already has {item['id']}")
        for collection, item in added:
            self.items[collection][item["id"]] = item
        return added[0][1]
