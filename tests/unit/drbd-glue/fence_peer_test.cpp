// The fence-peer and after-resync-target handlers' decisions against a fake cluster
// whose CIB is the one captured from Pacemaker 2.1.5 (tests/fixtures/cib/drbd-clone.xml)
// with the peer's status entry changed as time passes.
#include "drbd-glue/fence_peer.h"

#include <boost/test/unit_test.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/pcmk/cib.h"
#include "tests/fakes/fake_system.h"
#include "tests/fakes/fixtures.h"

using namespace sft;
using namespace sft::drbd;
using sft::fakes::fixture;
using namespace std::chrono_literals;

namespace {

const std::string k_online =
    R"(<node_state id="2" uname="bravo" in_ccm="true" crmd="online" join="member" expected="member"/>)";
const std::string k_unclean =
    R"(<node_state id="2" uname="bravo" in_ccm="false" crmd="offline" join="member" expected="member"/>)";
const std::string k_fenced =
    R"(<node_state id="2" uname="bravo" in_ccm="false" crmd="offline" join="down" expected="down"/>)";

class FakeCluster : public pcmk::Cluster {
 public:
  explicit FakeCluster(sys::TimeSource& time) : m_time(time), m_start(time.now()) {}

  // The peer's status entry from `after` on (time since the fake started).
  void peer(const std::string& node_state, sys::Millis after = 0ms) { m_peer.emplace_back(after, node_state); }

  Result<bool> quorate() override {
    if (quorum_error) return fail(Errc::generic, "corosync quorum: cannot connect (error 2)");
    return is_quorate && since_start() >= quorate_after;
  }
  Result<std::string> local_node() override { return me; }
  Result<std::string> query(const sys::Deadline&) override {
    ++queries;
    if (since_start() < dc_after) return fail(Errc::timeout, "CIB query: Timer expired");
    std::string cib = fixture("cib/drbd-clone.xml");  // captured without fencing
    const std::string off = R"(name="stonith-enabled" value="false")";
    if (fencing) cib.replace(cib.find(off), off.size(), R"(name="stonith-enabled" value="true")");
    if (!schema.empty()) cib.replace(cib.find("pacemaker-3.9"), 13, schema);
    cib.replace(cib.find("<nodes>"), 7, "<nodes>" + nodes);
    std::string entry;
    for (const auto& [after, state] : m_peer)
      if (since_start() >= after) entry = state;
    cib.insert(cib.find("</status>"), entry);
    std::string all;
    for (const auto& [id, xml] : constraints) all += xml;
    cib.replace(cib.find("<constraints/>"), 14, "<constraints>" + all + "</constraints>");
    return cib;
  }
  Result<bool> create_constraint(const std::string& xml, const sys::Deadline&) override {
    if (put_error) return fail(Errc::generic, "CIB update of the constraints: Transport endpoint is not connected");
    ++creates;
    const std::string id = id_of(xml);
    if (constraints.contains(id)) return false;
    constraints[id] = xml;
    placed.push_back(xml);
    return true;
  }
  Result<void> put_constraint(const std::string& xml, const sys::Deadline&) override {
    if (put_error) return fail(Errc::generic, "CIB update of the constraints: Transport endpoint is not connected");
    constraints[id_of(xml)] = xml;
    placed.push_back(xml);
    return {};
  }
  Result<void> remove_constraint(const std::string& id, const sys::Deadline&) override {
    if (put_error) return fail(Errc::generic, "CIB removal: Transport endpoint is not connected");
    constraints.erase(id);
    removed.push_back(id);
    return {};
  }
  Result<bool> controller_answers(const std::string& node, const sys::Deadline&) override {
    pinged.push_back(node);
    return controller_up;
  }

  std::string me = "alpha";
  bool is_quorate = true;
  bool fencing = true;
  bool quorum_error = false;
  bool put_error = false;
  bool controller_up = true;
  sys::Millis quorate_after{0}, dc_after{0};
  std::string schema;  // validate-with, when not the fixture's pacemaker-3.9
  std::string nodes;   // <node> entries added to the fixture's one ("vm")
  int queries = 0, creates = 0;
  std::map<std::string, std::string> constraints;  // by id: the CIB's constraints section
  std::vector<std::string> placed, removed, pinged;

