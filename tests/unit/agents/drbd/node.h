#pragma once
// A node with DRBD 8.4 and one peer, in memory, as ocf:sft:drbd sees it: drbdadm changes
// a small model of resource r0 and `drbdsetup events2 --now r0` prints the model the
// way drbd-utils 9.22 prints it on an 8.4 kernel (tests/fixtures/drbd/84). Tests set the
// model, script drbdadm's refusals, call a handler, and read back the commands run.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "agents/drbd/drbd.h"
#include "tests/fakes/fake_system.h"
#include "tests/fakes/invocation.h"

namespace sft::drbd_agent::testing {

using namespace std::chrono_literals;
using drbd::ConnectionState;
using drbd::DiskState;
using drbd::Role;

class FakeDrbd : public fakes::FakeSystem {
 public:
  // The model of r0.
  bool up = false;
  Role role = Role::secondary;
  DiskState disk = DiskState::up_to_date;                        // also what the meta data says while down
  ConnectionState peer_connection = ConnectionState::connected;  // once up
  Role peer_role = Role::secondary;
  DiskState peer_disk = DiskState::up_to_date;

  // Scripts.
  int primary_refusals = 0;                 // `primary` fails this many times (exit 11) first
  bool secondary_held_open = false;         // `secondary` always fails: the device is open
  bool r0_in_config = true;                 // false: drbdadm knows no r0
  int events2_exit = 0;                     // drbdsetup events2 fails with this exit code
  int down_refusals = 0;                    // `down` fails this many times (held open) first
  std::optional<std::string> events2_text;  // printed instead of the model (a DRBD 9 fixture)
  // What `drbdadm dump all` prints for r0's fencing, and the cluster's stonith-enabled
  // (crm_attribute --query; nullopt: it fails, as outside a cluster).
  std::string fencing = "resource-and-stonith";
  std::string fence_peer = "/usr/lib/drbd/sft-fence-peer";
  std::optional<std::string> stonith_enabled = "true";
  // What /run/sft/drbd/r0.promote-by held while `drbdadm primary` ran (what DRBD's
  // fence-peer handler would have read); nullopt: no such file.
  std::optional<std::string> promote_by_at_primary;

  FakeDrbd();
  void load_module(std::string version_line = "version: 8.4.11 (api:1/proto:86-101)");
  std::string events2() const;
  // The commands run whose program is `name` (basename), as lines without the path.
  std::vector<std::string> runs_of(const std::string& name) const;

  Result<sys::ProcessResult> run(const std::vector<std::string>& argv, const sys::Deadline& d) override;
  // /proc/drbd lists minor 0 while r0 is up on an 8.4 module, as the kernel does.
  Result<std::string> read_file(const std::string& path) override;
};

// Os is FakeDrbd or a test's class derived from it.
template <class Os>
struct BasicNode {
  Os os;
  Environment env{
      {"OCF_RESKEY_drbd_resource", "r0"},     {"OCF_RESOURCE_INSTANCE", "drbd:0"},
      {"OCF_RESKEY_CRM_meta_clone_max", "2"}, {"OCF_RESKEY_CRM_meta_promotable", "true"},
      {"PATH", "/usr/sbin:/usr/bin"},
  };

  Result<ocf::Exit> call(Result<ocf::Exit> (*handler)(ocf::Context&), const std::string& action,
                         sys::Millis timeout = 60s) {
    fakes::Invocation inv(spec(), env, os, action, sys::budget_for(timeout));
    return handler(inv.cx);
  }
  Result<void> check() {
    fakes::Invocation inv(spec(), env, os, "validate-all", sys::budget_for(20s));
    return validate(inv.cx);
  }
  // A recurring monitor (interval 20 s) or a probe.
  Result<ocf::Exit> monitor(bool probe = false) {
    env["OCF_RESKEY_CRM_meta_interval"] = probe ? "0" : "20000";
    return call(drbd_agent::monitor, "monitor");
  }
};

using Node = BasicNode<FakeDrbd>;

}  // namespace sft::drbd_agent::testing
