"""The two listeners and what happens to each request on them.

HTTPS (the OCI services):  route -> signature -> fault rule -> deny list ->
                           retry token -> handler.
Plain HTTP:                /_mock/... control (unsigned, not logged), and IMDS:
                           route -> IMDS headers -> fault rule -> handler.

Every request runs in its own thread, so a slow or delayed request never holds up
the others; handlers themselves run one at a time under Model.lock.
"""

import re
import socket
import ssl
import struct
import sys
import time
import traceback
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import control
import core
import dns
import identity
import signature
from common import ApiError, Call, Reply, error_reply, new_request_id, not_found


@dataclass
class Services:
    """Everything the handlers reach: handler(svc, call, **path_params) -> Reply."""
    model: object
    pki: object
    tokens: identity.Tokens
    log: control.RequestLog
    faults: control.Faults
    retry_tokens: control.RetryTokens


@dataclass
class Route:
    method: str
    regex: re.Pattern
    operation: str
    handler: object


class Router:
    """Routes (method, "/path/{param}/...", operation, handler); a {param} is one segment."""

    def __init__(self, routes: list, prefix: str = ""):
        self.routes = [Route(method, self._compile(prefix + pattern), operation, handler)
                       for method, pattern, operation, handler in routes]

    @staticmethod
    def _compile(pattern: str) -> re.Pattern:
        return re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern) + "$")

    def match(self, method: str, path: str) -> tuple[Route, dict] | None:
        for route in self.routes:
            m = route.regex.match(path)
            if m and route.method == method:
                return route, {k: urllib.parse.unquote(v) for k, v in m.groupdict().items()}
        return None


API_ROUTER = Router([(m, core.PREFIX + p, o, h) for m, p, o, h in core.ROUTES]
                    + [(m, dns.PREFIX + p, o, h) for m, p, o, h in dns.ROUTES]
                    + [("POST", identity.FEDERATION_PATH, "Federation", identity.federate)])
CONTROL_ROUTER = Router(control.ROUTES, prefix="/_mock")


class Dispatcher:
    def __init__(self, svc: Services):
        self.svc = svc

    # --- HTTPS: the OCI services --------------------------------------------------

    def serve_api(self, h, call: Call) -> None:
        entry = self.svc.log.start(call)
        found = API_ROUTER.match(call.method, call.path)
        entry["operation"] = found[0].operation if found else None
        # Logged as sent, so retries of a faulted POST show whether they kept their token.
        entry["retry_token"] = call.header("opc-retry-token") if call.method == "POST" else None
        try:
            self._authenticate(call, entry)
            if found is None:
                raise not_found()
            if not self._inject_fault(h, call, entry):
                return
            self._check_deny(call, found[0].operation)
            reply = self._run(call, entry, *found)
        except ApiError as e:
            reply = error_reply(e)
        self._send(h, call, reply, entry)

    def _authenticate(self, call: Call, entry: dict) -> None:
        federation = call.path == identity.FEDERATION_PATH
        try:
            signer = signature.verify(call.method, call.target, call.headers, call.body,
                                      identity.key_resolver(self.svc, call.path), host_required=not federation)
        except signature.SignatureError as e:
            entry.update(signature_ok=False, reject_reason=str(e), key_id_kind=_key_id_kind(call))
            raise ApiError(401, "NotAuthenticated", f"The request is not correctly signed: {e}")
        call.principal, call.key_id_kind = signer.principal, signer.kind
        entry.update(signature_ok=True, key_id_kind=signer.kind, principal=signer.principal)

    def _check_deny(self, call: Call, operation: str) -> None:
        """A missing IAM policy: OCI answers 404, as if the resource did not exist."""
        with self.svc.model.lock:
            deny = list(self.svc.model.deny)
        for rule in deny:
            who = rule.get("principal", "*")
            if (who in ("*", call.principal) or (who == "instance" and call.key_id_kind == "token")) \
                    and rule.get("operation", "*") in ("*", operation):
                raise not_found()

    def _run(self, call: Call, entry: dict, route: Route, params: dict) -> Reply:
        token = entry["retry_token"]
        with self.svc.model.lock:
            if token:
                replay = self.svc.retry_tokens.replay(token, call)
                if replay is not None:
                    entry["replayed"] = True
                    return replay
            reply = route.handler(self.svc, call, **params)
            if token:
                self.svc.retry_tokens.remember(token, call, reply)
            return reply

    # --- faults -------------------------------------------------------------------

    def _inject_fault(self, h, call: Call, entry: dict) -> bool:
        """Applies the first matching fault rule; False when the connection was reset."""
        rule = self.svc.faults.take(entry["operation"], call.method, call.target)
        if rule is None:
            return True
        entry["fault"] = rule["name"]
        if "status" in rule:
            headers = {"retry-after": str(rule["retry_after"])} if rule.get("retry_after") is not None else {}
            raise ApiError(rule["status"], rule["code"], rule["message"], headers)
        if rule.get("reset"):
            h.reset_connection()
            _print(entry, "connection reset")
            return False
        if "latency_seconds" in rule:
            time.sleep(rule["latency_seconds"])
        if "stale_seconds" in rule:
            call.stale_seconds = rule["stale_seconds"]
        return True

    # --- plain HTTP: IMDS and control ---------------------------------------------

    def serve_http(self, h, call: Call) -> None:
        if call.path.startswith("/_mock/"):
            self._serve_control(h, call)
        else:
            self._serve_imds(h, call)

    def _serve_control(self, h, call: Call) -> None:
        found = CONTROL_ROUTER.match(call.method, call.path)
        try:
            if found is None:
                raise not_found("control endpoint")
            route, params = found
            reply = route.handler(self.svc, call, **params)
        except ApiError as e:
            reply = error_reply(e)
        except (ValueError, TypeError, KeyError) as e:
            reply = error_reply(ApiError(400, "InvalidParameter", f"{type(e).__name__}: {e}"))
        self._write(h, call, reply, new_request_id())

    def _serve_imds(self, h, call: Call) -> None:
        entry = self.svc.log.start(call)
        found = identity.imds_route(call.path)
        entry["operation"] = found[0] if found else None
        try:
            try:
                identity.check_imds_headers(call)
            except ApiError as e:
                entry["reject_reason"] = e.message
                raise
            if found is None:
                raise not_found("metadata")
            if not self._inject_fault(h, call, entry):
                return
            reply = identity.serve_imds(self.svc, call, found[1], found[2])
        except ApiError as e:
            reply = error_reply(e)
        self._send(h, call, reply, entry)

    # --- answers ------------------------------------------------------------------

    def _send(self, h, call: Call, reply: Reply, entry: dict) -> None:
        entry.update(status=reply.status, request_id=new_request_id())
        _print(entry)
        self._write(h, call, reply, entry["request_id"])

    @staticmethod
    def _write(h, call: Call, reply: Reply, request_id: str) -> None:
        data = reply.encoded()
        h.send_response(reply.status)
        h.send_header("opc-request-id", request_id)
        h.send_header("Content-Type", reply.content_type)
        h.send_header("Content-Length", str(len(data)))
        for name, value in reply.headers.items():
            h.send_header(name, value)
        h.end_headers()
        if call.method != "HEAD":
            h.wfile.write(data)