 private:
  static std::string id_of(const std::string& xml) {
    const size_t at = xml.find("id=\"") + 4;
    return xml.substr(at, xml.find('"', at) - at);
  }
  sys::Millis since_start() const { return std::chrono::duration_cast<sys::Millis>(m_time.now() - m_start); }
  sys::TimeSource& m_time;
  sys::Clock::time_point m_start;
  std::vector<std::pair<sys::Millis, std::string>> m_peer;
};

// Our constraint as a handler on `allowed` wrote it.
std::string ours(const std::vector<std::string>& allowed, const std::string& role = "Promoted") {
  return pcmk::ban_role_except("sft-fence-peer-r0", "r0-drbd-clone", role, allowed);
}

ResourceState local(DiskState disk) {
  ResourceState s;
  s.name = "r0";
  s.role = Role::secondary;
  s.volumes.push_back(Volume{0, 0, disk, false});
  return s;
}

FenceRequest request(std::optional<sys::Millis> timeout = 30s) {
  return FenceRequest{"r0", {"bravo"}, {0}, timeout, std::nullopt};
}

ResourceState with_peer(ResourceState s, drbd::ConnectionState c, DiskState disk, std::string name = "") {
  drbd::Peer p;
  p.name = std::move(name);
  p.connection = c;
  p.volumes.push_back(drbd::PeerVolume{0, drbd::ReplicationState::established, disk, false});
  s.peers.push_back(p);
  return s;
}

struct Bed {
  fakes::FakeSystem time;
  FakeCluster cluster{time};
};

}  // namespace

BOOST_AUTO_TEST_SUITE(drbd_fence_peer)

BOOST_AUTO_TEST_CASE(the_request_comes_from_drbds_environment) {
  // What the DRBD 8.4 kernel passed in the real guests (tests/real-drbd).
  sft::Environment env{{"DRBD_RESOURCE", "r0"},
                                         {"DRBD_MINOR", "0"},
                                         {"DRBD_PEER", "a"},
                                         {"DRBD_PEERS", "a"},
                                         {"DRBD_PEER_ADDRESS", "10.99.0.1"},
                                         {"DRBD_PEER_AF", "ipv4"},
                                         {"DRBD_CONF", "/etc/drbd.conf"}};
  Result<FenceRequest> r = parse_request(env, {});
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST(r->resource == "r0");
  BOOST_TEST(r->peers == std::vector<std::string>{"a"});
  BOOST_TEST(r->minors == std::vector<int>{0});
  BOOST_TEST(!r->timeout.has_value());  // derived from the fencing configuration
  // DRBD 9: the peer by node id, minors per volume.
  sft::Environment nine{{"DRBD_RESOURCE", "r0"},     {"DRBD_PEER_NODE_ID", "1"},
                                          {"DRBD_NODE_ID_0", "alpha"}, {"DRBD_NODE_ID_1", "bravo"},
                                          {"DRBD_MINOR_1", "11"},      {"DRBD_MINOR_0", "10"}};
  const std::vector<std::string> args{"--timeout=30"};
  r = parse_request(nine, args);
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST(r->peers == std::vector<std::string>{"bravo"});
  BOOST_TEST((r->minors == std::vector<int>{10, 11}));
  BOOST_TEST(r->timeout->count() == 30000);
}

BOOST_AUTO_TEST_CASE(a_bad_request_names_what_is_wrong) {
  BOOST_TEST(parse_request({}, {}).error().message == "DRBD_RESOURCE is not set: run this as DRBD's handler");
  const sft::Environment env{{"DRBD_RESOURCE", "r0"}};
  for (const char* a : {"--timeout=0", "--timeout=x", "--timeout=2h", "--fast"}) {
    const std::vector<std::string> args{a};
    Result<FenceRequest> r = parse_request(env, args);
    BOOST_TEST_REQUIRE(!r.has_value(), a);
    BOOST_TEST(r.error().message.find(a) != std::string::npos, r.error().message);
  }
  BOOST_TEST(!parse_request({{"DRBD_RESOURCE", "r0"}, {"DRBD_MINOR", "zero"}}, {}).has_value());
  // A name that a tool could read as an option never reaches one.
  Result<FenceRequest> r = parse_request({{"DRBD_RESOURCE", "--config-file=/tmp/x"}}, {});
  BOOST_TEST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message == "DRBD_RESOURCE='--config-file=/tmp/x' starts with '-'");
}

BOOST_AUTO_TEST_CASE(resource_names_follow_drbds_syntax) {
  for (const char* ok : {"r0", "data-1", "mysql.db", "A_b+c"}) BOOST_TEST(!resource_name_problem(ok), ok);
  BOOST_TEST(*resource_name_problem("") == "is empty");
  BOOST_TEST(*resource_name_problem("-c") == "starts with '-'");
  BOOST_TEST(*resource_name_problem(".hidden") == "starts with '.'");
  BOOST_TEST(*resource_name_problem("r0 r1") == "has ' ' (DRBD names use A-Z a-z 0-9 _ . + -)");
  BOOST_TEST(*resource_name_problem("a/b") == "has '/' (DRBD names use A-Z a-z 0-9 _ . + -)");
  BOOST_TEST(*resource_name_problem(std::string(129, 'r')) == "is longer than 128 characters");
}

