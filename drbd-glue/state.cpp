#include "drbd-glue/state.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <string>
#include <utility>

namespace sft::drbd {

namespace {

constexpr std::string_view k_unrecognised = "unrecognised";

// One table per enum serves both directions, so a spelling cannot be readable and
// unprintable (or the reverse).
constexpr std::pair<Role, std::string_view> k_roles[] = {
    {Role::primary, "Primary"},
    {Role::secondary, "Secondary"},
    {Role::unknown, "Unknown"},
};

constexpr std::pair<DiskState, std::string_view> k_disk_states[] = {
    {DiskState::diskless, "Diskless"},       {DiskState::attaching, "Attaching"},
    {DiskState::detaching, "Detaching"},     {DiskState::failed, "Failed"},
    {DiskState::negotiating, "Negotiating"}, {DiskState::inconsistent, "Inconsistent"},
    {DiskState::outdated, "Outdated"},       {DiskState::dunknown, "DUnknown"},
    {DiskState::consistent, "Consistent"},   {DiskState::up_to_date, "UpToDate"},
};

constexpr std::pair<ConnectionState, std::string_view> k_connection_states[] = {
    {ConnectionState::standalone, "StandAlone"},        {ConnectionState::disconnecting, "Disconnecting"},
    {ConnectionState::unconnected, "Unconnected"},      {ConnectionState::timeout, "Timeout"},
    {ConnectionState::broken_pipe, "BrokenPipe"},       {ConnectionState::network_failure, "NetworkFailure"},
    {ConnectionState::protocol_error, "ProtocolError"}, {ConnectionState::tear_down, "TearDown"},
    {ConnectionState::connecting, "Connecting"},        {ConnectionState::connected, "Connected"},
};

constexpr std::pair<ReplicationState, std::string_view> k_replication_states[] = {
    {ReplicationState::off, "Off"},
    {ReplicationState::established, "Established"},
    {ReplicationState::starting_sync_s, "StartingSyncS"},
    {ReplicationState::starting_sync_t, "StartingSyncT"},
    {ReplicationState::wf_bitmap_s, "WFBitMapS"},
    {ReplicationState::wf_bitmap_t, "WFBitMapT"},
    {ReplicationState::wf_sync_uuid, "WFSyncUUID"},
    {ReplicationState::sync_source, "SyncSource"},
    {ReplicationState::sync_target, "SyncTarget"},
    {ReplicationState::paused_sync_s, "PausedSyncS"},
    {ReplicationState::paused_sync_t, "PausedSyncT"},
    {ReplicationState::verify_s, "VerifyS"},
    {ReplicationState::verify_t, "VerifyT"},
    {ReplicationState::ahead, "Ahead"},
    {ReplicationState::behind, "Behind"},
};

template <class E, size_t N>
E parse_in(const std::pair<E, std::string_view> (&table)[N], std::string_view word) {
  const auto* it = std::ranges::find(table, word, &std::pair<E, std::string_view>::second);
  return it == std::end(table) ? E::unrecognised : it->first;
}

template <class E, size_t N>
std::string_view name_in(const std::pair<E, std::string_view> (&table)[N], E value) {
  const auto* it = std::ranges::find(table, value, &std::pair<E, std::string_view>::first);
  return it == std::end(table) ? k_unrecognised : it->second;
}

}  // namespace

Role parse_role(std::string_view word) { return parse_in(k_roles, word); }
DiskState parse_disk_state(std::string_view word) { return parse_in(k_disk_states, word); }
ConnectionState parse_connection_state(std::string_view word) { return parse_in(k_connection_states, word); }
ReplicationState parse_replication_state(std::string_view word) { return parse_in(k_replication_states, word); }

std::string_view name(Role value) { return name_in(k_roles, value); }
std::string_view name(DiskState value) { return name_in(k_disk_states, value); }
std::string_view name(ConnectionState value) { return name_in(k_connection_states, value); }
std::string_view name(ReplicationState value) { return name_in(k_replication_states, value); }

void sort_volumes(ResourceState& state) {
  std::ranges::stable_sort(state.volumes, {}, &Volume::volume);
  for (Peer& p : state.peers) std::ranges::stable_sort(p.volumes, {}, &PeerVolume::volume);
}

const PeerVolume* find_volume(const Peer& peer, int volume) {
  const auto it = std::ranges::find(peer.volumes, volume, &PeerVolume::volume);
  return it == peer.volumes.end() ? nullptr : &*it;
}

std::string peer_label(const Peer& peer) {
  if (!peer.name.empty()) return peer.name;
  if (peer.node_id) return "node-id " + std::to_string(*peer.node_id);
  return "peer";
}

std::optional<std::string> resource_name_problem(std::string_view name) {
  if (name.empty()) return "is empty";
  if (name.size() > 128) return "is longer than 128 characters";
  if (name.front() == '-' || name.front() == '.') return "starts with '" + std::string(1, name.front()) + "'";
  for (const char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '+' && c != '-')
      return "has '" + std::string(1, c) + "' (DRBD names use A-Z a-z 0-9 _ . + -)";
  return std::nullopt;
}

}  // namespace sft::drbd
