// Reading DRBD, running drbdadm, and publishing what Pacemaker and crm_mon -A see.
#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "agents/drbd/drbd.h"
#include "core/log/log.h"
#include "core/sys/programs.h"
#include "core/text.h"
#include "drbd-glue/reader.h"

namespace sft::drbd_agent {

namespace {

constexpr const char* k_published_dir = "/run/sft/drbd";

// One file per resource: Pacemaker names an anonymous clone's instance "r0:1" for some
// operations and "r0" for others, and with one instance per node (clone-node-max=1,
// checked by validate) both are this node's one copy, whose score is master-r0 either
// way. '/' cannot appear.
std::string published_path(Context& cx) {
  std::string name = cx.instance.empty() ? cx.params[param::drbd_resource] : cx.instance;
  if (const size_t colon = name.rfind(':'); colon != std::string::npos) {
    int n = 0;
    if (parse_number(std::string_view(name).substr(colon + 1), n)) name.resize(colon);
  }
  std::ranges::replace(name, '/', '_');
  return std::string(k_published_dir) + "/" + name;
}

using Published = std::map<std::string, std::string>;

Published read_published(Context& cx) {
  Published out;
  Result<std::string> text = cx.os.read_file(published_path(cx));
  if (!text) return out;
  for (std::string_view line : split(*text, '\n')) {
    const size_t eq = line.find('=');
    if (eq != std::string_view::npos) out[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
  }
  return out;
}

void write_published(Context& cx, const Published& p) {
  std::string text;
  for (const auto& [k, v] : p) text += k + "=" + v + "\n";
  if (Result<void> made = cx.os.make_dirs(k_published_dir, 0700); !made) {
    log::warning("cannot remember the published attributes: " + made.error().message);
    return;
  }
  if (Result<void> w = cx.os.write_file(published_path(cx), text, 0600); !w)
    log::warning("cannot remember the published attributes: " + w.error().message);
}

// Runs a Pacemaker attribute tool, bounded; true when it succeeded.
bool run_attribute_tool(Context& cx, std::vector<std::string> argv, const sys::Deadline& d) {
  std::vector<std::string> shown{argv[0], argv[1]};
  Result<std::string> r = cx.run_checked(std::move(argv), d, std::move(shown));
  if (!r) log::warning(r.error().message);
  return r.has_value();
}

// Which pacemaker-attrd holds the attributes: its pid, or "none". A new one (a
// restarted daemon) may have lost what the old one held, so everything is written again.
// The steady case reads one file: the remembered pid's name.
std::string attrd_identity(Context& cx, const std::string& remembered) {
  auto is_attrd = [&](const std::string& pid) {
    return cx.os.read_file("/proc/" + pid + "/comm").value_or("") == "pacemaker-attrd\n";
  };
  if (!remembered.empty() && remembered != "none" && is_attrd(remembered)) return remembered;
  Result<std::vector<std::string>> pids = cx.os.list_dir("/proc");
  if (!pids) return "none";
  for (const std::string& pid : *pids)
    if (!pid.empty() && std::isdigit(static_cast<unsigned char>(pid[0])) && is_attrd(pid)) return pid;
  return "none";
}

// The worst of the local disks ("UpToDate", "Inconsistent"...), for crm_mon -A.
std::string disk_summary(const ResourceState& state) {
  if (state.volumes.empty()) return "none";
  const auto worst = std::ranges::min(state.volumes, {}, &drbd::Volume::disk);
  return std::string(drbd::name(worst.disk));
}

}  // namespace

std::string proc_drbd_path(Context& cx) {
  // SFT_PROC_DRBD stands in for /proc/drbd where no DRBD module is loaded (the
  // integration tier's stand-in drbdadm and drbdsetup write it); never where one is.
  const std::optional<std::string> standin = cx.variable("SFT_PROC_DRBD");
  if (standin && !cx.os.stat("/proc/drbd")) return *standin;
  return "/proc/drbd";
}

Result<drbd::KernelVersion> module_version(Context& cx) { return drbd::module_version(cx.os, proc_drbd_path(cx)); }

Result<std::string> resource_name(Context& cx) {
  const std::string& name = cx.params[param::drbd_resource];
  if (const std::optional<std::string> bad = drbd::resource_name_problem(name))
    return fail(Errc::configuration, "drbd_resource '" + name + "' " + *bad);
  return name;
}

Result<ResourceState> read_state(Context& cx, const sys::Deadline& d) {
  Result<std::string> name = resource_name(cx);
  if (!name) return std::unexpected(name.error());
  // No module: not running, whether or not drbd-utils is installed.
  Result<drbd::KernelVersion> v = module_version(cx);
  if (!v) return std::unexpected(v.error());
  Result<std::string> drbdsetup = drbd::drbdsetup_for(cx.os, *v, cx.variable("PATH").value_or(""));
  if (!drbdsetup) return std::unexpected(drbdsetup.error());
  return drbd::read_resource(cx.os, *drbdsetup, *v, *name, d);
}

Result<sys::ProcessResult> drbdadm_run(Context& cx, std::initializer_list<std::string_view> args,
                                       const sys::Deadline& d, std::vector<std::string>& shown) {
  Result<std::string> name = resource_name(cx);
  if (!name) return std::unexpected(name.error());
  std::vector<std::string> argv{"drbdadm", "-c", cx.params[param::drbdconf]};
  for (std::string_view a : args) argv.emplace_back(a);
  argv.push_back(*name);
  shown.assign(argv.begin() + 3, argv.end());
  shown.insert(shown.begin(), "drbdadm");
  return cx.run_program(std::move(argv), d);
}

Result<void> drbdadm(Context& cx, std::initializer_list<std::string_view> args, const sys::Deadline& d) {
  std::vector<std::string> shown;
  Result<sys::ProcessResult> r = drbdadm_run(cx, args, d, shown);
  if (!r) return std::unexpected(r.error());
  if (!r->ok()) return fail(Errc::generic, sys::describe_failure(shown, *r));
  return {};
}

void publish(Context& cx, const ResourceState& state, const drbd::Policy& policy, bool force) {
  const std::string& resource = cx.params[param::drbd_resource];
  Published want;
  const std::optional<int> score = drbd::promotion_score(state, policy);
  want["score"] = score ? std::to_string(*score) : "none";
  want["role"] = std::string(drbd::name(state.role));
  want["disk"] = disk_summary(state);
  want["replication"] = degraded(state, policy) ? "degraded" : "ok";
  Published had = read_published(cx);
  want["attrd"] = attrd_identity(cx, had.contains("attrd") ? had.at("attrd") : "");
  if (force || had["attrd"] != want["attrd"]) had.clear();  // write everything again
  if (had == want) return;                                  // the steady state: nothing written, nothing run

  Published done = had;
  done["attrd"] = want["attrd"];
  const sys::Deadline d = cx.deadline.slice(0.5);
  auto changed = [&](const char* key) { return had.count(key) == 0 || had.at(key) != want.at(key); };
  if (changed("score")) {
    const bool ok = score ? run_attribute_tool(cx, {"crm_attribute", "--promotion", "-v", want["score"]}, d)
                          : run_attribute_tool(cx, {"crm_attribute", "--promotion", "-D"}, d);
    if (ok) {
      done["score"] = want["score"];
      log::info("promotion score " + (score ? want["score"] : std::string("removed")) + " (" + want["role"] + ", " +
                want["disk"] + ")");
    }
  }
  if (changed("replication") && had.count("replication")) {
    const std::string line = "replication " + want["replication"] + " (" + want["role"] + ", " + want["disk"] + ")";
    want["replication"] == "ok" ? log::info(line) : log::warning(line);
  }
  for (const char* key : {"role", "disk", "replication"}) {
    if (!changed(key)) continue;
    const std::string attribute = "drbd-" + resource + "-" + key;
    if (run_attribute_tool(cx, {"attrd_updater", "-n", attribute, "-U", want[key]}, d)) done[key] = want[key];
  }
  write_published(cx, done);
}

void withdraw(Context& cx) {
  const std::string& resource = cx.params[param::drbd_resource];
  const sys::Deadline d = cx.deadline.slice(0.5);
  run_attribute_tool(cx, {"crm_attribute", "--promotion", "-D"}, d);
  for (const char* key : {"role", "disk", "replication"})
    run_attribute_tool(cx, {"attrd_updater", "-n", "drbd-" + resource + "-" + key, "-D"}, d);
  if (Result<void> r = cx.os.remove_file(published_path(cx)); !r) log::warning(r.error().message);
}

}  // namespace sft::drbd_agent
