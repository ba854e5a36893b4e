#include "drbd-glue/events2.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "core/text.h"

namespace sft::drbd {

namespace {

struct Line {
  std::string_view text;
  std::string_view object;
  std::vector<std::pair<std::string_view, std::string_view>> fields;

  std::optional<std::string_view> get(std::string_view key) const {
    const auto it = std::ranges::find(fields, key, &std::pair<std::string_view, std::string_view>::first);
    if (it == fields.end()) return std::nullopt;
    return it->second;
  }
};

std::unexpected<Error> bad_line(std::string_view line, std::string_view why) {
  return fail(Errc::generic, "drbdsetup events2: " + std::string(why) + " in '" + std::string(line) + "'");
}

Result<Line> split_line(std::string_view text) {
  Line line;
  line.text = text;
  std::vector<std::string_view> words;
  for (std::string_view w : split(text, ' '))
    if (!w.empty()) words.push_back(w);
  if (words.size() < 2 || words[0] != "exists") return bad_line(text, "not 'exists <object>'");
  line.object = words[1];
  for (size_t i = 2; i < words.size(); ++i) {
    const size_t colon = words[i].find(':');  // values may hold colons (local:ipv4:10.0.0.1:7789)
    if (colon == std::string_view::npos || colon == 0)
      return bad_line(text, "'" + std::string(words[i]) + "' is not key:value");
    line.fields.emplace_back(words[i].substr(0, colon), words[i].substr(colon + 1));
  }
  return line;
}

Result<int> number(const Line& line, std::string_view key) {
  const std::optional<std::string_view> v = line.get(key);
  int n = 0;
  if (!v) return bad_line(line.text, "no " + std::string(key));
  if (!parse_number(*v, n) || n < 0) return bad_line(line.text, std::string(key) + " is not a number");
  return n;
}

Result<ResourceState*> resource_of(const Line& line, std::vector<ResourceState>& out) {
  const std::optional<std::string_view> name = line.get("name");
  if (!name || name->empty()) return bad_line(line.text, "no name");
  const auto it = std::ranges::find(out, *name, &ResourceState::name);
  if (it != out.end()) return &*it;
  out.emplace_back().name = std::string(*name);
  return &out.back();
}

Result<Peer*> peer_of(const Line& line, ResourceState& r) {
  Result<int> id = number(line, "peer-node-id");
  if (!id) return std::unexpected(id.error());
  const auto it = std::ranges::find(r.peers, std::optional<int>(*id), &Peer::node_id);
  if (it != r.peers.end()) return &*it;
  Peer& p = r.peers.emplace_back();
  p.name = std::string(line.get("conn-name").value_or(""));
  p.node_id = *id;
  return &p;
}

Result<void> apply(const Line& line, std::vector<ResourceState>& out) {
  Result<ResourceState*> r = resource_of(line, out);
  if (!r) return std::unexpected(r.error());
  ResourceState& res = **r;
  if (line.object == "resource") {
    res.role = parse_role(line.get("role").value_or(""));
    // "no", or the reasons: user, no-data, fencing, quorum (comma-separated).
    res.suspended = line.get("suspended").value_or("no") != "no";
  } else if (line.object == "connection") {
    Result<Peer*> p = peer_of(line, res);
    if (!p) return std::unexpected(p.error());
    (*p)->connection = parse_connection_state(line.get("connection").value_or(""));
    (*p)->role = parse_role(line.get("role").value_or(""));
  } else if (line.object == "device") {
    Result<int> volume = number(line, "volume");
    if (!volume) return std::unexpected(volume.error());
    Result<int> minor = number(line, "minor");
    if (!minor) return std::unexpected(minor.error());
    res.volumes.push_back(Volume{.volume = *volume,
                                 .minor = *minor,
                                 .disk = parse_disk_state(line.get("disk").value_or("")),
                                 .client = line.get("client").value_or("no") == "yes"});
    if (const std::optional<std::string_view> q = line.get("quorum")) {
      const bool has = *q == "yes";
      res.quorum = res.quorum.value_or(true) && has;
    }
  } else if (line.object == "peer-device") {
    Result<Peer*> p = peer_of(line, res);
    if (!p) return std::unexpected(p.error());
    Result<int> volume = number(line, "volume");
    if (!volume) return std::unexpected(volume.error());
    (*p)->volumes.push_back(PeerVolume{.volume = *volume,
                                       .replication = parse_replication_state(line.get("replication").value_or("")),
                                       .disk = parse_disk_state(line.get("peer-disk").value_or("")),
                                       .client = line.get("peer-client").value_or("no") == "yes"});
  }
  return {};
}

}  // namespace

Result<std::vector<ResourceState>> parse_events2(std::string_view text, Dialect dialect) {
  std::vector<ResourceState> out;
  bool complete = false;
  for (std::string_view raw : split(text, '\n')) {
    const std::string_view line = trim(raw);
    if (line.empty()) continue;
    if (complete) return bad_line(line, "output after 'exists -'");
    if (line == "exists -") {
      complete = true;
      continue;
    }
    Result<Line> parsed = split_line(line);
    if (!parsed) return std::unexpected(parsed.error());
    if (Result<void> done = apply(*parsed, out); !done) return std::unexpected(done.error());
  }
  if (!complete) return fail(Errc::generic, "drbdsetup events2: output ends before 'exists -'");
  for (ResourceState& r : out) sort_volumes(r);
  if (dialect == Dialect::drbd84) {
    for (ResourceState& r : out) {
      r.quorum.reset();
      for (Peer& p : r.peers) {
        p.name.clear();
        p.node_id.reset();
      }
    }
  }
  return out;
}

}  // namespace sft::drbd
