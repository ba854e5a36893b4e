#pragma once
// The little cryptography OCI needs, on OpenSSL: hashes and encodings for request
// signing, RSA keys (load, generate, sign), and the X.509 facts instance principals
// read from their identity certificate. No function here touches files.

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

struct evp_pkey_st;
struct x509_st;

namespace sft::oci {

std::string base64(std::string_view bytes);
// Standard or URL-safe alphabet, padding optional; Errc::invalid_argument on junk.
Result<std::string> base64_decode(std::string_view text);
std::string sha256(std::string_view bytes);  // raw 32 bytes
// n characters from [A-Za-z0-9], from the OS's cryptographic random source.
std::string random_token(size_t n);

class PrivateKey {
 public:
  // A PEM private key (PKCS#1 or PKCS#8, encrypted or not). A wrong or missing
  // passphrase for an encrypted key is Errc::configuration, saying which.
  static Result<PrivateKey> from_pem(std::string_view pem, std::string_view passphrase = {});
  // A fresh RSA key (instance-principal session keys).
  static Result<PrivateKey> generate_rsa(int bits = 2048);

  // RSASSA-PKCS1-v1_5 over SHA-256: the raw signature bytes.
  Result<std::string> sign_sha256(std::string_view data) const;
  std::string public_der() const;  // SubjectPublicKeyInfo, DER
  std::string public_pem() const;
  std::string private_pem() const;  // PKCS#8, unencrypted
  // The API-key fingerprint: MD5 of the public DER, lower-case hex with colons.
  std::string fingerprint() const;

 private:
  explicit PrivateKey(evp_pkey_st* key);
  std::shared_ptr<evp_pkey_st> m_key;
};

class Certificate {
 public:
  static Result<Certificate> from_pem(std::string_view pem);
  // The value of the first subject attribute (any type) that starts with prefix,
  // without the prefix: subject_value("opc-tenant:") -> the tenancy OCID.
  std::string subject_value(std::string_view prefix) const;
  // SHA-1 of the DER certificate, upper-case hex with colons (the fed-x509 keyId).
  std::string sha1_fingerprint() const;
  // Seconds since the epoch when the certificate stops being valid.
  long long not_after() const;

 private:
  explicit Certificate(x509_st* cert);
  std::shared_ptr<x509_st> m_cert;
};

// PEM without its BEGIN/END lines and line breaks (what the federation body carries).
std::string pem_body(std::string_view pem);

}  // namespace sft::oci
