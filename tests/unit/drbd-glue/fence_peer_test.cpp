// The fence-peer and after-resync-target handlers' decisions against a fake cluster
// whose CIB is the one captured from Pacemaker 2.1.5 (tests/fixtures/cib/drbd-clone.xml)
// with the peer's status entry changed as time passes.
#include "drbd-glue/fence_peer.h"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

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
    return is_quorate;
  }
  Result<std::string> local_node() override { return std::string("alpha"); }
  Result<std::string> query(const sys::Deadline&) override {
    ++queries;
    std::string cib = fixture("cib/drbd-clone.xml");  // captured without fencing
    const std::string off = R"(name="stonith-enabled" value="false")";
    if (fencing) cib.replace(cib.find(off), off.size(), R"(name="stonith-enabled" value="true")");
    std::string entry;
    for (const auto& [after, state] : m_peer)
      if (m_time.now() - m_start >= after) entry = state;
    cib.insert(cib.find("</status>"), entry);
    return cib;
  }
  Result<void> put_constraint(const std::string& xml, const sys::Deadline&) override {
    if (put_error) return fail(Errc::generic, "CIB update of the constraints: Transport endpoint is not connected");
    placed.push_back(xml);
    return {};
  }
  Result<void> remove_constraint(const std::string& id, const sys::Deadline&) override {
    if (put_error) return fail(Errc::generic, "CIB removal: Transport endpoint is not connected");
    removed.push_back(id);
    return {};
  }

  bool is_quorate = true;
  bool fencing = true;
  bool quorum_error = false;
  bool put_error = false;
  int queries = 0;
  std::vector<std::string> placed, removed;

 private:
  sys::TimeSource& m_time;
  sys::Clock::time_point m_start;
  std::vector<std::pair<sys::Millis, std::string>> m_peer;
};

ResourceState local(DiskState disk) {
  ResourceState s;
  s.name = "r0";
  s.role = Role::secondary;
  s.volumes.push_back(Volume{0, 0, disk, false});
  return s;
}

FenceRequest request(sys::Millis timeout = 30s) { return FenceRequest{"r0", {"bravo"}, {0}, timeout}; }

struct Bed {
  fakes::FakeSystem time;
  FakeCluster cluster{time};
};

}  // namespace

BOOST_AUTO_TEST_SUITE(drbd_fence_peer)

