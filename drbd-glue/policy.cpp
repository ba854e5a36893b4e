#include "drbd-glue/policy.h"

#include <algorithm>
#include <string>
#include <vector>

#include "core/text.h"

namespace sft::drbd {

namespace {

constexpr int k_score_infinity = 1000000;  // Pacemaker's INFINITY

// The ladder's rungs in their order; the resource takes the lowest of its volumes'.
enum class Rung { none, consistent, remote_uptodate, uptodate_peer_unknown, uptodate };

bool knows(const Peer& peer, int volume) {
  if (peer.connection != ConnectionState::connected) return false;
  const PeerVolume* v = find_volume(peer, volume);
  return v && v->disk != DiskState::dunknown && v->disk != DiskState::unrecognised;
}

Rung volume_rung(const ResourceState& s, const Volume& v, const Policy& policy) {
  switch (v.disk) {
    case DiskState::up_to_date: {
      const bool all_know = std::ranges::all_of(s.peers, [&](const Peer& p) { return knows(p, v.volume); });
      return s.role == Role::primary || all_know ? Rung::uptodate : Rung::uptodate_peer_unknown;
    }
    case DiskState::consistent:
      return Rung::consistent;
    case DiskState::diskless:
      return policy.promote_diskless && some_peer_has_uptodate(s, v.volume) ? Rung::remote_uptodate : Rung::none;
    default:
      return Rung::none;
  }
}

std::optional<int> value(const Ladder& l, Rung r) {
  switch (r) {
    case Rung::none:
      return std::nullopt;
    case Rung::consistent:
      return l.consistent;
    case Rung::remote_uptodate:
      return l.remote_uptodate;
    case Rung::uptodate_peer_unknown:
      return l.uptodate_peer_unknown;
    case Rung::uptodate:
      return l.uptodate;
  }
  return std::nullopt;
}

std::unexpected<Error> bad_ladder(std::string_view text) {
  return fail(Errc::invalid_argument, "adjust_master_score: '" + std::string(text) +
                                          "' is not four integers from -1000000 to 1000000 (Consistent, remote "
                                          "UpToDate, UpToDate with a peer unknown, UpToDate)");
}

}  // namespace

bool has_uptodate(const Peer& peer, int volume) {
  if (peer.connection != ConnectionState::connected) return false;
  const PeerVolume* v = find_volume(peer, volume);
  return v && v->disk == DiskState::up_to_date;
}

bool some_peer_has_uptodate(const ResourceState& s, int volume) {
  return std::ranges::any_of(s.peers, [&](const Peer& p) { return has_uptodate(p, volume); });
}

std::optional<std::string> peer_behind(const ResourceState& s) {
  for (const Peer& p : s.peers) {
    if (p.connection != ConnectionState::connected)
      return "peer " + peer_label(p) + " is " + std::string(name(p.connection));
    for (const Volume& v : s.volumes) {
      const PeerVolume* pv = find_volume(p, v.volume);
      if (pv && pv->client) continue;  // an intentionally diskless peer holds no data to be behind
      if (!pv) return "peer " + peer_label(p) + " reports no volume " + std::to_string(v.volume);
      if (pv->disk != DiskState::up_to_date)
        return "peer " + peer_label(p) + " has volume " + std::to_string(v.volume) + " " + std::string(name(pv->disk));
    }
  }
  return std::nullopt;
}

Result<Ladder> parse_ladder(std::string_view text) {
  std::vector<int> scores;
  for (std::string_view rest = trim(text); !rest.empty();) {
    const size_t end = rest.find_first_of(" \t");
    int score = 0;
    if (!parse_number(rest.substr(0, end), score) || score < -k_score_infinity || score > k_score_infinity)
      return bad_ladder(text);
    scores.push_back(score);
    rest = end == std::string_view::npos ? std::string_view{} : trim(rest.substr(end));
  }
  if (scores.size() != 4) return bad_ladder(text);
  return Ladder{scores[0], scores[1], scores[2], scores[3]};
}

std::optional<int> promotion_score(const ResourceState& state, const Policy& policy) {
  if (state.quorum == false || state.volumes.empty()) return std::nullopt;
  Rung rung = Rung::uptodate;
  for (const Volume& v : state.volumes) rung = std::min(rung, volume_rung(state, v, policy));
  if (rung == Rung::none) return std::nullopt;
  // A score promote would refuse only earns a failed promote (and Pacemaker's recovery).
  if (policy.require_all_peers_uptodate_to_promote && state.role != Role::primary && peer_behind(state))
    return std::nullopt;
  // As ocf:linbit:drbd: a rung of 0 or less publishes no score (Pacemaker would promote
  // on an explicit 0).
  const std::optional<int> score = value(policy.ladder, rung);
  if (!score || *score <= 0) return std::nullopt;
  return score;
}

std::optional<std::string> promotion_refusal(const ResourceState& state, const Policy& policy) {
  const std::string& res = state.name;
  if (state.quorum == false) return res + ": this node has no DRBD quorum";
  if (state.volumes.empty()) return res + ": no volumes are configured here";
  for (const Volume& v : state.volumes) {
    if (v.disk == DiskState::up_to_date) continue;
    if (v.disk == DiskState::diskless && policy.promote_diskless && policy.ladder.remote_uptodate > 0 &&
        some_peer_has_uptodate(state, v.volume))
      continue;
    // Consistent data only when the administrator scored it: DRBD then makes it UpToDate
    // by fencing the peer (its fence-peer handler) during `drbdadm primary`, or refuses.
    if (v.disk == DiskState::consistent && policy.ladder.consistent > 0) continue;
    return res + ": volume " + std::to_string(v.volume) + " (minor " + std::to_string(v.minor) + ") is " +
           std::string(name(v.disk)) + ", not UpToDate";
  }
  if (policy.require_all_peers_uptodate_to_promote)
    if (auto behind = peer_behind(state))
      return res + ": " + *behind + " and require_all_peers_uptodate_to_promote is set";
  // A rung the administrator set to 0 or less: not to be promoted in this state.
  if (state.role != Role::primary && !promotion_score(state, policy))
    return res + ": adjust_master_score gives this state no score";
  return std::nullopt;
}

bool may_promote(const ResourceState& state, const Policy& policy) { return !promotion_refusal(state, policy); }

}  // namespace sft::drbd
