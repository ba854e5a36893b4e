#pragma once
// Checking OCI request signatures in tests as OCI's verifier would, with OpenSSL
// directly so the checks do not lean on the code under test; and the keys and
// self-signed certificates such checks need.
//
//   header(r, name)                  a request header's value, "<absent>" when it has none
//   authorization_params(value)      the parameters of `Signature a="b",c="d"`
//   rebuilt_signing_string(r)        the signing string rebuilt from the headers that
//                                    r's Authorization header lists
//   unbase64(text)                   standard base64, decoded
//   public_from_pem/der(text)        a public key; null when the text is not one
//   verifies(key, data, signature)   RSASSA-PKCS1-v1_5 with SHA-256
//   signature_verifies(r, key)       r's Authorization header verifies with key
//   k_sample_public_pem              the public half of fake_auth.h's sample_key(),
//   sample_public_key()              and the same as a key
//   make_certificate(...)            a self-signed certificate on a fresh RSA key
//
// Header-only, for Boost.Test cases: what cannot be checked (a malformed header,
// base64 or key, a certificate OpenSSL will not make) fails the running test case.

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <boost/test/unit_test.hpp>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "oci-plugins/base/http.h"

namespace sft::fakes {

using Pkey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

// The public half of the sample key, as `openssl pkey -pubout` prints it.
inline const std::string k_sample_public_pem =
    "-----BEGIN PUBLIC KEY-----\n"
    "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDCFENGw33yGihy92pDjZQhl0C3\n"
    "6rPJj+CvfSC8+q28hxA161QFNUd13wuCTUcq0Qd2qsBe/2hFyc2DCJJg0h1L78+6\n"
    "Z4UMR7EOcpfdUE9Hf3m/hs+FUR45uBJeDK1HSFHD8bHKD6kv8FPGfJTotc+2xjJw\n"
    "oYi+1hqp1fIekaxsyQIDAQAB\n"
    "-----END PUBLIC KEY-----\n";

inline std::string header(const oci::HttpRequest& r, std::string_view name) {
  const std::string* v = oci::find_header(r.headers, name);
  return v ? *v : std::string("<absent>");
}

// Fails the test unless `value` is `Signature ` and then name="value" pairs joined by commas.
inline std::map<std::string, std::string> authorization_params(std::string value) {
  std::map<std::string, std::string> out;
  BOOST_REQUIRE(value.starts_with("Signature "));
  value.erase(0, 10);
  size_t pos = 0;
  while (pos < value.size()) {
    const size_t eq = value.find("=\"", pos);
    const size_t close = value.find('"', eq + 2);
    BOOST_REQUIRE(eq != std::string::npos && close != std::string::npos);
    out[value.substr(pos, eq - pos)] = value.substr(eq + 2, close - eq - 2);
    pos = close + 1;
    if (pos < value.size()) {
      BOOST_REQUIRE(value[pos] == ',');
      ++pos;
    }
  }
  return out;
}

inline std::string rebuilt_signing_string(const oci::HttpRequest& r) {
  auto params = authorization_params(header(r, "authorization"));
  std::string text;
  const std::string names = params["headers"] + " ";
  for (size_t pos = 0, space; (space = names.find(' ', pos)) != std::string::npos; pos = space + 1) {
    const std::string name = names.substr(pos, space - pos);
    if (!text.empty()) text += '\n';
    if (name == "(request-target)") {
      std::string method = r.method;
      for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      text += "(request-target): " + method + " " + r.url.target;
    } else {
      text += name + ": " + header(r, name);
    }
  }
  return text;
}

// Fails the test on text OpenSSL cannot decode.
inline std::string unbase64(const std::string& text) {
  std::string out(text.size(), '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  BOOST_REQUIRE(n >= 0);
  size_t pad = 0;
  while (pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

inline Pkey public_from_pem(const std::string& pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  return Pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
}

inline Pkey public_from_der(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  return Pkey(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())), &EVP_PKEY_free);
}

// Fails the test when there is no key (so a check that must not verify cannot pass
// for want of one).
inline bool verifies(EVP_PKEY* key, const std::string& data, const std::string& signature) {
  BOOST_REQUIRE(key != nullptr);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  return EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
}

// k_sample_public_pem as a key.
inline Pkey sample_public_key() {
  Pkey key = public_from_pem(k_sample_public_pem);
  BOOST_REQUIRE(key != nullptr);
  return key;
}

inline bool signature_verifies(const oci::HttpRequest& r, EVP_PKEY* key) {
  const std::string signature = unbase64(authorization_params(header(r, "authorization"))["signature"]);
  return verifies(key, rebuilt_signing_string(r), signature);
}

// What a memory BIO holds.
inline std::string drain(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

struct TestCertificate {
  std::string cert_pem;
  std::string key_pem;
  std::string public_pem;
  std::string sha1;  // upper-case hex with colons, from X509_digest
};

// A self-signed certificate on a fresh RSA key of `bits`, its subject the given
// attributes in order ({"CN", "..."}, {"OU", "..."}), valid from not_before to
// not_after (Unix times).
inline TestCertificate make_certificate(const std::vector<std::pair<std::string, std::string>>& subject, int bits,
                                        std::time_t not_before, std::time_t not_after) {
  Pkey key(EVP_RSA_gen(bits), &EVP_PKEY_free);
  BOOST_REQUIRE(key != nullptr);
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), &X509_free);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 42);
  ASN1_TIME_set(X509_getm_notBefore(cert.get()), not_before);
  ASN1_TIME_set(X509_getm_notAfter(cert.get()), not_after);
  X509_NAME* name = X509_get_subject_name(cert.get());
  for (const auto& [field, value] : subject)
    X509_NAME_add_entry_by_txt(name, field.c_str(), MBSTRING_ASC, reinterpret_cast<const unsigned char*>(value.c_str()),
                               -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509_set_pubkey(cert.get(), key.get());
  BOOST_REQUIRE(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0);

  TestCertificate out;
  Bio c(BIO_new(BIO_s_mem()), &BIO_free);
  PEM_write_bio_X509(c.get(), cert.get());
  out.cert_pem = drain(c.get());
  Bio k(BIO_new(BIO_s_mem()), &BIO_free);
  PEM_write_bio_PrivateKey(k.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  out.key_pem = drain(k.get());
  Bio p(BIO_new(BIO_s_mem()), &BIO_free);
  PEM_write_bio_PUBKEY(p.get(), key.get());
  out.public_pem = drain(p.get());
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  X509_digest(cert.get(), EVP_sha1(), md, &n);
  char buf[4];
  for (unsigned int i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, i == 0 ? "%02X" : ":%02X", md[i]);
    out.sha1 += buf;
  }
  return out;
}

}  // namespace sft::fakes
