#include "stonith/fence_oci/oci_device.h"

#include "oci-plugins/calls/compute.h"

namespace sft::fence_oci {

fence::Power power_of(oci::InstanceState state) {
  using enum oci::InstanceState;
  if (state == running) return fence::Power::on;
  // TERMINATED is off for good: a terminated instance holds no disk or address.
  if (state == stopped || state == terminated) return fence::Power::off;
  return fence::Power::unknown;
}

OciDevice::OciDevice(oci::Session session, DeviceConfig config)
    : m_session(std::move(session)), m_config(std::move(config)) {}

Result<std::string> OciDevice::compartment(const sys::Deadline& d) {
  if (!m_config.compartment.empty()) return m_config.compartment;
  Result<oci::ImdsInstance> self = m_session.imds->instance(d);  // asked once per process
  if (!self)
    return fail(Errc::configuration, "compartment is not set and this is not an OCI instance to take it from (" +
                                         self.error().message + ")");
  return self->compartment_id;
}

Result<void> OciDevice::act(const std::string& plug, std::string_view action, const sys::Deadline& d) {
  Result<oci::Instance> i = oci::instance_action(*m_session.client, plug, action, d);
  if (!i) return std::unexpected(i.error());
  return {};
}

Result<fence::Power> OciDevice::status(const std::string& plug, const sys::Deadline& d) {
  Result<oci::Instance> i = oci::get_instance(*m_session.client, plug, d);
  if (!i) return std::unexpected(i.error());
  return power_of(i->state);
}

Result<void> OciDevice::power_off(const std::string& plug, const sys::Deadline& d) { return act(plug, "STOP", d); }
Result<void> OciDevice::power_on(const std::string& plug, const sys::Deadline& d) { return act(plug, "START", d); }
Result<void> OciDevice::power_cycle(const std::string& plug, const sys::Deadline& d) { return act(plug, "RESET", d); }

Result<std::vector<fence::Outlet>> OciDevice::list(bool with_status, const sys::Deadline& d) {
  Result<std::string> c = compartment(d);
  if (!c) return std::unexpected(c.error());
  Result<std::vector<oci::Instance>> all = oci::list_instances(*m_session.client, *c, std::nullopt, d);
  if (!all) return std::unexpected(all.error());
  std::vector<fence::Outlet> out;
  for (const oci::Instance& i : *all)
    out.push_back({i.id, i.display_name, with_status ? power_of(i.state) : fence::Power::unknown});
  return out;
}

Result<void> OciDevice::monitor(const sys::Deadline& d) {
  Result<std::string> c = compartment(d);
  if (!c) return std::unexpected(c.error());
  Result<oci::json> page =
      m_session.client->call(oci::Call{"ListInstances", "GET", oci::Service::core,
                                       "/instances" + oci::query_string({{"compartmentId", *c}, {"limit", "1"}})},
                             d);
  if (!page) return std::unexpected(page.error());
  return {};
}

Result<void> OciDevice::before_power_change(const std::string& plug, const sys::Deadline& d) {
  if (!m_config.race_check) return {};
  Result<oci::ImdsInstance> self = m_session.imds->instance(d);
  if (!self)
    return fail(Errc::configuration, "race check: cannot tell which instance this node is (" + self.error().message +
                                         "); set skip_race_check=1 when fencing from outside OCI");
  Result<oci::Instance> me = oci::get_instance(*m_session.client, self->id, d);
  if (!me) return std::unexpected(with_context(me.error(), "race check"));
  if (me->state != oci::InstanceState::running)
    return fail(Errc::busy, "race check: this node's own instance " + self->id + " is " + me->lifecycle_state +
                                ", not RUNNING; refusing to change the power of " + plug +
                                " (another node is fencing this one)");
  return {};
}

Result<std::string> OciDevice::resolve_plug(const std::string& plug, const sys::Deadline& d) {
  if (plug.starts_with("ocid1.")) return plug;
  Result<std::string> c = compartment(d);
  if (!c) return std::unexpected(c.error());
  Result<std::vector<oci::Instance>> named = oci::list_instances(*m_session.client, *c, plug, d);
  if (!named) return std::unexpected(named.error());
  std::vector<std::string> live;
  for (const oci::Instance& i : *named)
    if (i.state != oci::InstanceState::terminated) live.push_back(i.id);
  if (live.empty())
    return fail(Errc::configuration, "plug " + plug + ": no instance of that name in compartment " + *c);
  if (live.size() > 1)
    return fail(Errc::configuration, "plug " + plug + ": " + std::to_string(live.size()) +
                                         " instances carry that name in compartment " + *c + "; use the OCID");
  return live.front();
}

}  // namespace sft::fence_oci
