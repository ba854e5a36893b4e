// ocf:sft:drbd's actions on a fake DRBD 8.4 node (node.h).
#include <boost/test/unit_test.hpp>
#include <tuple>

#include "core/ocf/run.h"
#include "drbd-glue/promote_by.h"
#include "tests/fakes/fixtures.h"
#include "tests/unit/agents/drbd/node.h"
#include "tests/unit/drbd-glue/print.h"

using namespace sft::drbd_agent;
using namespace sft::drbd_agent::testing;
using sft::Errc;
using sft::drbd::ResourceState;

namespace {

size_t count_with(const std::vector<std::string>& lines, std::string_view part) {
  return std::ranges::count_if(lines, [&](const std::string& l) { return l.find(part) != std::string::npos; });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(drbd_agent_monitor)

BOOST_AUTO_TEST_CASE(every_parameter_the_code_reads_is_declared_with_its_type) {
  const sft::ocf::AgentSpec& s = spec();
  BOOST_REQUIRE(s.names != nullptr);
  BOOST_TEST(s.names->uses().size() == s.params.size());  // each parameter has its handle
  const auto ok = sft::ocf::check_names(s, *s.names);
  BOOST_TEST(ok.has_value(), (ok ? "" : ok.error().message));
}

BOOST_AUTO_TEST_CASE(not_up_is_not_running) {
  Node node;
  BOOST_TEST(*node.monitor(true) == PCMK_OCF_NOT_RUNNING);
  BOOST_TEST(node.os.runs_of("crm_attribute").empty());
}

BOOST_AUTO_TEST_CASE(no_module_is_not_running_with_or_without_drbd_utils) {
  Node no_module;
  no_module.os.files.erase("/proc/drbd");
  BOOST_TEST(*no_module.monitor(true) == PCMK_OCF_NOT_RUNNING);
  BOOST_TEST(no_module.os.commands.empty());  // not even drbdsetup
  no_module.os.stats.erase("/usr/sbin/drbdsetup");
  no_module.os.stats.erase("/usr/sbin/drbdadm");
  BOOST_TEST(*no_module.monitor(true) == PCMK_OCF_NOT_RUNNING);
  BOOST_TEST(*no_module.call(stop, "stop") == PCMK_OCF_OK);
}

BOOST_AUTO_TEST_CASE(a_loaded_module_without_drbd_utils_is_not_a_clean_stop) {
  // DRBD may be up, even Primary: nothing here can tell, or take it down.
  Node node;
  node.os.up = true;
  node.os.role = Role::primary;
  node.os.stats.erase("/usr/sbin/drbdsetup");
  node.os.stats.erase("/usr/sbin/drbdadm");
  for (bool probe : {true, false}) {
    auto r = node.monitor(probe);
    BOOST_TEST_REQUIRE(!r.has_value());
    BOOST_TEST((r.error().code == Errc::not_installed));
  }
  auto r = node.call(stop, "stop");
  BOOST_TEST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == Errc::not_installed));
  BOOST_TEST(node.os.up);
}

BOOST_AUTO_TEST_CASE(a_proc_drbd_that_cannot_be_read_is_not_a_clean_stop) {
  struct Unreadable : FakeDrbd {
    sft::Result<std::string> read_file(const std::string& path) override {
      if (path == "/proc/drbd") return sft::fail(Errc::permission, "/proc/drbd: Permission denied");
      return FakeDrbd::read_file(path);
    }
  };
  sft::drbd_agent::testing::BasicNode<Unreadable> node;
  auto r = node.monitor(true);
  BOOST_TEST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message == "/proc/drbd: Permission denied");
}

BOOST_AUTO_TEST_CASE(sft_proc_drbd_names_the_file_read_for_proc_drbd) {
  Node node;
  node.os.up = true;
  node.os.files["/run/standin/proc-drbd"] = node.os.files["/proc/drbd"];
  node.os.files.erase("/proc/drbd");
  BOOST_TEST(*node.monitor() == PCMK_OCF_NOT_RUNNING);
  node.env["SFT_PROC_DRBD"] = "/run/standin/proc-drbd";
  BOOST_TEST(*node.monitor() == PCMK_OCF_OK);
}

BOOST_AUTO_TEST_CASE(an_84_module_is_asked_through_drbdsetup_84_where_drbd_utils_keeps_it) {
  Node node;
  node.os.up = true;
  node.os.add_program("/lib/drbd/drbdsetup-84");
  BOOST_TEST(*node.monitor() == PCMK_OCF_OK);
  BOOST_TEST(node.os.runs_of("drbdsetup-84") == std::vector<std::string>{"drbdsetup-84 events2 --now r0"});
  BOOST_TEST(node.os.runs_of("drbdsetup").empty());
  node.os.load_module("version: 9.2.8 (api:2/proto:86-122)");  // DRBD 9: the front end
  node.os.commands.clear();
  node.monitor();
  BOOST_TEST(node.os.runs_of("drbdsetup") == std::vector<std::string>{"drbdsetup events2 --now r0"});
}

