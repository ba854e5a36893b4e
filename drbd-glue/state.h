#pragma once
// One model of a DRBD resource's state for both kernels: DRBD 9 (drbdsetup status --json,
// events2) and DRBD 8.4 (/proc/drbd, drbdadm role/cstate/dstate). The readers fill it;
// the promotion policy and the agent's monitor decide from it alone.
//
// Every enum has `unrecognised` as its first value (so a value-initialised field is
// never a valid state) and a parse_* that reads DRBD's own spelling, case-sensitively
// ("UpToDate", not "uptodate"). A word DRBD does not print parses to `unrecognised`,
// never to a nearby valid state: DRBD's own "Unknown" role and "DUnknown" disk state are
// states DRBD reports, distinct from a word this code cannot read. name() gives DRBD's
// spelling back, and "unrecognised" for that value.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sft::drbd {

// A node's role in a resource, as DRBD prints it for this node and for a peer.
enum class Role { unrecognised, primary, secondary, unknown };

// The state of one volume's backing disk, here or on a peer. In DRBD's order.
enum class DiskState {
  unrecognised,
  diskless,
  attaching,
  detaching,  // DRBD 9 only
  failed,
  negotiating,
  inconsistent,
  outdated,
  dunknown,  // a peer's disk while it is not connected
  consistent,
  up_to_date,
};

// The state of the connection to one peer. DRBD 8.4's WFConnection and friends are the
// reader's to map (to connecting); its replication states in cs: are Connected plus a
// ReplicationState.
enum class ConnectionState {
  unrecognised,
  standalone,
  disconnecting,
  unconnected,
  timeout,
  broken_pipe,
  network_failure,
  protocol_error,
  tear_down,
  connecting,
  connected,
};

// The replication state of one volume with one peer (DRBD 9's replication:, 8.4's cs:
// while connected).
enum class ReplicationState {
  unrecognised,
  off,
  established,
  starting_sync_s,
  starting_sync_t,
  wf_bitmap_s,
  wf_bitmap_t,
  wf_sync_uuid,
  sync_source,
  sync_target,
  paused_sync_s,
  paused_sync_t,
  verify_s,
  verify_t,
  ahead,
  behind,
};

Role parse_role(std::string_view word);
DiskState parse_disk_state(std::string_view word);
ConnectionState parse_connection_state(std::string_view word);
ReplicationState parse_replication_state(std::string_view word);

std::string_view name(Role value);
std::string_view name(DiskState value);
std::string_view name(ConnectionState value);
std::string_view name(ReplicationState value);

// One of this node's volumes.
struct Volume {
  int volume = 0;  // the volume number within the resource
  int minor = -1;  // /dev/drbd<minor>; -1 when the source did not say
  DiskState disk = DiskState::unrecognised;
  bool client = false;  // DRBD 9: Diskless on purpose (a client or tiebreaker), not a failed disk
};

// One volume as seen over one connection.
struct PeerVolume {
  int volume = 0;
  ReplicationState replication = ReplicationState::unrecognised;
  DiskState disk = DiskState::unrecognised;  // the peer's disk
  bool client = false;                       // DRBD 9: the peer is Diskless on purpose
};

struct Peer {
  std::string name;            // the peer's host name; empty when unknown (8.4)
  std::optional<int> node_id;  // DRBD 9's node-id; nullopt on 8.4
  ConnectionState connection = ConnectionState::unrecognised;
  Role role = Role::unrecognised;
  std::vector<PeerVolume> volumes;
};

struct ResourceState {
  std::string name;
  Role role = Role::unrecognised;  // this node's role
  // DRBD 9's quorum for this node (false when any volume lacks it); nullopt when the
  // kernel has no DRBD quorum (8.4) or did not report it.
  std::optional<bool> quorum;
  bool suspended = false;  // I/O suspended (by the user, for fencing or for lack of quorum)
  std::vector<Volume> volumes;
  std::vector<Peer> peers;
};

// Volumes (the resource's and each peer's) ordered by number: events2 prints the newest
// object of a kind first, so readers call this before returning.
void sort_volumes(ResourceState& state);

// The peer's entry for `volume`, or nullptr when the peer reported none.
const PeerVolume* find_volume(const Peer& peer, int volume);

// How logs name a peer: its name, else "node-id N", else "peer".
std::string peer_label(const Peer& peer);

// Whether `name` can be a DRBD resource's name as drbd.conf writes one: 1 to 128 of
// A-Z a-z 0-9 _ . + -, not starting with '-' or '.'. One that could not be is never
// passed to drbdadm or drbdsetup, where it could read as an option ("--config-file=").
// nullopt when it can; else what is wrong, for one line naming the parameter.
std::optional<std::string> resource_name_problem(std::string_view name);

}  // namespace sft::drbd
