#include "drbd-glue/policy.h"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <optional>
#include <string>
#include <vector>

using namespace sft::drbd;

namespace {

using Score = std::optional<int>;
using Quorum = std::optional<bool>;

const std::vector<DiskState> k_disks = {
    DiskState::unrecognised, DiskState::diskless,    DiskState::attaching,    DiskState::detaching,
    DiskState::failed,       DiskState::negotiating, DiskState::inconsistent, DiskState::outdated,
    DiskState::dunknown,     DiskState::consistent,  DiskState::up_to_date,
};
const std::vector<ConnectionState> k_connections = {
    ConnectionState::unrecognised,    ConnectionState::standalone,     ConnectionState::disconnecting,
    ConnectionState::unconnected,     ConnectionState::timeout,        ConnectionState::broken_pipe,
    ConnectionState::network_failure, ConnectionState::protocol_error, ConnectionState::tear_down,
    ConnectionState::connecting,      ConnectionState::connected,
};
const std::vector<Quorum> k_quorums = {true, false, std::nullopt};
const std::vector<Role> k_roles = {Role::primary, Role::secondary, Role::unknown, Role::unrecognised};

// The peer disk states that tell us what the peer has (policy.h: recognised, not DUnknown).
bool peer_disk_known(DiskState d) { return d != DiskState::dunknown && d != DiskState::unrecognised; }

std::string show(Score s) { return s ? std::to_string(*s) : "none"; }
std::string show(Quorum q) { return q ? (*q ? "quorate" : "no quorum") : "quorum unknown"; }

ResourceState resource(Role role, DiskState disk, Quorum quorum) {
  ResourceState s;
  s.name = "r0";
  s.role = role;
  s.quorum = quorum;
  s.volumes = {{.volume = 0, .minor = 1, .disk = disk}};
  return s;
}

Peer peer(std::string name, ConnectionState c, DiskState d, ReplicationState r = ReplicationState::established) {
  Peer p{.name = std::move(name), .node_id = 1, .connection = c, .role = Role::secondary, .volumes = {}};
  p.volumes = {{.volume = 0, .replication = r, .disk = d}};
  return p;
}

// One row of the big table: this node's role, disk and quorum, and one peer.
struct Row {
  Role role;
  DiskState disk;
  Quorum quorum;
  ConnectionState connection;
  DiskState peer_disk;
  ResourceState state() const {
    ResourceState s = resource(role, disk, quorum);
    s.peers = {peer("bob", connection, peer_disk)};
    return s;
  }
};

// Calls check(row, description) for every combination of the dimensions above.
template <class F>
void for_every_row(F check) {
  for (Role role : k_roles)
    for (DiskState disk : k_disks)
      for (Quorum quorum : k_quorums)
        for (ConnectionState connection : k_connections)
          for (DiskState peer_disk : k_disks) {
            const Row row{role, disk, quorum, connection, peer_disk};
            check(row, std::string(name(role)) + " " + std::string(name(disk)) + ", " + show(quorum) + ", peer " +
                           std::string(name(connection)) + " " + std::string(name(peer_disk)));
          }
}

// The default policy's rules from policy.h, written as a table lookup.
Score expected_default(const Row& r) {
  if (r.quorum == false) return std::nullopt;
  if (r.disk != DiskState::up_to_date) return std::nullopt;  // Consistent's rung is 0: no score
  const bool known = r.connection == ConnectionState::connected && peer_disk_known(r.peer_disk);
  return r.role == Role::primary || known ? 10000 : 1000;
}

bool peer_uptodate(const Row& r) {
  return r.connection == ConnectionState::connected && r.peer_disk == DiskState::up_to_date;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(drbd_policy)

BOOST_AUTO_TEST_CASE(default_score_over_every_disk_role_quorum_and_peer_state) {
  const Policy policy;
  int rows = 0;
  for_every_row([&](const Row& row, const std::string& what) {
    ++rows;
    BOOST_TEST_CONTEXT(what) { BOOST_TEST(show(promotion_score(row.state(), policy)) == show(expected_default(row))); }
  });
  BOOST_TEST(rows == 4 * 11 * 3 * 11 * 11);
}

BOOST_AUTO_TEST_CASE(default_may_promote_only_quorate_uptodate_data_over_every_combination) {
  const Policy policy;
  for_every_row([&](const Row& row, const std::string& what) {
    BOOST_TEST_CONTEXT(what) {
      const bool expected = row.quorum != false && row.disk == DiskState::up_to_date;
      BOOST_TEST(may_promote(row.state(), policy) == expected);
      BOOST_TEST(promotion_refusal(row.state(), policy).has_value() == !expected);
    }
  });
}

BOOST_AUTO_TEST_CASE(without_peers_uptodate_is_top_and_nothing_else_scores) {
  const Policy policy;
  for (Role role : k_roles)
    for (DiskState disk : k_disks)
      for (Quorum quorum : k_quorums) {
        BOOST_TEST_CONTEXT(name(role) << " " << name(disk) << ", " << show(quorum)) {
          Score expected;
          if (quorum != false && disk == DiskState::up_to_date) expected = 10000;
          BOOST_TEST(show(promotion_score(resource(role, disk, quorum), policy)) == show(expected));
        }
      }
}

BOOST_AUTO_TEST_CASE(documented_cases_read_as_the_header_states_them) {
  const Policy p;
  ResourceState s = resource(Role::secondary, DiskState::up_to_date, true);
  s.peers = {peer("bob", ConnectionState::connected, DiskState::outdated)};
  BOOST_TEST(show(promotion_score(s, p)) == "10000");  // peer known, even though behind
  s.peers = {peer("bob", ConnectionState::connecting, DiskState::dunknown)};
  BOOST_TEST(show(promotion_score(s, p)) == "1000");
  s.role = Role::primary;
  BOOST_TEST(show(promotion_score(s, p)) == "10000");  // a Primary keeps the top rung
  s.quorum = false;
  BOOST_TEST(show(promotion_score(s, p)) == "none");  // even a Primary
  s = resource(Role::secondary, DiskState::consistent, std::nullopt);
  BOOST_TEST(show(promotion_score(s, p)) == "none");  // a rung of 0 publishes nothing
  s.volumes[0].disk = DiskState::up_to_date;
  BOOST_TEST(show(promotion_score(s, p)) == "10000");  // 8.4: quorum unknown withholds nothing
  for (DiskState d : {DiskState::outdated, DiskState::inconsistent, DiskState::diskless, DiskState::failed})
    BOOST_TEST(show(promotion_score(resource(Role::secondary, d, true), p)) == "none");
}

BOOST_AUTO_TEST_CASE(replication_state_and_suspended_io_do_not_change_the_score) {
  const Policy p;
  for (int i = 0; i <= static_cast<int>(ReplicationState::behind); ++i) {
    const auto r = static_cast<ReplicationState>(i);
    for (bool suspended : {false, true}) {
      ResourceState s = resource(Role::secondary, DiskState::up_to_date, true);
      s.suspended = suspended;
      s.peers = {peer("bob", ConnectionState::connected, DiskState::up_to_date, r)};
      BOOST_TEST_CONTEXT(name(r) << (suspended ? ", suspended" : "")) {
        BOOST_TEST(show(promotion_score(s, p)) == "10000");
        BOOST_TEST(may_promote(s, p));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(every_peer_must_be_known_for_the_top_rung) {
  const Policy p;
  ResourceState s = resource(Role::secondary, DiskState::up_to_date, true);
  s.peers = {peer("bob", ConnectionState::connected, DiskState::up_to_date),
             peer("carol", ConnectionState::connected, DiskState::up_to_date)};
  BOOST_TEST(show(promotion_score(s, p)) == "10000");
  s.peers[1] = peer("carol", ConnectionState::network_failure, DiskState::dunknown);
  BOOST_TEST(show(promotion_score(s, p)) == "1000");
  s.peers[1].volumes.clear();  // a peer that reports nothing for the volume
  s.peers[1].connection = ConnectionState::connected;
  BOOST_TEST(show(promotion_score(s, p)) == "1000");
}

BOOST_AUTO_TEST_CASE(the_resource_takes_its_worst_volume) {
  const Policy p;
  ResourceState s = resource(Role::secondary, DiskState::up_to_date, true);
  s.volumes.push_back({.volume = 1, .minor = 2, .disk = DiskState::consistent});
  BOOST_TEST(show(promotion_score(s, p)) == "none");
  BOOST_TEST(!may_promote(s, p));
  s.volumes[1].disk = DiskState::outdated;
  BOOST_TEST(show(promotion_score(s, p)) == "none");
  BOOST_TEST(promotion_refusal(s, p).value_or("") == "r0: volume 1 (minor 2) is Outdated, not UpToDate");
  s.volumes[1].disk = DiskState::up_to_date;
  s.peers = {peer("bob", ConnectionState::connected, DiskState::up_to_date)};  // knows volume 0 only
  BOOST_TEST(show(promotion_score(s, p)) == "1000");
  s.peers[0].volumes.push_back(
      {.volume = 1, .replication = ReplicationState::established, .disk = DiskState::outdated});
  BOOST_TEST(show(promotion_score(s, p)) == "10000");
  BOOST_TEST(may_promote(s, p));
  s.volumes[0].disk = DiskState::consistent;  // the worst one first
  BOOST_TEST(show(promotion_score(s, p)) == "none");
  s.volumes[0].disk = DiskState::failed;
  BOOST_TEST(show(promotion_score(s, p)) == "none");
}

BOOST_AUTO_TEST_CASE(no_volumes_means_no_score_and_no_promotion) {
  ResourceState s = resource(Role::secondary, DiskState::up_to_date, true);
  s.volumes.clear();
  BOOST_TEST(show(promotion_score(s, Policy{})) == "none");
  BOOST_TEST(promotion_refusal(s, Policy{}).value_or("") == "r0: no volumes are configured here");
}

BOOST_AUTO_TEST_CASE(a_custom_ladder_sets_each_rung) {
  const Policy p{.ladder = {.consistent = 1, .remote_uptodate = 2, .uptodate_peer_unknown = 3, .uptodate = 4},
                 .require_all_peers_uptodate_to_promote = false,
                 .promote_diskless = true};
  ResourceState s = resource(Role::secondary, DiskState::consistent, true);
  BOOST_TEST(show(promotion_score(s, p)) == "1");
  BOOST_TEST(may_promote(s, p));  // scored by the administrator: DRBD's fencing decides
  s = resource(Role::secondary, DiskState::diskless, true);
  s.peers = {peer("bob", ConnectionState::connected, DiskState::up_to_date)};
  BOOST_TEST(show(promotion_score(s, p)) == "2");
  s = resource(Role::secondary, DiskState::up_to_date, true);
  s.peers = {peer("bob", ConnectionState::standalone, DiskState::dunknown)};
  BOOST_TEST(show(promotion_score(s, p)) == "3");
  s.peers = {peer("bob", ConnectionState::connected, DiskState::inconsistent)};
  BOOST_TEST(show(promotion_score(s, p)) == "4");
}

BOOST_AUTO_TEST_CASE(the_lowest_rung_wins_even_when_a_ladder_does_not_increase) {
  const Policy p{.ladder = {.consistent = 500, .remote_uptodate = 0, .uptodate_peer_unknown = 50, .uptodate = 7},
                 .require_all_peers_uptodate_to_promote = false,
                 .promote_diskless = false};
  ResourceState s = resource(Role::secondary, DiskState::up_to_date, true);
  BOOST_TEST(show(promotion_score(s, p)) == "7");
  s.volumes.push_back({.volume = 1, .minor = 2, .disk = DiskState::consistent});
  BOOST_TEST(show(promotion_score(s, p)) == "500");
}

BOOST_AUTO_TEST_CASE(ladders_parse_from_adjust_master_score) {
  const auto def = parse_ladder("0 10 1000 10000");
  BOOST_REQUIRE(def.has_value());
  BOOST_TEST(def->consistent == Ladder{}.consistent);
  BOOST_TEST(def->remote_uptodate == Ladder{}.remote_uptodate);
  BOOST_TEST(def->uptodate_peer_unknown == Ladder{}.uptodate_peer_unknown);
  BOOST_TEST(def->uptodate == Ladder{}.uptodate);
  const auto spaced = parse_ladder(" \t5\t 6  7 8 \n");
  BOOST_REQUIRE(spaced.has_value());
  BOOST_TEST(spaced->consistent == 5);
  BOOST_TEST(spaced->remote_uptodate == 6);
  BOOST_TEST(spaced->uptodate_peer_unknown == 7);
  BOOST_TEST(spaced->uptodate == 8);
  const auto edges = parse_ladder("-1000000 -1 0 1000000");
  BOOST_REQUIRE(edges.has_value());
  BOOST_TEST(edges->consistent == -1000000);
  BOOST_TEST(edges->uptodate == 1000000);
}

BOOST_AUTO_TEST_CASE(ladders_that_are_not_four_scores_are_invalid_arguments) {
  for (const char* text : {"", "   ", "1 2 3", "1 2 3 4 5", "1 2 x 4", "1,2,3,4", "1.5 2 3 4", "1000001 0 0 0",
                           "0 0 0 -1000001", "+1 2 3 4", "1 2 3 99999999999", "INFINITY 0 0 0"}) {
    BOOST_TEST_CONTEXT("'" << text << "'") {
      const auto ladder = parse_ladder(text);
      BOOST_REQUIRE(!ladder.has_value());
      BOOST_TEST((ladder.error().code == sft::Errc::invalid_argument));
      BOOST_TEST(ladder.error().message.starts_with("adjust_master_score: '" + std::string(text) + "'"));
    }
  }
}

BOOST_AUTO_TEST_CASE(require_all_peers_uptodate_over_every_combination) {
  const Policy policy{.ladder = {}, .require_all_peers_uptodate_to_promote = true, .promote_diskless = false};
  for_every_row([&](const Row& row, const std::string& what) {
    BOOST_TEST_CONTEXT(what) {
      Score expected = expected_default(row);
      if (row.role != Role::primary && !peer_uptodate(row)) expected = std::nullopt;
      BOOST_TEST(show(promotion_score(row.state(), policy)) == show(expected));
      const bool allowed = row.quorum != false && row.disk == DiskState::up_to_date && peer_uptodate(row);
      BOOST_TEST(may_promote(row.state(), policy) == allowed);
    }
  });
}

BOOST_AUTO_TEST_CASE(require_all_peers_uptodate_names_the_peer_behind) {
  const Policy p{.ladder = {}, .require_all_peers_uptodate_to_promote = true, .promote_diskless = false};
  ResourceState s = resource(Role::secondary, DiskState::up_to_date, true);
  s.peers = {peer("bob", ConnectionState::connected, DiskState::up_to_date),
             peer("carol", ConnectionState::connected, DiskState::outdated)};
  BOOST_TEST(promotion_refusal(s, p).value_or("") ==
             "r0: peer carol has volume 0 Outdated and require_all_peers_uptodate_to_promote is set");
  s.peers[1] = peer("", ConnectionState::connecting, DiskState::dunknown);
  BOOST_TEST(promotion_refusal(s, p).value_or("") ==
             "r0: peer node-id 1 is Connecting and require_all_peers_uptodate_to_promote is set");
  s.peers[1].volumes.clear();
  s.peers[1].connection = ConnectionState::connected;
  BOOST_TEST(promotion_refusal(s, p).value_or("") ==
             "r0: peer node-id 1 reports no volume 0 and require_all_peers_uptodate_to_promote is set");
  s.peers.pop_back();
  BOOST_TEST(!promotion_refusal(s, p).has_value());
  BOOST_TEST(show(promotion_score(s, p)) == "10000");
}

BOOST_AUTO_TEST_CASE(promote_diskless_scores_and_allows_a_client_of_an_uptodate_peer) {
  const Policy policy{.ladder = {}, .require_all_peers_uptodate_to_promote = false, .promote_diskless = true};
  for_every_row([&](const Row& row, const std::string& what) {
    BOOST_TEST_CONTEXT(what) {
      Score expected = expected_default(row);
      bool allowed = row.quorum != false && row.disk == DiskState::up_to_date;
      if (row.disk == DiskState::diskless && row.quorum != false && peer_uptodate(row)) {
        expected = 10;
        allowed = true;
      }
      BOOST_TEST(show(promotion_score(row.state(), policy)) == show(expected));
      BOOST_TEST(may_promote(row.state(), policy) == allowed);
    }
  });
}

BOOST_AUTO_TEST_CASE(diskless_is_refused_by_default) {
  ResourceState s = resource(Role::secondary, DiskState::diskless, true);
  s.peers = {peer("bob", ConnectionState::connected, DiskState::up_to_date)};
  BOOST_TEST(show(promotion_score(s, Policy{})) == "none");
  BOOST_TEST(promotion_refusal(s, Policy{}).value_or("") == "r0: volume 0 (minor 1) is Diskless, not UpToDate");
}

BOOST_AUTO_TEST_CASE(refusals_name_the_resource_and_the_reason) {
  const Policy p;
  BOOST_TEST(promotion_refusal(resource(Role::secondary, DiskState::up_to_date, false), p).value_or("") ==
             "r0: this node has no DRBD quorum");
  BOOST_TEST(promotion_refusal(resource(Role::secondary, DiskState::consistent, true), p).value_or("") ==
             "r0: volume 0 (minor 1) is Consistent, not UpToDate");
  BOOST_TEST(promotion_refusal(resource(Role::secondary, DiskState::unrecognised, true), p).value_or("") ==
             "r0: volume 0 (minor 1) is unrecognised, not UpToDate");
  BOOST_TEST(!promotion_refusal(resource(Role::secondary, DiskState::up_to_date, std::nullopt), p).has_value());
}

BOOST_AUTO_TEST_CASE(a_secondary_has_a_score_exactly_when_it_may_be_promoted) {
  // Pacemaker promotes whatever has a score; a score promote refuses only fails.
  const Ladder ladders[] = {Ladder{},
                            Ladder{.consistent = 5, .remote_uptodate = 3, .uptodate_peer_unknown = 0, .uptodate = 9}};
  for (const Ladder& ladder : ladders)
    for (bool require_all : {false, true})
      for (bool diskless : {false, true}) {
        const Policy policy{
            .ladder = ladder, .require_all_peers_uptodate_to_promote = require_all, .promote_diskless = diskless};
        for_every_row([&](const Row& row, const std::string& what) {
          BOOST_TEST_CONTEXT(what << ", consistent rung " << ladder.consistent << (require_all ? ", require all" : "")
                                  << (diskless ? ", diskless" : "")) {
            if (row.role != Role::primary)
              BOOST_TEST(may_promote(row.state(), policy) == promotion_score(row.state(), policy).has_value());
            else if (may_promote(row.state(), policy))
              BOOST_TEST(promotion_score(row.state(), policy).has_value());
          }
        });
      }
}

BOOST_AUTO_TEST_CASE(an_intentionally_diskless_peer_is_not_behind) {
  const Policy p{.ladder = {}, .require_all_peers_uptodate_to_promote = true, .promote_diskless = false};
  ResourceState s = resource(Role::secondary, DiskState::up_to_date, true);
  s.peers = {peer("bob", ConnectionState::connected, DiskState::up_to_date),
             peer("tiebreaker", ConnectionState::connected, DiskState::diskless)};
  BOOST_TEST(!may_promote(s, p));
  s.peers[1].volumes[0].client = true;
  BOOST_TEST(may_promote(s, p));
  BOOST_TEST(show(promotion_score(s, p)) == "10000");
}

BOOST_AUTO_TEST_SUITE_END()