BOOST_AUTO_TEST_CASE(drbd_9_is_read_the_same_way) {
  Node node;
  node.os.up = true;
  node.os.role = Role::primary;
  node.os.load_module("version: 9.2.8 (api:2/proto:86-122)");
  BOOST_TEST(*node.monitor() == PCMK_OCF_RUNNING_PROMOTED);
}

BOOST_AUTO_TEST_CASE(a_failing_drbdsetup_is_an_error_not_a_stopped_resource) {
  Node node;
  node.os.up = true;
  node.os.events2_exit = 10;
  auto r = node.monitor();
  BOOST_TEST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == Errc::generic));
  BOOST_TEST(
      r.error().message.find("drbdsetup events2 --now r0 exited 10: drbdsetup: netlink error") != std::string::npos,
      r.error().message);
}

// Degradation is an attribute, never 190/191: Pacemaker records those as the monitor's
// last failure, and a newly elected DC then waits out the cancel of that monitor.
BOOST_AUTO_TEST_CASE(roles_and_degradation) {
  struct Case {
    const char* what;
    Role role;
    DiskState disk;
    ConnectionState peer;
    DiskState peer_disk;
    sft::ocf::Exit expected;
    const char* replication;
  } cases[] = {
      {"healthy Secondary", Role::secondary, DiskState::up_to_date, ConnectionState::connected, DiskState::up_to_date,
       PCMK_OCF_OK, "ok"},
      {"healthy Primary", Role::primary, DiskState::up_to_date, ConnectionState::connected, DiskState::up_to_date,
       PCMK_OCF_RUNNING_PROMOTED, "ok"},
      {"Primary, peer gone", Role::primary, DiskState::up_to_date, ConnectionState::connecting, DiskState::up_to_date,
       PCMK_OCF_RUNNING_PROMOTED, "degraded"},
      {"Primary, peer resyncing", Role::primary, DiskState::up_to_date, ConnectionState::connected,
       DiskState::inconsistent, PCMK_OCF_RUNNING_PROMOTED, "degraded"},
      {"Secondary, peer gone", Role::secondary, DiskState::up_to_date, ConnectionState::standalone,
       DiskState::up_to_date, PCMK_OCF_OK, "degraded"},
      {"Secondary Outdated", Role::secondary, DiskState::outdated, ConnectionState::connecting, DiskState::up_to_date,
       PCMK_OCF_OK, "degraded"},
      {"Primary on a failed disk, peer reachable", Role::primary, DiskState::diskless, ConnectionState::connected,
       DiskState::up_to_date, PCMK_OCF_RUNNING_PROMOTED, "degraded"},
      {"Primary on a failed disk, peer gone", Role::primary, DiskState::diskless, ConnectionState::connecting,
       DiskState::up_to_date, PCMK_OCF_FAILED_PROMOTED, "degraded"},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      Node node;
      node.os.up = true;
      node.os.role = c.role;
      node.os.disk = c.disk;
      node.os.peer_connection = c.peer;
      node.os.peer_disk = c.peer_disk;
      auto r = node.monitor();
      BOOST_TEST_REQUIRE(r.has_value(), r.error().message);
      BOOST_TEST(*r == c.expected);
      const std::string attribute = std::string("-n drbd-r0-replication -U ") + c.replication;
      BOOST_TEST(count_with(node.os.runs_of("attrd_updater"), attribute) == 1u);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_steady_monitor_runs_one_command_and_writes_nothing) {
  Node node;
  node.os.up = true;
  BOOST_TEST(*node.monitor() == PCMK_OCF_OK);
  BOOST_TEST(node.os.runs_of("crm_attribute") == std::vector<std::string>{"crm_attribute --promotion -v 10000"});
  BOOST_TEST(count_with(node.os.runs_of("attrd_updater"), "-n drbd-r0-role -U Secondary") == 1u);
  BOOST_TEST(count_with(node.os.runs_of("attrd_updater"), "-n drbd-r0-disk -U UpToDate") == 1u);
  BOOST_TEST(count_with(node.os.runs_of("attrd_updater"), "-n drbd-r0-replication -U ok") == 1u);
  node.os.commands.clear();
  for (int i = 0; i < 3; ++i) BOOST_TEST(*node.monitor() == PCMK_OCF_OK);
  BOOST_TEST(node.os.commands.size() == 3u);  // drbdsetup events2, once per monitor
  BOOST_TEST(node.os.runs_of("drbdsetup").size() == 3u);
}

BOOST_AUTO_TEST_CASE(the_score_follows_the_data) {
  Node node;
  node.os.up = true;
  node.monitor();
  node.os.commands.clear();
  node.os.peer_connection = ConnectionState::connecting;  // the peer is gone
  BOOST_TEST(*node.monitor() == PCMK_OCF_OK);
  BOOST_TEST(node.os.runs_of("crm_attribute") == std::vector<std::string>{"crm_attribute --promotion -v 1000"});
  // role and disk did not change; replication did
  BOOST_TEST(node.os.runs_of("attrd_updater") ==
             std::vector<std::string>{"attrd_updater -n drbd-r0-replication -U degraded"});
  node.os.commands.clear();
  node.os.disk = DiskState::outdated;
  node.monitor();
  BOOST_TEST(node.os.runs_of("crm_attribute") == std::vector<std::string>{"crm_attribute --promotion -D"});
  BOOST_TEST(count_with(node.os.runs_of("attrd_updater"), "-n drbd-r0-disk -U Outdated") == 1u);
}

BOOST_AUTO_TEST_CASE(a_probe_publishes_again) {
  // After a Pacemaker restart the attribute manager may have lost the score.
  Node node;
  node.os.up = true;
  node.monitor();
  node.os.commands.clear();
  BOOST_TEST(*node.monitor(true) == PCMK_OCF_OK);
  BOOST_TEST(node.os.runs_of("crm_attribute").size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_failed_write_is_tried_again_by_the_next_monitor) {
  Node node;
  node.os.up = true;
  node.os.programs["crm_attribute"] =
      sft::sys::ProcessResult{.exit_code = 102, .out = "", .err = "Could not connect\n"};
  BOOST_TEST(*node.monitor() == PCMK_OCF_OK);  // a monitor does not fail for it
  node.os.programs.erase("crm_attribute");
  node.os.commands.clear();
  node.monitor();
  BOOST_TEST(node.os.runs_of("crm_attribute").size() == 1u);
  BOOST_TEST(node.os.runs_of("attrd_updater").empty());
}

BOOST_AUTO_TEST_CASE(a_restarted_attribute_manager_gets_everything_again) {
  Node node;
  node.os.up = true;
  node.os.processes[300] = sft::fakes::FakeProcess{.comm = "pacemaker-attrd"};
  node.monitor();
  node.os.commands.clear();
  node.monitor();
  BOOST_TEST(node.os.commands.size() == 1u);  // steady: only drbdsetup
  node.os.processes.erase(300);
  node.os.processes[412] = sft::fakes::FakeProcess{.comm = "pacemaker-attrd"};
  node.os.commands.clear();
  node.monitor();
  BOOST_TEST(node.os.runs_of("crm_attribute") == std::vector<std::string>{"crm_attribute --promotion -v 10000"});
  BOOST_TEST(node.os.runs_of("attrd_updater").size() == 3u);  // role, disk, replication
  node.os.commands.clear();
  node.monitor();
  BOOST_TEST(node.os.commands.size() == 1u);
}

BOOST_AUTO_TEST_CASE(drbd_9_states_from_drbdsetup_9) {
  const std::tuple<const char*, sft::ocf::Exit, const char*> cases[] = {
      {"drbd/9/events2-now-connected-primary.txt", PCMK_OCF_RUNNING_PROMOTED, "ok"},
      {"drbd/9/events2-now-peer-connecting.txt", PCMK_OCF_RUNNING_PROMOTED, "degraded"},
      {"drbd/9/events2-now-two-volumes-syncing.txt", PCMK_OCF_OK, "degraded"},
      {"drbd/9/events2-now-three-nodes-no-quorum.txt", PCMK_OCF_RUNNING_PROMOTED, "degraded"},
  };
  for (const auto& [file, expected, replication] : cases) {
    BOOST_TEST_CONTEXT(file) {
      Node node;
      node.os.up = true;
      node.os.load_module("version: 9.2.8 (api:2/proto:86-122)");
      node.os.events2_text = sft::fakes::fixture(file);
      auto r = node.monitor();
      BOOST_TEST_REQUIRE(r.has_value(), r.error().message);
      BOOST_TEST(*r == expected);
      const std::string attribute = std::string("drbd-r0-replication -U ") + replication;
      BOOST_TEST(count_with(node.os.runs_of("attrd_updater"), attribute) == 1u);
    }
  }
  Node none;  // DRBD 9 with r0 not up
  none.os.load_module("version: 9.2.8 (api:2/proto:86-122)");
  none.os.events2_text = sft::fakes::fixture("drbd/9/events2-now-empty.txt");
  BOOST_TEST(*none.monitor(true) == PCMK_OCF_NOT_RUNNING);
}

BOOST_AUTO_TEST_CASE(an_intentionally_diskless_node_is_not_degraded) {
  Node node;
  node.os.up = true;
  node.os.load_module("version: 9.2.8 (api:2/proto:86-122)");
  node.os.events2_text =
      "exists resource name:r0 role:Secondary suspended:no force-io-failures:no may_promote:no promotion_score:0\n"
      "exists connection name:r0 peer-node-id:1 conn-name:bravo connection:Connected role:Primary\n"
      "exists device name:r0 volume:0 minor:0 disk:Diskless client:yes quorum:yes\n"
      "exists peer-device name:r0 peer-node-id:1 conn-name:bravo volume:0 replication:Established "
      "peer-disk:UpToDate peer-client:no resync-suspended:no\n"
      "exists -\n";
  BOOST_TEST(*node.monitor() == PCMK_OCF_OK);
  BOOST_TEST(node.os.runs_of("crm_attribute") == std::vector<std::string>{"crm_attribute --promotion -D"});
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(drbd_agent_actions)

BOOST_AUTO_TEST_CASE(every_name_of_the_instance_shares_what_was_published) {
  // Pacemaker names the instance "r0:0" for some operations and "r0" for others: a
  // promote must not trust a score that only its own name's record remembers.
  Node node;
  node.os.up = true;
  node.env["OCF_RESOURCE_INSTANCE"] = "r0:0";
  node.monitor();  // 10000
  node.env["OCF_RESOURCE_INSTANCE"] = "r0";
  node.os.peer_connection = ConnectionState::connecting;
  node.monitor();  // 1000: the peer is gone
  node.os.commands.clear();
  node.env["OCF_RESOURCE_INSTANCE"] = "r0:0";
  BOOST_TEST(*node.call(promote, "promote") == PCMK_OCF_OK);
  BOOST_TEST(node.os.runs_of("crm_attribute") == std::vector<std::string>{"crm_attribute --promotion -v 10000"});
}

BOOST_AUTO_TEST_CASE(promote_tells_the_fence_peer_handler_when_it_ends) {
  Node node;
  node.os.up = true;
  const auto before = node.os.now();
  BOOST_TEST(*node.call(promote, "promote", 90s) == PCMK_OCF_OK);
  BOOST_TEST_REQUIRE(node.os.promote_by_at_primary.has_value());
  const std::optional<sft::sys::Clock::time_point> by = sft::drbd::parse_promote_by(*node.os.promote_by_at_primary);
  BOOST_TEST_REQUIRE(by.has_value(), *node.os.promote_by_at_primary);
  // Before the promote's own end, with time left to read DRBD's outcome.
  BOOST_TEST((*by > before + std::chrono::seconds(60)));
  BOOST_TEST((*by < before + std::chrono::seconds(90)));
  BOOST_TEST(!node.os.files.contains("/run/sft/drbd/r0.promote-by"));  // gone once DRBD answered
}

BOOST_AUTO_TEST_CASE(start_demotes_a_resource_left_primary) {
  Node node;
  node.os.up = true;
  node.os.role = Role::primary;
  BOOST_TEST(*node.call(start, "start") == PCMK_OCF_OK);
  BOOST_TEST(node.os.role == Role::secondary);
  BOOST_TEST(*node.monitor() == PCMK_OCF_OK);
}

BOOST_AUTO_TEST_CASE(stop_retries_down_while_the_device_is_briefly_held_open) {
  Node node;
  node.os.up = true;
  node.os.down_refusals = 2;
  BOOST_TEST(*node.call(stop, "stop") == PCMK_OCF_OK);
  BOOST_TEST(!node.os.up);
  BOOST_TEST(count_with(node.os.runs_of("drbdadm"), " down ") == 3u);
}

BOOST_AUTO_TEST_CASE(a_demote_drbd_refuses_fails_with_its_reason_before_the_timeout) {
  Node node;
  node.os.up = true;
  node.os.role = Role::primary;
  node.os.secondary_held_open = true;
  auto r = node.call(demote, "demote", 30s);
  BOOST_TEST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message.find("drbdadm secondary r0 exited 11: 0: State change failed: (-12) Device is held "
                                    "open by someone") != std::string::npos,
             r.error().message);
  BOOST_TEST(node.os.elapsed() < 30s);
  BOOST_TEST(node.os.role == Role::primary);
}

BOOST_AUTO_TEST_CASE(notify_never_fails) {
  Node down;  // a notification on a node where DRBD is down
  down.env["OCF_RESKEY_CRM_meta_notify_type"] = "post";
  down.env["OCF_RESKEY_CRM_meta_notify_operation"] = "start";
  BOOST_TEST(*down.call(notify, "notify") == PCMK_OCF_OK);
  BOOST_TEST(down.os.runs_of("crm_attribute").empty());
  Node failing;
  failing.os.up = true;
  failing.os.events2_exit = 10;
  failing.env = down.env;
  BOOST_TEST(*failing.call(notify, "notify") == PCMK_OCF_OK);
}

BOOST_AUTO_TEST_CASE(demote_does_not_fail_over_a_bad_score_ladder) {
  Node node;
  node.os.up = true;
  node.os.role = Role::primary;
  node.env["OCF_RESKEY_adjust_master_score"] = "not numbers";
  BOOST_TEST(*node.call(demote, "demote") == PCMK_OCF_OK);
  BOOST_TEST(node.os.role == Role::secondary);
  BOOST_TEST(node.os.runs_of("crm_attribute") == std::vector<std::string>{"crm_attribute --promotion -v 10000"});
}

BOOST_AUTO_TEST_CASE(consistent_data_scored_by_the_administrator_is_left_to_drbd) {
  // A lone node after a full restart with fencing: Consistent. Scored above 0, promote
  // asks DRBD, whose fence-peer handler decides; DRBD's "no UpToDate data" ends it at once.
  Node node;
  node.os.up = true;
  node.os.disk = DiskState::consistent;
  node.os.peer_connection = ConnectionState::connecting;
  node.env["OCF_RESKEY_adjust_master_score"] = "5 10 1000 10000";
  node.monitor();
  BOOST_TEST(node.os.runs_of("crm_attribute") == std::vector<std::string>{"crm_attribute --promotion -v 5"});
  auto r = node.call(promote, "promote");
  BOOST_TEST_REQUIRE(!r.has_value());
  BOOST_TEST(
      r.error().message == "drbdadm primary r0 exited 17: 0: State change failed: (-2) Need access to UpToDate data",
      r.error().message);
  BOOST_TEST(count_with(node.os.runs_of("drbdadm"), " primary ") == 1u);
  BOOST_TEST(node.os.elapsed() < 5s);
  Node by_default;  // the default ladder scores Consistent 0: no score, no promotion
  by_default.os.up = true;
  by_default.os.disk = DiskState::consistent;
  by_default.os.peer_connection = ConnectionState::connecting;
  by_default.monitor();
  BOOST_TEST(by_default.os.runs_of("crm_attribute") == std::vector<std::string>{"crm_attribute --promotion -D"});
}

BOOST_AUTO_TEST_CASE(start_brings_the_resource_up_and_publishes) {
  Node node;
  auto r = node.call(start, "start");
  BOOST_TEST_REQUIRE(r.has_value(), r.error().message);
  BOOST_TEST(*r == PCMK_OCF_OK);
  BOOST_TEST(node.os.up);
  BOOST_TEST(node.os.runs_of("drbdadm").front() == "drbdadm -c /etc/drbd.conf adjust r0");
  BOOST_TEST(node.os.runs_of("crm_attribute") == std::vector<std::string>{"crm_attribute --promotion -v 10000"});
}

BOOST_AUTO_TEST_CASE(start_waits_for_the_peer_no_longer_than_wfc_timeout) {
  Node node;
  node.os.peer_connection = ConnectionState::connecting;
  node.env["OCF_RESKEY_wfc_timeout"] = "5s";
  auto r = node.call(start, "start");
  BOOST_TEST_REQUIRE(r.has_value(), r.error().message);
  BOOST_TEST(node.os.elapsed() >= 5s);
  BOOST_TEST(node.os.elapsed() < 7s);
  BOOST_TEST(node.os.runs_of("crm_attribute") == std::vector<std::string>{"crm_attribute --promotion -v 1000"});
}

BOOST_AUTO_TEST_CASE(start_refuses_an_older_module) {
  Node node;
  node.env["OCF_RESKEY_require_drbd_module_version"] = "9.1";
  auto r = node.call(start, "start");
  BOOST_TEST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == Errc::not_installed));
  BOOST_TEST(r.error().message == "the DRBD module is 8.4.11, older than 9.1.0 (require_drbd_module_version)");
  node.env["OCF_RESKEY_require_drbd_module_version"] = "8.4.11";
  BOOST_TEST(node.call(start, "start").has_value());
}

