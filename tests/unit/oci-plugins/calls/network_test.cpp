#include "oci-plugins/calls/network.h"

#include <boost/test/unit_test.hpp>

#include "tests/fakes/fake_auth.h"
#include "tests/fakes/fixtures.h"

namespace sft::oci {
namespace {

using namespace fakes;

const std::string k_compartment = "ocid1.compartment.oc1..aaaaaaaa4hzmtcxmvrxbnbqg6sx2nejxnwlhp3pjnbcv5tkltuiy5fa3ydqa";
const std::string k_instance = "ocid1.instance.oc1.iad.anuwcljt5ih3ucqcd7lvwh3ylo5f7wtcl3b2nhqv7fysjz3bgmkz7kzrgqpa";
const std::string k_subnet = "ocid1.subnet.oc1.iad.aaaaaaaaw5ly4ocxt3vpzwbqxd7y6ajtr7ekzbbgj4h6jwqx3nlm5wvnrx3a";
const std::string k_vnic = "ocid1.vnic.oc1.iad.abuwcljtq2c5fwqexkxqh5rskvnb6hjjdjr5ugo4ysbgxzajw7z7vyqbaaua";
const std::string k_other_vnic = "ocid1.vnic.oc1.iad.abuwcljtz3rw5v7xxlq5yqeqn6v3ld7hwv7nq2rb5vymxb3gvtjzthsrb6pq";
const std::string k_vip = "ocid1.privateip.oc1.iad.abuwcljtsp3hgtzyr4v2ocftpmoxbobgvpwdmzhnrkzgjgvwj5ggnjzkbn7q";
const std::string k_public = "ocid1.publicip.oc1.iad.amaaaaaaevxwh7qauwpswmqh7f3dkrnmw6nkqdrwjn6pxfctabksfh6zkgxq";

using Fixture = fakes::ClientFixture;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(oci_network)

// --- VNIC attachments, VNICs, subnets ---------------------------------------------

BOOST_FIXTURE_TEST_CASE(list_vnic_attachments_filters_by_instance_and_follows_every_page, Fixture) {
  json all = json::parse(fixture("oci/vnic_attachments.json"));
  transport.queue(200, json::array({all[0]}).dump(), {{"opc-next-page", "next page"}});
  transport.queue(200, json::array({all[1]}).dump());
  Result<std::vector<VnicAttachment>> a = list_vnic_attachments(client, k_compartment, k_instance, deadline);
  BOOST_REQUIRE_MESSAGE(a, why(a));
  const std::string first = "/20160918/vnicAttachments?compartmentId=" + k_compartment + "&instanceId=" + k_instance;
  BOOST_TEST(sent(0).method == "GET");
  BOOST_TEST(sent(0).url.target == first);
  BOOST_TEST(sent(1).url.target == first + "&page=next%20page");
  BOOST_REQUIRE_EQUAL(a->size(), 2u);
  BOOST_TEST((*a)[0].id == all[0]["id"].get<std::string>());
  BOOST_TEST((*a)[0].instance_id == k_instance);
  BOOST_TEST((*a)[0].vnic_id == k_vnic);
  BOOST_TEST((*a)[0].subnet_id == k_subnet);
  BOOST_TEST((*a)[0].nic_index == 0);
  BOOST_TEST((*a)[0].lifecycle_state == "ATTACHED");
}

BOOST_FIXTURE_TEST_CASE(list_vnic_attachments_reads_an_attaching_vnic_without_its_id, Fixture) {
  transport.queue(200, fixture("oci/vnic_attachments.json"));
  Result<std::vector<VnicAttachment>> a = list_vnic_attachments(client, k_compartment, k_instance, deadline);
  BOOST_REQUIRE(a);
  BOOST_REQUIRE_EQUAL(a->size(), 2u);
  BOOST_TEST((*a)[1].lifecycle_state == "ATTACHING");
  BOOST_TEST((*a)[1].vnic_id.empty());
  BOOST_TEST((*a)[1].nic_index == 1);
}

BOOST_FIXTURE_TEST_CASE(list_vnic_attachments_without_an_instance_lists_the_compartment, Fixture) {
  transport.queue(200, "[]");
  BOOST_REQUIRE(list_vnic_attachments(client, k_compartment, std::nullopt, deadline));
  BOOST_TEST(sent(0).url.target == "/20160918/vnicAttachments?compartmentId=" + k_compartment);
}

BOOST_FIXTURE_TEST_CASE(get_vnic_parses_a_captured_vnic, Fixture) {
  transport.queue(200, fixture("oci/vnic.json"));
  Result<Vnic> v = get_vnic(client, k_vnic, deadline);
  BOOST_REQUIRE_MESSAGE(v, why(v));
  BOOST_TEST(sent(0).method == "GET");
  BOOST_TEST(sent(0).url.target == "/20160918/vnics/" + k_vnic);
  BOOST_TEST(v->id == k_vnic);
  BOOST_TEST(v->private_ip == "10.0.0.11");
  BOOST_TEST(v->public_ip == "129.213.40.17");
  BOOST_TEST(v->is_primary);
  BOOST_TEST(v->subnet_id == k_subnet);
  BOOST_TEST(v->mac_address == "02:00:17:0A:5C:1E");
  BOOST_TEST(v->hostname_label == "node1");
  BOOST_TEST(v->lifecycle_state == "AVAILABLE");
}

BOOST_FIXTURE_TEST_CASE(get_vnic_maps_404_to_permission_naming_the_ocid_and_request, Fixture) {
  transport.queue(oci_error(404, "NotAuthorizedOrNotFound", "not found", "V/404"));
  Result<Vnic> v = get_vnic(client, k_vnic, deadline);
  BOOST_REQUIRE(!v);
  BOOST_TEST(v.error().code == Errc::permission);
  BOOST_TEST(contains(v.error().message, "GetVnic " + k_vnic), v.error().message);
  BOOST_TEST(contains(v.error().message, "opc-request-id V/404"), v.error().message);
}

BOOST_AUTO_TEST_CASE(parse_vnic_names_a_field_of_the_wrong_type) {
  json j = json::parse(fixture("oci/vnic.json"));
  j["isPrimary"] = "yes";
  Result<Vnic> v = parse_vnic(j);
  BOOST_REQUIRE(!v);
  BOOST_TEST(v.error().message == "Vnic: field isPrimary is not a boolean");
}

BOOST_AUTO_TEST_CASE(parse_vnic_reads_a_null_public_ip_as_none) {
  json j = json::parse(fixture("oci/vnic.json"));
  j["publicIp"] = nullptr;
  Result<Vnic> v = parse_vnic(j);
  BOOST_REQUIRE(v);
  BOOST_TEST(v->public_ip.empty());
}

BOOST_AUTO_TEST_CASE(parse_vnic_attachment_names_a_missing_instance) {
  json j = json::parse(fixture("oci/vnic_attachments.json"))[0];
  j.erase("instanceId");
  Result<VnicAttachment> a = parse_vnic_attachment(j);
  BOOST_REQUIRE(!a);
  BOOST_TEST(a.error().message == "VnicAttachment: missing required field instanceId");
}

BOOST_FIXTURE_TEST_CASE(get_subnet_parses_a_captured_subnet, Fixture) {
  transport.queue(200, fixture("oci/subnet.json"));
  Result<Subnet> s = get_subnet(client, k_subnet, deadline);
  BOOST_REQUIRE_MESSAGE(s, why(s));
  BOOST_TEST(sent(0).method == "GET");
  BOOST_TEST(sent(0).url.target == "/20160918/subnets/" + k_subnet);
  BOOST_TEST(s->id == k_subnet);
  BOOST_TEST(s->cidr_block == "10.0.0.0/24");
  BOOST_TEST(s->compartment_id == k_compartment);
  BOOST_TEST(s->vcn_id == "ocid1.vcn.oc1.iad.amaaaaaaevxwh7qa5rkdd2t3qkgj5c2zjkq6x3vrhv6sklm4kgoqu2hxnbia");
  BOOST_TEST(s->display_name == "cluster");
}

BOOST_AUTO_TEST_CASE(parse_subnet_names_each_missing_required_field) {
  for (const char* field : {"id", "cidrBlock", "compartmentId", "vcnId"}) {
    Result<Subnet> s = parse_subnet(without("oci/subnet.json", field));
    BOOST_REQUIRE(!s);
    BOOST_TEST(s.error().message == std::string("Subnet: missing required field ") + field);
  }
}

// --- private IPs ------------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(list_private_ips_by_address_asks_for_the_address_in_the_subnet, Fixture) {
  transport.queue(200, json::array({json::parse(fixture("oci/private_ip.json"))}).dump());
  Result<std::vector<PrivateIp>> ips = list_private_ips_by_address(client, "10.0.0.100", k_subnet, deadline);
  BOOST_REQUIRE_MESSAGE(ips, why(ips));
  BOOST_TEST(sent(0).method == "GET");
  BOOST_TEST(sent(0).url.target == "/20160918/privateIps?ipAddress=10.0.0.100&subnetId=" + k_subnet);
  BOOST_REQUIRE_EQUAL(ips->size(), 1u);
  BOOST_TEST((*ips)[0].id == k_vip);
  BOOST_TEST((*ips)[0].vnic_id == k_vnic);
}

BOOST_FIXTURE_TEST_CASE(list_private_ips_by_address_percent_encodes_an_ipv6_address, Fixture) {
  transport.queue(200, "[]");
  Result<std::vector<PrivateIp>> ips = list_private_ips_by_address(client, "fd00::5", k_subnet, deadline);
  BOOST_REQUIRE(ips);
  BOOST_TEST(ips->empty());
  BOOST_TEST(sent(0).url.target == "/20160918/privateIps?ipAddress=fd00%3A%3A5&subnetId=" + k_subnet);
}

BOOST_FIXTURE_TEST_CASE(list_private_ips_by_address_refuses_to_run_without_a_subnet, Fixture) {
  Result<std::vector<PrivateIp>> ips = list_private_ips_by_address(client, "10.0.0.100", "", deadline);
  BOOST_REQUIRE(!ips);
  BOOST_TEST(refused(ips));
  BOOST_TEST(transport.requests.empty());
}

BOOST_FIXTURE_TEST_CASE(list_private_ips_by_vnic_follows_every_page, Fixture) {
  json both = json::parse(fixture("oci/private_ips_by_vnic.json"));
  transport.queue(200, json::array({both[0]}).dump(), {{"opc-next-page", "2/x"}});
  transport.queue(200, json::array({both[1]}).dump());
  Result<std::vector<PrivateIp>> ips = list_private_ips_by_vnic(client, k_vnic, deadline);
  BOOST_REQUIRE_MESSAGE(ips, why(ips));
  BOOST_TEST(sent(0).url.target == "/20160918/privateIps?vnicId=" + k_vnic);
  BOOST_TEST(sent(1).url.target == "/20160918/privateIps?vnicId=" + k_vnic + "&page=2%2Fx");
  BOOST_REQUIRE_EQUAL(ips->size(), 2u);
  BOOST_TEST((*ips)[0].ip_address == "10.0.0.11");
  BOOST_TEST((*ips)[0].is_primary);
  BOOST_TEST((*ips)[1].ip_address == "10.0.0.100");
  BOOST_TEST(!(*ips)[1].is_primary);
  BOOST_TEST((*ips)[1].hostname_label == "db");
  BOOST_TEST((*ips)[1].display_name == "vip");
  BOOST_TEST((*ips)[1].subnet_id == k_subnet);
}

BOOST_FIXTURE_TEST_CASE(get_private_ip_sends_a_get_to_its_path, Fixture) {
  transport.queue(200, fixture("oci/private_ip.json"));
  Result<PrivateIp> ip = get_private_ip(client, k_vip, deadline);
  BOOST_REQUIRE(ip);
  BOOST_TEST(sent(0).method == "GET");
  BOOST_TEST(sent(0).url.target == "/20160918/privateIps/" + k_vip);
  BOOST_TEST(ip->ip_address == "10.0.0.100");
}

BOOST_AUTO_TEST_CASE(parse_private_ip_names_a_missing_address) {
  Result<PrivateIp> ip = parse_private_ip(without("oci/private_ip.json", "ipAddress"));
  BOOST_REQUIRE(!ip);
  BOOST_TEST(ip.error().message == "PrivateIp: missing required field ipAddress");
}

BOOST_FIXTURE_TEST_CASE(create_private_ip_posts_only_the_vnic_when_nothing_else_is_given, Fixture) {
  transport.queue(200, fixture("oci/private_ip.json"));
  Result<PrivateIp> ip = create_private_ip(client, k_vnic, {}, deadline);
  BOOST_REQUIRE_MESSAGE(ip, why(ip));
  BOOST_TEST(sent(0).method == "POST");
  BOOST_TEST(sent(0).url.target == "/20160918/privateIps");
  BOOST_TEST(sent_body(0) == json({{"vnicId", k_vnic}}));
  BOOST_TEST(find_header(sent(0).headers, "opc-retry-token") != nullptr);
  BOOST_TEST(ip->id == k_vip);
}

BOOST_FIXTURE_TEST_CASE(create_private_ip_posts_the_address_name_and_label_given, Fixture) {
  transport.queue(200, fixture("oci/private_ip.json"));
  PrivateIpDetails details{.ip_address = "10.0.0.100", .display_name = "vip", .hostname_label = "db"};
  BOOST_REQUIRE(create_private_ip(client, k_vnic, details, deadline));
  BOOST_TEST(sent_body(0) ==
             json({{"vnicId", k_vnic}, {"ipAddress", "10.0.0.100"}, {"displayName", "vip"}, {"hostnameLabel", "db"}}));
}

BOOST_FIXTURE_TEST_CASE(create_private_ip_reports_an_address_in_use_as_busy, Fixture) {
  transport.queue(oci_error(409, "Conflict", "ipAddress 10.0.0.100 is already assigned", "C/409"));
  Result<PrivateIp> ip = create_private_ip(client, k_vnic, {.ip_address = "10.0.0.100"}, deadline);
  BOOST_REQUIRE(!ip);
  BOOST_TEST(ip.error().code == Errc::busy);
  BOOST_TEST(contains(ip.error().message, "CreatePrivateIp 10.0.0.100 on " + k_vnic), ip.error().message);
  BOOST_TEST(contains(ip.error().message, "C/409"), ip.error().message);
}

BOOST_FIXTURE_TEST_CASE(update_private_ip_vnic_puts_the_target_vnic, Fixture) {
  transport.queue(200, fixture("oci/private_ip_moved.json"));
  Result<PrivateIp> ip = update_private_ip_vnic(client, k_vip, k_other_vnic, deadline);
  BOOST_REQUIRE_MESSAGE(ip, why(ip));
  BOOST_TEST(sent(0).method == "PUT");
  BOOST_TEST(sent(0).url.target == "/20160918/privateIps/" + k_vip);
  BOOST_TEST(sent_body(0) == json({{"vnicId", k_other_vnic}}));
  BOOST_TEST(ip->vnic_id == k_other_vnic);
}

BOOST_FIXTURE_TEST_CASE(update_private_ip_vnic_reports_a_refused_move_as_invalid, Fixture) {
  transport.queue(oci_error(400, "InvalidParameter", "A VNIC's primary private IP cannot be moved", "U/400"));
  Result<PrivateIp> ip = update_private_ip_vnic(client, k_vip, k_other_vnic, deadline);
  BOOST_REQUIRE(!ip);
  BOOST_TEST(refused(ip));
  BOOST_TEST(contains(ip.error().message, "primary private IP cannot be moved"), ip.error().message);
}

BOOST_FIXTURE_TEST_CASE(delete_private_ip_sends_a_delete_and_accepts_an_empty_answer, Fixture) {
  transport.queue(204);
  Result<void> r = delete_private_ip(client, k_vip, deadline);
  BOOST_REQUIRE_MESSAGE(r, why(r));
  BOOST_TEST(sent(0).method == "DELETE");
  BOOST_TEST(sent(0).url.target == "/20160918/privateIps/" + k_vip);
  BOOST_TEST(sent(0).body.empty());
}

BOOST_FIXTURE_TEST_CASE(calls_about_an_empty_ocid_are_refused_without_sending, Fixture) {
  BOOST_TEST(refused(get_vnic(client, "", deadline)));
  BOOST_TEST(refused(get_subnet(client, "", deadline)));
  BOOST_TEST(refused(get_private_ip(client, "", deadline)));
  BOOST_TEST(refused(create_private_ip(client, "", {}, deadline)));
  BOOST_TEST(refused(update_private_ip_vnic(client, k_vip, "", deadline)));
  BOOST_TEST(refused(delete_private_ip(client, "", deadline)));
  BOOST_TEST(refused(get_public_ip_by_private_ip_id(client, "", deadline)));
  BOOST_TEST(refused(get_public_ip(client, "", deadline)));
  BOOST_TEST(refused(update_public_ip(client, k_public, std::string(), deadline)));
  BOOST_TEST(refused(list_private_ips_by_vnic(client, "", deadline)));
  BOOST_TEST(transport.requests.empty());
}

// --- public IPs -------------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(get_public_ip_by_private_ip_id_posts_the_private_ip, Fixture) {
  transport.queue(200, fixture("oci/public_ip.json"));
  Result<std::optional<PublicIp>> ip = get_public_ip_by_private_ip_id(client, k_vip, deadline);
  BOOST_REQUIRE_MESSAGE(ip, why(ip));
  BOOST_TEST(sent(0).method == "POST");
  BOOST_TEST(sent(0).url.target == "/20160918/publicIps/actions/getByPrivateIpId");
  BOOST_TEST(sent_body(0) == json({{"privateIpId", k_vip}}));
  BOOST_REQUIRE(ip->has_value());
  const PublicIp& p = **ip;
  BOOST_TEST(p.id == k_public);
  BOOST_TEST(p.ip_address == "150.136.22.81");
  BOOST_TEST(p.lifetime == "RESERVED");
  BOOST_TEST(p.lifecycle_state == "ASSIGNED");
  BOOST_TEST(p.private_ip_id.value_or("") == k_vip);
  BOOST_TEST(p.assigned_entity_id == k_vip);
}

