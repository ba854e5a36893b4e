#include "oci-plugins/calls/dns.h"

#include <boost/test/unit_test.hpp>

#include "tests/fakes/fake_auth.h"
#include "tests/fakes/fixtures.h"

namespace sft::oci {
namespace {

using namespace fakes;

const std::string k_view = "ocid1.dnsview.oc1.iad.aaaaaaaaxq3bwdnyk7lfh2vbfnpx4ghiyhx4e2m6tlvvwkz3yb6qhzsykw3a";
const std::string k_zone_id = "ocid1.dns-zone.oc1..aaaaaaaa5lgc3fu3f4ilnxqtgbkw7vnc3nu2hqzyp27vtgwl2kdhx4wofhra";

struct Fixture : fakes::ClientFixture {
  ZoneRef global{"example.com"};
};

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(oci_dns)

BOOST_AUTO_TEST_CASE(zone_query_names_the_scope_and_a_view_when_given) {
  BOOST_TEST(zone_query(ZoneRef{"example.com"}) == "?scope=GLOBAL");
  BOOST_TEST(zone_query(ZoneRef{"cluster.internal", ZoneRef::private_, k_view}) == "?scope=PRIVATE&viewId=" + k_view);
  BOOST_TEST(zone_query(ZoneRef{k_zone_id, ZoneRef::private_, ""}) == "?scope=PRIVATE");
}

BOOST_FIXTURE_TEST_CASE(get_rrset_sends_a_get_to_the_dns_endpoint_with_the_scope, Fixture) {
  transport.queue(200, fixture("oci/rrset_page1.json"));
  Result<std::vector<Record>> r = get_rrset(client, global, "db.example.com", "A", deadline);
  BOOST_REQUIRE_MESSAGE(r, why(r));
  BOOST_TEST(sent(0).method == "GET");
  BOOST_TEST(sent(0).url.host == "dns.test");
  BOOST_TEST(sent(0).url.target == "/20180115/zones/example.com/records/db.example.com/A?scope=GLOBAL");
  BOOST_TEST(sent(0).body.empty());
}

BOOST_FIXTURE_TEST_CASE(get_rrset_parses_the_captured_records, Fixture) {
  transport.queue(200, fixture("oci/rrset_page1.json"));
  Result<std::vector<Record>> r = get_rrset(client, global, "db.example.com", "A", deadline);
  BOOST_REQUIRE(r);
  BOOST_REQUIRE_EQUAL(r->size(), 2u);
  const Record& first = (*r)[0];
  BOOST_TEST(first.domain == "db.example.com");
  BOOST_TEST(first.rtype == "A");
  BOOST_TEST(first.rdata == "10.0.0.100");
  BOOST_TEST(first.ttl == 30);
  BOOST_TEST(first.record_hash == "5a2fd9c0e1b84f17c8a3e6d2b9f04a71");
  BOOST_TEST(first.rrset_version == "12");
  BOOST_TEST(!first.is_protected);
  BOOST_TEST((*r)[1].rdata == "10.0.0.101");
}

BOOST_FIXTURE_TEST_CASE(get_rrset_follows_every_page, Fixture) {
  transport.queue(200, fixture("oci/rrset_page1.json"), {{"opc-next-page", "AAA=/b+"}});
  transport.queue(200, fixture("oci/rrset_page2.json"));
  Result<std::vector<Record>> r = get_rrset(client, global, "db.example.com", "A", deadline);
  BOOST_REQUIRE_MESSAGE(r, why(r));
  BOOST_REQUIRE_EQUAL(transport.requests.size(), 2u);
  BOOST_TEST(sent(1).url.target ==
             "/20180115/zones/example.com/records/db.example.com/A?scope=GLOBAL&page=AAA%3D%2Fb%2B");
  BOOST_REQUIRE_EQUAL(r->size(), 3u);
  BOOST_TEST((*r)[2].rdata == "10.0.0.102");
}

BOOST_FIXTURE_TEST_CASE(get_rrset_of_a_name_without_records_is_empty, Fixture) {
  transport.queue(200, fixture("oci/rrset_empty.json"));
  Result<std::vector<Record>> r = get_rrset(client, global, "new.example.com", "A", deadline);
  BOOST_REQUIRE(r);
  BOOST_TEST(r->empty());
}

BOOST_FIXTURE_TEST_CASE(get_rrset_of_a_private_zone_by_name_sends_the_view, Fixture) {
  transport.queue(200, fixture("oci/rrset_empty.json"));
  ZoneRef zone{"cluster.internal", ZoneRef::private_, k_view};
  BOOST_REQUIRE(get_rrset(client, zone, "db.cluster.internal", "A", deadline));
  BOOST_TEST(sent(0).url.target ==
             "/20180115/zones/cluster.internal/records/db.cluster.internal/A?scope=PRIVATE&viewId=" + k_view);
}

BOOST_FIXTURE_TEST_CASE(get_rrset_percent_encodes_the_path_segments, Fixture) {
  transport.queue(200, fixture("oci/rrset_empty.json"));
  BOOST_REQUIRE(get_rrset(client, global, "*.example.com", "A", deadline));
  transport.queue(200, fixture("oci/rrset_empty.json"));
  BOOST_REQUIRE(get_rrset(client, ZoneRef{"example.com."}, "odd name/x.example.com.", "TXT", deadline));
  BOOST_TEST(sent(0).url.target == "/20180115/zones/example.com/records/%2A.example.com/A?scope=GLOBAL");
  BOOST_TEST(sent(1).url.target == "/20180115/zones/example.com./records/odd%20name%2Fx.example.com./TXT?scope=GLOBAL");
}

BOOST_FIXTURE_TEST_CASE(get_rrset_maps_404_to_permission_naming_the_zone_and_request, Fixture) {
  transport.queue(oci_error(404, "NotAuthorizedOrNotFound", "zone not found", "Z/404"));
  Result<std::vector<Record>> r = get_rrset(client, global, "db.example.com", "A", deadline);
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error().code == Errc::permission);
  BOOST_TEST(contains(r.error().message, "GetRRSet db.example.com A in zone example.com"), r.error().message);
  BOOST_TEST(contains(r.error().message, "opc-request-id Z/404"), r.error().message);
}

BOOST_FIXTURE_TEST_CASE(get_rrset_refuses_a_body_that_is_not_an_items_object, Fixture) {
  transport.queue(200, R"([{"domain":"db.example.com","rtype":"A","rdata":"10.0.0.100","ttl":30}])");
  Result<std::vector<Record>> r = get_rrset(client, global, "db.example.com", "A", deadline);
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error().code == Errc::generic);
  BOOST_TEST(contains(r.error().message, "items"), r.error().message);
  BOOST_TEST(contains(r.error().message, "(opc-request-id req-1)"), r.error().message);
}