BOOST_AUTO_TEST_CASE(stop_demotes_takes_down_and_withdraws) {
  Node node;
  node.os.up = true;
  node.os.role = Role::primary;
  auto r = node.call(stop, "stop");
  BOOST_TEST_REQUIRE(r.has_value(), r.error().message);
  BOOST_TEST(!node.os.up);
  const auto adm = node.os.runs_of("drbdadm");
  BOOST_TEST_REQUIRE(adm.size() == 2u);
  BOOST_TEST(adm[0] == "drbdadm -c /etc/drbd.conf secondary r0");
  BOOST_TEST(adm[1] == "drbdadm -c /etc/drbd.conf down r0");
  BOOST_TEST(node.os.runs_of("crm_attribute") == std::vector<std::string>{"crm_attribute --promotion -D"});
  BOOST_TEST(node.os.disk == DiskState::up_to_date);  // not outdated unless asked
}

BOOST_AUTO_TEST_CASE(stop_of_a_stopped_resource_succeeds) {
  Node node;
  BOOST_TEST(*node.call(stop, "stop") == PCMK_OCF_OK);
  BOOST_TEST(node.os.runs_of("drbdadm").empty());
  Node no_module;
  no_module.os.files.erase("/proc/drbd");
  BOOST_TEST(*no_module.call(stop, "stop") == PCMK_OCF_OK);
}

