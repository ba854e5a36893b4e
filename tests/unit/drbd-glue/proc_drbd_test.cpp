// /proc/drbd and drbdadm role|cstate|dstate, on output captured from drbd-utils 9.22 on
// a DRBD 8.4.11 kernel (tests/fixtures/drbd/84, tests/real-drbd/capture-84.py).
#include "drbd-glue/proc_drbd.h"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "tests/fakes/fixtures.h"
#include "tests/unit/drbd-glue/print.h"

using namespace sft;
using namespace sft::drbd;
using sft::fakes::fixture;

namespace {

ProcDrbd proc(const std::string& file) {
  Result<ProcDrbd> p = parse_proc_drbd(fixture(file));
  BOOST_TEST_REQUIRE(p.has_value(), (p ? "" : p.error().message));
  return *p;
}

ResourceState r0(const std::string& file) {
  const std::vector<int> minors{0};
  Result<ResourceState> r = resource_from_proc("r0", proc(file), minors);
  BOOST_TEST_REQUIRE(r.has_value(), (r ? "" : r.error().message));
  return *r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(drbd_proc)

BOOST_AUTO_TEST_CASE(the_version_is_read_from_the_first_line) {
  const ProcDrbd p = proc("drbd/84/loaded-no-resource.proc-drbd");
  BOOST_TEST((p.version == KernelVersion{8, 4, 11}));
  BOOST_TEST(to_string(p.version) == "8.4.11");
  BOOST_TEST(p.minors.empty());
  BOOST_TEST((proc("drbd/9/proc-drbd-9.txt").version >= KernelVersion{9, 0, 0}));
  BOOST_TEST(proc("drbd/9/proc-drbd-9.txt").minors.empty());
}

BOOST_AUTO_TEST_CASE(minor_lines_with_progress_and_counters_between) {
  const ProcDrbd p = proc("drbd/84/primary-sync-source.proc-drbd");
  BOOST_TEST_REQUIRE(p.minors.size() == 2u);
  BOOST_TEST(p.minors[0].minor == 0);
  BOOST_TEST(p.minors[1].minor == 1);
  for (const MinorStatus& m : p.minors) {
    BOOST_TEST((m.connection.first == ConnectionState::connected));
    BOOST_TEST((m.connection.second == ReplicationState::sync_source));
    BOOST_TEST(m.role == Role::primary);
    BOOST_TEST(m.peer_role == Role::secondary);
    BOOST_TEST(m.disk == DiskState::up_to_date);
    BOOST_TEST(m.peer_disk == DiskState::inconsistent);
  }
}

BOOST_AUTO_TEST_CASE(a_minor_taken_down_leaves_a_blank_line) {
  const ProcDrbd p = proc("drbd/84/down.proc-drbd");
  BOOST_TEST_REQUIRE(p.minors.size() == 1u);
  BOOST_TEST(p.minors[0].minor == 1);
  const std::vector<int> minors{0};
  Result<ResourceState> r = resource_from_proc("r0", p, minors);
  BOOST_TEST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == Errc::not_running));
}

BOOST_AUTO_TEST_CASE(a_resource_from_its_minors) {
  const ResourceState r = r0("drbd/84/primary-peer-down.proc-drbd");
  BOOST_TEST(r.role == Role::primary);
  BOOST_TEST(!r.quorum.has_value());
  BOOST_TEST(r.volumes.at(0).disk == DiskState::up_to_date);
  const Peer& peer = r.peers.at(0);
  BOOST_TEST(peer.name.empty());
  BOOST_TEST(!peer.node_id.has_value());
  BOOST_TEST(peer.connection == ConnectionState::connecting);  // WFConnection
  BOOST_TEST(peer.role == Role::unknown);
  BOOST_TEST(peer.volumes.at(0).disk == DiskState::dunknown);
  BOOST_TEST(peer.volumes.at(0).replication == ReplicationState::off);
}

