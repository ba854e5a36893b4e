#include "core/pcmk/attributes.h"

#include <boost/test/unit_test.hpp>

#include "tests/fakes/fake_system.h"

using sft::pcmk::Attribute;

namespace {

constexpr const char* k_memory = "/run/sft/test/r0";

struct Node {
  sft::fakes::FakeSystem os;
  Node() {
    os.add_program("/usr/sbin/crm_attribute");
    os.add_program("/usr/sbin/attrd_updater");
    os.processes[1] = sft::fakes::FakeProcess{.comm = "systemd"};
    os.processes[77] = sft::fakes::FakeProcess{.comm = "pacemaker-attrd"};
  }
  std::vector<Attribute> want(const std::string& score, const std::string& role) {
    return {{Attribute::Kind::promotion, "promotion", score}, {Attribute::Kind::node, "test-r0-role", role}};
  }
  sft::pcmk::Published publish(const std::vector<Attribute>& w, bool force = false) {
    os.commands.clear();
    return sft::pcmk::publish_on_change(os, "/usr/bin", k_memory, w, force,
                                        sft::sys::Deadline(os, sft::sys::Millis(10000)));
  }
  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    // The tools by name: run_program hands them their path.
    for (const std::string& l : os.command_lines()) out.push_back(l.substr(l.rfind('/', l.find(' ')) + 1));
    return out;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(pcmk_attributes)

BOOST_AUTO_TEST_CASE(the_first_publish_writes_everything_in_order_and_the_steady_state_runs_nothing) {
  Node n;
  auto p = n.publish(n.want("10000", "Primary"));
  BOOST_TEST(n.lines() == (std::vector<std::string>{"crm_attribute --promotion -v 10000",
                                                    "attrd_updater -n test-r0-role -U Primary"}));
  BOOST_TEST(p.written == (std::vector<std::string>{"promotion", "test-r0-role"}));
  BOOST_TEST(p.before.empty());
  BOOST_TEST(n.os.files.at(k_memory) == "attrd=77\npromotion=10000\ntest-r0-role=Primary\n");
  p = n.publish(n.want("10000", "Primary"));
  BOOST_TEST(n.os.commands.empty());
  BOOST_TEST(p.written.empty());
}

BOOST_AUTO_TEST_CASE(only_what_changed_is_written_and_an_empty_value_deletes) {
  Node n;
  n.publish(n.want("10000", "Primary"));
  auto p = n.publish(n.want("10000", "Secondary"));
  BOOST_TEST(n.lines() == (std::vector<std::string>{"attrd_updater -n test-r0-role -U Secondary"}));
  BOOST_TEST(p.before.at("test-r0-role") == "Primary");
  n.publish(n.want("", "Secondary"));
  BOOST_TEST(n.lines() == (std::vector<std::string>{"crm_attribute --promotion -D"}));
}

BOOST_AUTO_TEST_CASE(a_new_attribute_daemon_or_a_forced_publish_gets_everything_again) {
  Node n;
  n.publish(n.want("1000", "Secondary"));
  n.os.processes.erase(77);
  n.os.processes[91] = sft::fakes::FakeProcess{.comm = "pacemaker-attrd"};  // restarted: it may have lost them
  n.publish(n.want("1000", "Secondary"));
  BOOST_TEST(n.lines().size() == 2u);
  BOOST_TEST(n.os.files.at(k_memory).starts_with("attrd=91\n"));
  n.publish(n.want("1000", "Secondary"), /*force=*/true);
  BOOST_TEST(n.lines().size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_write_that_failed_is_tried_again_the_next_time) {
  Node n;
  n.os.programs["attrd_updater"] = sft::sys::ProcessResult{.exit_code = 1, .signal = 0, .out = "", .err = "connection refused"};
  auto p = n.publish(n.want("10000", "Primary"));
  BOOST_TEST(p.written == (std::vector<std::string>{"promotion"}));
  n.os.programs.erase("attrd_updater");
  n.publish(n.want("10000", "Primary"));
  BOOST_TEST(n.lines() == (std::vector<std::string>{"attrd_updater -n test-r0-role -U Primary"}));
}

BOOST_AUTO_TEST_CASE(withdraw_deletes_each_and_forgets) {
  Node n;
  n.publish(n.want("10000", "Primary"));
  n.os.commands.clear();
  sft::pcmk::withdraw(n.os, "/usr/bin", k_memory, n.want("10000", "Primary"),
                      sft::sys::Deadline(n.os, sft::sys::Millis(10000)));
  BOOST_TEST(n.lines() == (std::vector<std::string>{"crm_attribute --promotion -D", "attrd_updater -n test-r0-role -D"}));
  BOOST_TEST(!n.os.files.contains(k_memory));
}

BOOST_AUTO_TEST_SUITE_END()