BOOST_FIXTURE_TEST_CASE(get_public_ip_by_private_ip_id_is_none_on_404, Fixture) {
  transport.queue(oci_error(404, "NotAuthorizedOrNotFound", "public IP not found", "N/404"));
  Result<std::optional<PublicIp>> ip = get_public_ip_by_private_ip_id(client, k_vip, deadline);
  BOOST_REQUIRE_MESSAGE(ip, why(ip));
  BOOST_TEST(!ip->has_value());
}

BOOST_FIXTURE_TEST_CASE(get_public_ip_by_private_ip_id_keeps_a_401_an_error, Fixture) {
  transport.queue(oci_error(401, "NotAuthenticated", "bad signature", "A/401"));
  Result<std::optional<PublicIp>> ip = get_public_ip_by_private_ip_id(client, k_vip, deadline);
  BOOST_REQUIRE(!ip);
  BOOST_TEST(ip.error().code == Errc::permission);
  BOOST_TEST(contains(ip.error().message, "A/401"), ip.error().message);
}

BOOST_FIXTURE_TEST_CASE(get_public_ip_by_private_ip_id_keeps_a_bad_answer_an_error, Fixture) {
  transport.queue(200, without("oci/public_ip.json", "lifetime").dump());
  Result<std::optional<PublicIp>> ip = get_public_ip_by_private_ip_id(client, k_vip, deadline);
  BOOST_REQUIRE(!ip);
  BOOST_TEST(contains(ip.error().message, "PublicIp: missing required field lifetime"), ip.error().message);
}