BOOST_AUTO_TEST_CASE(stop_fails_with_the_reason_when_the_device_stays_open) {
  Node node;
  node.os.up = true;
  node.os.role = Role::primary;
  node.os.secondary_held_open = true;
  auto r = node.call(stop, "stop", 20s);
  BOOST_TEST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message.find("Device is held open by someone") != std::string::npos, r.error().message);
  BOOST_TEST(r.error().message.find("still failing when the time ran out") != std::string::npos);
  BOOST_TEST(node.os.elapsed() < 20s);  // it answers before Pacemaker's timeout
  BOOST_TEST(count_with(node.os.runs_of("drbdadm"), " down ") == 0u);
  BOOST_TEST(node.os.runs_of("drbdadm").size() > 3u);  // it kept trying
}

BOOST_AUTO_TEST_CASE(stop_outdates_a_secondary_when_asked_and_the_peer_is_primary) {
  Node node;
  node.os.up = true;
  node.os.peer_role = Role::primary;
  node.env["OCF_RESKEY_stop_outdates_secondary"] = "true";
  BOOST_TEST(*node.call(stop, "stop") == PCMK_OCF_OK);
  BOOST_TEST(node.os.disk == DiskState::outdated);
  BOOST_TEST(node.os.runs_of("drbdadm").back() == "drbdadm -c /etc/drbd.conf outdate r0");
  Node alone;  // the peer is not Primary: nothing to outdate for
  alone.os.up = true;
  alone.env["OCF_RESKEY_stop_outdates_secondary"] = "true";
  alone.call(stop, "stop");
  BOOST_TEST(alone.os.disk == DiskState::up_to_date);
}

