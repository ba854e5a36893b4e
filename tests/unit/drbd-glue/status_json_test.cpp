// drbdsetup status --json, on output of drbdsetup 9.22 (tests/fixtures/drbd/9/SOURCES.md).
#include "drbd-glue/status_json.h"

#include <boost/test/unit_test.hpp>
#include <string>

#include "drbd-glue/events2.h"
#include "tests/fakes/fixtures.h"
#include "tests/unit/drbd-glue/print.h"

using namespace sft;
using namespace sft::drbd;
using sft::fakes::fixture;

namespace {

ResourceState only(const std::string& file) {
  Result<std::vector<ResourceState>> r = parse_status_json(fixture("drbd/9/" + file));
  BOOST_TEST_REQUIRE(r.has_value(), (r ? "" : r.error().message));
  BOOST_TEST_REQUIRE(r->size() == 1u);
  return r->front();
}

void same_state(const ResourceState& a, const ResourceState& b) {
  BOOST_TEST(a.name == b.name);
  BOOST_TEST(a.role == b.role);
  BOOST_TEST((a.quorum == b.quorum));
  BOOST_TEST(a.suspended == b.suspended);
  BOOST_TEST_REQUIRE(a.volumes.size() == b.volumes.size());
  for (size_t i = 0; i < a.volumes.size(); ++i) {
    BOOST_TEST(a.volumes[i].volume == b.volumes[i].volume);
    BOOST_TEST(a.volumes[i].minor == b.volumes[i].minor);
    BOOST_TEST(a.volumes[i].disk == b.volumes[i].disk);
  }
  BOOST_TEST_REQUIRE(a.peers.size() == b.peers.size());
  for (const Peer& p : a.peers) {
    const auto q = std::ranges::find(b.peers, p.node_id, &Peer::node_id);
    BOOST_TEST_REQUIRE((q != b.peers.end()));
    BOOST_TEST(p.name == q->name);
    BOOST_TEST(p.connection == q->connection);
    BOOST_TEST(p.role == q->role);
    BOOST_TEST_REQUIRE(p.volumes.size() == q->volumes.size());
    for (size_t i = 0; i < p.volumes.size(); ++i) {
      BOOST_TEST(p.volumes[i].volume == q->volumes[i].volume);
      BOOST_TEST(p.volumes[i].replication == q->volumes[i].replication);
      BOOST_TEST(p.volumes[i].disk == q->volumes[i].disk);
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(drbd_status_json)

BOOST_AUTO_TEST_CASE(a_connected_primary) {
  const ResourceState r = only("status-json-connected-primary.json");
  BOOST_TEST(r.name == "r0");
  BOOST_TEST(r.role == Role::primary);
  BOOST_TEST((r.quorum == true));
  BOOST_TEST(!r.suspended);
  BOOST_TEST(r.volumes.at(0).disk == DiskState::up_to_date);
  const Peer& p = r.peers.at(0);
  BOOST_TEST(p.name == "bravo");
  BOOST_TEST((p.node_id == 1));
  BOOST_TEST(p.connection == ConnectionState::connected);
  BOOST_TEST(p.role == Role::secondary);
  BOOST_TEST(p.volumes.at(0).replication == ReplicationState::established);
  BOOST_TEST(p.volumes.at(0).disk == DiskState::up_to_date);
}

BOOST_AUTO_TEST_CASE(states_the_agent_decides_on) {
  BOOST_TEST(only("status-json-connected-secondary.json").role == Role::secondary);
  const ResourceState two = only("status-json-two-volumes.json");
  BOOST_TEST_REQUIRE(two.volumes.size() == 2u);
  BOOST_TEST(two.volumes[1].disk == DiskState::inconsistent);
  BOOST_TEST(two.peers.at(0).volumes.at(1).replication == ReplicationState::sync_target);
  const ResourceState connecting = only("status-json-peer-connecting.json");
  BOOST_TEST(connecting.peers.at(0).connection == ConnectionState::connecting);
  BOOST_TEST(connecting.peers.at(0).volumes.at(0).disk == DiskState::dunknown);
  BOOST_TEST(only("status-json-standalone.json").peers.at(0).connection == ConnectionState::standalone);
  BOOST_TEST(only("status-json-diskless.json").volumes.at(0).disk == DiskState::diskless);
  BOOST_TEST(only("status-json-outdated.json").volumes.at(0).disk == DiskState::outdated);
  const ResourceState lost = only("status-json-no-quorum-suspended.json");
  BOOST_TEST((lost.quorum == false));
  BOOST_TEST(lost.suspended);
  BOOST_TEST(lost.peers.size() == 2u);
}

BOOST_AUTO_TEST_CASE(the_json_and_events2_of_one_moment_agree) {
  const std::pair<const char*, const char*> pairs[] = {
      {"status-json-connected-primary.json", "events2-now-connected-primary.txt"},
      {"status-json-peer-connecting.json", "events2-now-peer-connecting.txt"},
      {"status-json-two-volumes.json", "events2-now-two-volumes-syncing.txt"},
      {"status-json-no-quorum-suspended.json", "events2-now-three-nodes-no-quorum.txt"},
  };
  for (const auto& [json_file, events_file] : pairs) {
    BOOST_TEST_CONTEXT(json_file) {
      Result<std::vector<ResourceState>> e =
          parse_events2(fixture(std::string("drbd/9/") + events_file), Dialect::drbd9);
      BOOST_TEST_REQUIRE(e.has_value());
      BOOST_TEST_REQUIRE(e->size() == 1u);
      same_state(only(json_file), e->front());
    }
  }
}

BOOST_AUTO_TEST_CASE(no_such_resource_is_an_empty_array) {
  Result<std::vector<ResourceState>> r = parse_status_json(fixture("drbd/9/status-json-empty.json"));
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST(r->empty());
}

BOOST_AUTO_TEST_CASE(unknown_words_and_missing_optional_keys) {
  Result<std::vector<ResourceState>> r = parse_status_json(
      R"([{"name": "r0", "role": "Leader", "devices": [{"volume": 0, "minor": 3, "disk-state": "Shiny"}],
          "connections": [{"peer-node-id": 2}]}])");
  BOOST_TEST_REQUIRE(r.has_value(), (r ? "" : r.error().message));
  const ResourceState& s = r->front();
  BOOST_TEST(s.role == Role::unrecognised);
  BOOST_TEST(!s.quorum.has_value());
  BOOST_TEST(s.volumes.at(0).disk == DiskState::unrecognised);
  BOOST_TEST(s.peers.at(0).connection == ConnectionState::unrecognised);
  BOOST_TEST(s.peers.at(0).volumes.empty());
}

BOOST_AUTO_TEST_CASE(malformed_output_names_what_is_wrong) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "not JSON"},
      {"[{\"name\": \"r0\"", "not JSON"},
      {"{\"name\": \"r0\"}", "not an array"},
      {"[1]", "element 0: it is not an object"},
      {"[{\"role\": \"Primary\"}]", "element 0: no \"name\""},
      {"[{\"name\": 7}]", "\"name\" is not a string"},
      {"[{\"name\": \"r0\", \"suspended\": \"no\"}]", "r0: \"suspended\" is not a boolean"},
      {"[{\"name\": \"r0\", \"devices\": [{\"volume\": 0}]}]", "r0: no \"minor\""},
      {"[{\"name\": \"r0\", \"devices\": [{\"volume\": \"0\", \"minor\": 0}]}]", "\"volume\" is not a number"},
      {"[{\"name\": \"r0\", \"devices\": [{\"volume\": 0, \"minor\": 0, \"quorum\": \"yes\"}]}]",
       "\"quorum\" is not a boolean"},
      {"[{\"name\": \"r0\", \"connections\": [{\"name\": \"b\"}]}]", "no \"peer-node-id\""},
      {"[{\"name\": \"r0\", \"connections\": [{\"peer-node-id\": 1, \"peer_devices\": [[]]}]}]",
       "a peer device is not an object"},
  };
  for (const auto& [text, why] : cases) {
    Result<std::vector<ResourceState>> r = parse_status_json(text);
    BOOST_TEST_REQUIRE(!r.has_value(), text);
    BOOST_TEST(r.error().message.find(why) != std::string::npos, r.error().message);
  }
}

BOOST_AUTO_TEST_SUITE_END()
