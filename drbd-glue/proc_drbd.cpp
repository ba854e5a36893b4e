#include "drbd-glue/proc_drbd.h"

#include <algorithm>
#include <optional>

#include "core/text.h"

namespace sft::drbd {

namespace {

std::unexpected<Error> bad(std::string_view source, std::string_view line, std::string_view why) {
  return fail(Errc::generic, std::string(source) + ": " + std::string(why) + " in '" + std::string(line) + "'");
}

// The value of "key:" among the line's words.
std::optional<std::string_view> field(const std::vector<std::string_view>& words, std::string_view key) {
  for (std::string_view w : words)
    if (w.starts_with(key) && w.size() > key.size() && w[key.size()] == ':') return w.substr(key.size() + 1);
  return std::nullopt;
}

// "Primary/Secondary" into its halves; nullopt without exactly one '/'.
std::optional<std::pair<std::string_view, std::string_view>> halves(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos || text.find('/', slash + 1) != std::string_view::npos) return std::nullopt;
  return std::pair{text.substr(0, slash), text.substr(slash + 1)};
}

std::vector<std::string_view> words_of(std::string_view line) {
  std::vector<std::string_view> words;
  for (std::string_view w : split(line, ' '))
    if (!w.empty()) words.push_back(w);
  return words;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  for (std::string_view l : split(text, '\n'))
    if (!trim(l).empty()) lines.push_back(trim(l));
  return lines;
}

template <class T, class F>
Result<std::vector<std::pair<T, T>>> parse_pairs(std::string_view text, std::string_view source, F parse) {
  std::vector<std::pair<T, T>> out;
  for (std::string_view line : lines_of(text)) {
    const auto h = halves(line);
    if (!h) return fail(Errc::not_running, std::string(source) + ": '" + std::string(line) + "' is not a live state");
    out.emplace_back(parse(h->first), parse(h->second));
  }
  if (out.empty()) return fail(Errc::generic, std::string(source) + ": no output");
  return out;
}

constexpr std::pair<std::string_view, ConnectionState> k_waiting[] = {
    {"WFConnection", ConnectionState::connecting},
    {"WFReportParams", ConnectionState::connecting},
};

}  // namespace

std::optional<KernelVersion> parse_kernel_version(std::string_view text) {
  const size_t end = text.find_first_not_of("0123456789.");
  const std::vector<std::string_view> parts = split(text.substr(0, end), '.');
  KernelVersion v;
  if (parts.size() < 2 || parts.size() > 3 || !parse_number(parts[0], v.major) || !parse_number(parts[1], v.minor) ||
      (parts.size() == 3 && !parse_number(parts[2], v.patch)))
    return std::nullopt;
  if (end != std::string_view::npos && text[end] != '-' && text[end] != ' ') return std::nullopt;
  return v;
}

std::string to_string(const KernelVersion& v) {
  return std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.patch);
}

std::pair<ConnectionState, ReplicationState> parse_connection_84(std::string_view word) {
  for (const auto& [w, c] : k_waiting)
    if (w == word) return {c, ReplicationState::off};
  if (word == "Connected") return {ConnectionState::connected, ReplicationState::established};
  if (const ReplicationState r = parse_replication_state(word);
      r != ReplicationState::unrecognised && r != ReplicationState::off && r != ReplicationState::established)
    return {ConnectionState::connected, r};
  if (const ConnectionState c = parse_connection_state(word);
      c != ConnectionState::unrecognised && c != ConnectionState::connecting && c != ConnectionState::connected)
    return {c, ReplicationState::off};
  return {ConnectionState::unrecognised, ReplicationState::unrecognised};
}

