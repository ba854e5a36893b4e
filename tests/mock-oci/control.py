"""What tests use to watch and steer the mock: the request log, fault rules, retry
tokens, and the /_mock/ control interface (plain HTTP, unsigned)."""

import copy
import hashlib
import json
import re
import threading
import time

from common import DEFAULT_CODES, WRITE_METHODS, ApiError, Reply, bad_request, iso_time, not_found

RETRY_TOKEN_TTL = 24 * 3600
FAULT_ACTIONS = ("status", "latency_seconds", "reset", "stale_seconds")


# --- request log ------------------------------------------------------------------

class RequestLog:
    def __init__(self):
        self._lock = threading.Lock()
        self._entries: list[dict] = []
        self._seq = 0

    def start(self, call) -> dict:
        """A new entry; the dispatcher fills it in as the request goes along."""
        with self._lock:
            self._seq += 1
            entry = {"seq": self._seq, "time": iso_time(), "listener": call.listener, "method": call.method,
                     "path": call.path, "query": call.raw_query, "operation": None, "status": None,
                     "key_id_kind": "none", "principal": None, "retry_token": None, "replayed": False,
                     "signature_ok": None, "reject_reason": None, "fault": None, "request_id": None}
            self._entries.append(entry)
            return entry

    def entries(self, since: int = 0) -> list:
        with self._lock:
            return [copy.copy(e) for e in self._entries if e["seq"] > since]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


# --- fault rules ------------------------------------------------------------------

def _checked_rule(raw: dict) -> dict:
    if not isinstance(raw, dict):
        raise bad_request("a fault rule is a JSON object")
    actions = [a for a in FAULT_ACTIONS if raw.get(a) not in (None, False)]
    if len(actions) != 1:
        raise bad_request(f"a fault rule needs exactly one of {', '.join(FAULT_ACTIONS)}")
    rule = {"operation": raw.get("operation", "*"), "method": (raw.get("method") or "").upper() or None,
            "path_regex": raw.get("path_regex"), "count": int(raw.get("count", 1))}
    if rule["count"] == 0 or rule["count"] < -1:
        raise bad_request("count is a positive number of hits, or -1 for forever")
    if rule["path_regex"]:
        try:
            re.compile(rule["path_regex"])
        except re.error as e:
            raise bad_request(f"path_regex: {e}")
    action = actions[0]
    if action == "status":
        status = int(raw["status"])
        if not 400 <= status <= 599:
            raise bad_request("status must be an HTTP error status (400-599)")
        rule.update(status=status, code=raw.get("code") or DEFAULT_CODES.get(status, "Error"),
                    message=raw.get("message") or "Injected by the mock's fault rules",
                    retry_after=raw.get("retry_after"))
        name = f"{status} {rule['code']}"
    elif action == "reset":
        rule["reset"] = True
        name = "reset"
    else:
        rule[action] = float(raw[action])
        name = f"{action}={rule[action]:g}"
    rule["name"] = raw.get("name") or name
    return rule


class Faults:
    def __init__(self):
        self._lock = threading.Lock()
        self._rules: list[dict] = []

    def add(self, rules) -> list:
        checked = [_checked_rule(r) for r in (rules if isinstance(rules, list) else [rules])]
        with self._lock:
            self._rules.extend(checked)
        return checked

    def take(self, operation: str | None, method: str, target: str) -> dict | None:
        """The first rule matching this request, with one of its hits used up.

        stale_seconds rules describe what a write does to later reads, so only writes
        use them up."""
        with self._lock:
            for rule in self._rules:
                if not self._matches(rule, operation, method, target):
                    continue
                if "stale_seconds" in rule and method not in WRITE_METHODS:
                    continue
                if rule["count"] > 0:
                    rule["count"] -= 1
                    if rule["count"] == 0:
                        self._rules.remove(rule)
                return dict(rule)
        return None

    @staticmethod
    def _matches(rule: dict, operation: str | None, method: str, target: str) -> bool:
        return (rule["operation"] in ("*", operation)
                and rule["method"] in (None, method)
                and (not rule["path_regex"] or re.search(rule["path_regex"], target) is not None))

    def list(self) -> list:
        with self._lock:
            return copy.deepcopy(self._rules)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()


# --- retry tokens -----------------------------------------------------------------

class RetryTokens:
    """opc-retry-token: a POST repeated with the same token gets the first answer."""

    def __init__(self):
        self._lock = threading.Lock()
        self._seen: dict[str, tuple] = {}  # token -> (request digest, Reply, time)

    @staticmethod
    def digest(call) -> str:
        return hashlib.sha256(f"{call.method} {call.target}\n".encode() + call.body).hexdigest()

    def replay(self, token: str, call) -> Reply | None:
        with self._lock:
            seen = self._seen.get(token)
            if seen and time.time() - seen[2] > RETRY_TOKEN_TTL:
                del self._seen[token]
                seen = None
        if seen is None:
            return None
        if seen[0] != self.digest(call):
            raise ApiError(409, "InvalidatedRetryToken",
                           "The retry token was already used for a different request")
        return copy.deepcopy(seen[1])

    def remember(self, token: str, call, reply: Reply) -> None:
        # Only successes: SDKs keep the token across retries of a failed attempt.
        if 200 <= reply.status < 300:
            with self._lock:
                self._seen[token] = (self.digest(call), copy.deepcopy(reply), time.time())


# --- the control interface --------------------------------------------------------

def get_log(svc, call):
    since = call.query.get("since", "0")
    return Reply(svc.log.entries(int(since) if since.isdigit() else 0))


def clear_log(svc, call):
    svc.log.clear()
    return Reply({"cleared": True})


def get_state(svc, call):
    with svc.model.lock:
        state = svc.model.snapshot()
    state["tokens"] = svc.tokens.summary()
    return Reply(state)


def get_instance(svc, call, key):
    with svc.model.lock:
        instance = svc.model.find("instances", key)
        if instance is None:
            raise not_found("instance")
        return Reply(copy.deepcopy(instance))


def patch_state(svc, call):
    with svc.model.lock:
        svc.model.patch(call.json())
        return Reply(svc.model.snapshot())


def get_faults(svc, call):
    return Reply(svc.faults.list())


def add_faults(svc, call):
    try:
        rules = json.loads(call.body or b"[]")
    except ValueError as e:
        raise bad_request(f"Malformed JSON body: {e}")
    svc.faults.add(rules)
    return Reply(svc.faults.list())


def clear_faults(svc, call):
    svc.faults.clear()
    return Reply([])


def expire_tokens(svc, call):
    return Reply({"expired": svc.tokens.expire_all()})


def get_tokens(svc, call):
    return Reply(svc.tokens.summary())


def get_hooks(svc, call):
    return Reply(list(svc.model.hooks.runs))


ROUTES = [
    ("GET", "/log", "MockLog", get_log),
    ("POST", "/log/clear", "MockLogClear", clear_log),
    ("GET", "/state", "MockState", get_state),
    ("POST", "/state/patch", "MockStatePatch", patch_state),
    ("GET", "/instances/{key}", "MockInstance", get_instance),
    ("GET", "/faults", "MockFaults", get_faults),
    ("POST", "/faults", "MockFaultsAdd", add_faults),
    ("DELETE", "/faults", "MockFaultsClear", clear_faults),
    ("GET", "/tokens", "MockTokens", get_tokens),
    ("POST", "/tokens/expire", "MockTokensExpire", expire_tokens),
    ("GET", "/hooks", "MockHooks", get_hooks),
]
