#pragma once
// Where each OCI service answers: from the region and its realm's domain, or from an
// override (private endpoints, tests).
//   Core Services  https://iaas.<region>.<domain>/20160918
//   DNS            https://dns.<region>.oci.<domain>/20180115
//   Auth           https://auth.<region>.<domain>           (federation: /v1/x509)

#include <map>
#include <optional>
#include <string>

#include "core/result.h"
#include "oci-plugins/base/http.h"

namespace sft::oci {

enum class Service { core, dns, auth };
std::string_view service_name(Service s);  // "core", "dns", "auth"

struct Region {
  std::string id;            // "us-ashburn-1"
  std::string realm_domain;  // "oraclecloud.com"
};

// A region id or its three-letter key ("iad", "IAD", as IMDS reports some regions)
// -> the region with its realm's domain. nullopt for a region this table lacks: use
// IMDS regionInfo (realmDomainComponent) or an endpoint override then.
std::optional<Region> known_region(std::string_view id_or_key);
// The domain of a realm key ("oc1" -> "oraclecloud.com"); empty when unknown.
std::string realm_domain(std::string_view realm_key);

class Endpoints {
 public:
  Endpoints() = default;
  explicit Endpoints(Region region) : m_region(std::move(region)) {}
  // "scheme://host[:port]" for one service; Errc::invalid_argument for anything
  // else (a path, no scheme, a bad port), naming the value.
  Result<void> set_override(Service s, std::string_view origin);
  // The service's base URL (no trailing slash): override origin + the version path, or
  // the regional host. Errc::configuration when there is neither a region nor an override.
  Result<std::string> base(Service s) const;
  const Region& region() const { return m_region; }

 private:
  Region m_region;
  std::map<Service, std::string> m_overrides;
};

}  // namespace sft::oci
