#include "oci-plugins/calls/compute.h"

#include <algorithm>
#include <array>
#include <utility>

#include "oci-plugins/base/json_fields.h"

namespace sft::oci {
namespace {

constexpr std::array<std::pair<InstanceState, std::string_view>, 9> k_states{{
    {InstanceState::moving, "MOVING"},
    {InstanceState::provisioning, "PROVISIONING"},
    {InstanceState::running, "RUNNING"},
    {InstanceState::starting, "STARTING"},
    {InstanceState::stopping, "STOPPING"},
    {InstanceState::stopped, "STOPPED"},
    {InstanceState::creating_image, "CREATING_IMAGE"},
    {InstanceState::terminating, "TERMINATING"},
    {InstanceState::terminated, "TERMINATED"},
}};

constexpr std::array<std::string_view, 5> k_actions{"STOP", "START", "RESET", "SOFTSTOP", "SOFTRESET"};

Result<Instance> one_instance(Client& client, const Call& call, const std::string& id, const sys::Deadline& d) {
  // An empty OCID would address the collection: refuse it before sending.
  if (id.empty()) return fail(Errc::invalid_argument, call.operation + ": the instance OCID is empty");
  HttpResponse response;
  Result<json> body = client.call(call, d, &response);
  if (!body) return std::unexpected(body.error());
  Result<Instance> instance = parse_body(*body, &parse_instance, call.operation, response);
  if (!instance) return instance;
  if (const std::string* etag = response.header("etag")) instance->etag = *etag;
  return instance;
}

}  // namespace

InstanceState instance_state(std::string_view lifecycle_state) {
  for (const auto& [state, name] : k_states)
    if (name == lifecycle_state) return state;
  return InstanceState::unknown;
}

std::string_view state_name(InstanceState s) {
  for (const auto& [state, name] : k_states)
    if (state == s) return name;
  return "UNKNOWN";
}

Result<Instance> parse_instance(const json& j) {
  Fields f(j, "Instance");
  Instance i;
  i.id = f.text("id", k_required);
  i.display_name = f.text("displayName");
  i.compartment_id = f.text("compartmentId", k_required);
  i.availability_domain = f.text("availabilityDomain", k_required);
  i.fault_domain = f.text("faultDomain");
  i.region = f.text("region", k_required);
  i.shape = f.text("shape", k_required);
  i.lifecycle_state = f.text("lifecycleState", k_required);
  i.state = instance_state(i.lifecycle_state);
  return f.checked(std::move(i));
}

Result<Instance> get_instance(Client& client, const std::string& instance_id, const sys::Deadline& d) {
  return one_instance(client,
                      Call{.operation = "GetInstance " + instance_id, .path = "/instances/" + url_encode(instance_id)},
                      instance_id, d);
}

Result<Instance> instance_action(Client& client, const std::string& instance_id, std::string_view action,
                                 const sys::Deadline& d) {
  std::string operation = "InstanceAction " + std::string(action) + " " + instance_id;
  if (std::find(k_actions.begin(), k_actions.end(), action) == k_actions.end())
    return fail(Errc::invalid_argument,
                operation + ": unknown action (expected STOP, START, RESET, SOFTSTOP or SOFTRESET)");
  Call call{.operation = operation,
            .method = "POST",
            .path = "/instances/" + url_encode(instance_id) + query_string({{"action", std::string(action)}})};
  return one_instance(client, call, instance_id, d);
}

Result<std::vector<Instance>> list_instances(Client& client, const std::string& compartment_id,
                                             const std::optional<std::string>& display_name, const sys::Deadline& d) {
  Call call{.operation = "ListInstances " + compartment_id,
            .path = "/instances" + query_string({{"compartmentId", compartment_id},
                                                 {"displayName", display_name.value_or(std::string())}})};
  Result<json> items = client.list_all(call, d);
  if (!items) return std::unexpected(items.error());
  Result<std::vector<Instance>> out = parse_each(*items, &parse_instance);
  if (!out) return std::unexpected(with_context(out.error(), call.operation));
  return out;
}

}  // namespace sft::oci