BOOST_AUTO_TEST_CASE(promote_makes_it_primary) {
  Node node;
  node.os.up = true;
  auto r = node.call(promote, "promote");
  BOOST_TEST_REQUIRE(r.has_value(), r.error().message);
  BOOST_TEST(node.os.role == Role::primary);
  BOOST_TEST(*node.monitor() == PCMK_OCF_RUNNING_PROMOTED);
  Node again = node;  // promote of a Primary: nothing to do
  again.os.commands.clear();
  BOOST_TEST(*again.call(promote, "promote") == PCMK_OCF_OK);
  BOOST_TEST(again.os.runs_of("drbdadm").empty());
}

BOOST_AUTO_TEST_CASE(promote_refuses_data_that_is_not_uptodate_without_asking_drbd) {
  for (DiskState d : {DiskState::outdated, DiskState::inconsistent, DiskState::consistent}) {
    BOOST_TEST_CONTEXT(d) {
      Node node;
      node.os.up = true;
      node.os.disk = d;
      node.os.peer_connection = ConnectionState::connecting;
      auto r = node.call(promote, "promote");
      BOOST_TEST_REQUIRE(!r.has_value());
      BOOST_TEST(r.error().message.starts_with("refusing to promote: "), r.error().message);
      BOOST_TEST(count_with(node.os.runs_of("drbdadm"), " primary ") == 0u);
      BOOST_TEST(node.os.role == Role::secondary);
    }
  }
}

