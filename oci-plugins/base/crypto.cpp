#include "oci-plugins/base/crypto.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <array>
#include <cctype>
#include <cstring>

namespace sft::oci {
namespace {

std::string openssl_error() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

Bio memory_bio(std::string_view data) {
  return Bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())), &BIO_free);
}

std::string drain(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string digest(const EVP_MD* md, std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), out.data(), &n, md, nullptr);
  return std::string(reinterpret_cast<char*>(out.data()), n);
}

std::string hex_with_colons(std::string_view bytes, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    if (!out.empty()) out += ':';
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

// The passphrase callback: OpenSSL asks only for encrypted keys.
struct Passphrase {
  std::string_view text;
  bool asked = false;
};

int passphrase_callback(char* buf, int size, int, void* user) {
  auto* p = static_cast<Passphrase*>(user);
  p->asked = true;
  if (p->text.empty() || static_cast<int>(p->text.size()) > size) return -1;
  std::memcpy(buf, p->text.data(), p->text.size());
  return static_cast<int>(p->text.size());
}

}  // namespace

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

Result<std::string> base64_decode(std::string_view text) {
  std::string s(text);
  for (char& c : s) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  for (int i = 0; i < 2 && !s.empty() && s.back() == '='; ++i) s.pop_back();
  // EVP_DecodeBlock reads '=' anywhere as zero bits: only the alphabet may remain.
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/')
      return fail(Errc::invalid_argument, "base64: not base64");
  size_t pad = (4 - s.size() % 4) % 4;
  if (pad == 3) return fail(Errc::invalid_argument, "base64: bad length");
  s.append(pad, '=');
  std::string out(3 * s.size() / 4 + 1, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  if (n < 0) return fail(Errc::invalid_argument, "base64: not base64");
  out.resize(static_cast<size_t>(n) - pad);  // DecodeBlock counts the padding as zero bytes
  return out;
}

std::string sha256(std::string_view bytes) { return digest(EVP_sha256(), bytes); }

std::string random_token(size_t n) {
  static constexpr std::string_view k_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  while (out.size() < n) {
    unsigned char b[64];
    if (RAND_bytes(b, sizeof b) != 1) std::abort();  // no entropy: nothing sane to do
    for (unsigned char c : b)
      if (c < 248 && out.size() < n) out += k_alphabet[c % k_alphabet.size()];  // 248 = 4*62: no bias
  }
  return out;
}

PrivateKey::PrivateKey(evp_pkey_st* key) : m_key(key, &EVP_PKEY_free) {}

Result<PrivateKey> PrivateKey::from_pem(std::string_view pem, std::string_view passphrase) {
  Bio bio = memory_bio(pem);
  Passphrase p{passphrase};
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, &passphrase_callback, &p);
  if (key == nullptr) {
    std::string detail = openssl_error();
    if (p.asked && passphrase.empty())
      return fail(Errc::configuration, "the private key is encrypted and no pass_phrase is set");
    if (p.asked) return fail(Errc::configuration, "the private key does not open with pass_phrase (" + detail + ")");
    return fail(Errc::configuration, "not a PEM private key (" + detail + ")");
  }
  if (EVP_PKEY_base_id(key) != EVP_PKEY_RSA) {
    EVP_PKEY_free(key);
    return fail(Errc::configuration, "the private key is not an RSA key (OCI signs with RSA)");
  }
  return PrivateKey(key);
}

Result<PrivateKey> PrivateKey::generate_rsa(int bits) {
  EVP_PKEY* key = EVP_RSA_gen(static_cast<unsigned>(bits));
  if (key == nullptr) return fail(Errc::generic, "generating an RSA key: " + openssl_error());
  return PrivateKey(key);
}

Result<std::string> PrivateKey::sign_sha256(std::string_view data) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  size_t n = 0;
  if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, m_key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &n, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1)
    return fail(Errc::generic, "signing: " + openssl_error());
  std::string out(n, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &n,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1)
    return fail(Errc::generic, "signing: " + openssl_error());
  out.resize(n);
  return out;
}

std::string PrivateKey::public_der() const {
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(m_key.get(), &der);
  if (n <= 0) return {};
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return out;
}

std::string PrivateKey::public_pem() const {
  Bio bio(BIO_new(BIO_s_mem()), &BIO_free);
  PEM_write_bio_PUBKEY(bio.get(), m_key.get());
  return drain(bio.get());
}

std::string PrivateKey::private_pem() const {
  Bio bio(BIO_new(BIO_s_mem()), &BIO_free);
  PEM_write_bio_PKCS8PrivateKey(bio.get(), m_key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  return drain(bio.get());
}

std::string PrivateKey::fingerprint() const { return hex_with_colons(digest(EVP_md5(), public_der()), false); }

Certificate::Certificate(x509_st* cert) : m_cert(cert, &X509_free) {}

Result<Certificate> Certificate::from_pem(std::string_view pem) {
  Bio bio = memory_bio(pem);
  X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
  if (cert == nullptr) return fail(Errc::invalid_argument, "not a PEM certificate (" + openssl_error() + ")");
  return Certificate(cert);
}

std::string Certificate::subject_value(std::string_view prefix) const {
  X509_NAME* name = X509_get_subject_name(m_cert.get());
  for (int i = 0; i < X509_NAME_entry_count(name); ++i) {
    ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
    unsigned char* utf8 = nullptr;
    int n = ASN1_STRING_to_UTF8(&utf8, data);
    if (n < 0) continue;
    std::string value(reinterpret_cast<char*>(utf8), static_cast<size_t>(n));
    OPENSSL_free(utf8);
    if (value.starts_with(prefix)) return value.substr(prefix.size());
  }
  return {};
}

std::string Certificate::sha1_fingerprint() const {
  unsigned char* der = nullptr;
  int n = i2d_X509(m_cert.get(), &der);
  if (n <= 0) return {};
  std::string bytes(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return hex_with_colons(digest(EVP_sha1(), bytes), true);
}

long long Certificate::not_after() const {
  struct tm t {};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(m_cert.get()), &t) != 1) return 0;
  return static_cast<long long>(timegm(&t));
}

std::string pem_body(std::string_view pem) {
  std::string out;
  size_t pos = 0;
  while (pos < pem.size()) {
    size_t end = pem.find('\n', pos);
    if (end == std::string_view::npos) end = pem.size();
    std::string_view line = pem.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.starts_with("-----")) out += line;
    pos = end + 1;
  }
  return out;
}

}  // namespace sft::oci
