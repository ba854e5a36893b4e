// Reading DRBD, running drbdadm, and publishing what Pacemaker and crm_mon -A see.
#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "agents/drbd/drbd.h"
#include "core/log/log.h"
#include "core/pcmk/attributes.h"
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

// The promotion score first (what Pacemaker acts on), then what crm_mon -A shows.
std::vector<pcmk::Attribute> attributes(Context& cx, const ResourceState& state, const drbd::Policy& policy) {
  const std::string& resource = cx.params[param::drbd_resource];
  const std::optional<int> score = drbd::promotion_score(state, policy);
  return {{pcmk::Attribute::Kind::promotion, "promotion", score ? std::to_string(*score) : ""},
          {pcmk::Attribute::Kind::node, "drbd-" + resource + "-role", std::string(drbd::name(state.role))},
          {pcmk::Attribute::Kind::node, "drbd-" + resource + "-disk", disk_summary(state)},
          {pcmk::Attribute::Kind::node, "drbd-" + resource + "-replication", degraded(state, policy) ? "degraded" : "ok"}};
}

void publish(Context& cx, const ResourceState& state, const drbd::Policy& policy, bool force) {
  const std::vector<pcmk::Attribute> want = attributes(cx, state, policy);
  const pcmk::Published p = pcmk::publish_on_change(cx.os, cx.variable("PATH").value_or(""), published_path(cx), want,
                                                    force, cx.deadline.slice(0.5));
  const std::string& score = want[0].value;
  const std::string about = " (" + want[1].value + ", " + want[2].value + ")";
  auto written = [&](const std::string& name) { return std::ranges::find(p.written, name) != p.written.end(); };
  if (written(want[0].name)) log::info("promotion score " + (score.empty() ? std::string("removed") : score) + about);
  // A change of replication is news only after a first value, and news even when the
  // attribute could not be written.
  const pcmk::Attribute& replication = want[3];
  if (p.before.contains(replication.name) && p.before.at(replication.name) != replication.value) {
    const std::string line = "replication " + replication.value + about;
    replication.value == "ok" ? log::info(line) : log::warning(line);
  }
}

void withdraw(Context& cx) {
  // The values do not matter: every one is deleted.
  const ResourceState none{};
  pcmk::withdraw(cx.os, cx.variable("PATH").value_or(""), published_path(cx), attributes(cx, none, drbd::Policy{}),
                 cx.deadline.slice(0.5));
}

}  // namespace sft::drbd_agent
