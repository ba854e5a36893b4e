#include "drbd-glue/fence_peer.h"

#include <algorithm>

#include "core/pcmk/cib.h"
#include "core/sys/deadline.h"
#include "core/text.h"
#include "drbd-glue/drbd_conf.h"

namespace sft::drbd {

namespace {

constexpr sys::Millis k_poll{1000};
constexpr sys::Millis k_ping{5000};           // the most one controller ping may take
constexpr sys::Millis k_default_wait{90000};  // the least a derived timeout is
constexpr sys::Millis k_first_wait{90000};    // for a DC, before the CIB tells the fencing time

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

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::ranges::find(names, name) != names.end();
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The time to wait: as asked, or twice what fencing may take by the CIB, plus 30 s.
sys::Millis wait_for(const FenceRequest& request, std::string_view cib) {
  if (request.timeout) return *request.timeout;
  Result<long long> fencing = pcmk::fencing_seconds(cib);
  if (!fencing) return k_default_wait;
  return std::max(k_default_wait, sys::Millis((2 * *fencing + 30) * 1000));
}

// Waits, within the deadline, for a quorate partition whose DC answers; the DC's CIB, or
// why there is none (the last reason seen).
Result<std::string> dc_cib(pcmk::Cluster& cluster, const sys::Deadline& deadline) {
  std::string why = "no answer";
  for (;;) {
    Result<bool> quorate = cluster.quorate();
    if (!quorate)
      why = quorate.error().message;
    else if (!*quorate)
      why = "this partition is not quorate";
    else if (Result<std::string> cib = cluster.query(deadline.slice(0.5, k_poll * 5)); !cib)
      why = "no DC answered: " + cib.error().message;
    else
      return cib;
    if (!deadline.sleep_for(k_poll) || deadline.expired()) break;
  }
  return fail(Errc::timeout, why);
}

struct Placement {
  bool placed = false;
  std::string why;  // the refusal, or what was done
};

// Places the constraint so that only `me` may be Promoted, narrowing one that is there
// and refusing one that leaves `me` out. `cib` is refreshed when a race is lost.
Placement place(pcmk::Cluster& cluster, const sys::Deadline& deadline, const std::string& id,
                const std::string& clone, const std::string& me, std::string& cib) {
  for (;;) {
    Result<std::string> role = pcmk::promoted_role(cib);
    Result<std::optional<std::vector<std::string>>> existing = pcmk::role_allowed_on(cib, id);
    if (!role) return {false, role.error().message};
    if (!existing) return {false, existing.error().message};
    const std::string xml = pcmk::ban_role_except(id, clone, *role, {me});
    if (*existing && !contains(**existing, me))
      return {false, id + " already allows the Promoted role only on " + joined(**existing) +
                         ": that node fenced this one first, so this node's data may be behind"};
    if (*existing && **existing == std::vector<std::string>{me}) return {true, id + " was in place"};
    Result<bool> done = true;
    if (*existing) {
      if (Result<void> put = cluster.put_constraint(xml, deadline.slice(0.3)); !put) done = std::unexpected(put.error());
    } else {
      done = cluster.create_constraint(xml, deadline.slice(0.3));
    }
    if (done && *done)
      return {true, (*existing ? "narrowed " : "placed ") + id + " (Promoted only on " + me + ")"};
    // Another handler placed one first, or the CIB refused: look again.
    const std::string why = done ? id + " appeared while placing it" : done.error().message;
    if (!deadline.sleep_for(k_poll) || deadline.expired()) return {false, why};
    Result<std::string> again = cluster.query(deadline.slice(0.5, k_poll * 5));
    if (!again) return {false, why + "; then " + again.error().message};
    cib = *again;
  }
}

}  // namespace

Result<FenceRequest> parse_request(const Environment& env, std::span<const std::string> args) {
  FenceRequest r;
  auto get = [&](const std::string& key) { return lookup(env, key).value_or(""); };
  r.resource = get("DRBD_RESOURCE");
  if (r.resource.empty()) return fail(Errc::invalid_argument, "DRBD_RESOURCE is not set: run this as DRBD's handler");
  if (const std::optional<std::string> bad = resource_name_problem(r.resource))
    return fail(Errc::invalid_argument, "DRBD_RESOURCE='" + r.resource + "' " + *bad);
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
    const Result<std::chrono::milliseconds> timeout = parse_timeout_argument(a);
    if (!timeout) return std::unexpected(timeout.error());
    r.timeout = *timeout;
  }
  return r;
}

