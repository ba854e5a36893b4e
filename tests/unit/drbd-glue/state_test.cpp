#include "drbd-glue/state.h"

#include <boost/test/unit_test.hpp>
#include <ostream>
#include <string_view>
#include <utility>
#include <vector>

#include "tests/unit/drbd-glue/print.h"

using namespace sft::drbd;

namespace {

// What drbdsetup and /proc/drbd print, written out here rather than taken from the
// library, so a misspelt or missing entry there fails.
const std::vector<std::pair<std::string_view, Role>> k_roles = {
    {"Primary", Role::primary},
    {"Secondary", Role::secondary},
    {"Unknown", Role::unknown},
};

const std::vector<std::pair<std::string_view, DiskState>> k_disks = {
    {"Diskless", DiskState::diskless},       {"Attaching", DiskState::attaching},
    {"Detaching", DiskState::detaching},     {"Failed", DiskState::failed},
    {"Negotiating", DiskState::negotiating}, {"Inconsistent", DiskState::inconsistent},
    {"Outdated", DiskState::outdated},       {"DUnknown", DiskState::dunknown},
    {"Consistent", DiskState::consistent},   {"UpToDate", DiskState::up_to_date},
};

const std::vector<std::pair<std::string_view, ConnectionState>> k_connections = {
    {"StandAlone", ConnectionState::standalone},        {"Disconnecting", ConnectionState::disconnecting},
    {"Unconnected", ConnectionState::unconnected},      {"Timeout", ConnectionState::timeout},
    {"BrokenPipe", ConnectionState::broken_pipe},       {"NetworkFailure", ConnectionState::network_failure},
    {"ProtocolError", ConnectionState::protocol_error}, {"TearDown", ConnectionState::tear_down},
    {"Connecting", ConnectionState::connecting},        {"Connected", ConnectionState::connected},
};

const std::vector<std::pair<std::string_view, ReplicationState>> k_replications = {
    {"Off", ReplicationState::off},
    {"Established", ReplicationState::established},
    {"StartingSyncS", ReplicationState::starting_sync_s},
    {"StartingSyncT", ReplicationState::starting_sync_t},
    {"WFBitMapS", ReplicationState::wf_bitmap_s},
    {"WFBitMapT", ReplicationState::wf_bitmap_t},
    {"WFSyncUUID", ReplicationState::wf_sync_uuid},
    {"SyncSource", ReplicationState::sync_source},
    {"SyncTarget", ReplicationState::sync_target},
    {"PausedSyncS", ReplicationState::paused_sync_s},
    {"PausedSyncT", ReplicationState::paused_sync_t},
    {"VerifyS", ReplicationState::verify_s},
    {"VerifyT", ReplicationState::verify_t},
    {"Ahead", ReplicationState::ahead},
    {"Behind", ReplicationState::behind},
};

// Words that must not read as any state: other case, blanks, other enums' words, 8.4's
// connection states the reader maps itself, and the library's own "unrecognised".
const std::vector<std::string_view> k_foreign = {
    "",
    "uptodate",
    "UPTODATE",
    "Uptodate",
    " UpToDate",
    "UpToDate ",
    "Up-To-Date",
    "primary",
    "PRIMARY",
    "Connected ",
    "connected",
    "Unknown",
    "DUnknown",
    "WFConnection",
    "WFReportParams",
    "unrecognised",
    "Off\n",
    "SyncSource/SyncTarget",
    "Primary/Secondary",
};

// Every enumerator after `unrecognised`, by value, to find one the tables above lack.
template <class E>
std::vector<E> enumerators(E last) {
  std::vector<E> all;
  for (int i = 1; i <= static_cast<int>(last); ++i) all.push_back(static_cast<E>(i));
  return all;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(drbd_state)

BOOST_AUTO_TEST_CASE(roles_parse_from_drbd_spelling_and_print_back) {
  for (const auto& [word, role] : k_roles) {
    BOOST_TEST_CONTEXT(word) {
      BOOST_TEST(parse_role(word) == role);
      BOOST_TEST(name(role) == word);
    }
  }
}

BOOST_AUTO_TEST_CASE(disk_states_parse_from_drbd_spelling_and_print_back) {
  for (const auto& [word, disk] : k_disks) {
    BOOST_TEST_CONTEXT(word) {
      BOOST_TEST(parse_disk_state(word) == disk);
      BOOST_TEST(name(disk) == word);
    }
  }
}

BOOST_AUTO_TEST_CASE(connection_states_parse_from_drbd_spelling_and_print_back) {
  for (const auto& [word, connection] : k_connections) {
    BOOST_TEST_CONTEXT(word) {
      BOOST_TEST(parse_connection_state(word) == connection);
      BOOST_TEST(name(connection) == word);
    }
  }
}

BOOST_AUTO_TEST_CASE(replication_states_parse_from_drbd_spelling_and_print_back) {
  for (const auto& [word, replication] : k_replications) {
    BOOST_TEST_CONTEXT(word) {
      BOOST_TEST(parse_replication_state(word) == replication);
      BOOST_TEST(name(replication) == word);
    }
  }
}

BOOST_AUTO_TEST_CASE(every_enumerator_has_a_drbd_spelling_in_the_tables) {
  BOOST_TEST(enumerators(Role::unknown).size() == k_roles.size());
  BOOST_TEST(enumerators(DiskState::up_to_date).size() == k_disks.size());
  BOOST_TEST(enumerators(ConnectionState::connected).size() == k_connections.size());
  BOOST_TEST(enumerators(ReplicationState::behind).size() == k_replications.size());
  for (Role v : enumerators(Role::unknown)) BOOST_TEST(parse_role(name(v)) == v);
  for (DiskState v : enumerators(DiskState::up_to_date)) BOOST_TEST(parse_disk_state(name(v)) == v);
  for (ConnectionState v : enumerators(ConnectionState::connected)) BOOST_TEST(parse_connection_state(name(v)) == v);
  for (ReplicationState v : enumerators(ReplicationState::behind)) BOOST_TEST(parse_replication_state(name(v)) == v);
}

BOOST_AUTO_TEST_CASE(words_drbd_does_not_print_are_unrecognised_not_a_nearby_state) {
  for (std::string_view word : k_foreign) {
    BOOST_TEST_CONTEXT("'" << word << "'") {
      if (word != "Unknown") BOOST_TEST(parse_role(word) == Role::unrecognised);
      if (word != "DUnknown") BOOST_TEST(parse_disk_state(word) == DiskState::unrecognised);
      BOOST_TEST(parse_connection_state(word) == ConnectionState::unrecognised);
      BOOST_TEST(parse_replication_state(word) == ReplicationState::unrecognised);
    }
  }
}

BOOST_AUTO_TEST_CASE(one_enums_words_are_unrecognised_by_the_others) {
  for (const auto& [word, _] : k_disks) BOOST_TEST(parse_role(word) == Role::unrecognised);
  for (const auto& [word, _] : k_roles) BOOST_TEST(parse_disk_state(word) == DiskState::unrecognised);
  for (const auto& [word, _] : k_replications)
    BOOST_TEST(parse_connection_state(word) == ConnectionState::unrecognised);
  for (const auto& [word, _] : k_connections)
    BOOST_TEST(parse_replication_state(word) == ReplicationState::unrecognised);
}

BOOST_AUTO_TEST_CASE(unrecognised_values_print_as_unrecognised) {
  BOOST_TEST(name(Role::unrecognised) == "unrecognised");
  BOOST_TEST(name(DiskState::unrecognised) == "unrecognised");
  BOOST_TEST(name(ConnectionState::unrecognised) == "unrecognised");
  BOOST_TEST(name(ReplicationState::unrecognised) == "unrecognised");
}

BOOST_AUTO_TEST_CASE(a_value_initialised_state_claims_no_valid_state) {
  const ResourceState s;
  BOOST_TEST(s.role == Role::unrecognised);
  BOOST_TEST(!s.quorum.has_value());
  BOOST_TEST(!s.suspended);
  BOOST_TEST(Volume{}.disk == DiskState::unrecognised);
  BOOST_TEST(Volume{}.minor == -1);
  BOOST_TEST(Peer{}.connection == ConnectionState::unrecognised);
  BOOST_TEST(Peer{}.role == Role::unrecognised);
  BOOST_TEST(PeerVolume{}.replication == ReplicationState::unrecognised);
  BOOST_TEST(PeerVolume{}.disk == DiskState::unrecognised);
}

BOOST_AUTO_TEST_CASE(find_volume_finds_by_volume_number_not_position) {
  Peer p;
  p.volumes = {{.volume = 1, .replication = ReplicationState::sync_source, .disk = DiskState::inconsistent},
               {.volume = 0, .replication = ReplicationState::established, .disk = DiskState::up_to_date}};
  BOOST_REQUIRE(find_volume(p, 0) != nullptr);
  BOOST_TEST(find_volume(p, 0)->disk == DiskState::up_to_date);
  BOOST_REQUIRE(find_volume(p, 1) != nullptr);
  BOOST_TEST(find_volume(p, 1)->replication == ReplicationState::sync_source);
  BOOST_TEST(find_volume(p, 2) == nullptr);
  BOOST_TEST(find_volume(Peer{}, 0) == nullptr);
}

BOOST_AUTO_TEST_CASE(a_peer_is_labelled_by_name_then_node_id) {
  BOOST_TEST(peer_label(Peer{.name = "bob", .node_id = 1, .connection = {}, .role = {}, .volumes = {}}) == "bob");
  BOOST_TEST(peer_label(Peer{.name = "", .node_id = 2, .connection = {}, .role = {}, .volumes = {}}) == "node-id 2");
  BOOST_TEST(peer_label(Peer{.name = "", .node_id = 0, .connection = {}, .role = {}, .volumes = {}}) == "node-id 0");
  BOOST_TEST(peer_label(Peer{}) == "peer");
}

BOOST_AUTO_TEST_SUITE_END()
