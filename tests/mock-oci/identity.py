"""Who is calling: the keyIds a signature may name, the instance metadata service
(IMDS v2) an instance reads its identity from, and the federation endpoint (/v1/x509)
that swaps that identity for a security token ("ST$<token>" keyIds)."""

import base64
import binascii
import calendar
import copy
import re
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization

import tls
from common import ApiError, Reply, bad_request, not_found
from signature import Signer, SignatureError

FEDERATION_PATH = "/v1/x509"
# The two legacy regions IMDS names by their short key; all others by identifier.
SHORT_REGION_NAMES = {"us-ashburn-1": "iad", "us-phoenix-1": "phx"}


# --- security tokens --------------------------------------------------------------

@dataclass
class Token:
    public_key: object
    instance_id: str
    expires: float
    revoked: bool = False


class Tokens:
    def __init__(self):
        self._lock = threading.Lock()
        self._tokens: dict[str, Token] = {}

    def issue(self, pki: tls.Pki, model, instance: dict, public_key) -> str:
        now = int(time.time())
        exp = now + model.token_ttl_seconds
        payload = {"iss": "authService.oracle.com", "aud": "oci", "ptype": "instance", "ttype": "x509",
                   "sub": instance["id"], "opc-instance": instance["id"], "tenant": model.tenancy,
                   "opc-compartment": instance["compartmentId"], "opc-certtype": "instance",
                   "iat": now, "exp": exp, "jti": secrets.token_hex(16)}
        token = pki.sign_jwt(payload)
        with self._lock:
            self._tokens[token] = Token(public_key, instance["id"], exp)
        return token

    def lookup(self, token: str) -> Token:
        with self._lock:
            found = self._tokens.get(token)
        if found is None:
            raise SignatureError("unknown security token")
        if found.revoked:
            raise SignatureError("security token was expired through /_mock/tokens/expire")
        if time.time() >= found.expires:
            raise SignatureError("security token expired")
        return found

    def expire_all(self) -> int:
        with self._lock:
            for t in self._tokens.values():
                t.revoked = True
            return len(self._tokens)

    def summary(self) -> list:
        with self._lock:
            return [{"instance": t.instance_id, "expires": t.expires, "revoked": t.revoked,
                     "valid": not t.revoked and time.time() < t.expires} for t in self._tokens.values()]


# --- keyIds -----------------------------------------------------------------------

def key_resolver(svc, path: str):
    """The signature verifier's keyId lookup for a request to path."""
    def resolve(key_id: str) -> Signer:
        if key_id.startswith("ST$"):
            token = svc.tokens.lookup(key_id[3:])
            return Signer("token", token.instance_id, token.public_key)
        parts = key_id.split("/")
        if len(parts) != 3 or not all(parts):
            raise SignatureError(f"malformed keyId {key_id!r}")
        tenancy, middle, fingerprint = parts
        if tenancy != svc.model.tenancy:
            raise SignatureError(f"unknown tenancy {tenancy} in keyId")
        if middle == "fed-x509":
            return _fed_x509_signer(svc, path, fingerprint)
        return _api_key_signer(svc, middle, fingerprint)
    return resolve


def _fed_x509_signer(svc, path: str, fingerprint: str) -> Signer:
    if path != FEDERATION_PATH:
        raise SignatureError("fed-x509 keyIds sign only federation requests")
    identity = svc.pki.identity_by_fingerprint(fingerprint)
    if identity is None:
        raise SignatureError(f"no instance certificate has fingerprint {fingerprint}")
    return Signer("fed-x509", identity.instance_id, identity.cert.public_key())


def _api_key_signer(svc, user_id: str, fingerprint: str) -> Signer:
    user = svc.model.users.get(user_id)
    if user is None:
        raise SignatureError(f"unknown user {user_id} in keyId")
    if fingerprint.lower() != user["fingerprint"]:
        raise SignatureError(f"fingerprint {fingerprint} is not the key of user {user_id}")
    return Signer("api_key", user_id, serialization.load_pem_public_key(user["publicKeyPem"].encode()))


# --- federation -------------------------------------------------------------------

def _der(value, what: str) -> bytes:
    """A certificate or key as the SDKs send it: PEM without armour or newlines (armour tolerated)."""
    if not isinstance(value, str) or not value.strip():
        raise bad_request(f"{what} is required", "MissingParameter")
    text = "".join(line for line in value.splitlines() if not line.startswith("-----"))
    try:
        return base64.b64decode(re.sub(r"\s+", "", text), validate=True)
    except (binascii.Error, ValueError):
        raise bad_request(f"{what} is not base64")


def federate(svc, call):
    """POST /v1/x509: checks the instance certificate that signed the request and
    answers {"token": <JWT>} bound to the session public key in the body."""
    if call.key_id_kind != "fed-x509":
        raise ApiError(401, "NotAuthenticated", "Federation requests are signed with the instance certificate key")
    body = call.json()
    identity = svc.pki.identity_by_instance(call.principal)
    if _der(body.get("certificate"), "certificate") != identity.der:
        raise ApiError(401, "NotAuthenticated", "certificate is not the one whose key signed the request")
    intermediates = body.get("intermediateCertificates") or []
    if not isinstance(intermediates, list) or svc.pki.intermediate_der() not in \
            [_der(c, "intermediateCertificates[]") for c in intermediates]:
        raise ApiError(401, "NotAuthenticated", "intermediateCertificates lacks the issuing intermediate")
    try:
        session_key = serialization.load_der_public_key(_der(body.get("publicKey"), "publicKey"))
    except ValueError:
        raise bad_request("publicKey is not a DER SubjectPublicKeyInfo")
    instance = svc.model.get("instances", call.principal, "instance")
    return Reply({"token": svc.tokens.issue(svc.pki, svc.model, instance, session_key)})


