// Every typed call of libsft_oci against the mock OCI API over HTTPS, including
// paging, lifecycles that take time and read-after-write lag.
#include <boost/test/unit_test.hpp>
#include <thread>

#include "oci-plugins/calls/compute.h"
#include "oci-plugins/calls/dns.h"
#include "oci-plugins/calls/network.h"
#include "tests/fakes/printing.h"
#include "tests/integration/oci/mock.h"

namespace sft::oci {
inline std::ostream& operator<<(std::ostream& os, InstanceState s) { return os << state_name(s); }
}  // namespace sft::oci

namespace sft::it {
namespace {

using namespace oci;

struct Fixture {
  Mock mock;
  Session session = *mock.session();
  Client& client = *session.client;
  std::string compartment = mock.seed()["instances"][0]["compartmentId"];
  sys::Deadline d() { return seconds(mock.os, 20); }

  // Polls get() until pred holds, for at most `s` seconds.
  template <class Get, class Pred>
  bool eventually(Get get, Pred pred, double s = 10) {
    sys::Deadline until = seconds(mock.os, s);
    while (!until.expired()) {
      auto r = get();
      if (r && pred(*r)) return true;
      until.sleep_for(sys::Millis(200));
    }
    return false;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(oci_calls, Fixture)

BOOST_AUTO_TEST_CASE(instances_are_read_listed_and_filtered) {
  auto node2 = get_instance(client, mock.id_of("instances", "node2"), d());
  BOOST_REQUIRE_MESSAGE(node2, node2.error().message);
  BOOST_TEST(node2->display_name == "node2");
  BOOST_TEST(node2->state == InstanceState::running);
  auto all = list_instances(client, compartment, std::nullopt, d());
  BOOST_REQUIRE(all);
  BOOST_TEST(all->size() == 3u);
  BOOST_TEST(mock.count("ListInstances") == 2);  // two pages of two
  auto named = list_instances(client, compartment, std::string("node3"), d());
  BOOST_REQUIRE(named);
  BOOST_REQUIRE(named->size() == 1u);
  BOOST_TEST(named->front().id == mock.id_of("instances", "node3"));
}

BOOST_AUTO_TEST_CASE(an_unknown_instance_is_a_permission_error_with_its_request_id) {
  auto r = get_instance(client, "ocid1.instance.oc1.iad.aaaaaaaanothere", d());
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error().code == Errc::permission);
  BOOST_TEST(r.error().message.find("opc-request-id MOCK/") != std::string::npos, r.error().message);
}

BOOST_AUTO_TEST_CASE(stop_and_start_go_through_their_transitions) {
  const std::string node3 = mock.id_of("instances", "node3");
  auto stopping = instance_action(client, node3, "STOP", d());
  BOOST_REQUIRE_MESSAGE(stopping, stopping.error().message);
  BOOST_TEST(stopping->state == InstanceState::stopping);
  BOOST_TEST(eventually([&] { return get_instance(client, node3, d()); },
                        [](const Instance& i) { return i.state == InstanceState::stopped; }));
  auto starting = instance_action(client, node3, "START", d());
  BOOST_REQUIRE(starting);
  BOOST_TEST(starting->state == InstanceState::starting);
  BOOST_TEST(eventually([&] { return get_instance(client, node3, d()); },
                        [](const Instance& i) { return i.state == InstanceState::running; }));
}

BOOST_AUTO_TEST_CASE(start_while_stopping_is_retried_until_it_is_allowed) {
  const std::string node3 = mock.id_of("instances", "node3");
  BOOST_REQUIRE(instance_action(client, node3, "STOP", d()));
  // STOPPING -> START answers 409 IncorrectState, which the client retries with back-off.
  auto r = instance_action(client, node3, "START", d());
  BOOST_REQUIRE_MESSAGE(r, r.error().message);
  BOOST_TEST(mock.count("InstanceAction", 409) >= 1);
}

BOOST_AUTO_TEST_CASE(the_network_of_an_instance_is_read) {
  const std::string node1 = mock.id_of("instances", "node1");
  auto attachments = list_vnic_attachments(client, compartment, node1, d());
  BOOST_REQUIRE_MESSAGE(attachments, attachments.error().message);
  BOOST_REQUIRE(attachments->size() == 1u);
  auto vnic = get_vnic(client, attachments->front().vnic_id, d());
  BOOST_REQUIRE(vnic);
  BOOST_TEST(vnic->private_ip == "10.0.0.11");
  BOOST_TEST(vnic->is_primary);
  auto subnet = get_subnet(client, vnic->subnet_id, d());
  BOOST_REQUIRE(subnet);
  BOOST_TEST(subnet->cidr_block == "10.0.0.0/24");
  auto ips = list_private_ips_by_vnic(client, vnic->id, d());
  BOOST_REQUIRE(ips);
  BOOST_TEST(ips->size() == 2u);  // the primary and the VIP
  auto vip = list_private_ips_by_address(client, "10.0.0.100", vnic->subnet_id, d());
  BOOST_REQUIRE(vip);
  BOOST_REQUIRE(vip->size() == 1u);
  BOOST_TEST(!vip->front().is_primary);
  auto same = get_private_ip(client, vip->front().id, d());
  BOOST_REQUIRE(same);
  BOOST_TEST(same->ip_address == "10.0.0.100");
}

BOOST_AUTO_TEST_CASE(a_secondary_ip_moves_to_another_vnic_in_its_subnet) {
  const std::string vip = mock.id_of("privateIps", "10.0.0.100");
  const std::string vnic2 = mock.id_of("vnics", "10.0.0.12");
  auto moved = update_private_ip_vnic(client, vip, vnic2, d());
  BOOST_REQUIRE_MESSAGE(moved, moved.error().message);
  BOOST_TEST(moved->vnic_id == vnic2);
  auto on2 = list_private_ips_by_vnic(client, vnic2, d());
  BOOST_REQUIRE(on2);
  BOOST_TEST(on2->size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_primary_ip_cannot_move) {
  const std::string primary = mock.id_of("privateIps", "10.0.0.11");
  auto r = update_private_ip_vnic(client, primary, mock.id_of("vnics", "10.0.0.12"), d());
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error().code == Errc::invalid_argument);
  BOOST_TEST(r.error().message.find("HTTP 400") != std::string::npos, r.error().message);
}

BOOST_AUTO_TEST_CASE(a_private_ip_is_created_and_deleted) {
  const std::string vnic2 = mock.id_of("vnics", "10.0.0.12");
  auto made = create_private_ip(client, vnic2, {.ip_address = "10.0.0.101", .display_name = "vip2"}, d());
  BOOST_REQUIRE_MESSAGE(made, made.error().message);
  BOOST_TEST(made->ip_address == "10.0.0.101");
  auto again = create_private_ip(client, vnic2, {.ip_address = "10.0.0.101"}, d());
  BOOST_REQUIRE(!again);  // taken: 409 Conflict is not retried
  BOOST_TEST(again.error().message.find("409") != std::string::npos, again.error().message);
  BOOST_REQUIRE(delete_private_ip(client, made->id, d()));
  auto gone = list_private_ips_by_address(client, "10.0.0.101", made->subnet_id, d());
  BOOST_REQUIRE(gone);
  BOOST_TEST(gone->empty());
}

BOOST_AUTO_TEST_CASE(a_reserved_public_ip_follows_its_private_ip) {
  const std::string vip = mock.id_of("privateIps", "10.0.0.100");
  auto pub = get_public_ip_by_private_ip_id(client, vip, d());
  BOOST_REQUIRE_MESSAGE(pub, pub.error().message);
  BOOST_REQUIRE(pub->has_value());
  BOOST_TEST((*pub)->ip_address == "203.0.113.10");
  auto none = get_public_ip_by_private_ip_id(client, mock.id_of("privateIps", "10.0.0.12"), d());
  BOOST_REQUIRE(none);
  BOOST_TEST(!none->has_value());

  // Unassign, then assign to node2's primary: ASSIGNING, then ASSIGNED.
  const std::string id = (*pub)->id;
  BOOST_REQUIRE(update_public_ip(client, id, std::nullopt, d()));
  BOOST_TEST(eventually([&] { return get_public_ip(client, id, d()); },
                        [](const PublicIp& p) { return p.lifecycle_state == "AVAILABLE"; }));
  const std::string target = mock.id_of("privateIps", "10.0.0.12");
  auto assigning = update_public_ip(client, id, target, d());
  BOOST_REQUIRE_MESSAGE(assigning, assigning.error().message);
  BOOST_TEST(assigning->lifecycle_state == "ASSIGNING");
  BOOST_TEST(
      eventually([&] { return get_public_ip(client, id, d()); },
                 [&](const PublicIp& p) { return p.lifecycle_state == "ASSIGNED" && p.private_ip_id == target; }));
}

BOOST_AUTO_TEST_CASE(a_write_is_seen_once_the_read_lag_is_over) {
  mock.faults(json::array({{{"operation", "UpdatePrivateIp"}, {"stale_seconds", 2}}}));
  const std::string vip = mock.id_of("privateIps", "10.0.0.100");
  const std::string vnic2 = mock.id_of("vnics", "10.0.0.12");
  BOOST_REQUIRE(update_private_ip_vnic(client, vip, vnic2, d()));
  auto right_after = get_private_ip(client, vip, d());
  BOOST_REQUIRE(right_after);
  BOOST_TEST(right_after->vnic_id != vnic2);  // the lag is real...
  BOOST_TEST(eventually([&] { return get_private_ip(client, vip, d()); },
                        [&](const PrivateIp& p) { return p.vnic_id == vnic2; }));  // ...and ends
}

BOOST_AUTO_TEST_CASE(an_rrset_is_read_and_replaced) {
  ZoneRef zone{"example.com"};
  auto before = get_rrset(client, zone, "db.example.com", "A", d());
  BOOST_REQUIRE_MESSAGE(before, before.error().message);
  BOOST_REQUIRE(before->size() == 1u);
  BOOST_TEST(before->front().rdata == "10.0.0.100");
  auto after = update_rrset(client, zone, "db.example.com", "A", {{"db.example.com", "A", "10.0.0.12", 30}}, d());
  BOOST_REQUIRE_MESSAGE(after, after.error().message);
  auto read = get_rrset(client, zone, "db.example.com", "A", d());
  BOOST_REQUIRE(read && read->size() == 1u);
  BOOST_TEST(read->front().rdata == "10.0.0.12");
  BOOST_TEST(read->front().ttl == 30);
}

BOOST_AUTO_TEST_CASE(a_patch_with_a_failed_precondition_changes_nothing) {
  ZoneRef zone{"example.com"};
  using Op = RecordOperation;
  auto swapped = patch_zone_records(client, zone,
                                    {{"db.example.com", "A", "10.0.0.100", 0, Op::require},
                                     {"db.example.com", "A", "10.0.0.100", 0, Op::remove},
                                     {"db.example.com", "A", "10.0.0.12", 30, Op::add}},
                                    d());
  BOOST_REQUIRE_MESSAGE(swapped, swapped.error().message);
  auto stale = patch_zone_records(
      client, zone,
      {{"db.example.com", "A", "10.0.0.100", 0, Op::require}, {"db.example.com", "A", "10.0.0.13", 30, Op::add}}, d());
  BOOST_REQUIRE(!stale);
  BOOST_TEST(precondition_failed(client.last_status()));
  auto read = get_rrset(client, zone, "db.example.com", "A", d());
  BOOST_REQUIRE(read && read->size() == 1u);
  BOOST_TEST(read->front().rdata == "10.0.0.12");
}

BOOST_AUTO_TEST_CASE(a_private_zone_is_reached_through_its_view) {
  std::string view;
  for (const json& z : mock.seed()["dnsZones"])
    if (z["name"] == "cluster.internal") view = z["viewId"];
  auto without =
      get_rrset(client, ZoneRef{"cluster.internal", ZoneRef::Scope::private_, ""}, "db.cluster.internal", "A", d());
  BOOST_REQUIRE(!without);
  BOOST_TEST(without.error().code == Errc::invalid_argument);
  auto with =
      get_rrset(client, ZoneRef{"cluster.internal", ZoneRef::Scope::private_, view}, "db.cluster.internal", "A", d());
  BOOST_REQUIRE_MESSAGE(with, with.error().message);
  BOOST_TEST(with->front().rdata == "10.0.0.100");
}

BOOST_AUTO_TEST_CASE(instance_metadata_names_this_instance_and_its_vnics) {
  auto self = session.imds->instance(d());
  BOOST_REQUIRE_MESSAGE(self, self.error().message);
  BOOST_TEST(self->id == mock.id_of("instances", "node1"));
  BOOST_TEST(self->region == "us-ashburn-1");
  BOOST_TEST(self->compartment_id == compartment);
  auto vnics = session.imds->vnics(d());
  BOOST_REQUIRE(vnics);
  BOOST_REQUIRE(!vnics->empty());
  BOOST_TEST(vnics->front().private_ip == "10.0.0.11");
  BOOST_TEST(vnics->front().vnic_id == mock.id_of("vnics", "10.0.0.11"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace sft::it
