#include "oci-plugins/base/crypto.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <boost/test/unit_test.hpp>
#include <set>

#include "tests/fakes/fixtures.h"
#include "tests/fakes/oci_signing.h"
#include "tests/fakes/printing.h"

using sft::Errc;
using sft::fakes::Bio;
using sft::fakes::drain;
using sft::fakes::fixture;
using sft::fakes::Pkey;
using namespace sft::oci;

namespace {

std::string hex(std::string_view bytes) {
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += k_digits[c >> 4];
    out += k_digits[c & 15];
  }
  return out;
}

Pkey read_key(const std::string& pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  Pkey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
  BOOST_REQUIRE(key != nullptr);
  return key;
}

// The sample key as PKCS#8 encrypted with AES-256-CBC under `passphrase`.
std::string encrypted_sample_key(const std::string& passphrase) {
  Pkey key = read_key(fixture("oci/signing/sample_key.pem"));
  Bio out(BIO_new(BIO_s_mem()), &BIO_free);
  BOOST_REQUIRE(PEM_write_bio_PKCS8PrivateKey(out.get(), key.get(), EVP_aes_256_cbc(), passphrase.data(),
                                              static_cast<int>(passphrase.size()), nullptr, nullptr) == 1);
  return drain(out.get());
}

// Whether `signature` over `data` verifies with the public key `public_der`.
bool verifies(const std::string& public_der, const std::string& data, const std::string& signature) {
  Pkey key = sft::fakes::public_from_der(public_der);
  return sft::fakes::verifies(key.get(), data, signature);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(oci_crypto)

BOOST_AUTO_TEST_CASE(base64_encodes_the_rfc_4648_vectors) {
  BOOST_TEST(base64("") == "");
  BOOST_TEST(base64("f") == "Zg==");
  BOOST_TEST(base64("fo") == "Zm8=");
  BOOST_TEST(base64("foo") == "Zm9v");
  BOOST_TEST(base64("foob") == "Zm9vYg==");
  BOOST_TEST(base64("fooba") == "Zm9vYmE=");
  BOOST_TEST(base64("foobar") == "Zm9vYmFy");
  BOOST_TEST(base64(std::string("\xfb\xff\xbf", 3)) == "+/+/");
}

BOOST_AUTO_TEST_CASE(base64_round_trips_every_byte_at_every_padding_length) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (size_t len : {0u, 1u, 2u, 3u, 4u, 5u, 255u, 256u}) {
    const std::string bytes = all.substr(0, len);
    const auto back = base64_decode(base64(bytes));
    BOOST_REQUIRE_MESSAGE(back.has_value(), "length " << len);
    BOOST_TEST(*back == bytes, "length " << len);
  }
}

BOOST_AUTO_TEST_CASE(base64_decode_takes_unpadded_and_url_safe_text) {
  BOOST_TEST(base64_decode("Zg").value_or("?") == "f");
  BOOST_TEST(base64_decode("Zm8").value_or("?") == "fo");
  BOOST_TEST(base64_decode("Zm9vYg").value_or("?") == "foob");
  BOOST_TEST(base64_decode("-_-_").value_or("?") == std::string("\xfb\xff\xbf", 3));
  BOOST_TEST(base64_decode("-_8").value_or("?") == std::string("\xfb\xff", 2));
  BOOST_TEST(base64_decode("").value_or("?") == "");
}

BOOST_AUTO_TEST_CASE(base64_decode_refuses_junk) {
  for (const char* junk : {"Zm9v!", "Z", "Zm9vY", "Zm$v", "Zm9v\x01", "Zg==Zg==", "Zg=a", "Zm9v Zm9v"}) {
    const auto r = base64_decode(junk);
    BOOST_TEST(!r, "accepted '" << junk << "'");
    if (!r) BOOST_TEST(r.error().code == Errc::invalid_argument);
  }
}

