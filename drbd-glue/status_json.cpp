#include "drbd-glue/status_json.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <type_traits>

namespace sft::drbd {

namespace {

using nlohmann::json;

// Reads keys of one object, keeping the first thing wrong: the caller checks `error`
// once the object is read rather than after every key.
class Reader {
 public:
  explicit Reader(std::string where) : m_where(std::move(where)) {}

  // object[key] as T; `fallback` when absent (an error without one); T{} and an error
  // when present with another type.
  template <class T>
  T get(const json& object, const char* key, std::optional<T> fallback = std::nullopt) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
      if (!fallback) note(std::string("no \"") + key + "\"");
      return fallback.value_or(T{});
    }
    const char* wanted = std::is_same_v<T, bool> ? "a boolean" : std::is_integral_v<T> ? "a number" : "a string";
    const bool fits = std::is_same_v<T, bool> ? it->is_boolean()
                      : std::is_integral_v<T> ? it->is_number_integer()
                                              : it->is_string();
    if (!fits) {
      note(std::string("\"") + key + "\" is not " + wanted);
      return T{};
    }
    return it->get<T>();
  }

  bool expect_object(const json& j, std::string_view what) {
    if (!j.is_object()) note(std::string(what) + " is not an object");
    return j.is_object();
  }

  void note(std::string why) {
    if (!error) error = Error{Errc::generic, "drbdsetup status --json: " + m_where + ": " + why};
  }

  std::optional<Error> error;

 private:
  std::string m_where;
};

const json& array_or_empty(const json& object, const char* key) {
  static const json empty = json::array();
  const auto it = object.find(key);
  return it != object.end() && it->is_array() ? *it : empty;
}

Result<Peer> read_peer(const json& j, const std::string& resource) {
  Reader rd(resource);
  if (!rd.expect_object(j, "a connection")) return std::unexpected(*rd.error);
  Peer p;
  p.node_id = rd.get<int>(j, "peer-node-id");
  p.name = rd.get<std::string>(j, "name", "");
  p.connection = parse_connection_state(rd.get<std::string>(j, "connection-state", ""));
  p.role = parse_role(rd.get<std::string>(j, "peer-role", ""));
  for (const json& pv : array_or_empty(j, "peer_devices")) {
    if (!rd.expect_object(pv, "a peer device")) break;
    PeerVolume v;
    v.volume = rd.get<int>(pv, "volume");
    v.replication = parse_replication_state(rd.get<std::string>(pv, "replication-state", ""));
    v.disk = parse_disk_state(rd.get<std::string>(pv, "peer-disk-state", ""));
    v.client = rd.get<bool>(pv, "peer-client", false);
    p.volumes.push_back(v);
  }
  if (rd.error) return std::unexpected(*rd.error);
  return p;
}

Result<ResourceState> read_resource(const json& j, size_t index) {
  Reader rd("element " + std::to_string(index));
  if (!rd.expect_object(j, "it")) return std::unexpected(*rd.error);
  ResourceState r;
  r.name = rd.get<std::string>(j, "name");
  if (rd.error) return std::unexpected(*rd.error);
  rd = Reader(r.name);
  r.role = parse_role(rd.get<std::string>(j, "role", ""));
  r.suspended = rd.get<bool>(j, "suspended", false);
  for (const json& d : array_or_empty(j, "devices")) {
    if (!rd.expect_object(d, "a device")) break;
    Volume v;
    v.volume = rd.get<int>(d, "volume");
    v.minor = rd.get<int>(d, "minor");
    v.disk = parse_disk_state(rd.get<std::string>(d, "disk-state", ""));
    v.client = rd.get<bool>(d, "client", false);
    r.volumes.push_back(v);
    if (d.contains("quorum")) r.quorum = rd.get<bool>(d, "quorum") && r.quorum.value_or(true);
  }
  if (rd.error) return std::unexpected(*rd.error);
  for (const json& c : array_or_empty(j, "connections")) {
    Result<Peer> p = read_peer(c, r.name);
    if (!p) return std::unexpected(p.error());
    r.peers.push_back(std::move(*p));
  }
  sort_volumes(r);
  return r;
}

}  // namespace

Result<std::vector<ResourceState>> parse_status_json(std::string_view text) {
  const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return fail(Errc::generic, "drbdsetup status --json: the output is not JSON");
  if (!doc.is_array()) return fail(Errc::generic, "drbdsetup status --json: the output is not an array");
  std::vector<ResourceState> out;
  for (size_t i = 0; i < doc.size(); ++i) {
    Result<ResourceState> r = read_resource(doc[i], i);
    if (!r) return std::unexpected(r.error());
    out.push_back(std::move(*r));
  }
  return out;
}

}  // namespace sft::drbd