BOOST_AUTO_TEST_CASE(a_peer_online_in_the_cluster_is_outdated_by_the_constraint) {
  Bed bed;
  bed.cluster.peer(k_online);
  const Verdict v = fence_peer(bed.cluster, bed.time, request(), local(DiskState::up_to_date));
  BOOST_TEST(v.exit_code == k_peer_outdated, v.why);
  BOOST_TEST_REQUIRE(bed.cluster.placed.size() == 1u);
  const std::string& xml = bed.cluster.placed[0];
  BOOST_TEST(xml.find("id=\"sft-fence-peer-r0\" rsc=\"r0-drbd-clone\"") != std::string::npos, xml);
  BOOST_TEST(xml.find("role=\"Promoted\" score=\"-INFINITY\"") != std::string::npos, xml);
  BOOST_TEST(xml.find("operation=\"ne\" value=\"alpha\"") != std::string::npos, xml);
  BOOST_TEST(bed.cluster.creates == 1);  // created, never put over another
  BOOST_TEST(bed.cluster.pinged == std::vector<std::string>{"bravo"});
  BOOST_TEST(v.why.find("online in the cluster, so outdated by it: bravo") != std::string::npos, v.why);
}

BOOST_AUTO_TEST_CASE(online_needs_the_peers_controller_to_answer) {
  Bed bed;
  bed.cluster.peer(k_online);
  bed.cluster.controller_up = false;  // the DC's view lags: the peer is in fact gone
  const Verdict v = fence_peer(bed.cluster, bed.time, request(20s), local(DiskState::up_to_date));
  BOOST_TEST(v.exit_code == k_helper_failed, v.why);
  BOOST_TEST(v.why.find("bravo online but its controller did not answer") != std::string::npos, v.why);
  BOOST_TEST(bed.time.elapsed() >= 18s);
  BOOST_TEST(bed.cluster.constraints.size() == 1u);  // the constraint stays
  // A joining peer is not online yet either.
  Bed joining;
  joining.cluster.peer(R"(<node_state id="2" uname="bravo" in_ccm="true" crmd="online" join="pending" expected="member"/>)");
  BOOST_TEST(fence_peer(joining.cluster, joining.time, request(5s), local(DiskState::up_to_date)).exit_code ==
             k_helper_failed);
}

BOOST_AUTO_TEST_CASE(a_fenced_peer_is_reported_fenced) {
  Bed bed;
  bed.cluster.peer(k_fenced);
  BOOST_TEST(fence_peer(bed.cluster, bed.time, request(), local(DiskState::up_to_date)).exit_code == k_peer_fenced);
  BOOST_TEST(bed.cluster.placed.size() == 1u);
}

BOOST_AUTO_TEST_CASE(it_waits_for_pacemaker_to_fence_an_unclean_peer) {
  Bed bed;
  bed.cluster.peer(k_unclean);
  bed.cluster.peer(k_fenced, 12s);  // the fence agent takes 12 s
  const Verdict v = fence_peer(bed.cluster, bed.time, request(), local(DiskState::up_to_date));
  BOOST_TEST(v.exit_code == k_peer_fenced, v.why);
  BOOST_TEST(bed.time.elapsed() >= 12s);
  BOOST_TEST(bed.time.elapsed() < 14s);
}

BOOST_AUTO_TEST_CASE(without_fencing_a_lost_peer_is_unreachable_not_fenced) {
  Bed bed;
  bed.cluster.fencing = false;
  bed.cluster.peer(k_unclean);
  const Verdict v = fence_peer(bed.cluster, bed.time, request(), local(DiskState::up_to_date));
  BOOST_TEST(v.exit_code == k_peer_unreachable, v.why);
  BOOST_TEST(v.why.find("never to be confirmed down (stonith-enabled=false): bravo") != std::string::npos, v.why);
  BOOST_TEST(bed.cluster.constraints.size() == 1u);
  BOOST_TEST(bed.time.elapsed() < 1s);  // nothing will fence it: no wait
  // A peer that shut down cleanly is down, fencing or not.
  Bed clean;
  clean.cluster.fencing = false;
  clean.cluster.peer(k_fenced);
  BOOST_TEST(fence_peer(clean.cluster, clean.time, request(), local(DiskState::up_to_date)).exit_code ==
             k_peer_fenced);
}