std::string constraint_id(const std::string& resource) { return "sft-fence-peer-" + resource; }

Verdict fence_peer(pcmk::Cluster& cluster, sys::TimeSource& time, const FenceRequest& request,
                   const Result<ResourceState>& local) {
  const sys::Clock::time_point started = time.now();
  const std::string& res = request.resource;
  const std::string no = "not fencing for " + res + ": ";
  const std::string nothing = "; no disk state changed";
  if (!local) return {k_helper_failed, no + local.error().message + nothing};
  const std::string disks = local_disks(*local);
  const bool consistent = std::ranges::all_of(local->volumes, [](const Volume& v) {
    return v.disk == DiskState::up_to_date || v.disk == DiskState::consistent;
  });
  if (disks != "UpToDate" && !(consistent && !local->volumes.empty()))
    return {k_helper_failed, no + "this node's data is not UpToDate (" + disks + ")" + nothing};
  Result<std::string> me = cluster.local_node();
  if (!me) return {k_helper_failed, no + me.error().message + nothing};

  // A quorate partition and a DC that answers: an election or a membership change that
  // is still settling passes within the time.
  // Within the promote that started this handler, if one did.
  const auto capped = [&](sys::Millis budget) {
    if (!request.answer_by) return budget;
    return std::clamp(std::chrono::duration_cast<sys::Millis>(*request.answer_by - started), sys::Millis(0), budget);
  };
  const sys::Deadline first(time, capped(request.timeout.value_or(k_first_wait)));
  Result<std::string> cib = dc_cib(cluster, first);
  if (!cib) return {k_helper_failed, no + cib.error().message + nothing};
  const sys::Millis spent = std::chrono::duration_cast<sys::Millis>(time.now() - started);
  const sys::Millis wait = capped(wait_for(request, *cib));
  const bool cut = wait < wait_for(request, *cib);
  const sys::Deadline deadline(time, std::max(sys::Millis(0), wait - spent));
  Result<std::string> clone = pcmk::promotable_clone(*cib, "sft", "drbd", "drbd_resource", res);
  if (!clone) return {k_helper_failed, no + clone.error().message + nothing};

  // The peers: as DRBD names them, else every other node of the cluster.
  std::vector<std::string> peers = request.peers;
  if (peers.empty()) {
    Result<std::vector<std::string>> nodes = pcmk::node_names(*cib);
    if (!nodes) return {k_helper_failed, no + nodes.error().message + nothing};
    for (const std::string& n : *nodes)
      if (n != *me) peers.push_back(n);
    if (peers.empty()) return {k_helper_failed, no + "DRBD named no peer and the cluster has no other node" + nothing};
  }

  // Consistent data may not know whether the peer is ahead: it fences only a peer the
  // cluster shows online, and places nothing before that is known.
  const std::string id = constraint_id(res);
  std::string placed;
  if (disks == "UpToDate") {
    const Placement p = place(cluster, deadline, id, *clone, *me, *cib);
    if (!p.placed) return {k_helper_failed, no + p.why + nothing};
    placed = p.why;
  }

  // Now, what became of each peer: online (only DRBD's link broke) as the DC sees it and
  // its controller answering, or down as Pacemaker records it once fencing succeeded.
  std::vector<std::string> online, down, lost, waiting;
  for (;;) {
    online.clear(), down.clear(), lost.clear(), waiting.clear();
    for (const std::string& peer : peers) {
      Result<pcmk::NodeState> s =
          cib ? pcmk::node_state(*cib, peer) : Result<pcmk::NodeState>(std::unexpected(cib.error()));
      if (s && *s == pcmk::NodeState::online) {
        Result<bool> answers = cluster.controller_answers(peer, deadline.within(k_ping));
        if (answers && *answers)
          online.push_back(peer);
        else
          waiting.push_back(peer + " online but its controller did not answer" +
                            (answers ? "" : " (" + answers.error().message + ")"));
      } else if (s && *s == pcmk::NodeState::down) {
        down.push_back(peer);
      } else if (s && *s == pcmk::NodeState::lost) {
        lost.push_back(peer);
      } else {
        waiting.push_back(peer + (s ? " " + std::string(pcmk::name(*s)) : ": " + s.error().message));
      }
    }
    if (waiting.empty() || !deadline.sleep_for(k_poll) || deadline.expired()) break;
    cib = cluster.query(deadline.slice(0.5, k_poll * 5));
  }
  const std::string seconds = std::to_string(wait.count() / 1000);
  if (!waiting.empty())
    return {k_helper_failed, (placed.empty() ? "" : placed + "; ") + "not confirmed within " + seconds +
                                 " s" + (cut ? " (all the promote that waits on this answer leaves)" : "") + ": " +
                                 joined(waiting) +
                                 "; no disk state changed (a Primary's frozen I/O stays frozen until the peer is "
                                 "confirmed or reconnects)"};
  if (placed.empty()) {  // Consistent data
    if (online.size() != peers.size())
      return {k_helper_failed, no + "this node's data is Consistent and not every peer is online" + nothing};
    const Placement p = place(cluster, deadline, id, *clone, *me, *cib);
    if (!p.placed) return {k_helper_failed, no + p.why + nothing};
    placed = p.why;
  }
  if (!lost.empty())
    return {k_peer_unreachable, placed + "; lost and never to be confirmed down (stonith-enabled=false): " +
                                    joined(lost) + "; without fencing no lost write can be ruled out"};
  if (!online.empty())
    return {k_peer_outdated, placed + "; online in the cluster, so outdated by it: " + joined(online)};
  return {k_peer_fenced, placed + "; down in the cluster: " + joined(down)};
}