BOOST_AUTO_TEST_CASE(promote_tries_again_while_drbd_refuses_for_a_while) {
  Node node;
  node.os.up = true;
  node.os.primary_refusals = 3;
  auto r = node.call(promote, "promote");
  BOOST_TEST_REQUIRE(r.has_value(), r.error().message);
  BOOST_TEST(node.os.role == Role::primary);
  BOOST_TEST(count_with(node.os.runs_of("drbdadm"), " primary ") == 4u);
}

BOOST_AUTO_TEST_CASE(demote_makes_it_secondary) {
  Node node;
  node.os.up = true;
  node.os.role = Role::primary;
  BOOST_TEST(*node.call(demote, "demote") == PCMK_OCF_OK);
  BOOST_TEST(node.os.role == Role::secondary);
  BOOST_TEST(node.os.up);
}

BOOST_AUTO_TEST_CASE(notify_after_an_operation_publishes_a_changed_score) {
  Node node;
  node.os.up = true;
  node.monitor();
  node.os.peer_connection = ConnectionState::connecting;
  node.os.commands.clear();
  node.env["OCF_RESKEY_CRM_meta_notify_type"] = "pre";
  node.env["OCF_RESKEY_CRM_meta_notify_operation"] = "stop";
  BOOST_TEST(*node.call(notify, "notify") == PCMK_OCF_OK);
  BOOST_TEST(node.os.commands.empty());
  node.env["OCF_RESKEY_CRM_meta_notify_type"] = "post";
  BOOST_TEST(*node.call(notify, "notify") == PCMK_OCF_OK);
  BOOST_TEST(node.os.runs_of("crm_attribute") == std::vector<std::string>{"crm_attribute --promotion -v 1000"});
}