BOOST_FIXTURE_TEST_CASE(an_empty_zone_domain_or_rtype_is_refused_without_sending, Fixture) {
  Result<std::vector<Record>> r = get_rrset(client, global, "", "A", deadline);
  BOOST_REQUIRE(!r);
  BOOST_TEST(refused(r));
  BOOST_TEST(r.error().message == "GetRRSet  A in zone example.com: a zone, domain or rtype is empty");
  BOOST_TEST(refused(update_rrset(client, global, "db.example.com", "", {}, deadline)));
  BOOST_TEST(refused(patch_zone_records(client, ZoneRef{}, {}, deadline)));
  BOOST_TEST(transport.requests.empty());
}

BOOST_AUTO_TEST_CASE(parse_records_names_the_record_and_field_missing) {
  json body = json::parse(fixture("oci/rrset_page1.json"));
  body["items"][1].erase("ttl");
  Result<std::vector<Record>> r = parse_records(body);
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error().message == "item 1: Record: missing required field ttl");
}

BOOST_AUTO_TEST_CASE(parse_record_names_each_missing_required_field) {
  const json record = json::parse(fixture("oci/rrset_page1.json"))["items"][0];
  for (const char* field : {"domain", "rtype", "rdata", "ttl"}) {
    json j = record;
    j.erase(field);
    Result<Record> r = parse_record(j);
    BOOST_REQUIRE(!r);
    BOOST_TEST(r.error().message == std::string("Record: missing required field ") + field);
  }
}

