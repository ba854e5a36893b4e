#include "stonith/fence_oci/oci_device.h"

#include <boost/test/unit_test.hpp>

#include "tests/fakes/fake_auth.h"
#include "tests/fakes/fake_system.h"
#include "tests/fakes/fake_transport.h"
#include "tests/fakes/printing.h"

namespace sft::fence {
inline std::ostream& operator<<(std::ostream& os, Power p) {
  return os << (p == Power::on ? "on" : p == Power::off ? "off" : "unknown");
}
}  // namespace sft::fence

namespace sft::fence_oci {
namespace {

using fakes::FakeTransport;
using fence::Power;

const std::string k_self = "ocid1.instance.oc1.iad.self";
const std::string k_peer = "ocid1.instance.oc1.iad.peer";
const std::string k_comp = "ocid1.compartment.oc1..c";

std::string instance(const std::string& id, const std::string& name, const std::string& state) {
  return R"({"id":")" + id + R"(","displayName":")" + name + R"(","compartmentId":")" + k_comp +
         R"(","availabilityDomain":"AD-1","region":"iad","shape":"VM","lifecycleState":")" + state + R"("})";
}

// An OciDevice over a FakeTransport that plays both IMDS and Core Services.
struct Setup {
  fakes::FakeSystem os;
  FakeTransport* t = nullptr;
  std::unique_ptr<OciDevice> device;
  sys::Deadline d{os, sys::Millis(60000)};
  std::map<std::string, std::string> states{{k_self, "RUNNING"}, {k_peer, "RUNNING"}};
  std::vector<std::string> listed;  // the ListInstances answer, as JSON objects

