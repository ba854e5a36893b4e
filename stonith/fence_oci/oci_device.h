#pragma once
// The OCI side of fence_oci: an instance's power through the Compute API.
//   status  GetInstance: RUNNING -> on; STOPPED, TERMINATED -> off; every other
//           state (STOPPING, STARTING, PROVISIONING, ...) -> unknown, never off
//   off     InstanceAction STOP (a hard power-off, no ACPI grace)
//   on      InstanceAction START
//   cycle   InstanceAction RESET (verified through RUNNING by the algorithm)
//   list    ListInstances in the compartment, every page
//   monitor ListInstances with limit=1: proves credentials, policy and endpoint
// The race check (before any power change): this node's own instance, found through
// IMDS, must be RUNNING, so a node that is itself being powered off does not take
// its peer down with it.

#include <memory>
#include <optional>
#include <string>

#include "oci-plugins/calls/compute.h"
#include "oci-plugins/session.h"
#include "stonith/fence.h"

namespace sft::fence_oci {

struct DeviceConfig {
  std::string compartment;  // for list, monitor and display names; empty: this instance's
  bool race_check = true;
};

class OciDevice : public fence::Device {
 public:
  OciDevice(oci::Session session, DeviceConfig config);

  Result<fence::Power> status(const std::string& plug, const sys::Deadline& d) override;
  Result<void> power_off(const std::string& plug, const sys::Deadline& d) override;
  Result<void> power_on(const std::string& plug, const sys::Deadline& d) override;
  bool can_cycle() const override { return true; }
  Result<void> power_cycle(const std::string& plug, const sys::Deadline& d) override;
  Result<std::vector<fence::Outlet>> list(bool with_status, const sys::Deadline& d) override;
  Result<void> monitor(const sys::Deadline& d) override;
  Result<void> before_power_change(const std::string& plug, const sys::Deadline& d) override;
  // An instance OCID as given; a display name looked up in the compartment (exactly
  // one instance that is not TERMINATED may carry it).
  Result<std::string> resolve_plug(const std::string& plug, const sys::Deadline& d) override;

 private:
  // The configured compartment, else this instance's.
  Result<std::string> compartment(const sys::Deadline& d);
  Result<void> act(const std::string& plug, std::string_view action, const sys::Deadline& d);
  oci::Session m_session;
  DeviceConfig m_config;
};

// Power as fence-agents sees it, from an OCI lifecycleState.
fence::Power power_of(oci::InstanceState state);

}  // namespace sft::fence_oci