BOOST_AUTO_TEST_CASE(a_peer_never_confirmed_leaves_io_frozen_and_the_constraint_in_place) {
  Bed bed;
  bed.cluster.peer(k_unclean);
  const Verdict v = fence_peer(bed.cluster, bed.time, request(20s), local(DiskState::up_to_date));
  BOOST_TEST(v.exit_code == k_helper_failed, v.why);
  BOOST_TEST(bed.time.elapsed() <= 20s);
  BOOST_TEST(bed.time.elapsed() >= 18s);
  BOOST_TEST(v.why.find("not confirmed within 20 s: bravo unclean") != std::string::npos, v.why);
  BOOST_TEST(bed.cluster.constraints.size() == 1u);  // the constraint stays
  Bed unknown;                                       // never seen by this cluster
  BOOST_TEST(fence_peer(unknown.cluster, unknown.time, request(5s), local(DiskState::up_to_date)).exit_code ==
             k_helper_failed);
}

BOOST_AUTO_TEST_CASE(the_default_wait_outlasts_fencing_as_the_cib_configures_it) {
  Bed bed;  // stonith-timeout unset: 60 s; twice that plus 30 s
  bed.cluster.peer(k_unclean);
  const Verdict v = fence_peer(bed.cluster, bed.time, request(std::nullopt), local(DiskState::up_to_date));
  BOOST_TEST(v.exit_code == k_helper_failed, v.why);
  BOOST_TEST(bed.time.elapsed() >= 148s);
  BOOST_TEST(bed.time.elapsed() <= 150s);
  BOOST_TEST(v.why.find("not confirmed within 150 s") != std::string::npos, v.why);
  Bed fenced_late;  // a fence device that takes 100 s is waited for
  fenced_late.cluster.peer(k_unclean);
  fenced_late.cluster.peer(k_fenced, 100s);
  BOOST_TEST(fence_peer(fenced_late.cluster, fenced_late.time, request(std::nullopt), local(DiskState::up_to_date))
                 .exit_code == k_peer_fenced);
}

BOOST_AUTO_TEST_CASE(a_promote_waiting_on_the_answer_gets_it_before_its_end) {
  Bed bed;  // the derived wait is 150 s; the promote that started the handler ends in 40 s
  bed.cluster.peer(k_unclean);
  FenceRequest r = request(std::nullopt);
  r.answer_by = bed.time.now() + 40s;
  const Verdict v = fence_peer(bed.cluster, bed.time, r, local(DiskState::up_to_date));
  BOOST_TEST(v.exit_code == k_helper_failed, v.why);
  BOOST_TEST(bed.time.elapsed() <= 40s);
  BOOST_TEST(bed.time.elapsed() >= 38s);
  BOOST_TEST(v.why.find("not confirmed within 40 s (all the promote that waits on this answer leaves)") !=
                 std::string::npos,
             v.why);
  Bed quick;  // a peer fenced within the promote's time: answered as ever
  quick.cluster.peer(k_unclean);
  quick.cluster.peer(k_fenced, 10s);
  r.answer_by = quick.time.now() + 40s;
  BOOST_TEST(fence_peer(quick.cluster, quick.time, r, local(DiskState::up_to_date)).exit_code == k_peer_fenced);
}

BOOST_AUTO_TEST_CASE(the_promote_end_is_one_number_of_the_monotonic_clock) {
  const sys::Clock::time_point t{std::chrono::milliseconds(123456789)};
  BOOST_TEST(format_promote_by(t) == "123456789\n");
  BOOST_TEST((parse_promote_by(format_promote_by(t)) == t));
  for (const char* bad : {"", "soon", "-5", "12 34"}) BOOST_TEST(!parse_promote_by(bad).has_value(), bad);
  BOOST_TEST(promote_by_path("r0") == "/run/sft/drbd/r0.promote-by");
}

BOOST_AUTO_TEST_CASE(fencing_time_comes_from_stonith_timeout_and_the_largest_delay) {
  const std::string cib = fixture("cib/drbd-clone.xml");
  BOOST_TEST(*pcmk::fencing_seconds(cib) == 60);
  std::string configured = cib;
  configured.replace(configured.find("</cluster_property_set>"), 0,
                     R"(<nvpair id="o-st" name="stonith-timeout" value="2min"/>)");
  configured.replace(
      configured.find("</resources>"), 0,
      R"(<primitive id="f1" class="stonith" type="fence_oci"><instance_attributes id="f1-i">)"
      R"(<nvpair id="f1-d" name="pcmk_delay_max" value="15s"/></instance_attributes></primitive>)"
      R"(<primitive id="f2" class="stonith" type="fence_oci"><instance_attributes id="f2-i">)"
      R"(<nvpair id="f2-d" name="pcmk_delay_base" value="5"/></instance_attributes></primitive>)");
  BOOST_TEST(*pcmk::fencing_seconds(configured) == 135);
}

