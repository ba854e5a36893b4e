#include "oci-plugins/client/imds.h"

#include "oci-plugins/auth/endpoints.h"
#include "oci-plugins/base/json_fields.h"

namespace sft::oci {

using nlohmann::json;

std::string Imds::base_from(const Environment& env) {
  auto it = env.find("OCI_METADATA_BASE_URL");
  std::string base = it != env.end() && !it->second.empty() ? it->second : std::string(k_default_base);
  while (base.ends_with("/")) base.pop_back();
  return base;
}

// IMDS documents are read leniently (no Fields::check()): a field of the wrong type
// is as good as absent, and only a missing id fails the instance.
Result<ImdsInstance> parse_imds_instance(std::string_view body) {
  json j = json::parse(body, nullptr, false);
  if (!j.is_object()) return fail(Errc::generic, "instance metadata: not a JSON object");
  Fields f(j, "instance metadata");
  ImdsInstance i;
  i.id = f.text("id");
  i.display_name = f.text("displayName");
  i.compartment_id = f.text("compartmentId");
  i.availability_domain = f.text("availabilityDomain");
  i.fault_domain = f.text("faultDomain");
  i.shape = f.text("shape");
  i.state = f.text("state");
  i.region = f.text("canonicalRegionName");
  if (auto info = j.find("regionInfo"); info != j.end() && info->is_object()) {
    Fields region_info(*info, "regionInfo");
    i.realm_key = region_info.text("realmKey");
    i.realm_domain = region_info.text("realmDomainComponent");
    if (i.region.empty()) i.region = region_info.text("regionIdentifier");
  }
  // Older instances report "phx"/"iad" in `region`; the table knows those keys.
  if (i.region.empty())
    if (auto r = known_region(f.text("region"))) i.region = r->id;
  if (i.realm_domain.empty())
    if (auto r = known_region(i.region)) i.realm_domain = r->realm_domain;
  if (i.id.empty()) return fail(Errc::generic, "instance metadata: no id");
  return i;
}

Result<std::vector<ImdsVnic>> parse_imds_vnics(std::string_view body) {
  json j = json::parse(body, nullptr, false);
  if (!j.is_array()) return fail(Errc::generic, "instance metadata vnics: not a JSON array");
  std::vector<ImdsVnic> out;
  for (const json& v : j) {
    if (!v.is_object()) continue;
    Fields f(v, "vnic");
    ImdsVnic n;
    n.vnic_id = f.text("vnicId");
    n.private_ip = f.text("privateIp");
    n.mac = f.text("macAddr");
    n.subnet_cidr = f.text("subnetCidrBlock");
    n.virtual_router_ip = f.text("virtualRouterIp");
    n.nic_index = f.integer("nicIndex");
    out.push_back(std::move(n));
  }
  return out;
}

Result<std::string> Imds::get(const std::string& path, const sys::Deadline& d) {
  Result<Url> url = Url::parse(m_base + path);
  if (!url) return std::unexpected(with_context(url.error(), "OCI_METADATA_BASE_URL"));
  HttpRequest request{"GET", *url, {{"Authorization", "Bearer Oracle"}}, {}};
  Result<HttpResponse> last = fail(Errc::timeout, "instance metadata " + url->str() + ": no time left to ask");
  for (int attempt = 1; attempt <= 3 && !d.expired(); ++attempt) {
    last = m_transport.send(request, d.slice(0.5, sys::Millis(3000)));
    bool again = !last || last->status == 404 || last->status == 429 || last->status >= 500;
    if (!again) break;
    if (attempt < 3) d.sleep_for(sys::Millis(200 * attempt));
  }
  if (!last)
    return fail(last.error().code,
                "instance metadata " + url->str() + " did not answer (not an OCI instance?): " + last.error().message);
  if (last->status != 200)
    return fail(Errc::generic, "instance metadata " + url->str() + ": HTTP " + std::to_string(last->status));
  return last->body;
}

Result<ImdsInstance> Imds::instance(const sys::Deadline& d) {
  if (m_instance) return *m_instance;
  Result<std::string> body = get("/instance/", d);
  if (!body) return std::unexpected(body.error());
  Result<ImdsInstance> parsed = parse_imds_instance(*body);
  if (parsed) m_instance = *parsed;
  return parsed;
}

Result<std::vector<ImdsVnic>> Imds::vnics(const sys::Deadline& d) {
  Result<std::string> body = get("/vnics/", d);
  if (!body) return std::unexpected(body.error());
  return parse_imds_vnics(*body);
}

Result<IdentityMaterial> Imds::identity(const sys::Deadline& d) {
  IdentityMaterial m;
  for (auto [path, out] : {std::pair{"/identity/cert.pem", &m.cert_pem}, std::pair{"/identity/key.pem", &m.key_pem},
                           std::pair{"/identity/intermediate.pem", &m.intermediate_pem}}) {
    Result<std::string> body = get(path, d);
    if (!body) return std::unexpected(body.error());
    *out = std::move(*body);
  }
  return m;
}

}  // namespace sft::oci