BOOST_AUTO_TEST_CASE(validate_checks_the_configuration) {
  Node node;
  BOOST_TEST(node.check().has_value());
  node.os.r0_in_config = false;
  auto missing = node.check();
  BOOST_TEST_REQUIRE(!missing.has_value());
  BOOST_TEST((missing.error().code == Errc::not_installed));
  BOOST_TEST(missing.error().message.find("'r0' not defined in your config") != std::string::npos,
             missing.error().message);
  const std::pair<const char*, const char*> wrong[] = {
      {"OCF_RESKEY_CRM_meta_clone_node_max", "2"},
      {"OCF_RESKEY_CRM_meta_globally_unique", "true"},
      {"OCF_RESKEY_adjust_master_score", "0 10 1000"},
      {"OCF_RESKEY_require_drbd_module_version", "nine"},
      {"OCF_RESKEY_drbdconf", "drbd.conf"},
  };
  for (const auto& [key, value] : wrong) {
    Node n;
    n.env[key] = value;
    auto r = n.check();
    BOOST_TEST_REQUIRE(!r.has_value(), key);
    BOOST_TEST((r.error().code == Errc::configuration), r.error().message);
  }
  // drbdadm itself failing is not "not configured here".
  struct Killed : FakeDrbd {
    sft::Result<sft::sys::ProcessResult> run(const std::vector<std::string>& argv,
                                             const sft::sys::Deadline& d) override {
      if (argv.size() > 3 && argv[3] == "sh-minor") {
        FakeSystem::run(argv, d);
        return sft::sys::ProcessResult{.exit_code = -1, .signal = 9, .out = "", .err = ""};
      }
      return FakeDrbd::run(argv, d);
    }
  };
  sft::drbd_agent::testing::BasicNode<Killed> killed;
  auto k = killed.check();
  BOOST_TEST_REQUIRE(!k.has_value());
  BOOST_TEST((k.error().code == Errc::generic));
  BOOST_TEST(k.error().message == "drbdadm sh-minor r0 was killed by signal 9");
}

BOOST_AUTO_TEST_CASE(a_resource_name_no_tool_could_read_as_an_option) {
  // drbd_resource=--config-file=/tmp/x would reach drbdadm after its own options.
  for (const std::string name : {"--config-file=/tmp/x", "-c", "r0 r1"}) {
    Node node;
    node.env["OCF_RESKEY_drbd_resource"] = name;
    node.os.load_module();
    node.os.up = true;
    auto refused = [&](const sft::Error& e) {
      BOOST_TEST((e.code == Errc::configuration), e.message);
      BOOST_TEST(e.message.starts_with("drbd_resource '" + name + "' "), e.message);
    };
    auto v = node.check();
    BOOST_TEST_REQUIRE(!v.has_value(), name);
    refused(v.error());
    for (auto handler : {sft::drbd_agent::monitor, sft::drbd_agent::stop, sft::drbd_agent::promote, sft::drbd_agent::start}) {
      auto r = node.call(handler, "monitor");
      BOOST_TEST_REQUIRE(!r.has_value(), name);
      refused(r.error());
    }
    BOOST_TEST(node.os.runs_of("drbdadm").empty(), name);
    BOOST_TEST(node.os.runs_of("drbdsetup").empty(), name);
    BOOST_TEST(node.os.runs_of("drbdsetup-84").empty(), name);
  }
}

