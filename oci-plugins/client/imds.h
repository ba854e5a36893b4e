#pragma once
// The instance metadata service (IMDS v2): who this instance is, its VNICs, and the
// identity certificate instance principals federate with. Plain HTTP on a link-local
// address, unsigned, with "Authorization: Bearer Oracle".

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/sys/deadline.h"
#include "oci-plugins/auth/config.h"
#include "oci-plugins/base/http.h"

namespace sft::oci {

struct ImdsInstance {
  std::string id;
  std::string display_name;
  std::string compartment_id;
  std::string availability_domain;
  std::string fault_domain;
  std::string region;        // the canonical region id ("us-ashburn-1")
  std::string realm_key;     // "oc1"
  std::string realm_domain;  // "oraclecloud.com"
  std::string shape;
  std::string state;
};

struct ImdsVnic {
  std::string vnic_id;
  std::string private_ip;
  std::string mac;
  std::string subnet_cidr;
  std::string virtual_router_ip;
  int nic_index = 0;
};

struct IdentityMaterial {
  std::string cert_pem;
  std::string key_pem;
  std::string intermediate_pem;
};

// Parsers of the IMDS documents (pure: tested on captured JSON).
Result<ImdsInstance> parse_imds_instance(std::string_view body);
Result<std::vector<ImdsVnic>> parse_imds_vnics(std::string_view body);

class Imds {
 public:
  static constexpr std::string_view k_default_base = "http://169.254.169.254/opc/v2";
  // OCI_METADATA_BASE_URL when set, else the link-local default.
  static std::string base_from(const Environment& env);

  Imds(Transport& transport, std::string base) : m_transport(transport), m_base(std::move(base)) {}
  // GET base + path; retried (up to 3 attempts) on 404, 429 and 5xx, as the SDKs do.
  // Errors name the URL and say the instance metadata service is unreachable (not
  // on OCI?) when nothing answers.
  Result<std::string> get(const std::string& path, const sys::Deadline& d);
  // This instance, asked once per Imds: who an instance is does not change while a
  // process runs, so the session, the race check and the compartment share one answer.
  Result<ImdsInstance> instance(const sys::Deadline& d);
  Result<std::vector<ImdsVnic>> vnics(const sys::Deadline& d);
  Result<IdentityMaterial> identity(const sys::Deadline& d);
  const std::string& base() const { return m_base; }

 private:
  Transport& m_transport;
  std::string m_base;
  std::optional<ImdsInstance> m_instance;
};

}  // namespace sft::oci