  explicit Setup(bool race_check = true, std::string compartment = k_comp) {
    auto transport = std::make_unique<FakeTransport>();
    t = transport.get();
    t->handler = [this](const oci::HttpRequest& r) -> Result<oci::HttpResponse> {
      const std::string& target = r.url.target;
      if (target == "/opc/v2/instance/")
        return oci::HttpResponse{200, {}, R"({"id":")" + k_self + R"(","compartmentId":")" + k_comp + R"("})"};
      for (const auto& [id, state] : states)
        if (target == "/20160918/instances/" + id || target.starts_with("/20160918/instances/" + id + "?action="))
          return oci::HttpResponse{200, {}, instance(id, "n", state)};
      if (target.starts_with("/20160918/instances?")) {
        std::string body = "[";
        for (const std::string& i : listed) body += (body.size() > 1 ? "," : "") + i;
        return oci::HttpResponse{200, {}, body + "]"};
      }
      return fakes::oci_error(404, "NotAuthorizedOrNotFound", target);
    };
    oci::Session s;
    s.transport = std::move(transport);
    s.imds = std::make_unique<oci::Imds>(*t, "http://imds.test/opc/v2");
    s.auth = std::make_unique<fakes::FakeAuth>();
    s.client = std::make_unique<oci::Client>(*t, *s.auth, fakes::test_endpoints(), os);
    device = std::make_unique<OciDevice>(std::move(s), DeviceConfig{std::move(compartment), race_check});
  }
  int sent_to(const std::string& prefix) {
    int n = 0;
    for (const auto& r : t->requests) n += r.url.target.starts_with(prefix);
    return n;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(fence_oci_device)

BOOST_AUTO_TEST_CASE(only_stopped_and_terminated_count_as_off) {
  auto power = [](std::string_view lifecycle_state) { return power_of(oci::instance_state(lifecycle_state)); };
  BOOST_TEST(power("RUNNING") == Power::on);
  BOOST_TEST(power("STOPPED") == Power::off);
  BOOST_TEST(power("TERMINATED") == Power::off);
  for (const char* s : {"STOPPING", "STARTING", "PROVISIONING", "MOVING", "CREATING_IMAGE", "TERMINATING", "", "NEW"})
    BOOST_TEST(power(s) == Power::unknown, s);
}

BOOST_AUTO_TEST_CASE(status_reads_the_lifecycle_state) {
  Setup s;
  s.states[k_peer] = "STOPPING";
  auto p = s.device->status(k_peer, s.d);
  BOOST_REQUIRE(p);
  BOOST_TEST(*p == Power::unknown);
}

BOOST_AUTO_TEST_CASE(power_changes_are_instance_actions) {
  Setup s;
  BOOST_REQUIRE(s.device->power_off(k_peer, s.d));
  BOOST_TEST(s.t->requests.back().method == "POST");
  BOOST_TEST(s.t->requests.back().url.target == "/20160918/instances/" + k_peer + "?action=STOP");
  BOOST_REQUIRE(s.device->power_on(k_peer, s.d));
  BOOST_TEST(s.t->requests.back().url.target == "/20160918/instances/" + k_peer + "?action=START");
  BOOST_REQUIRE(s.device->power_cycle(k_peer, s.d));
  BOOST_TEST(s.t->requests.back().url.target == "/20160918/instances/" + k_peer + "?action=RESET");
}

BOOST_AUTO_TEST_CASE(a_display_name_resolves_to_the_one_live_instance_of_that_name) {
  Setup s;
  s.listed = {instance("ocid1.instance.oc1.iad.old", "db2", "TERMINATED"), instance(k_peer, "db2", "RUNNING")};
  auto id = s.device->resolve_plug("db2", s.d);
  BOOST_REQUIRE_MESSAGE(id, id.error().message);
  BOOST_TEST(*id == k_peer);
  BOOST_TEST(s.t->requests.back().url.target.find("displayName=db2") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_ocid_plug_is_used_as_given_without_a_call) {
  Setup s;
  auto id = s.device->resolve_plug(k_peer, s.d);
  BOOST_REQUIRE(id);
  BOOST_TEST(*id == k_peer);
  BOOST_TEST(s.t->requests.empty());
}

BOOST_AUTO_TEST_CASE(a_name_carried_by_none_or_by_two_is_refused) {
  Setup s;
  auto none = s.device->resolve_plug("db9", s.d);
  BOOST_REQUIRE(!none);
  BOOST_TEST(none.error().message.find("no instance of that name") != std::string::npos);
  s.listed = {instance(k_self, "db", "RUNNING"), instance(k_peer, "db", "STOPPED")};
  auto two = s.device->resolve_plug("db", s.d);
  BOOST_REQUIRE(!two);
  BOOST_TEST(two.error().message.find("2 instances carry that name") != std::string::npos, two.error().message);
}

BOOST_AUTO_TEST_CASE(the_race_check_passes_while_this_node_runs) {
  Setup s;
  BOOST_TEST(s.device->before_power_change(k_peer, s.d).has_value());
  BOOST_TEST(s.sent_to("/opc/v2/instance/") == 1);
  BOOST_TEST(s.sent_to("/20160918/instances/" + k_self) == 1);
}

BOOST_AUTO_TEST_CASE(the_race_check_refuses_while_this_node_is_stopping) {
  Setup s;
  s.states[k_self] = "STOPPING";
  auto r = s.device->before_power_change(k_peer, s.d);
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error().message.find("is STOPPING, not RUNNING") != std::string::npos, r.error().message);
}

BOOST_AUTO_TEST_CASE(the_race_check_refuses_when_this_node_cannot_be_told) {
  Setup s;
  s.t->handler = [](const oci::HttpRequest&) -> Result<oci::HttpResponse> {
    return fail(Errc::generic, "connection refused");
  };
  auto r = s.device->before_power_change(k_peer, s.d);
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error().message.find("skip_race_check") != std::string::npos, r.error().message);
}

BOOST_AUTO_TEST_CASE(skip_race_check_asks_nothing) {
  Setup s(false);
  BOOST_TEST(s.device->before_power_change(k_peer, s.d).has_value());
  BOOST_TEST(s.t->requests.empty());
}

BOOST_AUTO_TEST_CASE(without_a_compartment_list_uses_this_instances) {
  Setup s(true, "");
  s.listed = {instance(k_self, "a", "RUNNING"), instance(k_peer, "b", "STOPPED")};
  auto all = s.device->list(true, s.d);
  BOOST_REQUIRE_MESSAGE(all, all.error().message);
  BOOST_REQUIRE(all->size() == 2u);
  BOOST_TEST((*all)[1].power == Power::off);
  BOOST_TEST(s.t->requests.back().url.target.find("compartmentId=" + k_comp) != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace sft::fence_oci