Result<ProcDrbd> parse_proc_drbd(std::string_view text) {
  ProcDrbd out;
  bool have_version = false;
  for (std::string_view line : lines_of(text)) {
    if (line.starts_with("version:")) {
      const std::optional<KernelVersion> v = parse_kernel_version(trim(line.substr(8)));
      if (!v) return bad("/proc/drbd", line, "no version number");
      out.version = *v;
      have_version = true;
      continue;
    }
    // " 0: cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate C r-----"
    const size_t colon = line.find(':');
    int minor = 0;
    if (colon == std::string_view::npos || !parse_number(line.substr(0, colon), minor)) continue;
    const std::vector<std::string_view> words = words_of(line.substr(colon + 1));
    const std::optional<std::string_view> cs = field(words, "cs");
    if (!cs) return bad("/proc/drbd", line, "no cs:");
    if (*cs == "Unconfigured") continue;
    const std::optional<std::string_view> ro = field(words, "ro");
    const std::optional<std::string_view> ds = field(words, "ds");
    const auto roles = ro ? halves(*ro) : std::nullopt;
    const auto disks = ds ? halves(*ds) : std::nullopt;
    if (!roles || !disks) return bad("/proc/drbd", line, "no ro:A/B or ds:A/B");
    out.minors.push_back(MinorStatus{.minor = minor,
                                     .connection = parse_connection_84(*cs),
                                     .role = parse_role(roles->first),
                                     .peer_role = parse_role(roles->second),
                                     .disk = parse_disk_state(disks->first),
                                     .peer_disk = parse_disk_state(disks->second)});
  }
  if (!have_version) return fail(Errc::generic, "/proc/drbd: no version line");
  return out;
}

Result<std::vector<int>> parse_sh_minor(std::string_view text) {
  std::vector<int> minors;
  for (std::string_view line : split(text, '\n')) {
    if (trim(line).empty()) continue;
    int minor = 0;
    if (!parse_number(trim(line), minor) || minor < 0)
      return fail(Errc::generic, "drbdadm sh-minor printed '" + std::string(trim(line)) + "', not a minor");
    minors.push_back(minor);
  }
  if (minors.empty()) return fail(Errc::generic, "drbdadm sh-minor printed no minor");
  return minors;
}

Result<ResourceState> resource_from_proc(std::string name, const ProcDrbd& proc, std::span<const int> minors) {
  ResourceState r;
  r.name = std::move(name);
  Peer peer;
  int missing = 0;
  for (size_t volume = 0; volume < minors.size(); ++volume) {
    const auto it = std::ranges::find(proc.minors, minors[volume], &MinorStatus::minor);
    if (it == proc.minors.end()) {
      ++missing;
      continue;
    }
    const int v = static_cast<int>(volume);
    r.volumes.push_back(Volume{.volume = v, .minor = it->minor, .disk = it->disk, .client = false});
    peer.volumes.push_back(
        PeerVolume{.volume = v, .replication = it->connection.second, .disk = it->peer_disk, .client = false});
    // One resource has one role and one connection; on 8.4 every minor repeats them,
    // and the first volume speaks for the resource.
    if (volume == 0 || r.role == Role::unrecognised) {
      r.role = it->role;
      peer.role = it->peer_role;
      peer.connection = it->connection.first;
    }
  }
  if (minors.empty() || missing == static_cast<int>(minors.size()))
    return fail(Errc::not_running, "DRBD resource " + r.name + " is not configured in the kernel");
  if (missing > 0)
    return fail(Errc::generic, "DRBD resource " + r.name + ": " + std::to_string(missing) + " of its " +
                                   std::to_string(minors.size()) + " minors are not configured in the kernel");
  r.peers.push_back(std::move(peer));
  return r;
}

Result<std::vector<std::pair<Role, Role>>> parse_drbdadm_role(std::string_view text) {
  return parse_pairs<Role>(text, "drbdadm role", parse_role);
}

Result<std::vector<std::pair<DiskState, DiskState>>> parse_drbdadm_dstate(std::string_view text) {
  return parse_pairs<DiskState>(text, "drbdadm dstate", parse_disk_state);
}

Result<std::vector<std::pair<ConnectionState, ReplicationState>>> parse_drbdadm_cstate(std::string_view text) {
  std::vector<std::pair<ConnectionState, ReplicationState>> out;
  for (std::string_view line : lines_of(text)) out.push_back(parse_connection_84(line));
  if (out.empty()) return fail(Errc::generic, "drbdadm cstate: no output");
  return out;
}

}  // namespace sft::drbd
