// ocf:sft:drbd's actions on a fake DRBD 8.4 node (node.h).
#include <boost/test/unit_test.hpp>

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

BOOST_AUTO_TEST_CASE(not_up_is_not_running) {
  Node node;
  BOOST_TEST(*node.monitor(true) == PCMK_OCF_NOT_RUNNING);
  BOOST_TEST(node.os.runs_of("crm_attribute").empty());
}

BOOST_AUTO_TEST_CASE(no_module_or_no_drbd_utils_is_not_running_for_a_probe) {
  Node no_module;
  no_module.os.files.erase("/proc/drbd");
  BOOST_TEST(*no_module.monitor(true) == PCMK_OCF_NOT_RUNNING);
  BOOST_TEST(no_module.os.commands.empty());  // not even drbdsetup
  Node no_tools;
  no_tools.os.stats.erase("/usr/sbin/drbdsetup");
  BOOST_TEST(*no_tools.monitor(true) == PCMK_OCF_NOT_RUNNING);
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

BOOST_AUTO_TEST_CASE(roles_and_degradation) {
  struct Case {
    const char* what;
    Role role;
    DiskState disk;
    ConnectionState peer;
    DiskState peer_disk;
    sft::ocf::Exit expected;
  } cases[] = {
      {"healthy Secondary", Role::secondary, DiskState::up_to_date, ConnectionState::connected, DiskState::up_to_date,
       PCMK_OCF_OK},
      {"healthy Primary", Role::primary, DiskState::up_to_date, ConnectionState::connected, DiskState::up_to_date,
       PCMK_OCF_RUNNING_PROMOTED},
      {"Primary, peer gone", Role::primary, DiskState::up_to_date, ConnectionState::connecting, DiskState::up_to_date,
       PCMK_OCF_DEGRADED_PROMOTED},
      {"Primary, peer resyncing", Role::primary, DiskState::up_to_date, ConnectionState::connected,
       DiskState::inconsistent, PCMK_OCF_DEGRADED_PROMOTED},
      {"Secondary, peer gone", Role::secondary, DiskState::up_to_date, ConnectionState::standalone,
       DiskState::up_to_date, PCMK_OCF_DEGRADED},
      {"Secondary Outdated", Role::secondary, DiskState::outdated, ConnectionState::connecting, DiskState::up_to_date,
       PCMK_OCF_DEGRADED},
      {"Primary on a failed disk, peer reachable", Role::primary, DiskState::diskless, ConnectionState::connected,
       DiskState::up_to_date, PCMK_OCF_DEGRADED_PROMOTED},
      {"Primary on a failed disk, peer gone", Role::primary, DiskState::diskless, ConnectionState::connecting,
       DiskState::up_to_date, PCMK_OCF_FAILED_PROMOTED},
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
  BOOST_TEST(*node.monitor() == PCMK_OCF_DEGRADED);
  BOOST_TEST(node.os.runs_of("crm_attribute") == std::vector<std::string>{"crm_attribute --promotion -v 1000"});
  BOOST_TEST(node.os.runs_of("attrd_updater").empty());  // role and disk did not change
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

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(drbd_agent_actions)

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
  Node two;
  two.env["OCF_RESKEY_CRM_meta_clone_node_max"] = "2";
  BOOST_TEST((two.check().error().code == Errc::configuration));
  Node ladder;
  ladder.env["OCF_RESKEY_adjust_master_score"] = "0 10 1000";
  BOOST_TEST((ladder.check().error().code == Errc::configuration));
  Node version;
  version.env["OCF_RESKEY_require_drbd_module_version"] = "nine";
  BOOST_TEST((version.check().error().code == Errc::configuration));
}

BOOST_AUTO_TEST_SUITE_END()