# --- IMDS -------------------------------------------------------------------------

IMDS_PATH = re.compile(r"^(?:/i/(?P<who>[^/]+))?/opc/v2(?P<sub>/.*)?$")


def imds_route(path: str) -> tuple[str, str | None, str] | None:
    """(operation, instance id-or-name or None for "self", sub-path) or None."""
    m = IMDS_PATH.match(path)
    if not m:
        return None
    who = urllib.parse.unquote(m["who"]) if m["who"] else None
    sub = (m["sub"] or "/").rstrip("/") or "/"
    operation = {"instance": "ImdsInstance", "vnics": "ImdsVnics", "identity": "ImdsIdentity"}.get(
        sub.split("/")[1] if sub != "/" else "")
    return (operation, who, sub) if operation else None


def check_imds_headers(call) -> None:
    """IMDS v2 wants the bearer header and refuses anything that came through a proxy."""
    if any(name.lower() == "forwarded" or name.lower().startswith("x-forwarded-") for name in call.headers):
        raise ApiError(400, "InvalidParameter", "IMDS refuses requests with Forwarded or X-Forwarded-* headers")
    if (call.header("authorization") or "").strip() != "Bearer Oracle":
        raise ApiError(401, "NotAuthenticated", "IMDS v2 requires the header Authorization: Bearer Oracle")


def serve_imds(svc, call, who: str | None, sub: str) -> Reply:
    model = svc.model
    parts = sub.strip("/").split("/")
    with model.lock:
        instance = model.find("instances", who) if who else model.items["instances"].get(model.self_id)
        if instance is None:
            raise not_found("instance")
        if parts[0] == "instance":
            return _walk(instance_document(model, instance), parts[1:])
        if parts[0] == "vnics":
            return _walk(vnics_document(model, instance), parts[1:])
        instance = copy.deepcopy(instance)
    # Outside the model lock: a first request may have to make a key, which takes a while.
    return _identity_file(svc, instance, parts[1:])


def _walk(doc, path: list) -> Reply:
    """/instance/ is the whole document; /instance/a/b one field (plain text if a string)."""
    for key in path:
        if isinstance(doc, list) and key.isdigit() and int(key) < len(doc):
            doc = doc[int(key)]
        elif isinstance(doc, dict) and key in doc:
            doc = doc[key]
        else:
            raise not_found("metadata")
    if isinstance(doc, (dict, list)):
        return Reply(doc)
    return Reply("" if doc is None else str(doc), content_type="text/plain")


def _identity_file(svc, instance: dict, path: list) -> Reply:
    identity = svc.pki.identity(instance, svc.model.tenancy)
    files = {"cert.pem": lambda: tls.cert_pem(identity.cert),
             "key.pem": lambda: tls.key_pem(identity.key, traditional=True),
             "intermediate.pem": lambda: tls.cert_pem(svc.pki.intermediate_cert)}
    if len(path) != 1 or path[0] not in files:
        raise not_found("metadata")
    return Reply(files[path[0]](), content_type="text/plain")


def instance_document(model, instance: dict) -> dict:
    seed = model.seed
    region = seed["region"]
    ad = instance["availabilityDomain"]
    ad_number = ad.rsplit("-", 1)[-1] if ad[-1:].isdigit() else "1"
    primary = (vnics_document(model, instance) or [{}])[0]
    vnic = model.items["vnics"].get(primary.get("vnicId"), {})
    return {
        "availabilityDomain": ad,
        "faultDomain": instance["faultDomain"],
        "compartmentId": instance["compartmentId"],
        "tenantId": model.tenancy,
        "displayName": instance["displayName"],
        "hostname": vnic.get("hostnameLabel") or instance["displayName"],
        "id": instance["id"],
        "image": instance.get("imageId"),
        "metadata": copy.deepcopy(instance.get("metadata", {})),
        "region": SHORT_REGION_NAMES.get(region, region),
        "canonicalRegionName": region,
        "ociAdName": f"{seed['regionKey']}-ad-{ad_number}",
        "regionInfo": {"realmKey": seed["realmKey"], "realmDomainComponent": seed["realmDomainComponent"],
                       "regionKey": seed["regionKey"].upper(), "regionIdentifier": region},
        "shape": instance["shape"],
        "state": instance["lifecycleState"].capitalize(),
        "timeCreated": _epoch_ms(instance.get("timeCreated")),
        "freeformTags": copy.deepcopy(instance.get("freeformTags", {})),
        "definedTags": copy.deepcopy(instance.get("definedTags", {})),
    }


def vnics_document(model, instance: dict) -> list:
    """The instance's VNICs as IMDS lists them: the primary first, then by nicIndex."""
    out = []
    attachments = [a for a in model.items["vnicAttachments"].values() if a["instanceId"] == instance["id"]]
    for a in attachments:
        vnic = model.items["vnics"].get(a["vnicId"])
        subnet = model.items["subnets"].get(vnic["subnetId"]) if vnic else None
        if vnic and subnet:
            out.append((not vnic["isPrimary"], a["nicIndex"], {
                "vnicId": vnic["id"], "privateIp": vnic["privateIp"], "vlanTag": a.get("vlanTag", 0),
                "macAddr": vnic["macAddress"], "virtualRouterIp": subnet["virtualRouterIp"],
                "subnetCidrBlock": subnet["cidrBlock"], "nicIndex": a["nicIndex"]}))
    return [doc for _, _, doc in sorted(out, key=lambda t: (t[0], t[1]))]


def _epoch_ms(iso: str | None) -> int:
    try:
        return calendar.timegm(time.strptime(iso[:19], "%Y-%m-%dT%H:%M:%S")) * 1000
    except (TypeError, ValueError):
        return 0