BOOST_FIXTURE_TEST_CASE(get_public_ip_sends_a_get_to_its_path, Fixture) {
  transport.queue(200, fixture("oci/public_ip.json"));
  Result<PublicIp> ip = get_public_ip(client, k_public, deadline);
  BOOST_REQUIRE(ip);
  BOOST_TEST(sent(0).method == "GET");
  BOOST_TEST(sent(0).url.target == "/20160918/publicIps/" + k_public);
}

BOOST_FIXTURE_TEST_CASE(update_public_ip_puts_the_private_ip_to_assign, Fixture) {
  transport.queue(200, fixture("oci/public_ip.json"));
  Result<PublicIp> ip = update_public_ip(client, k_public, k_vip, deadline);
  BOOST_REQUIRE_MESSAGE(ip, why(ip));
  BOOST_TEST(sent(0).method == "PUT");
  BOOST_TEST(sent(0).url.target == "/20160918/publicIps/" + k_public);
  BOOST_TEST(sent_body(0) == json({{"privateIpId", k_vip}}));
}

BOOST_FIXTURE_TEST_CASE(update_public_ip_puts_null_to_unassign, Fixture) {
  transport.queue(200, fixture("oci/public_ip_unassigning.json"));
  Result<PublicIp> ip = update_public_ip(client, k_public, std::nullopt, deadline);
  BOOST_REQUIRE_MESSAGE(ip, why(ip));
  BOOST_TEST(sent(0).body == R"({"privateIpId":null})");
  BOOST_TEST(ip->lifecycle_state == "UNASSIGNING");
  BOOST_TEST(!ip->private_ip_id.has_value());
  BOOST_TEST(ip->assigned_entity_id.empty());
}

