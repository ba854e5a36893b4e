#pragma once
// The virtual network (Core Services, /20160918) as the IP agents use it: which VNICs
// an instance has, and moving private and reserved public IPs between them.
//
// Errors (every call): those of Client::call, with the operation and OCID first:
//   Errc::permission  HTTP 401, or 404 NotAuthorizedOrNotFound (missing, or the policy
//                     does not allow it: OCI does not say which)
//   Errc::invalid_argument  HTTP 400 (a primary IP cannot move, another subnet, ...),
//                     or an empty OCID (refused before sending)
//   Errc::busy        HTTP 409/412 that is not worth retrying (the address is taken,
//                     If-Match did not match)
//   Errc::timeout     the deadline passed, with or without an answer to retry
//   Errc::generic     anything else, and a 2xx body that is not the expected shape
// Client::last_status() tells the HTTP status, code and opc-request-id afterwards.
//
// The parsers read OCI's camelCase JSON, ignore unknown fields, treat null as absent
// and report a missing required field (or one of the wrong type) as Errc::generic
// naming it: "PrivateIp: missing required field ipAddress".

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/sys/deadline.h"
#include "oci-plugins/client/client.h"

namespace sft::oci {

struct VnicAttachment {
  std::string id{};
  std::string instance_id{};
  std::string vnic_id{};    // empty while ATTACHING
  std::string subnet_id{};  // empty for a VLAN attachment
  int nic_index = 0;
  std::string lifecycle_state{};  // ATTACHING, ATTACHED, DETACHING, DETACHED
};
// Required: id, instanceId, lifecycleState.
Result<VnicAttachment> parse_vnic_attachment(const json& j);

struct Vnic {
  std::string id{};
  std::string private_ip{};  // the primary private IP
  std::string public_ip{};   // empty when none
  bool is_primary = false;
  std::string subnet_id{};  // empty for a VNIC in a VLAN
  std::string mac_address{};
  std::string hostname_label{};
  std::string lifecycle_state{};  // PROVISIONING, AVAILABLE, TERMINATING, TERMINATED
};
// Required: id, lifecycleState.
Result<Vnic> parse_vnic(const json& j);

struct Subnet {
  std::string id{};
  std::string cidr_block{};  // "10.0.0.0/24"
  std::string compartment_id{};
  std::string vcn_id{};
  std::string display_name{};
};
// Required: id, cidrBlock, compartmentId, vcnId.
Result<Subnet> parse_subnet(const json& j);

struct PrivateIp {
  std::string id{};
  std::string ip_address{};
  std::string vnic_id{};  // empty for an IP in a VLAN
  std::string subnet_id{};
  bool is_primary = false;
  std::string hostname_label{};
  std::string display_name{};
};
// Required: id, ipAddress.
Result<PrivateIp> parse_private_ip(const json& j);

struct PublicIp {
  std::string id{};
  std::string ip_address{};
  std::string lifetime{};                      // EPHEMERAL or RESERVED
  std::string lifecycle_state{};               // AVAILABLE, ASSIGNING, ASSIGNED, UNASSIGNING, ...
  std::optional<std::string> private_ip_id{};  // nullopt when not assigned
  std::string assigned_entity_id{};            // empty when not assigned
};
// Required: id, ipAddress, lifetime, lifecycleState.
Result<PublicIp> parse_public_ip(const json& j);

// GET /vnicAttachments?compartmentId=...[&instanceId=...], every page. The
// compartment is required by OCI; nullopt or empty instance_id lists all of it.
Result<std::vector<VnicAttachment>> list_vnic_attachments(Client& client, const std::string& compartment_id,
                                                          const std::optional<std::string>& instance_id,
                                                          const sys::Deadline& d);

// GET /vnics/{id}.
Result<Vnic> get_vnic(Client& client, const std::string& vnic_id, const sys::Deadline& d);

// GET /subnets/{id}.
Result<Subnet> get_subnet(Client& client, const std::string& subnet_id, const sys::Deadline& d);

// GET /privateIps?ipAddress=...&subnetId=..., every page: the private IP with that
// address in that subnet, on whichever VNIC; empty when nobody has it.
Result<std::vector<PrivateIp>> list_private_ips_by_address(Client& client, const std::string& ip_address,
                                                           const std::string& subnet_id, const sys::Deadline& d);

// GET /privateIps?vnicId=..., every page: the VNIC's primary and secondary IPs.
Result<std::vector<PrivateIp>> list_private_ips_by_vnic(Client& client, const std::string& vnic_id,
                                                        const sys::Deadline& d);

// GET /privateIps/{id}.
Result<PrivateIp> get_private_ip(Client& client, const std::string& private_ip_id, const sys::Deadline& d);

// What a new secondary private IP may be given; nullopt leaves it to OCI (a free
// address of the VNIC's subnet; no name; no DNS label).
struct PrivateIpDetails {
  std::optional<std::string> ip_address{};
  std::optional<std::string> display_name{};
  std::optional<std::string> hostname_label{};
};

// POST /privateIps {"vnicId", "ipAddress"?, "displayName"?, "hostnameLabel"?}: a new
// secondary IP on the VNIC. The client adds an opc-retry-token, so a retried POST
// does not create two. Errc::busy (409) when the address is already assigned in the
// subnet: move it with update_private_ip_vnic instead.
Result<PrivateIp> create_private_ip(Client& client, const std::string& vnic_id, const PrivateIpDetails& details,
                                    const sys::Deadline& d);

// PUT /privateIps/{id} {"vnicId"}: moves a secondary IP to another VNIC of the same
// subnet (OCI refuses, 400, for a primary IP or another subnet). Returns the IP as
// OCI answered.
Result<PrivateIp> update_private_ip_vnic(Client& client, const std::string& private_ip_id, const std::string& vnic_id,
                                         const sys::Deadline& d);

// DELETE /privateIps/{id}: unassigns and deletes a secondary IP (400 for a primary).
// A 404 on a retry after an attempt that may have been carried out (a lost answer,
// a 5xx) counts as deleted.
Result<void> delete_private_ip(Client& client, const std::string& private_ip_id, const sys::Deadline& d);

// POST /publicIps/actions/getByPrivateIpId {"privateIpId"}: the public IP assigned to
// that private IP. OCI answers 404 when there is none: that is nullopt, not an error.
// (OCI's 404 would also hide a private IP the caller may not see; the private IP came
// from a list call that did see it.) Every other failure is an Error as above.
Result<std::optional<PublicIp>> get_public_ip_by_private_ip_id(Client& client, const std::string& private_ip_id,
                                                               const sys::Deadline& d);

// GET /publicIps/{id}.
Result<PublicIp> get_public_ip(Client& client, const std::string& public_ip_id, const sys::Deadline& d);

// GET /publicIps?scope=REGION&lifetime=RESERVED&compartmentId=...: the reserved
// public IPs of a compartment, every page ([] when there are none: unlike the
// lookup by private IP, a 404 here always means "not allowed").
Result<std::vector<PublicIp>> list_reserved_public_ips(Client& client, const std::string& compartment_id,
                                                       const sys::Deadline& d);

// PUT /publicIps/{id} {"privateIpId": id | null}: assigns a reserved public IP to a
// private IP (moving it from wherever it was), or unassigns it with nullopt. OCI
// answers at once with ASSIGNING/UNASSIGNING; poll get_public_ip until ASSIGNED or
// AVAILABLE (a failed move ends AVAILABLE). OCI refuses to move an ephemeral IP (400).
Result<PublicIp> update_public_ip(Client& client, const std::string& public_ip_id,
                                  const std::optional<std::string>& private_ip_id, const sys::Deadline& d);

}  // namespace sft::oci