def _key_id_kind(call: Call) -> str:
    """For the log of a rejected request: what kind of keyId it tried."""
    try:
        key_id = signature.parse_authorization(call.header("authorization"))["keyId"]
    except signature.SignatureError:
        return "none"
    if key_id.startswith("ST$"):
        return "token"
    return "fed-x509" if "/fed-x509/" in key_id else "api_key"


def _print(entry: dict, outcome: str | None = None) -> None:
    parts = [f"mock-oci: #{entry['seq']} {entry['listener']} {entry['method']} {entry['path']}",
             f"-> {outcome or entry['status']}", entry["operation"] or "-", entry["key_id_kind"]]
    if entry["signature_ok"] is False or entry["reject_reason"]:
        parts.append(f"rejected: {entry['reject_reason']}")
    if entry["fault"]:
        parts.append(f"fault={entry['fault']}")
    if entry["replayed"]:
        parts.append("replayed")
    print(" ".join(parts), file=sys.stderr, flush=True)


# --- HTTP plumbing ----------------------------------------------------------------

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the SDKs' clients use it
    server_version = "mock-oci"
    timeout = 120  # an idle keep-alive connection is closed after this long

    def _handle(self) -> None:
        try:
            call = Call(self.server.listener, self.command, self.path, self.headers, self._read_body())
        except ValueError:
            self.send_error(400, "bad request body framing")
            return
        try:
            if self.server.listener == "https":
                self.server.dispatcher.serve_api(self, call)
            else:
                self.server.dispatcher.serve_http(self, call)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception:  # a bug in the mock: say so loudly, and still answer
            traceback.print_exc()
            self.send_error(500, "mock-oci internal error (traceback on its stderr)")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("transfer-encoding") or "").lower():
            return self._read_chunked()
        length = self.headers.get("content-length")
        return self.rfile.read(int(length)) if length else b""

    def _read_chunked(self) -> bytes:
        body = b""
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline().strip():  # trailers
                    pass
                return body
            body += self.rfile.read(size)
            self.rfile.readline()

    def reset_connection(self) -> None:
        """Drops the connection with a TCP RST and no response (SO_LINGER 0, then close)."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def log_message(self, format, *args) -> None:
        pass  # the dispatcher writes one line per request itself


class Listener(ThreadingHTTPServer):
    """A ThreadingHTTPServer on 127.0.0.1 with a kernel-chosen port; with a TLS context,
    the handshake runs in the request's thread so a stuck client blocks nobody else."""
    daemon_threads = True
    block_on_close = False  # exit on SIGTERM even while clients hold connections open

    def __init__(self, listener: str, dispatcher: Dispatcher, tls_context: ssl.SSLContext | None = None):
        self.listener, self.dispatcher, self.tls_context = listener, dispatcher, tls_context
        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def finish_request(self, request, client_address) -> None:
        if self.tls_context is None:
            super().finish_request(request, client_address)
            return
        request.settimeout(10)
        try:
            wrapped = self.tls_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as e:
            print(f"mock-oci: TLS handshake from {client_address[0]}:{client_address[1]} failed: {e}",
                  file=sys.stderr, flush=True)
            return
        try:
            super().finish_request(wrapped, client_address)
        finally:
            wrapped.close()


def tls_context(cert_file: str, key_file: str) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(cert_file, key_file)
    return ctx
