"""The mock's throw-away PKI, made fresh at every start:

- a test CA and the HTTPS server certificate (127.0.0.1 and "localhost");
- the instance identity chain IMDS hands out: an intermediate CA and one leaf per
  instance whose subject carries opc-instance/opc-compartment/opc-tenant, as OCI's do;
- the key the federation endpoint signs its JWTs with.
"""

import base64
import datetime
import hashlib
import ipaddress
import json
import os
import threading
import warnings
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def new_key() -> rsa.RSAPrivateKey:
    """An RSA key, for whatever OCI signs with RSA: API keys, instance leaves, tokens."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def new_ca_key() -> ec.EllipticCurvePrivateKey:
    # EC for the keys no client signs with: P-256 is made in microseconds where RSA
    # takes up to a second on a busy machine, and start-up waits for these.
    return ec.generate_private_key(ec.SECP256R1())


def key_pem(key, traditional: bool = False) -> bytes:
    """PEM of a private key: PKCS#8, or PKCS#1 ("BEGIN RSA PRIVATE KEY") as IMDS serves it."""
    fmt = serialization.PrivateFormat.TraditionalOpenSSL if traditional else serialization.PrivateFormat.PKCS8
    return key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption())


def public_pem(key) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def api_key_fingerprint(public_key) -> str:
    """OCI's API key fingerprint: MD5 of the DER SubjectPublicKeyInfo, lower-case hex with colons."""
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return ":".join(f"{b:02x}" for b in hashlib.md5(der).digest())


def cert_sha1_fingerprint(cert: x509.Certificate) -> str:
    """SHA-1 of the certificate, hex with colons: the fingerprint in a fed-x509 keyId."""
    return ":".join(f"{b:02X}" for b in cert.fingerprint(hashes.SHA1()))


def _name(*attrs) -> x509.Name:
    # OCI puts whole OCIDs (over 80 characters) in the subject, past X.520's 64-character
    # bound for a common name, which newer cryptography releases enforce unless told not to.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return x509.Name([x509.NameAttribute(oid, value, _validate=False) for oid, value in attrs])


def _issue(subject: x509.Name, public_key, issuer: x509.Name, issuer_key, *, ca: bool, days: float,
           sans: list | None = None, usage=None) -> x509.Certificate:
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder()
               .subject_name(subject).issuer_name(issuer).public_key(public_key)
               .serial_number(x509.random_serial_number())
               # An hour of back-dating tolerates a test machine whose clock lags.
               .not_valid_before(now - datetime.timedelta(hours=1))
               .not_valid_after(now + datetime.timedelta(days=days))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=not ca, key_encipherment=not ca,
                                            content_commitment=False, data_encipherment=False,
                                            key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                                            encipher_only=False, decipher_only=False), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                              critical=False))
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    if usage:
        builder = builder.add_extension(x509.ExtendedKeyUsage(usage), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


@dataclass
class Identity:
    """One instance's identity as IMDS serves it (/identity/cert.pem, key.pem)."""
    instance_id: str
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    @property
    def fingerprint(self) -> str:
        return cert_sha1_fingerprint(self.cert)

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)


class Pki:
    def __init__(self, directory: str, extra_names=()):
        self._lock = threading.Lock()
        self.extra_names = list(extra_names)
        self.ca_key = new_ca_key()
        self.ca_name = _name((NameOID.COMMON_NAME, "sft mock OCI test CA"))
        self.ca_cert = _issue(self.ca_name, self.ca_key.public_key(), self.ca_name, self.ca_key, ca=True, days=30)
        self._write_server_files(directory)
        self.intermediate_key = new_ca_key()
        self.intermediate_name = _name((NameOID.COMMON_NAME, "PKISVC Identity Intermediate mock"),
                                       (NameOID.ORGANIZATION_NAME, "sft mock OCI"))
        self.intermediate_cert = _issue(self.intermediate_name, self.intermediate_key.public_key(),
                                        self.ca_name, self.ca_key, ca=True, days=30)
        self._jwt_key = None  # made on first use: most runs never federate
        self._identities: dict[str, Identity] = {}

    def _write_server_files(self, directory: str) -> None:
        self.ca_file = os.path.join(directory, "ca.pem")
        self.server_cert_file = os.path.join(directory, "server.pem")
        self.server_key_file = os.path.join(directory, "server-key.pem")
        server_key = new_ca_key()
        sans = [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
        sans += [x509.DNSName(name) for name in self.extra_names]
        server_cert = _issue(_name((NameOID.COMMON_NAME, "127.0.0.1")), server_key.public_key(),
                             self.ca_name, self.ca_key, ca=False, days=30, sans=sans,
                             usage=[ExtendedKeyUsageOID.SERVER_AUTH])
        _write(self.ca_file, cert_pem(self.ca_cert))
        _write(self.server_cert_file, cert_pem(server_cert))
        _write(self.server_key_file, key_pem(server_key), mode=0o600)

    # --- instance identities ------------------------------------------------------

    def identity(self, instance: dict, tenancy: str) -> Identity:
        """The instance's identity, issued on first use (key generation takes a moment)."""
        with self._lock:
            found = self._identities.get(instance["id"])
            if found is None:
                found = self._issue_identity(instance, tenancy)
                self._identities[instance["id"]] = found
            return found

    def _issue_identity(self, instance: dict, tenancy: str) -> Identity:
        key = new_key()
        subject = _name((NameOID.COMMON_NAME, instance["id"]),
                        (NameOID.ORGANIZATIONAL_UNIT_NAME, "opc-certtype:instance"),
                        (NameOID.ORGANIZATIONAL_UNIT_NAME, f"opc-compartment:{instance['compartmentId']}"),
                        (NameOID.ORGANIZATIONAL_UNIT_NAME, f"opc-instance:{instance['id']}"),
                        (NameOID.ORGANIZATIONAL_UNIT_NAME, f"opc-tenant:{tenancy}"))
        cert = _issue(subject, key.public_key(), self.intermediate_name, self.intermediate_key,
                      ca=False, days=1, usage=[ExtendedKeyUsageOID.CLIENT_AUTH])
        return Identity(instance["id"], key, cert)

    def identity_by_fingerprint(self, fingerprint: str) -> Identity | None:
        wanted = fingerprint.upper()
        with self._lock:
            return next((i for i in self._identities.values() if i.fingerprint == wanted), None)

    def identity_by_instance(self, instance_id: str) -> Identity:
        with self._lock:
            return self._identities[instance_id]

    def intermediate_der(self) -> bytes:
        return self.intermediate_cert.public_bytes(serialization.Encoding.DER)

    # --- tokens -------------------------------------------------------------------

    def sign_jwt(self, payload: dict) -> str:
        """A compact RS256 JWT (header.payload.signature, base64url without padding)."""
        with self._lock:
            if self._jwt_key is None:
                self._jwt_key = new_key()
        header = {"alg": "RS256", "typ": "JWT", "kid": "mock-oci"}
        signing_input = _b64url(json.dumps(header).encode()) + "." + _b64url(json.dumps(payload).encode())
        signature = self._jwt_key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return signing_input + "." + _b64url(signature)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _write(path: str, data: bytes, mode: int = 0o644) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