BOOST_AUTO_TEST_CASE(sha256_is_the_raw_digest) {
  BOOST_TEST(sha256("abc").size() == 32u);
  BOOST_TEST(hex(sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(hex(sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

BOOST_AUTO_TEST_CASE(random_token_has_the_length_asked_from_the_alphanumeric_alphabet) {
  BOOST_TEST(random_token(0).empty());
  const std::string t = random_token(30);
  BOOST_TEST(t.size() == 30u);
  const std::string big = random_token(5000);
  BOOST_TEST(big.size() == 5000u);
  std::set<char> seen(big.begin(), big.end());
  for (char c : seen) BOOST_TEST(((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')), c);
  BOOST_TEST(seen.size() == 62u);  // 5000 draws from 62 letters miss none in practice
  BOOST_TEST(random_token(30) != random_token(30));
}

BOOST_AUTO_TEST_CASE(the_fingerprint_of_the_sample_key_is_the_md5_of_its_public_der) {
  const auto key = PrivateKey::from_pem(fixture("oci/signing/sample_key.pem"));
  BOOST_REQUIRE(key);
  // As `openssl pkey -pubout -outform DER | openssl md5 -c` prints it. (The vectors' keyId
  // uses 20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34, a label, not this key's.)
  BOOST_TEST(key->fingerprint() == "73:61:a2:21:67:e0:df:be:7e:4b:93:1e:15:98:a5:b7");
  BOOST_TEST(
      key->public_pem().starts_with("-----BEGIN PUBLIC KEY-----\nMIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDCFENGw33y"));
  BOOST_TEST(key->public_der().size() == 162u);
}

BOOST_AUTO_TEST_CASE(an_encrypted_pkcs8_key_opens_with_the_right_pass_phrase) {
  const auto key = PrivateKey::from_pem(encrypted_sample_key("correct horse"), "correct horse");
  BOOST_REQUIRE(key);
  BOOST_TEST(key->fingerprint() == "73:61:a2:21:67:e0:df:be:7e:4b:93:1e:15:98:a5:b7");
}

BOOST_AUTO_TEST_CASE(an_encrypted_key_with_a_wrong_pass_phrase_says_so) {
  const auto key = PrivateKey::from_pem(encrypted_sample_key("correct horse"), "battery staple");
  BOOST_REQUIRE(!key);
  BOOST_TEST(key.error().code == Errc::configuration);
  BOOST_TEST(key.error().message.find("does not open with pass_phrase") != std::string::npos, key.error().message);
}

BOOST_AUTO_TEST_CASE(an_encrypted_key_without_a_pass_phrase_says_so) {
  const auto key = PrivateKey::from_pem(encrypted_sample_key("correct horse"));
  BOOST_REQUIRE(!key);
  BOOST_TEST(key.error().code == Errc::configuration);
  BOOST_TEST(key.error().message.find("encrypted and no pass_phrase") != std::string::npos, key.error().message);
}

BOOST_AUTO_TEST_CASE(text_that_is_not_a_pem_key_is_refused) {
  const auto key = PrivateKey::from_pem("-----BEGIN NONSENSE-----\nAAAA\n-----END NONSENSE-----\n");
  BOOST_REQUIRE(!key);
  BOOST_TEST(key.error().code == Errc::configuration);
  BOOST_TEST(key.error().message.find("not a PEM private key") != std::string::npos, key.error().message);
}

BOOST_AUTO_TEST_CASE(a_key_that_is_not_rsa_is_refused) {
  Pkey ec(EVP_EC_gen("P-256"), &EVP_PKEY_free);
  BOOST_REQUIRE(ec != nullptr);
  Bio bio(BIO_new(BIO_s_mem()), &BIO_free);
  PEM_write_bio_PrivateKey(bio.get(), ec.get(), nullptr, nullptr, 0, nullptr, nullptr);
  const auto key = PrivateKey::from_pem(drain(bio.get()));
  BOOST_REQUIRE(!key);
  BOOST_TEST(key.error().code == Errc::configuration);
  BOOST_TEST(key.error().message.find("not an RSA key") != std::string::npos, key.error().message);
}

BOOST_AUTO_TEST_CASE(a_generated_key_signs_what_its_public_der_verifies_and_survives_pem) {
  const auto key = PrivateKey::generate_rsa(2048);
  BOOST_REQUIRE(key);
  const auto sig = key->sign_sha256("payload");
  BOOST_REQUIRE(sig);
  BOOST_TEST(sig->size() == 256u);
  BOOST_TEST(verifies(key->public_der(), "payload", *sig));
  BOOST_TEST(!verifies(key->public_der(), "payloaD", *sig));

  const std::string pem = key->private_pem();
  BOOST_TEST(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
  const auto again = PrivateKey::from_pem(pem);
  BOOST_REQUIRE(again);
  BOOST_TEST(again->fingerprint() == key->fingerprint());
  BOOST_TEST(key->fingerprint() != PrivateKey::generate_rsa(2048)->fingerprint());
}

BOOST_AUTO_TEST_CASE(the_sample_key_signs_deterministically) {
  const auto key = PrivateKey::from_pem(fixture("oci/signing/sample_key.pem"));
  BOOST_REQUIRE(key);
  const auto a = key->sign_sha256("x");
  const auto b = key->sign_sha256("x");
  BOOST_REQUIRE(a);
  BOOST_REQUIRE(b);
  BOOST_TEST(*a == *b);  // PKCS#1 v1.5 has no randomness
  BOOST_TEST(a->size() == 128u);
  BOOST_TEST(verifies(key->public_der(), "x", *a));
}

BOOST_AUTO_TEST_CASE(a_certificate_yields_its_subject_value_sha1_fingerprint_and_expiry) {
  const std::string tenancy = "ocid1.tenancy.oc1..aaaaaaaaexampletenancy";
  const sft::fakes::TestCertificate made = sft::fakes::make_certificate(
      {{"CN", "ocid1.instance.oc1.iad.abc"}, {"OU", "opc-tenant:" + tenancy}}, 1024, 1900000000 - 86400, 1900000000);
  const auto cert = Certificate::from_pem(made.cert_pem);
  BOOST_REQUIRE(cert);
  BOOST_TEST(cert->subject_value("opc-tenant:") == tenancy);
  BOOST_TEST(cert->subject_value("ocid1.instance.") == "oc1.iad.abc");
  BOOST_TEST(cert->subject_value("opc-compartment:") == "");
  BOOST_TEST(cert->sha1_fingerprint() == made.sha1);
  BOOST_TEST(cert->sha1_fingerprint().size() == 59u);  // 20 bytes, upper-case hex with colons
  BOOST_TEST(cert->not_after() == 1900000000);
}

BOOST_AUTO_TEST_CASE(text_that_is_not_a_certificate_is_refused) {
  const auto cert = Certificate::from_pem("hello");
  BOOST_REQUIRE(!cert);
  BOOST_TEST(cert.error().code == Errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(pem_body_drops_the_armour_and_line_breaks) {
  BOOST_TEST(pem_body("-----BEGIN CERTIFICATE-----\nAAAA\nBBBB\n-----END CERTIFICATE-----\n") == "AAAABBBB");
  BOOST_TEST(pem_body("-----BEGIN X-----\r\nAA\r\nBB\r\n-----END X-----") == "AABB");
  BOOST_TEST(pem_body("") == "");
}

BOOST_AUTO_TEST_SUITE_END()