BOOST_AUTO_TEST_CASE(every_captured_state_reads_as_events2_does) {
  // The two views of one moment must agree, whichever the agent reads.
  for (const char* state : {"primary-connected", "secondary-connected", "primary-peer-down", "secondary-peer-down",
                            "standalone", "outdated-standalone", "diskless", "peer-diskless", "diskless-peer-primary",
                            "primary-sync-source", "secondary-sync-target", "secondary-inconsistent"}) {
    BOOST_TEST_CONTEXT(state) {
      const ResourceState p = r0(std::string("drbd/84/") + state + ".proc-drbd");
      Result<std::vector<std::pair<Role, Role>>> role =
          parse_drbdadm_role(fixture(std::string("drbd/84/") + state + ".role"));
      Result<std::vector<std::pair<DiskState, DiskState>>> disk =
          parse_drbdadm_dstate(fixture(std::string("drbd/84/") + state + ".dstate"));
      Result<std::vector<std::pair<ConnectionState, ReplicationState>>> cs =
          parse_drbdadm_cstate(fixture(std::string("drbd/84/") + state + ".cstate"));
      BOOST_TEST_REQUIRE((role && disk && cs));
      BOOST_TEST(role->at(0).first == p.role);
      BOOST_TEST(role->at(0).second == p.peers[0].role);
      BOOST_TEST(disk->at(0).first == p.volumes[0].disk);
      BOOST_TEST(disk->at(0).second == p.peers[0].volumes[0].disk);
      BOOST_TEST((cs->at(0).first == p.peers[0].connection));
      BOOST_TEST((cs->at(0).second == p.peers[0].volumes[0].replication));
    }
  }
}

BOOST_AUTO_TEST_CASE(connection_words_of_84) {
  const std::vector<std::tuple<std::string_view, ConnectionState, ReplicationState>> words = {
      {"StandAlone", ConnectionState::standalone, ReplicationState::off},
      {"Disconnecting", ConnectionState::disconnecting, ReplicationState::off},
      {"Unconnected", ConnectionState::unconnected, ReplicationState::off},
      {"Timeout", ConnectionState::timeout, ReplicationState::off},
      {"BrokenPipe", ConnectionState::broken_pipe, ReplicationState::off},
      {"NetworkFailure", ConnectionState::network_failure, ReplicationState::off},
      {"ProtocolError", ConnectionState::protocol_error, ReplicationState::off},
      {"TearDown", ConnectionState::tear_down, ReplicationState::off},
      {"WFConnection", ConnectionState::connecting, ReplicationState::off},
      {"WFReportParams", ConnectionState::connecting, ReplicationState::off},
      {"Connected", ConnectionState::connected, ReplicationState::established},
      {"StartingSyncS", ConnectionState::connected, ReplicationState::starting_sync_s},
      {"StartingSyncT", ConnectionState::connected, ReplicationState::starting_sync_t},
      {"WFBitMapS", ConnectionState::connected, ReplicationState::wf_bitmap_s},
      {"WFBitMapT", ConnectionState::connected, ReplicationState::wf_bitmap_t},
      {"WFSyncUUID", ConnectionState::connected, ReplicationState::wf_sync_uuid},
      {"SyncSource", ConnectionState::connected, ReplicationState::sync_source},
      {"SyncTarget", ConnectionState::connected, ReplicationState::sync_target},
      {"PausedSyncS", ConnectionState::connected, ReplicationState::paused_sync_s},
      {"PausedSyncT", ConnectionState::connected, ReplicationState::paused_sync_t},
      {"VerifyS", ConnectionState::connected, ReplicationState::verify_s},
      {"VerifyT", ConnectionState::connected, ReplicationState::verify_t},
      {"Ahead", ConnectionState::connected, ReplicationState::ahead},
      {"Behind", ConnectionState::connected, ReplicationState::behind},
      // DRBD 9 words that 8.4 never prints, and nonsense, are not guessed at.
      {"Connecting", ConnectionState::unrecognised, ReplicationState::unrecognised},
      {"Established", ConnectionState::unrecognised, ReplicationState::unrecognised},
      {"Off", ConnectionState::unrecognised, ReplicationState::unrecognised},
      {"connected", ConnectionState::unrecognised, ReplicationState::unrecognised},
  };
  for (const auto& [word, c, r] : words) {
    BOOST_TEST_CONTEXT(word) {
      BOOST_TEST((parse_connection_84(word).first == c));
      BOOST_TEST((parse_connection_84(word).second == r));
    }
  }
}

