#pragma once
// Compute instances (Core Services, /20160918): read one, list a compartment's, and
// power actions. What the fence agent needs, nothing more.
//
// Errors (every call): those of Client::call, with the operation and OCID first:
//   Errc::permission  HTTP 401, or 404 NotAuthorizedOrNotFound (OCI does not say
//                     whether the instance is missing or the policy does not allow it)
//   Errc::invalid_argument  HTTP 400, or an empty OCID (refused before sending)
//   Errc::busy        HTTP 409/412 (a conflict not worth retrying, or If-Match did
//                     not match)
//   Errc::timeout     the deadline passed, with or without an answer to retry
//   Errc::generic     anything else, and a 2xx body that is not the expected shape
// Client::last_status() tells the HTTP status, code and opc-request-id afterwards.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/sys/deadline.h"
#include "oci-plugins/client/client.h"

namespace sft::oci {

// Instance.lifecycleState. OCI may add states: anything else is `unknown`, and the
// text stays in Instance::lifecycle_state.
enum class InstanceState {
  moving,
  provisioning,
  running,
  starting,
  stopping,
  stopped,
  creating_image,
  terminating,
  terminated,
  unknown,
};
InstanceState instance_state(std::string_view lifecycle_state);
std::string_view state_name(InstanceState s);  // "RUNNING"; "UNKNOWN" for unknown

struct Instance {
  std::string id{};
  std::string display_name{};
  std::string compartment_id{};
  std::string availability_domain{};
  std::string fault_domain{};
  std::string region{};
  std::string shape{};
  std::string lifecycle_state{};  // as OCI sent it ("RUNNING")
  InstanceState state = InstanceState::unknown;
  std::optional<std::string> etag{};  // the response's etag header (single reads and actions)
};

// One Instance from OCI's JSON. Required: id, compartmentId, availabilityDomain,
// region, shape, lifecycleState; a missing one (or one of the wrong type) is
// Errc::generic naming the field. Unknown fields are ignored.
Result<Instance> parse_instance(const json& j);

// GET /instances/{id}, with the etag.
Result<Instance> get_instance(Client& client, const std::string& instance_id, const sys::Deadline& d);

// POST /instances/{id}?action=<action>: STOP (hard power off), START, RESET (off,
// then on), SOFTSTOP (ACPI, forced off after 15 minutes), SOFTRESET. Returns the
// instance as OCI answered, typically in a transitional state (STOPPING); poll
// get_instance for the end state. The client adds an opc-retry-token, so a retried
// POST does not act twice. Errc::invalid_argument for any other action, before
// anything is sent.
Result<Instance> instance_action(Client& client, const std::string& instance_id, std::string_view action,
                                 const sys::Deadline& d);

// GET /instances?compartmentId=...[&displayName=...], every page. displayName is an
// exact match; nullopt or empty lists all. Instances are as listed (no etag).
Result<std::vector<Instance>> list_instances(Client& client, const std::string& compartment_id,
                                             const std::optional<std::string>& display_name, const sys::Deadline& d);

}  // namespace sft::oci
