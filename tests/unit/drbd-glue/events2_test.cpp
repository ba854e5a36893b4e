// drbdsetup events2 --now, on output captured from drbd-utils 9.22 on a DRBD 8.4.11
// kernel (tests/fixtures/drbd/84, tests/real-drbd/capture-84.py) and on DRBD 9's
// (tests/fixtures/drbd/9, see SOURCES.md there).
#include "drbd-glue/events2.h"

#include <boost/test/unit_test.hpp>
#include <string>

#include "tests/fakes/fixtures.h"
#include "tests/unit/drbd-glue/print.h"

using namespace sft;
using namespace sft::drbd;
using sft::fakes::fixture;

namespace {

ResourceState only(const std::string& file, Dialect dialect) {
  Result<std::vector<ResourceState>> r = parse_events2(fixture(file), dialect);
  BOOST_TEST_REQUIRE(r.has_value(), (r ? "" : r.error().message));
  BOOST_TEST_REQUIRE(r->size() == 1u);
  return r->front();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(drbd_events2)

BOOST_AUTO_TEST_CASE(a_connected_primary_on_84) {
  const ResourceState r = only("drbd/84/primary-connected.events2-now", Dialect::drbd84);
  BOOST_TEST(r.name == "r0");
  BOOST_TEST(r.role == Role::primary);
  BOOST_TEST(!r.suspended);
  BOOST_TEST(!r.quorum.has_value());
  BOOST_TEST_REQUIRE(r.volumes.size() == 1u);
  BOOST_TEST(r.volumes[0].volume == 0);
  BOOST_TEST(r.volumes[0].minor == 0);
  BOOST_TEST(r.volumes[0].disk == DiskState::up_to_date);
  BOOST_TEST_REQUIRE(r.peers.size() == 1u);
  const Peer& p = r.peers[0];
  BOOST_TEST(p.name.empty());  // 8.4's "conn-name:peer" names nobody
  BOOST_TEST(!p.node_id.has_value());
  BOOST_TEST(p.connection == ConnectionState::connected);
  BOOST_TEST(p.role == Role::secondary);
  BOOST_TEST_REQUIRE(p.volumes.size() == 1u);
  BOOST_TEST(p.volumes[0].replication == ReplicationState::established);
  BOOST_TEST(p.volumes[0].disk == DiskState::up_to_date);
}

BOOST_AUTO_TEST_CASE(the_9_dialect_keeps_what_84_prints_as_placeholders) {
  const ResourceState r = only("drbd/84/primary-connected.events2-now", Dialect::drbd9);
  BOOST_TEST(r.peers.at(0).name == "peer");
  BOOST_TEST((r.peers.at(0).node_id == 0));
}

BOOST_AUTO_TEST_CASE(every_resource_when_none_is_named) {
  Result<std::vector<ResourceState>> r =
      parse_events2(fixture("drbd/84/primary-connected.events2-now-all"), Dialect::drbd84);
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST_REQUIRE(r->size() == 2u);
  BOOST_TEST((*r)[0].name == "r0");
  BOOST_TEST((*r)[0].role == Role::primary);
  BOOST_TEST((*r)[1].name == "r1");
  BOOST_TEST((*r)[1].role == Role::secondary);
  BOOST_TEST((*r)[1].volumes.at(0).minor == 1);
}

BOOST_AUTO_TEST_CASE(a_peer_gone_is_connecting_with_its_disk_unknown) {
  const ResourceState r = only("drbd/84/primary-peer-down.events2-now", Dialect::drbd84);
  BOOST_TEST(r.role == Role::primary);
  const Peer& p = r.peers.at(0);
  BOOST_TEST(p.connection == ConnectionState::connecting);
  BOOST_TEST(p.role == Role::unknown);
  BOOST_TEST(p.volumes.at(0).replication == ReplicationState::off);
  BOOST_TEST(p.volumes.at(0).disk == DiskState::dunknown);
}

BOOST_AUTO_TEST_CASE(standalone_prints_no_conn_name) {
  const ResourceState r = only("drbd/84/standalone.events2-now", Dialect::drbd9);
  BOOST_TEST(r.peers.at(0).connection == ConnectionState::standalone);
  BOOST_TEST(r.peers.at(0).name.empty());
  BOOST_TEST(r.peers.at(0).volumes.at(0).disk == DiskState::dunknown);
}

BOOST_AUTO_TEST_CASE(outdated_diskless_and_resync_states) {
  BOOST_TEST(only("drbd/84/outdated-standalone.events2-now", Dialect::drbd84).volumes.at(0).disk ==
             DiskState::outdated);
  const ResourceState diskless = only("drbd/84/diskless.events2-now", Dialect::drbd84);
  BOOST_TEST(diskless.volumes.at(0).disk == DiskState::diskless);
  BOOST_TEST(diskless.peers.at(0).volumes.at(0).disk == DiskState::up_to_date);
  const ResourceState source = only("drbd/84/primary-sync-source.events2-now", Dialect::drbd84);
  BOOST_TEST(source.peers.at(0).volumes.at(0).replication == ReplicationState::sync_source);
  BOOST_TEST(source.peers.at(0).volumes.at(0).disk == DiskState::inconsistent);
  const ResourceState target = only("drbd/84/secondary-sync-target.events2-now", Dialect::drbd84);
  BOOST_TEST(target.volumes.at(0).disk == DiskState::inconsistent);
  BOOST_TEST(target.peers.at(0).volumes.at(0).replication == ReplicationState::sync_target);
}

BOOST_AUTO_TEST_CASE(a_resource_that_is_not_up_is_an_empty_list) {
  for (const char* f : {"drbd/84/unconfigured.events2-now", "drbd/84/down.events2-now"}) {
    Result<std::vector<ResourceState>> r = parse_events2(fixture(f), Dialect::drbd84);
    BOOST_TEST_REQUIRE(r.has_value(), f);
    BOOST_TEST(r->empty(), f);
  }
}

BOOST_AUTO_TEST_CASE(quorum_is_lost_when_any_volume_lacks_it) {
  const std::string text =
      "exists resource name:r0 role:Secondary suspended:quorum write-ordering:flush\n"
      "exists device name:r0 volume:0 minor:0 disk:UpToDate client:no quorum:yes\n"
      "exists device name:r0 volume:1 minor:1 disk:UpToDate client:no quorum:no\n"
      "exists -\n";
  Result<std::vector<ResourceState>> r = parse_events2(text, Dialect::drbd9);
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST((r->at(0).quorum == false));
  BOOST_TEST(r->at(0).suspended);
  BOOST_TEST(r->at(0).volumes.size() == 2u);
  Result<std::vector<ResourceState>> with = parse_events2(
      "exists resource name:r0 role:Primary suspended:no\n"
      "exists device name:r0 volume:0 minor:0 disk:UpToDate quorum:yes\nexists -\n",
      Dialect::drbd9);
  BOOST_TEST((with->at(0).quorum == true));
}

BOOST_AUTO_TEST_CASE(unknown_words_objects_and_keys) {
  Result<std::vector<ResourceState>> r = parse_events2(
      "exists resource name:r0 role:Leader suspended:no\n"
      "exists path name:r0 peer-node-id:1 conn-name:b local:ipv4:10.0.0.1:7789 peer:ipv4:10.0.0.2:7789 "
      "established:yes\n"
      "exists device name:r0 volume:0 minor:0 disk:Shiny open:yes\n"
      "exists -\n",
      Dialect::drbd9);
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST(r->at(0).role == Role::unrecognised);
  BOOST_TEST(r->at(0).volumes.at(0).disk == DiskState::unrecognised);
  BOOST_TEST(r->at(0).peers.empty());  // a path is not a connection
}

BOOST_AUTO_TEST_CASE(broken_output_is_an_error_naming_the_line) {
  const std::pair<const char*, const char*> cases[] = {
      {"exists resource name:r0 role:Primary suspended:no\n", "ends before 'exists -'"},
      {"", "ends before 'exists -'"},
      {"change resource name:r0 role:Primary\nexists -\n", "not 'exists <object>'"},
      {"exists device name:r0 volume:x minor:0 disk:UpToDate\nexists -\n", "volume is not a number"},
      {"exists device name:r0 volume:0 disk:UpToDate\nexists -\n", "no minor"},
      {"exists connection name:r0 connection:Connected\nexists -\n", "no peer-node-id"},
      {"exists resource role:Primary\nexists -\n", "no name"},
      {"exists resource name:r0 Primary\nexists -\n", "'Primary' is not key:value"},
      {"exists -\nexists resource name:r0\n", "output after 'exists -'"},
  };
  for (const auto& [text, why] : cases) {
    Result<std::vector<ResourceState>> r = parse_events2(text, Dialect::drbd9);
    BOOST_TEST_REQUIRE(!r.has_value(), text);
    BOOST_TEST(r.error().message.find(why) != std::string::npos, r.error().message);
  }
}

BOOST_AUTO_TEST_SUITE_END()

// DRBD 9: output of drbdsetup 9.22 (tests/fixtures/drbd/9/SOURCES.md).
BOOST_AUTO_TEST_SUITE(drbd_events2_9)

BOOST_AUTO_TEST_CASE(a_connected_primary) {
  const ResourceState r = only("drbd/9/events2-now-connected-primary.txt", Dialect::drbd9);
  BOOST_TEST(r.role == Role::primary);
  BOOST_TEST((r.quorum == true));
  BOOST_TEST_REQUIRE(r.peers.size() == 1u);  // the path line is not a second peer
  BOOST_TEST(r.peers[0].name == "bravo");
  BOOST_TEST((r.peers[0].node_id == 1));
  BOOST_TEST(r.peers[0].connection == ConnectionState::connected);
  BOOST_TEST(r.peers[0].volumes.at(0).disk == DiskState::up_to_date);
}

BOOST_AUTO_TEST_CASE(volumes_printed_newest_first_come_back_in_order) {
  const ResourceState r = only("drbd/9/events2-now-two-volumes-syncing.txt", Dialect::drbd9);
  BOOST_TEST_REQUIRE(r.volumes.size() == 2u);
  BOOST_TEST(r.volumes[0].volume == 0);
  BOOST_TEST(r.volumes[0].disk == DiskState::up_to_date);
  BOOST_TEST(r.volumes[1].volume == 1);
  BOOST_TEST(r.volumes[1].disk == DiskState::inconsistent);
  const Peer& p = r.peers.at(0);
  BOOST_TEST_REQUIRE(p.volumes.size() == 2u);
  BOOST_TEST(p.volumes[0].replication == ReplicationState::established);
  BOOST_TEST(p.volumes[1].replication == ReplicationState::sync_target);
}

BOOST_AUTO_TEST_CASE(three_nodes_without_quorum) {
  const ResourceState r = only("drbd/9/events2-now-three-nodes-no-quorum.txt", Dialect::drbd9);
  BOOST_TEST((r.quorum == false));
  BOOST_TEST(r.suspended);  // suspended:quorum
  BOOST_TEST_REQUIRE(r.peers.size() == 2u);
  for (const Peer& p : r.peers) {
    BOOST_TEST(p.connection == ConnectionState::connecting);
    BOOST_TEST_REQUIRE(p.volumes.size() == 1u);  // each peer-device under its own peer
    BOOST_TEST(p.volumes[0].disk == DiskState::dunknown);
  }
}

BOOST_AUTO_TEST_CASE(a_peer_connecting_and_nothing_up) {
  const ResourceState r = only("drbd/9/events2-now-peer-connecting.txt", Dialect::drbd9);
  BOOST_TEST(r.peers.at(0).connection == ConnectionState::connecting);
  BOOST_TEST(r.peers.at(0).role == Role::unknown);
  Result<std::vector<ResourceState>> none = parse_events2(fixture("drbd/9/events2-now-empty.txt"), Dialect::drbd9);
  BOOST_TEST_REQUIRE(none.has_value());
  BOOST_TEST(none->empty());
}

BOOST_AUTO_TEST_SUITE_END()
