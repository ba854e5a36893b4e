#include "tests/unit/agents/drbd/node.h"

namespace sft::drbd_agent::testing {

FakeDrbd::FakeDrbd() {
  for (const char* p :
       {"/usr/sbin/drbdadm", "/usr/sbin/drbdsetup", "/usr/sbin/crm_attribute", "/usr/sbin/attrd_updater"})
    add_program(p);
  load_module();
}

void FakeDrbd::load_module(std::string version_line) {
  files["/proc/drbd"] = version_line + "\nsrcversion: F73C670A7EC572DB9CF3E5B \n";
}

std::string FakeDrbd::events2() const {
  if (!up) return "exists -\n";
  const bool connected = peer_connection == ConnectionState::connected;
  const std::string replication = !connected                             ? "Off"
                                  : peer_disk == DiskState::inconsistent ? "SyncSource"
                                                                         : "Established";
  return "exists resource name:r0 role:" + std::string(drbd::name(role)) + " suspended:no\n" +
         "exists connection name:r0 peer-node-id:0 conn-name:peer connection:" +
         std::string(drbd::name(peer_connection)) +
         " role:" + std::string(drbd::name(connected ? peer_role : Role::unknown)) + "\n" +
         "exists device name:r0 volume:0 minor:0 disk:" + std::string(drbd::name(disk)) + "\n" +
         "exists peer-device name:r0 peer-node-id:0 conn-name:peer volume:0 replication:" + replication +
         " peer-disk:" + std::string(drbd::name(connected ? peer_disk : DiskState::dunknown)) +
         " resync-suspended:no\nexists -\n";
}

Result<std::string> FakeDrbd::read_file(const std::string& path) {
  Result<std::string> text = FakeSystem::read_file(path);
  if (path != "/proc/drbd" || !text || !up || !text->starts_with("version: 8.")) return text;
  return *text + " 0: cs:Connected ro:" + std::string(drbd::name(role)) + "/Secondary ds:" +
         std::string(drbd::name(disk)) + "/UpToDate C r-----\n";
}

std::vector<std::string> FakeDrbd::runs_of(const std::string& name) const {
  std::vector<std::string> out;
  for (const std::vector<std::string>& argv : commands) {
    if (argv.empty() || argv[0].substr(argv[0].rfind('/') + 1) != name) continue;
    std::string line = name;
    for (size_t i = 1; i < argv.size(); ++i) line += " " + argv[i];
    out.push_back(line);
  }
  return out;
}

Result<sys::ProcessResult> FakeDrbd::run(const std::vector<std::string>& argv, const sys::Deadline& d) {
  Result<sys::ProcessResult> base = FakeSystem::run(argv, d);  // records the command
  const std::string name = argv[0].substr(argv[0].rfind('/') + 1);
  auto answer = [](int code, std::string out, std::string err = "") {
    return sys::ProcessResult{.exit_code = code, .out = std::move(out), .err = std::move(err)};
  };
  if (name == "drbdsetup" || name == "drbdsetup-84") {
    if (events2_exit != 0) return answer(events2_exit, "", "drbdsetup: netlink error\n");
    return answer(0, events2_text.value_or(events2()));
  }
  if (name == "crm_attribute" && argv.size() > 2 && argv[1] == "--type") {
    if (!stonith_enabled) return answer(105, "", "crm_attribute: Could not connect to the CIB: Transport endpoint\n");
    return answer(0, *stonith_enabled + "\n");
  }
  if (name != "drbdadm") return base;
  if (argv.size() == 5 && argv[3] == "dump" && argv[4] == "all") {
    if (!r0_in_config) return answer(0, "# /etc/drbd.conf\nglobal {\n}\n");
    std::string disk_section = fencing.empty() ? "" : "    disk {\n        fencing          " + fencing + ";\n    }\n";
    std::string handlers =
        fence_peer.empty() ? "" : "    handlers {\n        fence-peer       \"" + fence_peer + "\";\n    }\n";
    return answer(0, "# /etc/drbd.conf\nresource r0 {\n    on alpha {\n        device           /dev/drbd0 minor 0;\n"
                     "    }\n" + disk_section + handlers + "}\n");
  }
  // drbdadm -c CONF ACTION RESOURCE
  if (argv.size() != 5 || argv[1] != "-c") return answer(20, "", "unexpected drbdadm command line\n");
  const std::string& action = argv[3];
  if (!r0_in_config || argv[4] != "r0")
    return answer(10, "", "'" + argv[4] + "' not defined in your config (for this host).\n");
  if (action == "sh-minor") return answer(0, "0\n");
  if (action == "adjust" || action == "up") {
    up = true;
    return answer(0, "");
  }
  if (action == "down") {
    if (up && ((role == Role::primary && secondary_held_open) || down_refusals > 0)) {
      if (down_refusals > 0) --down_refusals;
      return answer(11, "", "r0: State change failed: (-12) Device is held open by someone\n");
    }
    up = false;
    role = Role::secondary;
    return answer(0, "");
  }
  if (action == "primary") {
    const auto by = files.find("/run/sft/drbd/r0.promote-by");
    promote_by_at_primary = by == files.end() ? std::nullopt : std::optional<std::string>(by->second);
    if (!up) return answer(10, "", "0: Failure: (127) Device minor not allocated\n");
    if (primary_refusals > 0) {
      --primary_refusals;
      return answer(11, "", "0: State change failed: (-1) Multiple primaries not allowed by config\n");
    }
    if (disk != DiskState::up_to_date)
      return answer(17, "", "0: State change failed: (-2) Need access to UpToDate data\n");
    role = Role::primary;
    return answer(0, "");
  }
  if (action == "secondary") {
    if (secondary_held_open) return answer(11, "", "0: State change failed: (-12) Device is held open by someone\n");
    role = Role::secondary;
    return answer(0, "");
  }
  if (action == "outdate") {
    if (disk == DiskState::up_to_date || disk == DiskState::consistent) disk = DiskState::outdated;
    return answer(0, "");
  }
  return answer(20, "", "unexpected drbdadm action " + action + "\n");
}

}  // namespace sft::drbd_agent::testing
