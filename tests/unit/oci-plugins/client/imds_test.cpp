#include "oci-plugins/client/imds.h"

#include <boost/test/unit_test.hpp>

#include "tests/fakes/fake_system.h"
#include "tests/fakes/fake_transport.h"
#include "tests/fakes/fixtures.h"
#include "tests/fakes/printing.h"

using namespace std::chrono_literals;
using sft::Errc;
using sft::Result;
using sft::fakes::FakeSystem;
using sft::fakes::FakeTransport;
using sft::fakes::fixture;
using sft::sys::Deadline;
using namespace sft::oci;

namespace {

const std::string k_base = "http://169.254.169.254/opc/v2";

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(oci_imds)

BOOST_AUTO_TEST_CASE(an_instance_document_gives_identity_placement_and_region) {
  const auto i = parse_imds_instance(fixture("oci/imds/instance.json"));
  BOOST_REQUIRE_MESSAGE(i.has_value(), (i ? std::string() : i.error().message));
  BOOST_TEST(i->id == "ocid1.instance.oc1.iad.anuwcljtexampleinstance");
  BOOST_TEST(i->display_name == "node1");
  BOOST_TEST(i->compartment_id == "ocid1.compartment.oc1..aaaaaaaaexamplecompartment");
  BOOST_TEST(i->availability_domain == "Uocm:US-ASHBURN-AD-2");
  BOOST_TEST(i->fault_domain == "FAULT-DOMAIN-3");
  BOOST_TEST(i->region == "us-ashburn-1");  // canonicalRegionName, not the short "iad"
  BOOST_TEST(i->realm_key == "oc1");
  BOOST_TEST(i->realm_domain == "oraclecloud.com");
  BOOST_TEST(i->shape == "VM.Standard.E4.Flex");
  BOOST_TEST(i->state == "Running");
}

BOOST_AUTO_TEST_CASE(an_old_short_region_key_is_resolved_through_the_table) {
  const auto i = parse_imds_instance(fixture("oci/imds/instance_old_region.json"));
  BOOST_REQUIRE(i.has_value());
  BOOST_TEST(i->region == "us-phoenix-1");
  BOOST_TEST(i->realm_domain == "oraclecloud.com");
}

BOOST_AUTO_TEST_CASE(region_info_serves_a_region_the_table_does_not_know) {
  const auto i = parse_imds_instance(fixture("oci/imds/instance_new_region.json"));
  BOOST_REQUIRE(i.has_value());
  BOOST_TEST(i->region == "xx-newcity-1");
  BOOST_TEST(i->realm_key == "oc99");
  BOOST_TEST(i->realm_domain == "oraclecloud99.com");
}

BOOST_AUTO_TEST_CASE(region_info_alone_names_the_region) {
  const auto i = parse_imds_instance(
      R"({"id":"ocid1.instance..x","regionInfo":{"realmKey":"oc1","realmDomainComponent":"oraclecloud.com",)"
      R"("regionKey":"FRA","regionIdentifier":"eu-frankfurt-1"}})");
  BOOST_REQUIRE(i.has_value());
  BOOST_TEST(i->region == "eu-frankfurt-1");
}

BOOST_AUTO_TEST_CASE(an_instance_document_without_an_id_or_not_an_object_is_refused) {
  for (const char* bad : {R"({"region":"iad"})", "[]", "<html>", ""}) {
    const auto i = parse_imds_instance(bad);
    BOOST_TEST(!i.has_value(), "accepted " << bad);
  }
}

BOOST_AUTO_TEST_CASE(the_vnics_document_lists_every_vnic_primary_first) {
  const auto v = parse_imds_vnics(fixture("oci/imds/vnics.json"));
  BOOST_REQUIRE_MESSAGE(v.has_value(), (v ? std::string() : v.error().message));
  BOOST_REQUIRE(v->size() == 2u);
  BOOST_TEST((*v)[0].vnic_id == "ocid1.vnic.oc1.iad.abuwcljtexampleprimary");
  BOOST_TEST((*v)[0].private_ip == "10.0.0.11");
  BOOST_TEST((*v)[0].mac == "02:00:17:00:12:34");
  BOOST_TEST((*v)[0].subnet_cidr == "10.0.0.0/24");
  BOOST_TEST((*v)[0].virtual_router_ip == "10.0.0.1");
  BOOST_TEST((*v)[0].nic_index == 0);
  BOOST_TEST((*v)[1].vnic_id == "ocid1.vnic.oc1.iad.abuwcljtexamplesecondary");
  BOOST_TEST((*v)[1].nic_index == 1);
}

BOOST_AUTO_TEST_CASE(a_vnics_document_that_is_not_an_array_is_refused) {
  BOOST_TEST(!parse_imds_vnics(R"({"vnicId":"x"})").has_value());
  BOOST_TEST(parse_imds_vnics("[]").value_or(std::vector<ImdsVnic>{ImdsVnic{}}).empty());
}

BOOST_AUTO_TEST_CASE(get_sends_bearer_oracle_to_the_base_plus_path) {
  FakeSystem os;
  FakeTransport t;
  t.queue(200, "us-ashburn-1");
  Imds imds(t, k_base);
  const auto body = imds.get("/instance/region", Deadline(os, 10s));
  BOOST_REQUIRE(body.has_value());
  BOOST_TEST(*body == "us-ashburn-1");
  BOOST_REQUIRE(t.requests.size() == 1u);
  const HttpRequest& r = t.requests[0];
  BOOST_TEST(r.method == "GET");
  BOOST_TEST(r.url.str() == "http://169.254.169.254/opc/v2/instance/region");
  BOOST_REQUIRE(find_header(r.headers, "authorization") != nullptr);
  BOOST_TEST(*find_header(r.headers, "authorization") == "Bearer Oracle");
  BOOST_TEST(find_header(r.headers, "x-forwarded-for") == nullptr);
}

BOOST_AUTO_TEST_CASE(get_retries_404_and_429_and_succeeds_on_the_third_attempt) {
  FakeSystem os;
  FakeTransport t;
  t.queue(404, "not yet");
  t.queue(429, "slow down");
  t.queue(200, "ok");
  Imds imds(t, k_base);
  const auto body = imds.get("/instance/", Deadline(os, 10s));
  BOOST_REQUIRE_MESSAGE(body.has_value(), (body ? std::string() : body.error().message));
  BOOST_TEST(*body == "ok");
  BOOST_TEST(t.requests.size() == 3u);
}

BOOST_AUTO_TEST_CASE(get_gives_up_after_three_attempts_naming_the_url_and_status) {
  FakeSystem os;
  FakeTransport t;
  t.handler = [](const HttpRequest&) -> Result<HttpResponse> { return HttpResponse{503, {}, "busy"}; };
  Imds imds(t, k_base);
  const auto body = imds.get("/identity/cert.pem", Deadline(os, 10s));
  BOOST_REQUIRE(!body.has_value());
  BOOST_TEST(t.requests.size() == 3u);
  BOOST_TEST(contains(body.error().message, "http://169.254.169.254/opc/v2/identity/cert.pem"), body.error().message);
  BOOST_TEST(contains(body.error().message, "HTTP 503"), body.error().message);
  BOOST_TEST(os.elapsed() < 10s);
}

BOOST_AUTO_TEST_CASE(get_does_not_retry_a_client_error_other_than_404) {
  FakeSystem os;
  FakeTransport t;
  t.queue(401, "");
  t.queue(200, "ok");
  Imds imds(t, k_base);
  const auto body = imds.get("/instance/", Deadline(os, 10s));
  BOOST_REQUIRE(!body.has_value());
  BOOST_TEST(t.requests.size() == 1u);
  BOOST_TEST(contains(body.error().message, "HTTP 401"), body.error().message);
}

BOOST_AUTO_TEST_CASE(an_imds_that_never_answers_says_this_may_not_be_an_oci_instance) {
  FakeSystem os;
  FakeTransport t;
  t.handler = [](const HttpRequest&) -> Result<HttpResponse> {
    return sft::fail(Errc::generic, "169.254.169.254: Connection refused");
  };
  Imds imds(t, k_base);
  const auto body = imds.get("/instance/", Deadline(os, 10s));
  BOOST_REQUIRE(!body.has_value());
  BOOST_TEST(t.requests.size() == 3u);
  BOOST_TEST(contains(body.error().message, "http://169.254.169.254/opc/v2/instance/"), body.error().message);
  BOOST_TEST(contains(body.error().message, "not an OCI instance?"), body.error().message);
  BOOST_TEST(contains(body.error().message, "Connection refused"), body.error().message);
}

BOOST_AUTO_TEST_CASE(get_keeps_within_the_deadline) {
  FakeSystem os;
  FakeTransport t;
  t.handler = [](const HttpRequest&) -> Result<HttpResponse> { return HttpResponse{500, {}, ""}; };
  Imds imds(t, k_base);
  const auto body = imds.get("/instance/", Deadline(os, 300ms));
  BOOST_REQUIRE(!body.has_value());
  BOOST_TEST(os.elapsed() <= 300ms);
  for (auto budget : t.budgets) BOOST_TEST(budget <= 300ms);
}

BOOST_AUTO_TEST_CASE(a_bad_base_url_is_an_error_naming_the_variable) {
  FakeSystem os;
  FakeTransport t;
  Imds imds(t, "169.254.169.254/opc/v2");
  const auto body = imds.get("/instance/", Deadline(os, 10s));
  BOOST_REQUIRE(!body.has_value());
  BOOST_TEST(contains(body.error().message, "OCI_METADATA_BASE_URL"), body.error().message);
  BOOST_TEST(t.requests.empty());
}

BOOST_AUTO_TEST_CASE(instance_vnics_and_identity_ask_their_documents) {
  FakeSystem os;
  FakeTransport t;
  t.handler = [](const HttpRequest& r) -> Result<HttpResponse> {
    const std::string& p = r.url.target;
    if (p == "/opc/v2/instance/") return HttpResponse{200, {}, fixture("oci/imds/instance.json")};
    if (p == "/opc/v2/vnics/") return HttpResponse{200, {}, fixture("oci/imds/vnics.json")};
    if (p == "/opc/v2/identity/cert.pem") return HttpResponse{200, {}, "CERT"};
    if (p == "/opc/v2/identity/key.pem") return HttpResponse{200, {}, "KEY"};
    if (p == "/opc/v2/identity/intermediate.pem") return HttpResponse{200, {}, "INTERMEDIATE"};
    return HttpResponse{404, {}, ""};
  };
  Imds imds(t, k_base);
  BOOST_TEST(imds.instance(Deadline(os, 10s)).value_or(ImdsInstance{}).region == "us-ashburn-1");
  BOOST_TEST(imds.vnics(Deadline(os, 10s)).value_or(std::vector<ImdsVnic>{}).size() == 2u);
  const auto id = imds.identity(Deadline(os, 10s));
  BOOST_REQUIRE(id.has_value());
  BOOST_TEST(id->cert_pem == "CERT");
  BOOST_TEST(id->key_pem == "KEY");
  BOOST_TEST(id->intermediate_pem == "INTERMEDIATE");
  BOOST_TEST(t.requests.size() == 5u);
}

BOOST_AUTO_TEST_CASE(the_base_comes_from_oci_metadata_base_url_without_its_trailing_slash) {
  BOOST_TEST(Imds::base_from({}) == "http://169.254.169.254/opc/v2");
  BOOST_TEST(Imds::base_from({{"OCI_METADATA_BASE_URL", ""}}) == "http://169.254.169.254/opc/v2");
  BOOST_TEST(Imds::base_from({{"OCI_METADATA_BASE_URL", "http://127.0.0.1:8181/opc/v2/"}}) ==
             "http://127.0.0.1:8181/opc/v2");
  BOOST_TEST(Imds::base_from({{"OCI_METADATA_BASE_URL", "http://[fd00:c1::a9fe:a9fe]/opc/v2"}}) ==
             "http://[fd00:c1::a9fe:a9fe]/opc/v2");
  FakeTransport t;
  BOOST_TEST(Imds(t, Imds::base_from({{"OCI_METADATA_BASE_URL", "http://127.0.0.1:8181/opc/v2//"}})).base() ==
             "http://127.0.0.1:8181/opc/v2");
}

BOOST_AUTO_TEST_SUITE_END()
