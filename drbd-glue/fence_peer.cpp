#include "drbd-glue/fence_peer.h"

#include <algorithm>

#include "core/pcmk/cib.h"
#include "core/sys/deadline.h"
#include "core/text.h"

namespace sft::drbd {

namespace {

constexpr sys::Millis k_poll{1000};

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  for (std::string_view w : split(text, ' '))
    if (!trim(w).empty()) out.emplace_back(trim(w));
  return out;
}

// "UpToDate", or the first local disk that is not, by name.
std::string local_disks(const ResourceState& s) {
  for (const Volume& v : s.volumes)
    if (v.disk != DiskState::up_to_date)
      return "volume " + std::to_string(v.volume) + " is " + std::string(name(v.disk));
  return s.volumes.empty() ? "it has no volumes" : "UpToDate";
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

Result<FenceRequest> parse_request(const std::map<std::string, std::string>& env, std::span<const std::string> args) {
  FenceRequest r;
  auto get = [&](const std::string& key) -> std::string {
    const auto it = env.find(key);
    return it == env.end() ? "" : it->second;
  };
  r.resource = get("DRBD_RESOURCE");
  if (r.resource.empty()) return fail(Errc::invalid_argument, "DRBD_RESOURCE is not set: run this as DRBD's handler");
  r.peers = words(get("DRBD_PEERS"));
  if (r.peers.empty()) r.peers = words(get("DRBD_PEER"));
  if (r.peers.empty() && !get("DRBD_PEER_NODE_ID").empty()) {
    const std::string name = get("DRBD_NODE_ID_" + get("DRBD_PEER_NODE_ID"));
    if (!name.empty()) r.peers.push_back(name);
  }
  std::map<int, int> by_volume;
  for (const auto& [key, value] : env) {
    int volume = 0, minor = 0;
    if (key.starts_with("DRBD_MINOR_") && parse_number(std::string_view(key).substr(11), volume)) {
      if (!parse_number(value, minor)) return fail(Errc::invalid_argument, key + "='" + value + "' is not a minor");
      by_volume[volume] = minor;
    }
  }
  for (const auto& [volume, minor] : by_volume) r.minors.push_back(minor);
  if (r.minors.empty()) {
    for (const std::string& w : words(get("DRBD_MINOR"))) {
      int minor = 0;
      if (!parse_number(w, minor))
        return fail(Errc::invalid_argument, "DRBD_MINOR='" + get("DRBD_MINOR") + "' is not a minor");
      r.minors.push_back(minor);
    }
  }
  for (const std::string& a : args) {
    long long seconds = 0;
    if (a.starts_with("--timeout=") && parse_number(std::string_view(a).substr(10), seconds) && seconds > 0 &&
        seconds <= 3600) {
      r.timeout = sys::Millis(seconds * 1000);
      continue;
    }
    return fail(Errc::invalid_argument, "unknown argument '" + a + "' (expected --timeout=SECONDS, 1 to 3600)");
  }
  return r;
}

std::string constraint_id(const std::string& resource) { return "sft-fence-peer-" + resource; }

Verdict fence_peer(pcmk::Cluster& cluster, sys::TimeSource& time, const FenceRequest& request,
                   const Result<ResourceState>& local) {
  const sys::Deadline deadline(time, request.timeout);
  const std::string& res = request.resource;
  if (!local) return {k_refused, "not fencing for " + res + ": " + local.error().message};
  if (const std::string disks = local_disks(*local); disks != "UpToDate")
    return {k_refused, "not fencing for " + res + ": this node's data is not UpToDate (" + disks + ")"};
  Result<bool> quorate = cluster.quorate();
  if (!quorate) return {k_refused, "not fencing for " + res + ": " + quorate.error().message};
  if (!*quorate) return {k_refused, "not fencing for " + res + ": this partition is not quorate"};
  Result<std::string> me = cluster.local_node();
  if (!me) return {k_refused, "not fencing for " + res + ": " + me.error().message};
  Result<std::string> cib = cluster.query(deadline.slice(0.2));
  if (!cib) return {k_refused, "not fencing for " + res + ": " + cib.error().message};
  Result<std::string> clone = pcmk::promotable_clone(*cib, "sft", "drbd", "drbd_resource", res);
  if (!clone) return {k_refused, "not fencing for " + res + ": " + clone.error().message};
  const std::string id = constraint_id(res);
  if (Result<void> put =
          cluster.put_constraint(pcmk::ban_role_except(id, *clone, "Promoted", {*me}), deadline.slice(0.3));
      !put)
    return {k_refused, "not fencing for " + res + ": " + put.error().message};
  const std::string placed = "placed " + id + " (Promoted only on " + *me + ")";

  // Now, what became of the peer: online (only DRBD's link broke), or down as
  // Pacemaker records it once fencing succeeded. Wait for an unclean peer.
  std::vector<std::string> online, down, waiting;
  for (;;) {
    online.clear(), down.clear(), waiting.clear();
    cib = cluster.query(deadline.slice(0.5));
    for (const std::string& peer : request.peers) {
      Result<pcmk::NodeState> s =
          cib ? pcmk::node_state(*cib, peer) : Result<pcmk::NodeState>(std::unexpected(cib.error()));
      if (s && *s == pcmk::NodeState::online)
        online.push_back(peer);
      else if (s && *s == pcmk::NodeState::down)
        down.push_back(peer);
      else
        waiting.push_back(peer + (s ? " " + std::string(pcmk::name(*s)) : ": " + s.error().message));
    }
    if (waiting.empty() || !deadline.sleep_for(k_poll) || deadline.expired()) break;
  }
  if (request.peers.empty())
    return {k_peer_unreachable, placed + "; DRBD named no peer, so none can be confirmed down"};
  if (!waiting.empty())
    return {k_peer_unreachable, placed + "; not confirmed down within " +
                                    std::to_string(request.timeout.count() / 1000) + " s: " + joined(waiting)};
  if (!online.empty())
    return {k_peer_outdated, placed + "; online in the cluster, so outdated by it: " + joined(online)};
  return {k_peer_fenced, placed + "; down in the cluster: " + joined(down)};
}

Verdict unfence_peer(pcmk::Cluster& cluster, sys::TimeSource& time, const FenceRequest& request,
                     const Result<ResourceState>& local) {
  const sys::Deadline deadline(time, request.timeout);
  const std::string id = constraint_id(request.resource);
  if (!local) return {0, "left " + id + ": " + local.error().message};
  if (const std::string disks = local_disks(*local); disks != "UpToDate")
    return {0, "left " + id + ": this node's data is not UpToDate yet (" + disks + ")"};
  if (Result<void> r = cluster.remove_constraint(id, deadline); !r)
    return {1, "could not remove " + id + ": " + r.error().message};
  return {0, "removed " + id + ": this node's data is UpToDate"};
}

}  // namespace sft::drbd