BOOST_AUTO_TEST_CASE(the_request_comes_from_drbds_environment) {
  // What the DRBD 8.4 kernel passed in the real guests (tests/real-drbd).
  std::map<std::string, std::string> env{{"DRBD_RESOURCE", "r0"},
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
  BOOST_TEST(r->timeout.count() == 60000);
  // DRBD 9: the peer by node id, minors per volume.
  std::map<std::string, std::string> nine{{"DRBD_RESOURCE", "r0"},     {"DRBD_PEER_NODE_ID", "1"},
                                          {"DRBD_NODE_ID_0", "alpha"}, {"DRBD_NODE_ID_1", "bravo"},
                                          {"DRBD_MINOR_1", "11"},      {"DRBD_MINOR_0", "10"}};
  const std::vector<std::string> args{"--timeout=30"};
  r = parse_request(nine, args);
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST(r->peers == std::vector<std::string>{"bravo"});
  BOOST_TEST((r->minors == std::vector<int>{10, 11}));
  BOOST_TEST(r->timeout.count() == 30000);
}

BOOST_AUTO_TEST_CASE(a_bad_request_names_what_is_wrong) {
  BOOST_TEST(parse_request({}, {}).error().message == "DRBD_RESOURCE is not set: run this as DRBD's handler");
  const std::map<std::string, std::string> env{{"DRBD_RESOURCE", "r0"}};
  for (const char* a : {"--timeout=0", "--timeout=x", "--fast"}) {
    const std::vector<std::string> args{a};
    Result<FenceRequest> r = parse_request(env, args);
    BOOST_TEST_REQUIRE(!r.has_value(), a);
    BOOST_TEST(r.error().message.find(a) != std::string::npos, r.error().message);
  }
  BOOST_TEST(!parse_request({{"DRBD_RESOURCE", "r0"}, {"DRBD_MINOR", "zero"}}, {}).has_value());
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
  BOOST_TEST(v.why.find("online in the cluster, so outdated by it: bravo") != std::string::npos, v.why);
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

BOOST_AUTO_TEST_CASE(without_fencing_a_lost_peer_is_down_at_once) {
  Bed bed;
  bed.cluster.fencing = false;
  bed.cluster.peer(k_unclean);
  BOOST_TEST(fence_peer(bed.cluster, bed.time, request(), local(DiskState::up_to_date)).exit_code == k_peer_fenced);
  BOOST_TEST(bed.time.elapsed() < 1s);
}

BOOST_AUTO_TEST_CASE(a_peer_never_confirmed_down_is_unreachable_at_the_deadline) {
  Bed bed;
  bed.cluster.peer(k_unclean);
  const Verdict v = fence_peer(bed.cluster, bed.time, request(20s), local(DiskState::up_to_date));
  BOOST_TEST(v.exit_code == k_peer_unreachable, v.why);
  BOOST_TEST(bed.time.elapsed() <= 20s);
  BOOST_TEST(bed.time.elapsed() >= 18s);
  BOOST_TEST(v.why.find("not confirmed down within 20 s: bravo unclean") != std::string::npos, v.why);
  BOOST_TEST(bed.cluster.placed.size() == 1u);  // the constraint stays
  Bed unknown;                                  // never seen by this cluster
  BOOST_TEST(fence_peer(unknown.cluster, unknown.time, request(5s), local(DiskState::up_to_date)).exit_code ==
             k_peer_unreachable);
}

BOOST_AUTO_TEST_CASE(only_uptodate_data_in_a_quorate_partition_fences) {
  for (DiskState d : {DiskState::outdated, DiskState::inconsistent, DiskState::consistent, DiskState::diskless}) {
    Bed bed;
    bed.cluster.peer(k_online);
    const Verdict v = fence_peer(bed.cluster, bed.time, request(), local(d));
    BOOST_TEST(v.exit_code == k_refused);
    BOOST_TEST(
        v.why.find("this node's data is not UpToDate (volume 0 is " + std::string(name(d)) + ")") != std::string::npos,
        v.why);
    BOOST_TEST(bed.cluster.placed.empty());
  }
  Bed minority;
  minority.cluster.is_quorate = false;
  const Verdict v = fence_peer(minority.cluster, minority.time, request(), local(DiskState::up_to_date));
  BOOST_TEST(v.exit_code == k_refused);
  BOOST_TEST(v.why == "not fencing for r0: this partition is not quorate");
  BOOST_TEST(minority.cluster.placed.empty());
  Bed no_corosync;
  no_corosync.cluster.quorum_error = true;
  BOOST_TEST(fence_peer(no_corosync.cluster, no_corosync.time, request(), local(DiskState::up_to_date)).exit_code ==
             k_refused);
  Bed unread;
  const Verdict u = fence_peer(unread.cluster, unread.time, request(),
                               Result<ResourceState>(fail(Errc::generic, "drbdsetup events2 --now r0 exited 10")));
  BOOST_TEST(u.exit_code == k_refused);
  BOOST_TEST(unread.cluster.placed.empty());
}

BOOST_AUTO_TEST_CASE(a_resource_no_clone_manages_or_a_cib_that_refuses_is_refused) {
  Bed bed;
  FenceRequest other = request();
  other.resource = "r9";
  const Verdict v = fence_peer(bed.cluster, bed.time, other, local(DiskState::up_to_date));
  BOOST_TEST(v.exit_code == k_refused);
  BOOST_TEST(v.why == "not fencing for r9: no ocf:sft:drbd with drbd_resource=r9 in the CIB");
  Bed refusing;
  refusing.cluster.put_error = true;
  BOOST_TEST(fence_peer(refusing.cluster, refusing.time, request(), local(DiskState::up_to_date)).exit_code ==
             k_refused);
}

BOOST_AUTO_TEST_CASE(unfence_removes_only_our_constraint_once_uptodate) {
  Bed bed;
  Verdict v = unfence_peer(bed.cluster, bed.time, request(), local(DiskState::up_to_date));
  BOOST_TEST(v.exit_code == 0);
  BOOST_TEST(bed.cluster.removed == std::vector<std::string>{"sft-fence-peer-r0"});
  Bed syncing;
  v = unfence_peer(syncing.cluster, syncing.time, request(), local(DiskState::inconsistent));
  BOOST_TEST(v.exit_code == 0);
  BOOST_TEST(syncing.cluster.removed.empty());
  BOOST_TEST(v.why.find("not UpToDate yet") != std::string::npos, v.why);
  Bed refusing;
  refusing.cluster.put_error = true;
  BOOST_TEST(unfence_peer(refusing.cluster, refusing.time, request(), local(DiskState::up_to_date)).exit_code == 1);
}

BOOST_AUTO_TEST_SUITE_END()