BOOST_AUTO_TEST_CASE(validate_refuses_fencing_that_cannot_keep_every_write) {
  // The same validation runs before start and promote.
  BOOST_TEST((sft::ocf::validates_before("start") && sft::ocf::validates_before("promote")));
  Node safe;
  BOOST_TEST(safe.check().has_value());
  BOOST_TEST(safe.os.runs_of("drbdadm").back() == "drbdadm -c /etc/drbd.conf dump all");
  BOOST_TEST(safe.os.runs_of("crm_attribute").back() ==
             "crm_attribute --type crm_config --name stonith-enabled --query --quiet");
  Node outside;  // no cluster to ask: the configuration alone decides
  outside.os.stonith_enabled.reset();
  BOOST_TEST(outside.check().has_value());
  // A handler given its own --timeout is held against stonith-timeout (a warning only:
  // a handler that gives up first leaves a Primary's I/O frozen, nothing lost).
  BOOST_TEST(count_with(safe.os.runs_of("crm_attribute"), "stonith-timeout") == 0u);
  Node timed;
  timed.os.fence_peer = "/usr/lib/drbd/sft-fence-peer --timeout=15";
  BOOST_TEST(timed.check().has_value());
  BOOST_TEST(timed.os.runs_of("crm_attribute").back() ==
             "crm_attribute --type crm_config --name stonith-timeout --query --quiet");
  struct Case {
    const char* what;
    std::string fencing, fence_peer, stonith;
    const char* reason;
  };
  for (const Case& c : std::vector<Case>{
           {"resource-only", "resource-only", "/usr/lib/drbd/sft-fence-peer", "true",
            "DRBD resource r0 has fencing resource-only: a Primary cut off from its peer"},
           {"dont-care", "", "", "true", "DRBD resource r0 has fencing dont-care (the default):"},
           {"no handler", "resource-and-stonith", "", "true", "but no fence-peer handler"},
           {"no STONITH", "resource-and-stonith", "/usr/lib/drbd/sft-fence-peer", "false", "stonith-enabled=false:"},
       }) {
    Node node;
    node.os.fencing = c.fencing;
    node.os.fence_peer = c.fence_peer;
    node.os.stonith_enabled = c.stonith;
    auto r = node.check();
    BOOST_TEST_REQUIRE(!r.has_value(), c.what);
    BOOST_TEST((r.error().code == Errc::configuration), c.what);
    BOOST_TEST(r.error().message.find(c.reason) != std::string::npos, r.error().message);
    BOOST_TEST(node.os.runs_of("drbdadm").size() == 2u, c.what);  // sh-minor, dump all: nothing changed
    // An administrator who accepts the risk says so.
    node.env["OCF_RESKEY_unsafe_without_fencing"] = "true";
    BOOST_TEST(node.check().has_value(), c.what);
  }
}

BOOST_AUTO_TEST_CASE(stop_takes_down_a_resource_whose_state_cannot_be_read) {
  // drbdsetup times out behind another command's lock: a failed stop would get the node
  // fenced, so stop demotes and takes it down anyway, and /proc/drbd confirms it.
  Node node;
  node.os.up = true;
  node.os.role = Role::primary;
  node.os.events2_exit = 20;
  auto r = node.call(stop, "stop");
  BOOST_TEST_REQUIRE(r.has_value(), r.error().message);
  BOOST_TEST(*r == PCMK_OCF_OK);
  BOOST_TEST(!node.os.up);
  BOOST_TEST(node.os.role == Role::secondary);
  const auto runs = node.os.runs_of("drbdadm");
  BOOST_TEST(std::ranges::count(runs, "drbdadm -c /etc/drbd.conf secondary r0") == 1);
  BOOST_TEST(std::ranges::count(runs, "drbdadm -c /etc/drbd.conf down r0") == 1);
  // Still up after every down (held open): it fails, with the reason, before the timeout.
  Node held;
  held.os.up = true;
  held.os.role = Role::primary;
  held.os.secondary_held_open = true;
  held.os.events2_exit = 20;
  auto f = held.call(stop, "stop", 10s);
  BOOST_TEST_REQUIRE(!f.has_value());
  BOOST_TEST(f.error().message.find("held open") != std::string::npos, f.error().message);
  BOOST_TEST(held.os.up);
  BOOST_TEST(held.os.elapsed() < 10s);
}

BOOST_AUTO_TEST_SUITE_END()