BOOST_AUTO_TEST_CASE(no_quorum_or_no_dc_is_waited_out_then_changes_nothing) {
  Bed election;  // a DC answers after 10 s, quorum after 5 s: both pass
  election.cluster.peer(k_online);
  election.cluster.dc_after = 10s;
  election.cluster.quorate_after = 5s;
  Verdict v = fence_peer(election.cluster, election.time, request(), local(DiskState::up_to_date));
  BOOST_TEST(v.exit_code == k_peer_outdated, v.why);
  BOOST_TEST(election.time.elapsed() >= 10s);
  Bed minority;
  minority.cluster.is_quorate = false;
  v = fence_peer(minority.cluster, minority.time, request(10s), local(DiskState::up_to_date));
  BOOST_TEST(v.exit_code == k_helper_failed);
  BOOST_TEST(v.why == "not fencing for r0: this partition is not quorate; no disk state changed");
  BOOST_TEST(minority.cluster.placed.empty());
  BOOST_TEST(minority.time.elapsed() >= 9s);
  Bed no_dc;
  no_dc.cluster.dc_after = 1h;
  v = fence_peer(no_dc.cluster, no_dc.time, request(10s), local(DiskState::up_to_date));
  BOOST_TEST(v.exit_code == k_helper_failed);
  BOOST_TEST(v.why.find("no DC answered: CIB query: Timer expired") != std::string::npos, v.why);
  Bed no_corosync;
  no_corosync.cluster.quorum_error = true;
  BOOST_TEST(fence_peer(no_corosync.cluster, no_corosync.time, request(5s), local(DiskState::up_to_date))
                 .exit_code == k_helper_failed);
}

BOOST_AUTO_TEST_CASE(data_that_is_not_uptodate_fences_nothing) {
  for (DiskState d : {DiskState::outdated, DiskState::inconsistent, DiskState::diskless}) {
    Bed bed;
    bed.cluster.peer(k_online);
    const Verdict v = fence_peer(bed.cluster, bed.time, request(), local(d));
    BOOST_TEST(v.exit_code == k_helper_failed);
    BOOST_TEST(
        v.why.find("this node's data is not UpToDate (volume 0 is " + std::string(name(d)) + ")") != std::string::npos,
        v.why);
    BOOST_TEST(bed.cluster.placed.empty());
  }
  Bed unread;
  const Verdict u = fence_peer(unread.cluster, unread.time, request(),
                               Result<ResourceState>(fail(Errc::generic, "drbdsetup events2 --now r0 exited 10")));
  BOOST_TEST(u.exit_code == k_helper_failed);
  BOOST_TEST(unread.cluster.placed.empty());
}

BOOST_AUTO_TEST_CASE(consistent_data_fences_only_a_peer_confirmed_online) {
  Bed bed;
  bed.cluster.peer(k_online);
  Verdict v = fence_peer(bed.cluster, bed.time, request(), local(DiskState::consistent));
  BOOST_TEST(v.exit_code == k_peer_outdated, v.why);
  BOOST_TEST(bed.cluster.constraints.size() == 1u);
  Bed gone;  // the peer may be ahead: nothing is placed, nothing outdated
  gone.cluster.peer(k_unclean);
  gone.cluster.peer(k_fenced, 2s);
  v = fence_peer(gone.cluster, gone.time, request(10s), local(DiskState::consistent));
  BOOST_TEST(v.exit_code == k_helper_failed, v.why);
  BOOST_TEST(v.why.find("Consistent and not every peer is online") != std::string::npos, v.why);
  BOOST_TEST(gone.cluster.placed.empty());
}

BOOST_AUTO_TEST_CASE(a_constraint_of_ours_that_excludes_this_node_is_refused_and_kept) {
  Bed bed;
  bed.cluster.peer(k_online);
  bed.cluster.constraints["sft-fence-peer-r0"] = ours({"bravo"});  // bravo fenced alpha first
  const Verdict v = fence_peer(bed.cluster, bed.time, request(), local(DiskState::up_to_date));
  BOOST_TEST(v.exit_code == k_helper_failed, v.why);
  BOOST_TEST(v.why.find("sft-fence-peer-r0 already allows the Promoted role only on bravo") != std::string::npos,
             v.why);
  BOOST_TEST(bed.cluster.placed.empty());
  BOOST_TEST(bed.cluster.constraints.at("sft-fence-peer-r0") == ours({"bravo"}));
  // Someone else's element under our id is not ours to judge or replace.
  Bed foreign;
  foreign.cluster.constraints["sft-fence-peer-r0"] =
      R"(<rsc_location id="sft-fence-peer-r0" rsc="r0-drbd-clone" node="alpha" score="100"/>)";
  const Verdict f = fence_peer(foreign.cluster, foreign.time, request(), local(DiskState::up_to_date));
  BOOST_TEST(f.exit_code == k_helper_failed);
  BOOST_TEST(f.why.find("is not a Promoted-role ban this handler wrote") != std::string::npos, f.why);
  BOOST_TEST(foreign.cluster.placed.empty());
}