BOOST_AUTO_TEST_CASE(parse_record_does_without_what_only_oci_fills_in) {
  Result<Record> r = parse_record(json{{"domain", "a.example.com"},
                                       {"rtype", "A"},
                                       {"rdata", "10.0.0.1"},
                                       {"ttl", 60},
                                       {"rrsetVersion", nullptr},
                                       {"newField", {1, 2}}});
  BOOST_REQUIRE(r);
  BOOST_TEST(r->record_hash.empty());
  BOOST_TEST(r->rrset_version.empty());
  BOOST_TEST(r->ttl == 60);
}

BOOST_FIXTURE_TEST_CASE(update_rrset_puts_only_the_writable_fields, Fixture) {
  transport.queue(200, fixture("oci/rrset_page1.json"));
  std::vector<Record> items{
      Record{.domain = "db.example.com",
             .rtype = "A",
             .rdata = "10.0.0.100",
             .ttl = 30,
             .record_hash = "ignored",
             .rrset_version = "7",
             .is_protected = true},
      Record{.rdata = "10.0.0.101", .ttl = 30},
  };
  Result<std::vector<Record>> r = update_rrset(client, global, "db.example.com", "A", items, deadline);
  BOOST_REQUIRE_MESSAGE(r, why(r));
  BOOST_TEST(sent(0).method == "PUT");
  BOOST_TEST(sent(0).url.host == "dns.test");
  BOOST_TEST(sent(0).url.target == "/20180115/zones/example.com/records/db.example.com/A?scope=GLOBAL");
  json expected = json::parse(R"({"items":[
      {"domain":"db.example.com","rtype":"A","rdata":"10.0.0.100","ttl":30},
      {"domain":"db.example.com","rtype":"A","rdata":"10.0.0.101","ttl":30}]})");
  BOOST_TEST(sent_body(0) == expected);
  BOOST_TEST(r->size() == 2u);
}

BOOST_FIXTURE_TEST_CASE(update_rrset_with_no_items_sends_an_empty_list, Fixture) {
  transport.queue(200, fixture("oci/rrset_empty.json"));
  Result<std::vector<Record>> r = update_rrset(client, global, "db.example.com", "A", {}, deadline);
  BOOST_REQUIRE(r);
  BOOST_TEST(sent(0).body == R"({"items":[]})");
  BOOST_TEST(r->empty());
}

BOOST_FIXTURE_TEST_CASE(update_rrset_sends_the_view_of_a_private_zone, Fixture) {
  transport.queue(204);
  ZoneRef zone{"cluster.internal", ZoneRef::private_, k_view};
  Result<std::vector<Record>> r =
      update_rrset(client, zone, "db.cluster.internal", "A", {Record{.rdata = "10.0.0.5", .ttl = 30}}, deadline);
  BOOST_REQUIRE_MESSAGE(r, why(r));
  BOOST_TEST(sent(0).url.target ==
             "/20180115/zones/cluster.internal/records/db.cluster.internal/A?scope=PRIVATE&viewId=" + k_view);
  BOOST_TEST(r->empty());
}

BOOST_FIXTURE_TEST_CASE(patch_zone_records_sends_every_operation, Fixture) {
  transport.queue(200, fixture("oci/rrset_page1.json"));
  std::vector<RecordOperation> ops{
      {.domain = "db.example.com", .rtype = "A", .rdata = "10.0.0.100", .op = RecordOperation::require},
      {.domain = "db.example.com", .rtype = "A", .rdata = "10.0.0.100", .op = RecordOperation::remove},
      {.domain = "db.example.com", .rtype = "A", .rdata = "10.0.0.101", .ttl = 30, .op = RecordOperation::add},
      {.domain = "db.example.com", .rtype = "CNAME", .op = RecordOperation::prohibit},
  };
  Result<void> r = patch_zone_records(client, ZoneRef{k_zone_id}, ops, deadline);
  BOOST_REQUIRE_MESSAGE(r, why(r));
  BOOST_TEST(sent(0).method == "PATCH");
  BOOST_TEST(sent(0).url.target == "/20180115/zones/" + k_zone_id + "/records?scope=GLOBAL");
  json expected = json::parse(R"({"items":[
      {"domain":"db.example.com","rtype":"A","rdata":"10.0.0.100","operation":"REQUIRE"},
      {"domain":"db.example.com","rtype":"A","rdata":"10.0.0.100","operation":"REMOVE"},
      {"domain":"db.example.com","rtype":"A","rdata":"10.0.0.101","ttl":30,"operation":"ADD"},
      {"domain":"db.example.com","rtype":"CNAME","operation":"PROHIBIT"}]})");
  BOOST_TEST(sent_body(0) == expected);
}

