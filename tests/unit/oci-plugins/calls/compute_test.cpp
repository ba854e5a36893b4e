#include "oci-plugins/calls/compute.h"

#include <boost/test/unit_test.hpp>

#include "tests/fakes/fake_auth.h"
#include "tests/fakes/fixtures.h"

namespace sft::oci {
namespace {

using namespace fakes;

const std::string k_id = "ocid1.instance.oc1.iad.anuwcljt5ih3ucqcd7lvwh3ylo5f7wtcl3b2nhqv7fysjz3bgmkz7kzrgqpa";
const std::string k_compartment = "ocid1.compartment.oc1..aaaaaaaa4hzmtcxmvrxbnbqg6sx2nejxnwlhp3pjnbcv5tkltuiy5fa3ydqa";

using Fixture = fakes::ClientFixture;

}  // namespace

BOOST_AUTO_TEST_SUITE(oci_compute)

BOOST_FIXTURE_TEST_CASE(get_instance_sends_a_get_to_the_instance_path, Fixture) {
  transport.queue(200, fixture("oci/instance.json"));
  BOOST_REQUIRE(get_instance(client, k_id, deadline));
  BOOST_REQUIRE_EQUAL(transport.requests.size(), 1u);
  BOOST_TEST(sent(0).method == "GET");
  BOOST_TEST(sent(0).url.host == "iaas.test");
  BOOST_TEST(sent(0).url.target == "/20160918/instances/" + k_id);
  BOOST_TEST(sent(0).body.empty());
}

BOOST_FIXTURE_TEST_CASE(get_instance_parses_a_captured_instance_with_its_etag, Fixture) {
  transport.queue(200, fixture("oci/instance.json"), {{"ETag", "a1b2c3"}});
  Result<Instance> i = get_instance(client, k_id, deadline);
  BOOST_REQUIRE_MESSAGE(i, why(i));
  BOOST_TEST(i->id == k_id);
  BOOST_TEST(i->display_name == "node1");
  BOOST_TEST(i->compartment_id == k_compartment);
  BOOST_TEST(i->availability_domain == "Uocm:US-ASHBURN-AD-1");
  BOOST_TEST(i->fault_domain == "FAULT-DOMAIN-2");
  BOOST_TEST(i->region == "iad");
  BOOST_TEST(i->shape == "VM.Standard.E4.Flex");
  BOOST_TEST(i->lifecycle_state == "RUNNING");
  BOOST_TEST((i->state == InstanceState::running));
  BOOST_REQUIRE(i->etag);
  BOOST_TEST(*i->etag == "a1b2c3");
}

BOOST_FIXTURE_TEST_CASE(get_instance_without_an_etag_header_has_none, Fixture) {
  transport.queue(200, fixture("oci/instance.json"));
  Result<Instance> i = get_instance(client, k_id, deadline);
  BOOST_REQUIRE(i);
  BOOST_TEST(!i->etag.has_value());
}

BOOST_FIXTURE_TEST_CASE(get_instance_maps_404_to_permission_naming_the_ocid_and_request, Fixture) {
  transport.queue(
      oci_error(404, "NotAuthorizedOrNotFound", "Authorization failed or requested resource not found", "ABC/DEF"));
  Result<Instance> i = get_instance(client, k_id, deadline);
  BOOST_REQUIRE(!i);
  BOOST_TEST(i.error().code == Errc::permission);
  BOOST_TEST(i.error().message.find("GetInstance " + k_id) != std::string::npos, i.error().message);
  BOOST_TEST(i.error().message.find("404 NotAuthorizedOrNotFound") != std::string::npos, i.error().message);
  BOOST_TEST(i.error().message.find("opc-request-id ABC/DEF") != std::string::npos, i.error().message);
  BOOST_TEST(client.last_status().status == 404);
}

BOOST_FIXTURE_TEST_CASE(get_instance_names_the_field_a_2xx_answer_lacks_and_the_request, Fixture) {
  transport.queue(200, without("oci/instance.json", "lifecycleState").dump());
  Result<Instance> i = get_instance(client, k_id, deadline);
  BOOST_REQUIRE(!i);
  BOOST_TEST(i.error().code == Errc::generic);
  BOOST_TEST(i.error().message.find("lifecycleState") != std::string::npos, i.error().message);
  BOOST_TEST(i.error().message.find("(opc-request-id req-1)") != std::string::npos, i.error().message);
}

BOOST_FIXTURE_TEST_CASE(get_instance_refuses_an_empty_ocid_without_sending, Fixture) {
  Result<Instance> i = get_instance(client, "", deadline);
  BOOST_REQUIRE(!i);
  BOOST_TEST(i.error().code == Errc::invalid_argument);
  BOOST_TEST(i.error().message == "GetInstance : the instance OCID is empty");
  BOOST_TEST(transport.requests.empty());
}

BOOST_AUTO_TEST_CASE(parse_instance_names_each_missing_required_field) {
  for (const char* field : {"id", "compartmentId", "availabilityDomain", "region", "shape", "lifecycleState"}) {
    Result<Instance> i = parse_instance(without("oci/instance.json", field));
    BOOST_REQUIRE(!i);
    BOOST_TEST(i.error().message == std::string("Instance: missing required field ") + field);
  }
}

BOOST_AUTO_TEST_CASE(parse_instance_does_without_the_optional_fields) {
  json j = without("oci/instance.json", "displayName");
  j.erase("faultDomain");
  Result<Instance> i = parse_instance(j);
  BOOST_REQUIRE(i);
  BOOST_TEST(i->display_name.empty());
  BOOST_TEST(i->fault_domain.empty());
}

BOOST_AUTO_TEST_CASE(parse_instance_names_a_field_of_the_wrong_type) {
  json j = json::parse(fixture("oci/instance.json"));
  j["shape"] = 42;
  Result<Instance> i = parse_instance(j);
  BOOST_REQUIRE(!i);
  BOOST_TEST(i.error().message == "Instance: field shape is not a string");
}

BOOST_AUTO_TEST_CASE(parse_instance_refuses_what_is_not_an_object) {
  Result<Instance> i = parse_instance(json::array());
  BOOST_REQUIRE(!i);
  BOOST_TEST(i.error().message == "Instance: not a JSON object");
}

BOOST_AUTO_TEST_CASE(parse_instance_keeps_a_state_it_does_not_know) {
  json j = json::parse(fixture("oci/instance.json"));
  j["lifecycleState"] = "HIBERNATING";
  Result<Instance> i = parse_instance(j);
  BOOST_REQUIRE(i);
  BOOST_TEST(i->lifecycle_state == "HIBERNATING");
  BOOST_TEST((i->state == InstanceState::unknown));
}

BOOST_AUTO_TEST_CASE(instance_states_read_back_as_their_names) {
  for (const char* name : {"MOVING", "PROVISIONING", "RUNNING", "STARTING", "STOPPING", "STOPPED", "CREATING_IMAGE",
                           "TERMINATING", "TERMINATED"}) {
    BOOST_TEST((instance_state(name) != InstanceState::unknown), name);
    BOOST_TEST(state_name(instance_state(name)) == name);
  }
  BOOST_TEST(state_name(InstanceState::unknown) == "UNKNOWN");
  BOOST_TEST((instance_state("running") == InstanceState::unknown));
}

BOOST_FIXTURE_TEST_CASE(instance_action_posts_the_action_with_a_retry_token, Fixture) {
  transport.queue(200, fixture("oci/instance_stopping.json"), {{"etag", "e2"}});
  Result<Instance> i = instance_action(client, k_id, "STOP", deadline);
  BOOST_REQUIRE_MESSAGE(i, why(i));
  BOOST_TEST(sent(0).method == "POST");
  BOOST_TEST(sent(0).url.target == "/20160918/instances/" + k_id + "?action=STOP");
  BOOST_TEST(sent(0).body.empty());
  const std::string* token = find_header(sent(0).headers, "opc-retry-token");
  BOOST_REQUIRE(token != nullptr);
  BOOST_TEST(!token->empty());
  BOOST_TEST((i->state == InstanceState::stopping));
  BOOST_TEST(i->etag.value_or("") == "e2");
}

BOOST_FIXTURE_TEST_CASE(instance_action_sends_each_known_action, Fixture) {
  for (const char* action : {"STOP", "START", "RESET", "SOFTSTOP", "SOFTRESET"}) {
    transport.queue(200, fixture("oci/instance.json"));
    BOOST_REQUIRE(instance_action(client, k_id, action, deadline));
    BOOST_TEST(transport.requests.back().url.target == "/20160918/instances/" + k_id + "?action=" + action);
  }
}

BOOST_FIXTURE_TEST_CASE(instance_action_refuses_an_unknown_action_without_sending, Fixture) {
  Result<Instance> i = instance_action(client, k_id, "stop", deadline);
  BOOST_REQUIRE(!i);
  BOOST_TEST(i.error().code == Errc::invalid_argument);
  BOOST_TEST(i.error().message.find("stop") != std::string::npos);
  BOOST_TEST(transport.requests.empty());
}

BOOST_FIXTURE_TEST_CASE(instance_action_reports_a_conflict_as_busy, Fixture) {
  transport.queue(oci_error(409, "Conflict", "Instance is being modified", "R/409"));
  Result<Instance> i = instance_action(client, k_id, "START", deadline);
  BOOST_REQUIRE(!i);
  BOOST_TEST(i.error().code == Errc::busy);
  BOOST_TEST(i.error().message.find("InstanceAction START " + k_id) != std::string::npos, i.error().message);
  BOOST_TEST(i.error().message.find("R/409") != std::string::npos, i.error().message);
}

BOOST_FIXTURE_TEST_CASE(list_instances_follows_every_page, Fixture) {
  transport.queue(200, fixture("oci/instances_page1.json"), {{"opc-next-page", "AAAA+/b=="}});
  transport.queue(200, fixture("oci/instances_page2.json"));
  Result<std::vector<Instance>> all = list_instances(client, k_compartment, std::nullopt, deadline);
  BOOST_REQUIRE_MESSAGE(all, why(all));
  BOOST_REQUIRE_EQUAL(transport.requests.size(), 2u);
  BOOST_TEST(sent(0).method == "GET");
  BOOST_TEST(sent(0).url.target == "/20160918/instances?compartmentId=" + k_compartment);
  BOOST_TEST(sent(1).url.target == "/20160918/instances?compartmentId=" + k_compartment + "&page=AAAA%2B%2Fb%3D%3D");
  BOOST_REQUIRE_EQUAL(all->size(), 4u);
  BOOST_TEST((*all)[0].display_name == "node1");
  BOOST_TEST((*all)[1].display_name == "node2");
  BOOST_TEST((*all)[2].display_name == "node3");
  BOOST_TEST(((*all)[2].state == InstanceState::stopped));
  BOOST_TEST(((*all)[3].state == InstanceState::terminated));
  BOOST_TEST(!(*all)[0].etag.has_value());
}

BOOST_FIXTURE_TEST_CASE(list_instances_percent_encodes_the_display_name, Fixture) {
  transport.queue(200, "[]");
  Result<std::vector<Instance>> all = list_instances(client, k_compartment, "web node/1&x", deadline);
  BOOST_REQUIRE(all);
  BOOST_TEST(all->empty());
  BOOST_TEST(sent(0).url.target ==
             "/20160918/instances?compartmentId=" + k_compartment + "&displayName=web%20node%2F1%26x");
}

BOOST_FIXTURE_TEST_CASE(list_instances_with_an_empty_display_name_lists_all, Fixture) {
  transport.queue(200, "[]");
  BOOST_REQUIRE(list_instances(client, k_compartment, std::string(), deadline));
  BOOST_TEST(sent(0).url.target == "/20160918/instances?compartmentId=" + k_compartment);
}

BOOST_FIXTURE_TEST_CASE(list_instances_names_the_item_that_is_bad, Fixture) {
  json page = json::parse(fixture("oci/instances_page1.json"));
  page[1].erase("id");
  transport.queue(200, page.dump());
  Result<std::vector<Instance>> all = list_instances(client, k_compartment, std::nullopt, deadline);
  BOOST_REQUIRE(!all);
  BOOST_TEST(all.error().message == "ListInstances " + k_compartment + ": item 1: Instance: missing required field id");
}

BOOST_FIXTURE_TEST_CASE(list_instances_stops_at_an_error_on_a_later_page, Fixture) {
  transport.queue(200, fixture("oci/instances_page1.json"), {{"opc-next-page", "p2"}});
  transport.queue(oci_error(404, "NotAuthorizedOrNotFound", "gone", "P/2"));
  Result<std::vector<Instance>> all = list_instances(client, k_compartment, std::nullopt, deadline);
  BOOST_REQUIRE(!all);
  BOOST_TEST(all.error().code == Errc::permission);
  BOOST_TEST(all.error().message.find("P/2") != std::string::npos, all.error().message);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace sft::oci