BOOST_AUTO_TEST_CASE(parse_public_ip_names_each_missing_required_field) {
  for (const char* field : {"id", "ipAddress", "lifetime", "lifecycleState"}) {
    Result<PublicIp> p = parse_public_ip(without("oci/public_ip.json", field));
    BOOST_REQUIRE(!p);
    BOOST_TEST(p.error().message == std::string("PublicIp: missing required field ") + field);
  }
}

BOOST_FIXTURE_TEST_CASE(a_delete_whose_first_answer_was_lost_and_then_404s_is_done, Fixture) {
  transport.queue(sft::fail(Errc::generic, "Connection reset by peer"));
  transport.queue(oci_error(404, "NotAuthorizedOrNotFound", "gone"));
  Result<void> r = delete_private_ip(client, k_vip, deadline);
  BOOST_REQUIRE_MESSAGE(r, why(r));
  BOOST_TEST(transport.requests.size() == 2u);
}

BOOST_FIXTURE_TEST_CASE(a_delete_that_404s_at_once_is_an_error, Fixture) {
  transport.queue(oci_error(404, "NotAuthorizedOrNotFound", "no such IP or not allowed"));
  Result<void> r = delete_private_ip(client, k_vip, deadline);
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error().code == Errc::permission);
}

BOOST_FIXTURE_TEST_CASE(reserved_public_ips_are_listed_by_compartment, Fixture) {
  transport.queue(200, "[]");
  auto r = list_reserved_public_ips(client, "ocid1.compartment.oc1..c", deadline);
  BOOST_REQUIRE_MESSAGE(r, why(r));
  BOOST_TEST(r->empty());
  BOOST_TEST(sent(0).url.target ==
             "/20160918/publicIps?scope=REGION&lifetime=RESERVED&compartmentId=ocid1.compartment.oc1..c");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace sft::oci