BOOST_FIXTURE_TEST_CASE(patch_zone_records_reports_a_failed_precondition_as_busy, Fixture) {
  transport.queue(oci_error(409, "Conflict", "REQUIRE precondition failed", "P/409"));
  Result<void> r = patch_zone_records(
      client, global, {{.domain = "db.example.com", .rtype = "A", .rdata = "10.0.0.9", .op = RecordOperation::require}},
      deadline);
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error().code == Errc::busy);
  BOOST_TEST(precondition_failed(client.last_status()));
  BOOST_TEST(contains(r.error().message, "PatchZoneRecords example.com"), r.error().message);
  BOOST_TEST(contains(r.error().message, "P/409"), r.error().message);
  BOOST_TEST(contains(r.error().message, "nothing changed"), r.error().message);
  BOOST_TEST(transport.requests.size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(patch_zone_records_reports_a_failed_etag_as_a_failed_precondition, Fixture) {
  transport.queue(oci_error(412, "NoEtagMatch", "etag mismatch", "P/412"));
  Result<void> r = patch_zone_records(client, global, {}, deadline);
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error().code == Errc::busy);
  BOOST_TEST(precondition_failed(client.last_status()));
}

BOOST_FIXTURE_TEST_CASE(patch_zone_records_tells_other_errors_from_a_failed_precondition, Fixture) {
  transport.queue(oci_error(400, "InvalidParameter", "domain is not in zone", "P/400"));
  Result<void> r = patch_zone_records(client, global, {}, deadline);
  BOOST_REQUIRE(!r);
  BOOST_TEST(refused(r));
  BOOST_TEST(!precondition_failed(client.last_status()));
  BOOST_TEST(!contains(r.error().message, "nothing changed"), r.error().message);
}

BOOST_AUTO_TEST_CASE(precondition_failed_is_only_a_final_409_or_a_412) {
  BOOST_TEST(precondition_failed(ApiStatus{409, "Conflict", "", ""}));
  BOOST_TEST(precondition_failed(ApiStatus{412, "NoEtagMatch", "", ""}));
  BOOST_TEST(!precondition_failed(ApiStatus{409, "IncorrectState", "", ""}));
  BOOST_TEST(!precondition_failed(ApiStatus{404, "NotAuthorizedOrNotFound", "", ""}));
  BOOST_TEST(!precondition_failed(ApiStatus{}));
}

BOOST_AUTO_TEST_CASE(operations_have_oci_names) {
  BOOST_TEST(operation_name(RecordOperation::add) == "ADD");
  BOOST_TEST(operation_name(RecordOperation::remove) == "REMOVE");
  BOOST_TEST(operation_name(RecordOperation::require) == "REQUIRE");
  BOOST_TEST(operation_name(RecordOperation::prohibit) == "PROHIBIT");
}

BOOST_FIXTURE_TEST_CASE(a_failed_precondition_after_a_lost_answer_says_the_outcome_is_unknown, Fixture) {
  transport.queue(sft::fail(Errc::generic, "Connection reset by peer"));
  transport.queue(oci_error(409, "Conflict", "precondition failed"));
  Result<void> r = patch_zone_records(
      client, ZoneRef{k_zone_id}, {{"db.example.com", "A", "10.0.0.5", 0, RecordOperation::require}}, deadline);
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error().message.find("outcome is unknown") != std::string::npos, r.error().message);
  BOOST_TEST(r.error().message.find("nothing changed") == std::string::npos, r.error().message);
}

BOOST_FIXTURE_TEST_CASE(get_zone_reads_a_zone_by_name_or_id, Fixture) {
  transport.queue(200, R"({"id":"ocid1.dns-zone.oc1..z","name":"example.com","scope":"GLOBAL"})");
  auto z = get_zone(client, ZoneRef{"example.com"}, deadline);
  BOOST_REQUIRE_MESSAGE(z, why(z));
  BOOST_TEST(z->id == "ocid1.dns-zone.oc1..z");
  BOOST_TEST(sent(0).url.target == "/20180115/zones/example.com?scope=GLOBAL");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace sft::oci
