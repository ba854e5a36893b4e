"""Pieces every part of the mock shares: the error type that becomes an OCI error
response, the reply type handlers return, and the parsed request (Call)."""

import json
import secrets
import time
import urllib.parse
from dataclasses import dataclass, field

# HTTP status -> the OCI error code used when a fault rule names only a status.
DEFAULT_CODES = {
    400: "InvalidParameter",
    401: "NotAuthenticated",
    404: "NotAuthorizedOrNotFound",
    409: "IncorrectState",
    412: "NoEtagMatch",
    429: "TooManyRequests",
    500: "InternalServerError",
    503: "ServiceUnavailable",
}

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


class ApiError(Exception):
    """An OCI error: becomes a {"code","message"} JSON body with this status."""

    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}


def not_found(what: str = "resource") -> ApiError:
    # OCI does not tell "missing" from "not allowed to see it"; neither does the mock.
    return ApiError(404, "NotAuthorizedOrNotFound", f"Authorization failed or requested {what} not found")


def bad_request(message: str, code: str = "InvalidParameter") -> ApiError:
    return ApiError(400, code, message)


@dataclass
class Reply:
    """What a handler answers: a JSON-able body (or bytes/str), status and headers."""
    body: object = None
    status: int = 200
    headers: dict = field(default_factory=dict)
    content_type: str = "application/json"

    def encoded(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body, indent=1).encode()


def error_reply(err: ApiError) -> Reply:
    return Reply({"code": err.code, "message": err.message}, err.status, dict(err.headers))


def new_request_id() -> str:
    return "MOCK/" + secrets.token_hex(16).upper()


def iso_time(t: float | None = None) -> str:
    """RFC 3339 with milliseconds, as OCI writes timeCreated."""
    t = time.time() if t is None else t
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t * 1000) % 1000:03d}Z"


@dataclass
class Call:
    """One received request, parsed once and handed to the handlers."""
    listener: str            # "https" or "http"
    method: str
    target: str              # path?query exactly as received (what (request-target) signs)
    headers: object          # http.client.HTTPMessage: case-insensitive lookups
    body: bytes
    stale_seconds: float = 0  # set by a stale_seconds fault: this write leaves readers behind
    principal: str | None = None
    key_id_kind: str = "none"

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]

    @property
    def raw_query(self) -> str:
        return self.target.split("?", 1)[1] if "?" in self.target else ""

    @property
    def query(self) -> dict:
        """Query parameters, the first value of each."""
        parsed = urllib.parse.parse_qs(self.raw_query, keep_blank_values=True)
        return {k: v[0] for k, v in parsed.items()}

    def json(self) -> dict:
        """The body as a JSON object; OCI answers malformed JSON with 400 InvalidParameter."""
        if not self.body:
            return {}
        try:
            doc = json.loads(self.body)
        except (ValueError, UnicodeDecodeError) as e:
            raise bad_request(f"Malformed JSON body: {e}")
        if not isinstance(doc, dict):
            raise bad_request("The request body must be a JSON object")
        return doc

    def header(self, name: str) -> str | None:
        return self.headers.get(name)
