#include "oci-plugins/calls/network.h"

#include <initializer_list>
#include <string_view>
#include <utility>

#include "oci-plugins/base/json_fields.h"

namespace sft::oci {
namespace {

// An empty OCID would address the collection or nothing: refuse it before sending.
Result<void> given(std::initializer_list<std::string_view> ids, const std::string& operation) {
  for (std::string_view id : ids)
    if (id.empty()) return fail(Errc::invalid_argument, operation + ": an OCID is empty");
  return {};
}

// One object from a call about the OCIDs `ids`, parsed.
template <class T>
Result<T> one(Client& client, const Call& call, std::initializer_list<std::string_view> ids, const sys::Deadline& d,
              Result<T> (*parse)(const json&)) {
  if (Result<void> ok = given(ids, call.operation); !ok) return std::unexpected(ok.error());
  HttpResponse response;
  Result<json> body = client.call(call, d, &response);
  if (!body) return std::unexpected(body.error());
  return parse_body(*body, parse, call.operation, response);
}

// Every page of a list call, each item parsed; a bad item fails the list, naming it.
template <class T>
Result<std::vector<T>> all(Client& client, const Call& call, const sys::Deadline& d, Result<T> (*parse)(const json&)) {
  Result<json> items = client.list_all(call, d);
  if (!items) return std::unexpected(items.error());
  Result<std::vector<T>> out = parse_each(*items, parse);
  if (!out) return std::unexpected(with_context(out.error(), call.operation));
  return out;
}

std::string path(std::string_view collection, const std::string& id) {
  return std::string(collection) + "/" + url_encode(id);
}

}  // namespace

Result<VnicAttachment> parse_vnic_attachment(const json& j) {
  Fields f(j, "VnicAttachment");
  VnicAttachment a;
  a.id = f.text("id", k_required);
  a.instance_id = f.text("instanceId", k_required);
  a.vnic_id = f.text("vnicId");
  a.subnet_id = f.text("subnetId");
  a.nic_index = f.integer("nicIndex");
  a.lifecycle_state = f.text("lifecycleState", k_required);
  return f.checked(std::move(a));
}

Result<Vnic> parse_vnic(const json& j) {
  Fields f(j, "Vnic");
  Vnic v;
  v.id = f.text("id", k_required);
  v.private_ip = f.text("privateIp");
  v.public_ip = f.text("publicIp");
  v.is_primary = f.flag("isPrimary");
  v.subnet_id = f.text("subnetId");
  v.mac_address = f.text("macAddress");
  v.hostname_label = f.text("hostnameLabel");
  v.lifecycle_state = f.text("lifecycleState", k_required);
  return f.checked(std::move(v));
}

Result<Subnet> parse_subnet(const json& j) {
  Fields f(j, "Subnet");
  Subnet s;
  s.id = f.text("id", k_required);
  s.cidr_block = f.text("cidrBlock", k_required);
  s.compartment_id = f.text("compartmentId", k_required);
  s.vcn_id = f.text("vcnId", k_required);
  s.display_name = f.text("displayName");
  return f.checked(std::move(s));
}

Result<PrivateIp> parse_private_ip(const json& j) {
  Fields f(j, "PrivateIp");
  PrivateIp p;
  p.id = f.text("id", k_required);
  p.ip_address = f.text("ipAddress", k_required);
  p.vnic_id = f.text("vnicId");
  p.subnet_id = f.text("subnetId");
  p.is_primary = f.flag("isPrimary");
  p.hostname_label = f.text("hostnameLabel");
  p.display_name = f.text("displayName");
  return f.checked(std::move(p));
}

Result<PublicIp> parse_public_ip(const json& j) {
  Fields f(j, "PublicIp");
  PublicIp p;
  p.id = f.text("id", k_required);
  p.ip_address = f.text("ipAddress", k_required);
  p.lifetime = f.text("lifetime", k_required);
  p.lifecycle_state = f.text("lifecycleState", k_required);
  p.private_ip_id = f.maybe_text("privateIpId");
  p.assigned_entity_id = f.text("assignedEntityId");
  return f.checked(std::move(p));
}

Result<std::vector<VnicAttachment>> list_vnic_attachments(Client& client, const std::string& compartment_id,
                                                          const std::optional<std::string>& instance_id,
                                                          const sys::Deadline& d) {
  std::string query = query_string({{"compartmentId", compartment_id}, {"instanceId", instance_id.value_or("")}});
  Call call{
      .operation = "ListVnicAttachments " + (instance_id && !instance_id->empty() ? *instance_id : compartment_id),
      .path = "/vnicAttachments" + query};
  return all(client, call, d, &parse_vnic_attachment);
}

Result<Vnic> get_vnic(Client& client, const std::string& vnic_id, const sys::Deadline& d) {
  return one(client, Call{.operation = "GetVnic " + vnic_id, .path = path("/vnics", vnic_id)}, {vnic_id}, d,
             &parse_vnic);
}

Result<Subnet> get_subnet(Client& client, const std::string& subnet_id, const sys::Deadline& d) {
  return one(client, Call{.operation = "GetSubnet " + subnet_id, .path = path("/subnets", subnet_id)}, {subnet_id}, d,
             &parse_subnet);
}

Result<std::vector<PrivateIp>> list_private_ips_by_address(Client& client, const std::string& ip_address,
                                                           const std::string& subnet_id, const sys::Deadline& d) {
  // Without subnetId OCI would list the whole subnet or refuse: never send that.
  if (ip_address.empty() || subnet_id.empty())
    return fail(Errc::invalid_argument, "ListPrivateIps: needs both an IP address and a subnet");
  Call call{.operation = "ListPrivateIps " + ip_address + " in " + subnet_id,
            .path = "/privateIps" + query_string({{"ipAddress", ip_address}, {"subnetId", subnet_id}})};
  return all(client, call, d, &parse_private_ip);
}

Result<std::vector<PrivateIp>> list_private_ips_by_vnic(Client& client, const std::string& vnic_id,
                                                        const sys::Deadline& d) {
  if (vnic_id.empty()) return fail(Errc::invalid_argument, "ListPrivateIps: needs a VNIC");
  Call call{.operation = "ListPrivateIps " + vnic_id, .path = "/privateIps" + query_string({{"vnicId", vnic_id}})};
  return all(client, call, d, &parse_private_ip);
}

Result<PrivateIp> get_private_ip(Client& client, const std::string& private_ip_id, const sys::Deadline& d) {
  return one(client, Call{.operation = "GetPrivateIp " + private_ip_id, .path = path("/privateIps", private_ip_id)},
             {private_ip_id}, d, &parse_private_ip);
}

Result<PrivateIp> create_private_ip(Client& client, const std::string& vnic_id, const PrivateIpDetails& details,
                                    const sys::Deadline& d) {
  json body{{"vnicId", vnic_id}};
  if (details.ip_address) body["ipAddress"] = *details.ip_address;
  if (details.display_name) body["displayName"] = *details.display_name;
  if (details.hostname_label) body["hostnameLabel"] = *details.hostname_label;
  std::string what = details.ip_address ? *details.ip_address + " on " + vnic_id : "on " + vnic_id;
  Call call{.operation = "CreatePrivateIp " + what, .method = "POST", .path = "/privateIps", .body = std::move(body)};
  return one(client, call, {vnic_id}, d, &parse_private_ip);
}

Result<PrivateIp> update_private_ip_vnic(Client& client, const std::string& private_ip_id, const std::string& vnic_id,
                                         const sys::Deadline& d) {
  Call call{.operation = "UpdatePrivateIp " + private_ip_id + " to " + vnic_id,
            .method = "PUT",
            .path = path("/privateIps", private_ip_id),
            .body = json{{"vnicId", vnic_id}}};
  return one(client, call, {private_ip_id, vnic_id}, d, &parse_private_ip);
}

Result<void> delete_private_ip(Client& client, const std::string& private_ip_id, const sys::Deadline& d) {
  Call call{
      .operation = "DeletePrivateIp " + private_ip_id, .method = "DELETE", .path = path("/privateIps", private_ip_id)};
  if (Result<void> ok = given({private_ip_id}, call.operation); !ok) return ok;
  Result<json> body = client.call(call, d);
  // A 404 after an attempt that may have been carried out is that attempt's success.
  if (!body && !(client.last_status().status == 404 && client.maybe_applied())) return std::unexpected(body.error());
  return {};
}

Result<std::optional<PublicIp>> get_public_ip_by_private_ip_id(Client& client, const std::string& private_ip_id,
                                                               const sys::Deadline& d) {
  Call call{.operation = "GetPublicIpByPrivateIpId " + private_ip_id,
            .method = "POST",
            .path = "/publicIps/actions/getByPrivateIpId",
            .body = json{{"privateIpId", private_ip_id}}};
  if (Result<void> ok = given({private_ip_id}, call.operation); !ok) return std::unexpected(ok.error());
  Result<PublicIp> ip = one(client, call, {private_ip_id}, d, &parse_public_ip);
  if (ip) return std::optional<PublicIp>(std::move(*ip));
  // 404 is OCI's "no public IP on this private IP". The status, not the Errc, says
  // so: a 401 is Errc::permission too, and a 2xx we could not parse is not a 404.
  if (client.last_status().status == 404) return std::optional<PublicIp>();
  return std::unexpected(ip.error());
}

Result<std::vector<PublicIp>> list_reserved_public_ips(Client& client, const std::string& compartment_id,
                                                       const sys::Deadline& d) {
  if (compartment_id.empty()) return fail(Errc::invalid_argument, "ListPublicIps: needs a compartment");
  Call call{.operation = "ListPublicIps " + compartment_id,
            .path = "/publicIps" +
                    query_string({{"scope", "REGION"}, {"lifetime", "RESERVED"}, {"compartmentId", compartment_id}})};
  return all(client, call, d, &parse_public_ip);
}

Result<PublicIp> get_public_ip(Client& client, const std::string& public_ip_id, const sys::Deadline& d) {
  return one(client, Call{.operation = "GetPublicIp " + public_ip_id, .path = path("/publicIps", public_ip_id)},
             {public_ip_id}, d, &parse_public_ip);
}

Result<PublicIp> update_public_ip(Client& client, const std::string& public_ip_id,
                                  const std::optional<std::string>& private_ip_id, const sys::Deadline& d) {
  json target = private_ip_id ? json(*private_ip_id) : json(nullptr);
  Call call{.operation = "UpdatePublicIp " + public_ip_id + (private_ip_id ? " to " + *private_ip_id : " (unassign)"),
            .method = "PUT",
            .path = path("/publicIps", public_ip_id),
            .body = json{{"privateIpId", std::move(target)}}};
  if (private_ip_id)
    if (Result<void> ok = given({*private_ip_id}, call.operation); !ok) return std::unexpected(ok.error());
  return one(client, call, {public_ip_id}, d, &parse_public_ip);
}

}  // namespace sft::oci