BOOST_AUTO_TEST_CASE(a_constraint_only_narrows) {
  Bed again;  // our own, from an earlier run: kept as it is
  again.cluster.peer(k_online);
  again.cluster.constraints["sft-fence-peer-r0"] = ours({"alpha"});
  Verdict v = fence_peer(again.cluster, again.time, request(), local(DiskState::up_to_date));
  BOOST_TEST(v.exit_code == k_peer_outdated, v.why);
  BOOST_TEST(again.cluster.placed.empty());
  BOOST_TEST(v.why.find("sft-fence-peer-r0 was in place") != std::string::npos, v.why);
  Bed wider;  // alpha and carol allowed: narrowed to alpha
  wider.cluster.peer(k_online);
  wider.cluster.constraints["sft-fence-peer-r0"] = ours({"carol", "alpha"});
  v = fence_peer(wider.cluster, wider.time, request(), local(DiskState::up_to_date));
  BOOST_TEST(v.exit_code == k_peer_outdated, v.why);
  BOOST_TEST(wider.cluster.constraints.at("sft-fence-peer-r0") == ours({"alpha"}));
}

BOOST_AUTO_TEST_CASE(a_placement_race_lost_to_another_handler_is_judged_again) {
  // bravo's handler creates its constraint between alpha's read and alpha's create.
  struct Racing : FakeCluster {
    using FakeCluster::FakeCluster;
    Result<bool> create_constraint(const std::string& xml, const sys::Deadline& d) override {
      if (creates++ == 0) constraints["sft-fence-peer-r0"] = ours({"bravo"});
      return FakeCluster::create_constraint(xml, d);
    }
  };
  fakes::FakeSystem time;
  Racing cluster(time);
  cluster.peer(k_online);
  const Verdict v = fence_peer(cluster, time, request(), local(DiskState::up_to_date));
  BOOST_TEST(v.exit_code == k_helper_failed, v.why);
  BOOST_TEST(v.why.find("only on bravo") != std::string::npos, v.why);
  BOOST_TEST(cluster.constraints.at("sft-fence-peer-r0") == ours({"bravo"}));
}