BOOST_AUTO_TEST_CASE(two_resources_each_by_its_minor) {
  const ProcDrbd p = proc("drbd/84/two-resources-r1.proc-drbd");
  const std::vector<int> one{1};
  Result<ResourceState> r1 = resource_from_proc("r1", p, one);
  BOOST_TEST_REQUIRE(r1.has_value());
  BOOST_TEST(r1->role == Role::secondary);
  BOOST_TEST(r1->volumes.at(0).minor == 1);
  Result<std::vector<std::pair<DiskState, DiskState>>> all = parse_drbdadm_dstate(fixture("drbd/84/dstate-all"));
  BOOST_TEST_REQUIRE(all.has_value());
  BOOST_TEST(all->size() == 2u);
}

BOOST_AUTO_TEST_CASE(some_minors_missing_is_not_a_clean_stop) {
  const std::vector<int> minors{0, 7};
  Result<ResourceState> r = resource_from_proc("r0", proc("drbd/84/primary-connected.proc-drbd"), minors);
  BOOST_TEST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == Errc::generic));
  BOOST_TEST(r.error().message.find("1 of its 2 minors") != std::string::npos, r.error().message);
}

BOOST_AUTO_TEST_CASE(dstate_of_a_resource_that_is_down_is_not_a_live_state) {
  // 8.4's drbdadm reads the meta data then, and says "Consistent" with exit 0.
  Result<std::vector<std::pair<DiskState, DiskState>>> d = parse_drbdadm_dstate(fixture("drbd/84/down.dstate"));
  BOOST_TEST_REQUIRE(!d.has_value());
  BOOST_TEST((d.error().code == Errc::not_running));
  BOOST_TEST(!parse_drbdadm_role("").has_value());
  BOOST_TEST(!parse_drbdadm_cstate("\n").has_value());
}

BOOST_AUTO_TEST_CASE(malformed_proc_drbd) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "no version line"},
      {"version: eight (api:1)\n", "no version number"},
      {"version: 8.4.11 (api:1/proto:86-101)\n 0: ro:Primary/Secondary ds:UpToDate/UpToDate\n", "no cs:"},
      {"version: 8.4.11 (api:1/proto:86-101)\n 0: cs:Connected ro:Primary ds:UpToDate/UpToDate\n", "no ro:A/B"},
  };
  for (const auto& [text, why] : cases) {
    Result<ProcDrbd> p = parse_proc_drbd(text);
    BOOST_TEST_REQUIRE(!p.has_value(), text);
    BOOST_TEST(p.error().message.find(why) != std::string::npos, p.error().message);
  }
  Result<ProcDrbd> unconfigured = parse_proc_drbd("version: 8.4.11 (api:1/proto:86-101)\n 3: cs:Unconfigured\n");
  BOOST_TEST_REQUIRE(unconfigured.has_value());
  BOOST_TEST(unconfigured->minors.empty());
}

BOOST_AUTO_TEST_CASE(sh_minor_lists_the_volumes_in_order) {
  Result<std::vector<int>> two = parse_sh_minor("3\n4\n");
  BOOST_TEST_REQUIRE(two.has_value());
  BOOST_TEST((*two == std::vector<int>{3, 4}));
  for (const char* text : {"", "\n", "0\n--config-file\n", "-1\n"}) {
    Result<std::vector<int>> bad = parse_sh_minor(text);
    BOOST_TEST_REQUIRE(!bad.has_value(), text);
    BOOST_TEST(bad.error().message.find("drbdadm sh-minor printed") != std::string::npos, bad.error().message);
  }
}

BOOST_AUTO_TEST_SUITE_END()