Verdict unfence_peer(pcmk::Cluster& cluster, sys::TimeSource& time, const FenceRequest& request,
                     const Result<ResourceState>& local) {
  const sys::Deadline deadline(time, request.timeout.value_or(k_default_wait));
  const std::string id = constraint_id(request.resource);
  if (!local) return {0, "left " + id + ": " + local.error().message};
  if (const std::string disks = local_disks(*local); disks != "UpToDate")
    return {0, "left " + id + ": this node's data is not UpToDate yet (" + disks + ")"};
  // Every peer Connected with every volume UpToDate: nobody is behind.
  std::vector<std::string> current, behind;
  for (const Peer& p : local->peers) {
    // 8.4 names no peer in /proc/drbd; DRBD named it in the environment.
    const std::string name = !p.name.empty() ? p.name : request.peers.size() == 1 ? request.peers[0] : peer_label(p);
    const bool ok = p.connection == ConnectionState::connected && !p.volumes.empty() &&
                    std::ranges::all_of(p.volumes, [](const PeerVolume& v) { return v.disk == DiskState::up_to_date; });
    (ok ? current : behind).push_back(name);
  }
  if (behind.empty()) {
    if (Result<void> r = cluster.remove_constraint(id, deadline); !r)
      return {1, "could not remove " + id + ": " + r.error().message};
    return {0, "removed " + id + ": this node and every peer are UpToDate"};
  }
  // Some peer is still behind or unknown: this node may come back into the constraint
  // while it is Connected to every node the constraint allows, so it has their writes.
  Result<std::string> cib = cluster.query(deadline.slice(0.5));
  if (!cib) return {1, "could not read " + id + ": " + cib.error().message};
  Result<std::optional<std::vector<std::string>>> existing = pcmk::role_allowed_on(*cib, id);
  if (!existing) return {1, "left " + id + ": " + existing.error().message};
  if (!*existing) return {0, "no " + id + " to change; not UpToDate: " + joined(behind)};
  Result<std::string> me = cluster.local_node();
  if (!me) return {1, "left " + id + ": " + me.error().message};
  std::vector<std::string> allowed = **existing;
  if (contains(allowed, *me)) return {0, "left " + id + ": it allows this node; not UpToDate: " + joined(behind)};
  for (const std::string& n : allowed)
    if (!contains(current, n))
      return {0, "left " + id + ": not Connected and UpToDate with " + n + ", which it allows; not UpToDate: " +
                     joined(behind)};
  Result<std::string> clone = pcmk::promotable_clone(*cib, "sft", "drbd", "drbd_resource", request.resource);
  Result<std::string> role = pcmk::promoted_role(*cib);
  if (!clone || !role) return {1, "left " + id + ": " + (clone ? role.error() : clone.error()).message};
  allowed.push_back(*me);
  if (Result<void> r = cluster.put_constraint(pcmk::ban_role_except(id, *clone, *role, allowed), deadline); !r)
    return {1, "could not widen " + id + ": " + r.error().message};
  return {0, "widened " + id + " to " + joined(allowed) + "; not UpToDate: " + joined(behind)};
}

}  // namespace sft::drbd
