"""Verification of OCI request signatures, written from the published scheme
(draft-cavage-http-signatures-08 as OCI profiles it, signature "version 1"):

    Authorization: Signature version="1",keyId="...",algorithm="rsa-sha256",
                   headers="date (request-target) host ...",signature="<base64>"

The signing string is one "name: value" line per entry of `headers`, in that order,
joined by "\\n" with no trailing newline; "(request-target)" is the lower-case method,
a space and the path?query exactly as sent. The signature is RSA PKCS#1 v1.5 over
SHA-256. Every rejection says why, so the request log can explain a 401.
"""

import base64
import binascii
import datetime
import email.utils
import hashlib
import re
from dataclasses import dataclass
from typing import Callable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

MAX_SKEW_SECONDS = 300
BODY_METHODS = ("POST", "PUT", "PATCH")
BODY_HEADERS = ("content-length", "content-type", "x-content-sha256")

_PARAM = r'[A-Za-z]+="[^"]*"'
_AUTH_PARAMS = re.compile(rf"\s*{_PARAM}\s*(,\s*{_PARAM}\s*)*")


class SignatureError(Exception):
    """The request is not validly signed; str(e) is the reason."""


@dataclass
class Signer:
    """Who signed: kind is "api_key", "token" or "fed-x509"."""
    kind: str
    principal: str
    public_key: object


# keyId -> Signer, raising SignatureError for unknown, expired or revoked keys.
KeyResolver = Callable[[str], Signer]


def parse_authorization(value: str | None) -> dict:
    if not value:
        raise SignatureError("no Authorization header")
    scheme, _, rest = value.strip().partition(" ")
    if scheme.lower() != "signature":
        raise SignatureError(f"Authorization scheme is {scheme!r}, not Signature")
    if not _AUTH_PARAMS.fullmatch(rest):
        raise SignatureError("malformed Authorization header")
    params = dict(re.findall(r'([A-Za-z]+)="([^"]*)"', rest))
    for name in ("keyId", "signature"):
        if not params.get(name):
            raise SignatureError(f"Authorization header has no {name}")
    if params.get("version", "1") != "1":
        raise SignatureError(f"unsupported signature version {params['version']!r}")
    if params.get("algorithm") != "rsa-sha256":
        raise SignatureError(f"algorithm is {params.get('algorithm')!r}, not rsa-sha256")
    return params


def verify(method: str, target: str, headers, body: bytes, resolve: KeyResolver, *,
           host_required: bool = True, now: float | None = None) -> Signer:
    """Checks the request's signature; returns the signer or raises SignatureError.

    headers is case-insensitive (http.client.HTTPMessage). host_required=False for the
    federation call, which the Python SDK signs without host.
    """
    params = parse_authorization(headers.get("authorization"))
    signer = resolve(params["keyId"])
    signed = params.get("headers", "date").lower().split()  # cavage: "date" when absent
    _check_required(method, signed, host_required)
    _check_date(headers, signed, now)
    _check_body(headers, body)
    text = signing_string(method, target, headers, signed)
    try:
        signature = base64.b64decode(params["signature"], validate=True)
        signer.public_key.verify(signature, text.encode(), padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, binascii.Error, ValueError):
        raise SignatureError("signature does not verify")
    except (TypeError, AttributeError):
        raise SignatureError("the key for this keyId is not an RSA key")
    return signer


def signing_string(method: str, target: str, headers, signed: list[str]) -> str:
    lines = []
    for name in signed:
        if name == "(request-target)":
            lines.append(f"(request-target): {method.lower()} {target}")
            continue
        values = headers.get_all(name)
        if values is None:
            raise SignatureError(f"signed header {name!r} is not in the request")
        lines.append(f"{name}: {', '.join(v.strip() for v in values)}")
    return "\n".join(lines)


def _check_required(method: str, signed: list[str], host_required: bool) -> None:
    """OCI rejects a request that leaves these out of the signature."""
    required = ["(request-target)"] + (["host"] if host_required else [])
    if method.upper() in BODY_METHODS:
        required += BODY_HEADERS
    missing = [name for name in required if name not in signed]
    if "date" not in signed and "x-date" not in signed:
        missing.insert(0, "date|x-date")
    if missing:
        raise SignatureError(f"required headers not signed: {' '.join(missing)}")


def _check_date(headers, signed: list[str], now: float | None) -> None:
    name = "x-date" if "x-date" in signed else "date"
    value = headers.get(name)
    if value is None:
        raise SignatureError(f"signed header {name!r} is not in the request")
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        raise SignatureError(f"{name} {value!r} is not an HTTP date")
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    now_dt = datetime.datetime.now(datetime.timezone.utc) if now is None else \
        datetime.datetime.fromtimestamp(now, datetime.timezone.utc)
    skew = abs((now_dt - when).total_seconds())
    if skew > MAX_SKEW_SECONDS:
        raise SignatureError(f"{name} is {skew:.0f} s away from the server clock (limit {MAX_SKEW_SECONDS} s)")


def _check_body(headers, body: bytes) -> None:
    """The signature covers the body only through these two headers, so both must be true."""
    digest = headers.get("x-content-sha256")
    if digest is not None and digest.strip() != base64.b64encode(hashlib.sha256(body).digest()).decode():
        raise SignatureError("x-content-sha256 does not match the body")
    length = headers.get("content-length")
    if length is not None and (not length.strip().isdigit() or int(length) != len(body)):
        raise SignatureError(f"content-length {length!r} does not match the body ({len(body)} bytes)")
