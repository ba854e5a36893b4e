#include "oci-plugins/auth/endpoints.h"

#include <array>
#include <cctype>

#include "core/text.h"

namespace sft::oci {
namespace {

struct RealmRow {
  std::string_view key, domain;
};
constexpr std::array k_realms{
    RealmRow{"oc1", "oraclecloud.com"},    RealmRow{"oc2", "oraclegovcloud.com"}, RealmRow{"oc3", "oraclegovcloud.com"},
    RealmRow{"oc4", "oraclegovcloud.uk"},  RealmRow{"oc8", "oraclecloud8.com"},   RealmRow{"oc9", "oraclecloud9.com"},
    RealmRow{"oc10", "oraclecloud10.com"}, RealmRow{"oc14", "oraclecloud14.com"}, RealmRow{"oc15", "oraclecloud15.com"},
    RealmRow{"oc19", "oraclecloud.eu"},    RealmRow{"oc20", "oraclecloud20.com"}, RealmRow{"oc24", "oraclecloud24.com"},
};

struct RegionRow {
  std::string_view key, id, realm;
};
// The public regions (region key, region identifier, realm). Regions missing here
// still work on an instance (IMDS regionInfo) or with an endpoint override.
constexpr std::array k_regions{
    RegionRow{"iad", "us-ashburn-1", "oc1"},     RegionRow{"phx", "us-phoenix-1", "oc1"},
    RegionRow{"sjc", "us-sanjose-1", "oc1"},     RegionRow{"ord", "us-chicago-1", "oc1"},
    RegionRow{"yyz", "ca-toronto-1", "oc1"},     RegionRow{"yul", "ca-montreal-1", "oc1"},
    RegionRow{"fra", "eu-frankfurt-1", "oc1"},   RegionRow{"ams", "eu-amsterdam-1", "oc1"},
    RegionRow{"zrh", "eu-zurich-1", "oc1"},      RegionRow{"mad", "eu-madrid-1", "oc1"},
    RegionRow{"mrs", "eu-marseille-1", "oc1"},   RegionRow{"lin", "eu-milan-1", "oc1"},
    RegionRow{"cdg", "eu-paris-1", "oc1"},       RegionRow{"arn", "eu-stockholm-1", "oc1"},
    RegionRow{"beg", "eu-jovanovac-1", "oc1"},   RegionRow{"lhr", "uk-london-1", "oc1"},
    RegionRow{"cwl", "uk-cardiff-1", "oc1"},     RegionRow{"nrt", "ap-tokyo-1", "oc1"},
    RegionRow{"kix", "ap-osaka-1", "oc1"},       RegionRow{"icn", "ap-seoul-1", "oc1"},
    RegionRow{"yny", "ap-chuncheon-1", "oc1"},   RegionRow{"bom", "ap-mumbai-1", "oc1"},
    RegionRow{"hyd", "ap-hyderabad-1", "oc1"},   RegionRow{"syd", "ap-sydney-1", "oc1"},
    RegionRow{"mel", "ap-melbourne-1", "oc1"},   RegionRow{"sin", "ap-singapore-1", "oc1"},
    RegionRow{"xsp", "ap-singapore-2", "oc1"},   RegionRow{"gru", "sa-saopaulo-1", "oc1"},
    RegionRow{"vcp", "sa-vinhedo-1", "oc1"},     RegionRow{"scl", "sa-santiago-1", "oc1"},
    RegionRow{"vap", "sa-valparaiso-1", "oc1"},  RegionRow{"bog", "sa-bogota-1", "oc1"},
    RegionRow{"jed", "me-jeddah-1", "oc1"},      RegionRow{"dxb", "me-dubai-1", "oc1"},
    RegionRow{"auh", "me-abudhabi-1", "oc1"},    RegionRow{"ruh", "me-riyadh-1", "oc1"},
    RegionRow{"mtz", "il-jerusalem-1", "oc1"},   RegionRow{"jnb", "af-johannesburg-1", "oc1"},
    RegionRow{"qro", "mx-queretaro-1", "oc1"},   RegionRow{"mty", "mx-monterrey-1", "oc1"},
    RegionRow{"lfi", "us-langley-1", "oc2"},     RegionRow{"luf", "us-luke-1", "oc2"},
    RegionRow{"ric", "us-gov-ashburn-1", "oc3"}, RegionRow{"pia", "us-gov-chicago-1", "oc3"},
    RegionRow{"tus", "us-gov-phoenix-1", "oc3"}, RegionRow{"ltn", "uk-gov-london-1", "oc4"},
    RegionRow{"brs", "uk-gov-cardiff-1", "oc4"}, RegionRow{"nja", "ap-chiyoda-1", "oc8"},
    RegionRow{"ukb", "ap-ibaraki-1", "oc8"},
};

std::string_view version_path(Service s) {
  switch (s) {
    case Service::core:
      return "/20160918";
    case Service::dns:
      return "/20180115";
    case Service::auth:
      return "";
  }
  return "";
}

}  // namespace

std::string_view service_name(Service s) {
  switch (s) {
    case Service::core:
      return "core";
    case Service::dns:
      return "dns";
    case Service::auth:
      return "auth";
  }
  return "?";
}

std::string realm_domain(std::string_view realm_key) {
  std::string key = to_lower(realm_key);
  for (const RealmRow& r : k_realms)
    if (r.key == key) return std::string(r.domain);
  return {};
}

std::optional<Region> known_region(std::string_view id_or_key) {
  std::string s = to_lower(id_or_key);
  for (const RegionRow& r : k_regions)
    if (r.key == s || r.id == s) return Region{std::string(r.id), realm_domain(r.realm)};
  return std::nullopt;
}

Result<void> Endpoints::set_override(Service s, std::string_view origin) {
  Result<Url> url = Url::parse(origin);
  if (!url) return fail(Errc::invalid_argument, std::string(service_name(s)) + " endpoint " + url.error().message);
  if (url->target != "/")
    return fail(Errc::invalid_argument, std::string(service_name(s)) + " endpoint '" + std::string(origin) +
                                            "': give scheme://host[:port] only, without a path");
  m_overrides[s] = url->origin();
  return {};
}

Result<std::string> Endpoints::base(Service s) const {
  if (auto it = m_overrides.find(s); it != m_overrides.end()) return it->second + std::string(version_path(s));
  if (m_region.id.empty() || m_region.realm_domain.empty())
    return fail(Errc::configuration,
                "no region known for the " + std::string(service_name(s)) + " endpoint; set the region or an endpoint");
  std::string host;
  switch (s) {
    case Service::core:
      host = "iaas." + m_region.id + "." + m_region.realm_domain;
      break;
    case Service::dns:
      host = "dns." + m_region.id + ".oci." + m_region.realm_domain;
      break;
    case Service::auth:
      host = "auth." + m_region.id + "." + m_region.realm_domain;
      break;
  }
  return "https://" + host + std::string(version_path(s));
}

}  // namespace sft::oci