BOOST_AUTO_TEST_CASE(the_role_is_spelled_as_the_cibs_schema_reads_it) {
  for (const auto& [schema, role] : std::vector<std::pair<std::string, std::string>>{
           {"pacemaker-3.6", "Master"}, {"pacemaker-2.10", "Master"}, {"pacemaker-3.7", "Promoted"},
           {"pacemaker-4.0", "Promoted"}, {"pacemaker-next", "Promoted"}, {"none", "Master"}}) {
    Bed bed;
    bed.cluster.peer(k_online);
    bed.cluster.schema = schema;
    const Verdict v = fence_peer(bed.cluster, bed.time, request(), local(DiskState::up_to_date));
    BOOST_TEST(v.exit_code == k_peer_outdated, schema + ": " + v.why);
    BOOST_TEST_REQUIRE(bed.cluster.placed.size() == 1u);
    BOOST_TEST(bed.cluster.placed[0].find("role=\"" + role + "\"") != std::string::npos, schema);
  }
  // Either spelling is read back as ours.
  Bed old;
  old.cluster.peer(k_online);
  old.cluster.constraints["sft-fence-peer-r0"] = ours({"bravo"}, "Master");
  BOOST_TEST(fence_peer(old.cluster, old.time, request(), local(DiskState::up_to_date)).why.find("only on bravo") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(with_no_peer_named_every_other_node_is_a_peer) {
  Bed bed;
  bed.cluster.nodes = R"(<node id="2" uname="bravo"/><node id="3" uname="alpha"/>)";
  bed.cluster.peer(k_online);
  FenceRequest r = request();
  r.peers.clear();
  const Verdict v = fence_peer(bed.cluster, bed.time, r, local(DiskState::up_to_date));
  BOOST_TEST(v.exit_code == k_peer_outdated, v.why);
  // the fixture's own node "vm" is online too: both are peers, alpha is this node
  BOOST_TEST((bed.cluster.pinged == std::vector<std::string>{"bravo", "vm"}));
  Bed alone;  // the fixture's one node is this one: nobody to confirm, nothing answered at once
  alone.cluster.me = "vm";
  FenceRequest none = request(5s);
  none.peers.clear();
  const Verdict a = fence_peer(alone.cluster, alone.time, none, local(DiskState::up_to_date));
  BOOST_TEST(a.exit_code == k_helper_failed, a.why);
  BOOST_TEST(a.why.find("DRBD named no peer and the cluster has no other node") != std::string::npos, a.why);
  BOOST_TEST(alone.cluster.placed.empty());
}

BOOST_AUTO_TEST_CASE(a_resource_no_clone_manages_or_a_cib_that_refuses_changes_nothing) {
  Bed bed;
  FenceRequest other = request();
  other.resource = "r9";
  const Verdict v = fence_peer(bed.cluster, bed.time, other, local(DiskState::up_to_date));
  BOOST_TEST(v.exit_code == k_helper_failed);
  BOOST_TEST(v.why == "not fencing for r9: no ocf:sft:drbd with drbd_resource=r9 in the CIB; no disk state changed");
  Bed refusing;
  refusing.cluster.put_error = true;
  BOOST_TEST(fence_peer(refusing.cluster, refusing.time, request(5s), local(DiskState::up_to_date)).exit_code ==
             k_helper_failed);
}

// DRBD's contract for the answer (drbd_nl.c, conn_try_outdate_peer, 8.4 and 9 alike),
// and what every situation must come to under it: this node's disk is never outdated,
// the peer's is taken as Outdated only with the constraint in the CIB, and a Primary's
// frozen I/O resumes only once each peer is confirmed online or down (or lost where no
// fencing exists to confirm it).
struct Effect {
  bool local_outdated = false;
  bool peer_outdated = false;
};
Effect kernel_effect(int code, bool local_uptodate) {
  switch (code) {
    case 3:
    case 4:
    case 7:
      return {false, true};
    case 5:
      return {false, local_uptodate};
    case 6:
      return {true, false};
    default:
      return {};  // "helper broken": nothing changes, I/O stays frozen
  }
}

BOOST_AUTO_TEST_CASE(every_situation_keeps_drbds_contract) {
  struct Row {
    const char* situation;
    DiskState disk;
    std::function<void(FakeCluster&)> set_up;
    int expected;
  };
  const std::vector<Row> rows{
      {"peer online, controller answers", DiskState::up_to_date, [](FakeCluster& c) { c.peer(k_online); }, 4},
      {"peer fenced", DiskState::up_to_date, [](FakeCluster& c) { c.peer(k_fenced); }, 7},
      {"peer fenced after 5 s", DiskState::up_to_date,
       [](FakeCluster& c) { c.peer(k_unclean), c.peer(k_fenced, 5s); }, 7},
      {"peer unclean throughout", DiskState::up_to_date, [](FakeCluster& c) { c.peer(k_unclean); }, 1},
      {"peer lost, no fencing", DiskState::up_to_date, [](FakeCluster& c) { c.fencing = false, c.peer(k_unclean); },
       5},
      {"peer online, controller silent", DiskState::up_to_date,
       [](FakeCluster& c) { c.peer(k_online), c.controller_up = false; }, 1},
      {"peer never seen", DiskState::up_to_date, [](FakeCluster&) {}, 1},
      {"no quorum", DiskState::up_to_date, [](FakeCluster& c) { c.peer(k_online), c.is_quorate = false; }, 1},
      {"no DC", DiskState::up_to_date, [](FakeCluster& c) { c.peer(k_online), c.dc_after = 1h; }, 1},
      {"corosync down", DiskState::up_to_date, [](FakeCluster& c) { c.peer(k_online), c.quorum_error = true; }, 1},
      {"CIB refuses writes", DiskState::up_to_date, [](FakeCluster& c) { c.peer(k_online), c.put_error = true; }, 1},
      {"peer fenced us first", DiskState::up_to_date,
       [](FakeCluster& c) { c.peer(k_online), c.constraints["sft-fence-peer-r0"] = ours({"bravo"}); }, 1},
      {"Consistent, peer online", DiskState::consistent, [](FakeCluster& c) { c.peer(k_online); }, 4},
      {"Consistent, peer fenced", DiskState::consistent, [](FakeCluster& c) { c.peer(k_fenced); }, 1},
      {"Outdated", DiskState::outdated, [](FakeCluster& c) { c.peer(k_online); }, 1},
      {"Inconsistent", DiskState::inconsistent, [](FakeCluster& c) { c.peer(k_fenced); }, 1},
  };
  for (const Row& row : rows) {
    Bed bed;
    row.set_up(bed.cluster);
    const Verdict v = fence_peer(bed.cluster, bed.time, request(10s), local(row.disk));
    BOOST_TEST(v.exit_code == row.expected, row.situation << ": " << v.why);
    const Effect e = kernel_effect(v.exit_code, row.disk == DiskState::up_to_date);
    BOOST_TEST(!e.local_outdated, row.situation);
    if (e.peer_outdated) {
      // The constraint is in the CIB and allows only this node.
      Result<std::string> cib = bed.cluster.query(sys::Deadline(bed.time, 1s));
      BOOST_TEST_REQUIRE(cib.has_value());
      const auto allowed = pcmk::role_allowed_on(*cib, "sft-fence-peer-r0");
      BOOST_TEST_REQUIRE(allowed.has_value());
      BOOST_TEST((allowed->has_value() && **allowed == std::vector<std::string>{"alpha"}), row.situation);
    }
  }
}

BOOST_AUTO_TEST_CASE(unfence_removes_only_our_constraint_once_every_disk_is_uptodate) {
  Bed bed;  // 8.4: the one peer, unnamed in /proc/drbd, Connected and UpToDate
  bed.cluster.constraints["sft-fence-peer-r0"] = ours({"bravo"});
  bed.cluster.constraints["other"] = R"(<rsc_location id="other" rsc="data-fs" node="vm" score="10"/>)";
  Verdict v = unfence_peer(bed.cluster, bed.time, request(),
                           with_peer(local(DiskState::up_to_date), drbd::ConnectionState::connected,
                                     DiskState::up_to_date));
  BOOST_TEST(v.exit_code == 0);
  BOOST_TEST(bed.cluster.removed == std::vector<std::string>{"sft-fence-peer-r0"});
  BOOST_TEST(bed.cluster.constraints.contains("other"));
  Bed syncing;
  v = unfence_peer(syncing.cluster, syncing.time, request(), local(DiskState::inconsistent));
  BOOST_TEST(v.exit_code == 0);
  BOOST_TEST(syncing.cluster.removed.empty());
  BOOST_TEST(v.why.find("not UpToDate yet") != std::string::npos, v.why);
  Bed refusing;
  refusing.cluster.put_error = true;
  BOOST_TEST(unfence_peer(refusing.cluster, refusing.time, request(),
                          with_peer(local(DiskState::up_to_date), drbd::ConnectionState::connected,
                                    DiskState::up_to_date))
                 .exit_code == 1);
}

BOOST_AUTO_TEST_CASE(a_link_lost_at_the_end_of_a_resync_leaves_the_constraint) {
  Bed bed;
  bed.cluster.constraints["sft-fence-peer-r0"] = ours({"bravo"});
  const Verdict v = unfence_peer(bed.cluster, bed.time, request(),
                                 with_peer(local(DiskState::up_to_date), drbd::ConnectionState::connecting,
                                           DiskState::dunknown));
  BOOST_TEST(v.exit_code == 0);
  BOOST_TEST(bed.cluster.removed.empty());
  BOOST_TEST(bed.cluster.placed.empty());
  BOOST_TEST(bed.cluster.constraints.at("sft-fence-peer-r0") == ours({"bravo"}));
  BOOST_TEST(v.why.find("not Connected and UpToDate with bravo") != std::string::npos, v.why);
}

BOOST_AUTO_TEST_CASE(unfence_with_a_peer_still_behind_lets_only_this_node_back_in) {
  // DRBD 9, three nodes: bravo fenced; alpha resynced from it; carol is still Outdated.
  Bed bed;
  bed.cluster.constraints["sft-fence-peer-r0"] = ours({"bravo"});
  ResourceState s = with_peer(local(DiskState::up_to_date), drbd::ConnectionState::connected, DiskState::up_to_date,
                              "bravo");
  s = with_peer(s, drbd::ConnectionState::connected, DiskState::outdated, "carol");
  FenceRequest r = request();
  r.peers = {"bravo"};
  const Verdict v = unfence_peer(bed.cluster, bed.time, r, s);
  BOOST_TEST(v.exit_code == 0, v.why);
  BOOST_TEST(bed.cluster.removed.empty());
  BOOST_TEST(bed.cluster.constraints.at("sft-fence-peer-r0") == ours({"bravo", "alpha"}));
  BOOST_TEST(v.why == "widened sft-fence-peer-r0 to bravo, alpha; not UpToDate: carol");
}

BOOST_AUTO_TEST_SUITE_END()
