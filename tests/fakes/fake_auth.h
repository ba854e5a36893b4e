#pragma once
// FakeAuth: an AuthProvider that hands out a fixed key id and key, by default the
// sample key under tests/fixtures/oci/signing (its public half: oci_signing.h). It
// does not renew on invalidate(), as an API key does not, unless told to; it records
// what it was asked and can be made to fail.
//
// ClientFixture: an oci::Client wired to a FakeSystem, a FakeTransport and a
// FakeAuth, for tests of what an OCI call sends and makes of the answers:
//
//   BOOST_FIXTURE_TEST_CASE(get_vnic_reads_the_vnic, fakes::ClientFixture) {
//     transport.queue(200, fixture("oci/vnic.json"));
//     Result<Vnic> v = get_vnic(client, k_vnic, deadline);
//     BOOST_REQUIRE_MESSAGE(v, why(v));
//     BOOST_TEST(sent(0).url.target == "/20160918/vnics/" + k_vnic);
//
//   endpoints  by default core at https://iaas.test:8443 and DNS at
//              https://dns.test:8443, no region
//   deadline   60 s on the fake clock, from the fixture's construction
//
// Header-only: it reads tests/fixtures (fixtures.h)
// and fails the running Boost.Test case where a fixture cannot be built.

#include <boost/test/unit_test.hpp>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "core/result.h"
#include "oci-plugins/auth/auth.h"
#include "oci-plugins/client/client.h"
#include "oci-plugins/base/crypto.h"
#include "oci-plugins/auth/endpoints.h"
#include "oci-plugins/base/retry.h"
#include "tests/fakes/fake_system.h"
#include "tests/fakes/fake_transport.h"
#include "tests/fakes/fixtures.h"

namespace sft::fakes {

inline const std::string k_fake_tenancy = "ocid1.tenancy.oc1..t";
// "<tenancy>/<user>/<fingerprint>", the fingerprint that of sample_key().
inline const std::string k_fake_key_id =
    "ocid1.tenancy.oc1..t/ocid1.user.oc1..u/73:61:a2:21:67:e0:df:be:7e:4b:93:1e:15:98:a5:b7";

// tests/fixtures/oci/signing/sample_key.pem (Oracle's published 1024-bit sample key),
// parsed once.
inline const oci::PrivateKey& sample_key() {
  static const oci::PrivateKey key = *oci::PrivateKey::from_pem(fixture("oci/signing/sample_key.pem"));
  return key;
}

class FakeAuth : public oci::AuthProvider {
 public:
  Result<oci::Credentials> credentials(const sys::Deadline&) override {
    ++asked;
    if (error) return std::unexpected(*error);
    return oci::Credentials{key_id, key};
  }
  bool invalidate() override {
    ++invalidations;
    return renews;
  }
  oci::AuthKind kind() const override { return oci::AuthKind::api_key; }
  std::string tenancy() const override { return k_fake_tenancy; }
  std::string region() const override { return "us-ashburn-1"; }

  // Seeds: what it hands out.
  std::string key_id = k_fake_key_id;
  const oci::PrivateKey* key = &sample_key();
  bool renews = false;         // what invalidate() answers
  std::optional<Error> error;  // credentials() fails with it

  // Records: what was asked of it.
  int asked = 0;
  int invalidations = 0;
};

// Core and DNS on made-up hosts; every other service unset.
inline oci::Endpoints test_endpoints() {
  oci::Endpoints e;
  BOOST_REQUIRE(e.set_override(oci::Service::core, "https://iaas.test:8443"));
  BOOST_REQUIRE(e.set_override(oci::Service::dns, "https://dns.test:8443"));
  return e;
}

struct ClientFixture {
  ClientFixture() : ClientFixture(test_endpoints()) {}
  explicit ClientFixture(oci::Endpoints endpoints, oci::RetryPolicy retry = {})
      : client(transport, auth, std::move(endpoints), os, retry) {}

  // The i-th request sent; fails the test when there were not that many.
  const oci::HttpRequest& sent(size_t i) {
    BOOST_REQUIRE_LT(i, transport.requests.size());
    return transport.requests[i];
  }
  nlohmann::json sent_body(size_t i) { return nlohmann::json::parse(sent(i).body); }

  FakeSystem os;
  FakeTransport transport;
  FakeAuth auth;
  oci::Client client;
  sys::Deadline deadline{os, sys::Millis(60000)};
};

// The captured object tests/fixtures/<fixture_name> with `key` left out.
inline nlohmann::json without(const std::string& fixture_name, const std::string& key) {
  nlohmann::json j = nlohmann::json::parse(fixture(fixture_name));
  j.erase(key);
  return j;
}

// The error of a failed result, for messages; empty on success.
template <class T>
std::string why(const Result<T>& r) {
  return r ? std::string() : r.error().message;
}

// Failed as a wrong argument.
template <class T>
bool refused(const Result<T>& r) {
  return !r && r.error().code == Errc::invalid_argument;
}

}  // namespace sft::fakes
