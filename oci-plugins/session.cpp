#include "oci-plugins/session.h"

#include <unistd.h>

#include <cstdlib>

#include "oci-plugins/auth/curl_transport.h"
#include "oci-plugins/client/instance_principal.h"

namespace sft::oci {
namespace {

// The region and its realm: the table first, IMDS second (only when on an instance).
Result<Region> resolve_region(const std::string& id, Imds& imds, const Endpoints& overrides_only,
                              const sys::Deadline& d) {
  if (auto known = known_region(id)) return *known;
  Result<ImdsInstance> self = imds.instance(d.slice(0.5));
  if (self && !self->realm_domain.empty() && (id.empty() || self->region == id))
    return Region{self->region, self->realm_domain};
  // No realm known: fine when every service this program uses has an override.
  if (overrides_only.base(Service::core)) return Region{id, ""};
  if (id.empty()) return fail(Errc::configuration, "no region: set region in the OCI config or as an option");
  return fail(Errc::configuration, "region '" + id +
                                       "' is unknown here and instance metadata does not name its realm; "
                                       "set the endpoint explicitly");
}

}  // namespace

Result<Session> open_session(sys::System& os, const Environment& env, const SessionOptions& o, const sys::Deadline& d) {
  return open_session(os, env, o, d, std::make_unique<CurlTransport>(o.ca_bundle));
}

Result<Session> open_session(sys::System& os, const Environment& env, const SessionOptions& o, const sys::Deadline& d,
                             std::unique_ptr<Transport> transport) {
  Session s;
  s.transport = std::move(transport);
  s.imds = std::make_unique<Imds>(*s.transport, Imds::base_from(env));
  Endpoints overrides;
  for (const auto& [service, origin] : o.endpoints)
    if (Result<void> set = overrides.set_override(service, origin); !set) return std::unexpected(set.error());

  std::string region_id = o.region;
  std::optional<Profile> profile;
  if (o.auth == AuthKind::instance_principal) {
    if (region_id.empty()) {
      Result<ImdsInstance> self = s.imds->instance(d.slice(0.5));
      if (!self) return std::unexpected(with_context(self.error(), "instance principal"));
      region_id = self->region;
    }
  } else {
    std::string path = o.config_file.empty() ? default_config_path(os, env) : o.config_file;
    // An explicit region stands in for one the profile lacks, as OCI_REGION does.
    Environment profile_env = env;
    if (!o.region.empty()) profile_env["OCI_REGION"] = o.region;
    Result<Profile> p = load_profile(os, path, o.profile, o.auth, profile_env);
    if (!p) return std::unexpected(p.error());
    profile = *p;
    if (region_id.empty()) region_id = p->region;
  }
  Result<Region> region = resolve_region(region_id, *s.imds, overrides, d);
  if (!region) return std::unexpected(region.error());
  Endpoints endpoints(*region);
  for (const auto& [service, origin] : o.endpoints) (void)endpoints.set_override(service, origin);

  if (o.auth == AuthKind::api_key) {
    auto p = ApiKeyProvider::load(os, *profile);
    if (!p) return std::unexpected(p.error());
    s.auth = std::move(*p);
  } else if (o.auth == AuthKind::security_token) {
    auto p = SecurityTokenProvider::load(os, *profile);
    if (!p) return std::unexpected(p.error());
    s.auth = std::move(*p);
  } else {
    Result<std::string> auth_base = endpoints.base(Service::auth);
    if (!auth_base) return std::unexpected(auth_base.error());
    std::string dir = o.no_cache             ? std::string()
                      : !o.cache_dir.empty() ? o.cache_dir
                                             : default_cache_dir(::geteuid(), lookup(env, "XDG_RUNTIME_DIR"));
    s.auth = std::make_unique<InstancePrincipalProvider>(os, *s.transport, *s.imds, *auth_base + "/v1/x509",
                                                         TokenCache(os, dir, ::geteuid()), region->id);
  }
  s.client = std::make_unique<Client>(*s.transport, *s.auth, std::move(endpoints), os);
  return s;
}

}  // namespace sft::oci
