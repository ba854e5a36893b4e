#include "tools/sft/check.h"

#include <cstdio>
#include <optional>

#include "oci-plugins/calls/compute.h"
#include "oci-plugins/calls/dns.h"
#include "oci-plugins/calls/network.h"
#include "tools/sft/oci_command.h"

namespace sft::tool {
namespace {

constexpr const char* k_name = "check";

std::string_view outcome_name(Outcome o) {
  switch (o) {
    case Outcome::pass:
      return "pass";
    case Outcome::fail:
      return "FAIL";
    case Outcome::skip:
      return "skip";
  }
  return "?";
}

// What a 401/404 means here: a missing policy (404 NotAuthorizedOrNotFound) or
// credentials OCI does not accept (401).
std::string policy(const std::string& subject, const std::string& what, const std::string& compartment,
                   const std::string& condition = {}) {
  return "Allow " + subject + " to " + what + " in compartment id " +
         (compartment.empty() ? std::string("<compartment-ocid>") : compartment) + condition;
}

class Checker {
 public:
  Checker(oci::Client& client, const sys::Deadline& d, bool instance_principal)
      : m_client(client), m_d(d), m_subject(policy_subject(instance_principal)) {}

  // Adds a pass or FAIL row for one call's result.
  template <class T>
  bool row(const std::string& name, const Result<T>& r, const std::string& pass_detail, const std::string& fix) {
    if (r) {
      rows.push_back({name, Outcome::pass, pass_detail, {}});
      return true;
    }
    // A policy statement fixes a 404 (OCI's answer to a missing policy); a timeout, a
    // 5xx or a bad option is not fixed by one, and its message says what it is.
    rows.push_back({name, Outcome::fail, r.error().message, m_client.last_status().status == 404 ? fix : ""});
    return false;
  }

  void run(const oci::ImdsInstance& self, const std::string& compartment, const Args& args) {
    using namespace oci;
    const std::string instances = policy(m_subject, "use instance-family", compartment);
    Result<Instance> me = get_instance(m_client, self.id, m_d);
    // The first signed call also proves the credentials: a 401 fails authentication,
    // and every further call would only fail the same way.
    if (!me && m_client.last_status().status == 401) {
      rows.back() = {"authentication", Outcome::fail, me.error().message,
                     "OCI refused the credentials (401): check that the API key is uploaded for the user, the "
                     "fingerprint and tenancy match, and the clock is right"};
      return;
    }
    row("read instances (fence_oci status)", me, me ? me->display_name + " is " + me->lifecycle_state : std::string(),
        instances);
    Result<std::vector<Instance>> all = list_instances(m_client, compartment, std::nullopt, m_d);
    row("list instances (fence_oci list)", all, all ? std::to_string(all->size()) + " instances" : std::string(),
        instances);
    Result<std::vector<VnicAttachment>> attachments = list_vnic_attachments(m_client, compartment, self.id, m_d);
    row("list VNIC attachments (oci-vip)", attachments,
        attachments ? std::to_string(attachments->size()) + " attached" : std::string(), instances);
    if (!attachments) return;
    const std::string network = policy(m_subject, "use virtual-network-family", compartment);
    for (const VnicAttachment& a : *attachments) {
      Result<Vnic> vnic = get_vnic(m_client, a.vnic_id, m_d);
      if (!row("read VNIC " + std::to_string(a.nic_index), vnic,
               vnic ? vnic->private_ip + (vnic->is_primary ? " (primary)" : "") : std::string(), network))
        continue;
      Result<Subnet> subnet = get_subnet(m_client, vnic->subnet_id, m_d);
      row("read subnet " + std::to_string(a.nic_index), subnet,
          subnet ? subnet->cidr_block + " " + subnet->display_name : std::string(), network);
      Result<std::vector<PrivateIp>> ips = list_private_ips_by_vnic(m_client, vnic->id, m_d);
      row("list private IPs " + std::to_string(a.nic_index), ips,
          ips ? std::to_string(ips->size()) + " on this VNIC" : std::string(), network);
    }
    // oci-vip moves a reserved public IP: list them (an empty list when allowed, so a
    // missing policy is not mistaken for "none").
    Result<std::vector<PublicIp>> reserved = list_reserved_public_ips(m_client, compartment, m_d);
    std::string found;
    if (reserved)
      for (const PublicIp& p : *reserved) found += (found.empty() ? "" : ", ") + p.ip_address;
    row("list reserved public IPs (oci-vip)", reserved,
        reserved ? std::to_string(reserved->size()) + " reserved" + (found.empty() ? "" : ": " + found) : std::string(),
        network);
    if (!args.has("zone")) {
      rows.push_back({"read DNS zone (dns-record)", Outcome::skip, "no --zone given", {}});
      return;
    }
    ZoneRef zone{args.get("zone"),
                 args.get("zone-scope") == "private" ? ZoneRef::Scope::private_ : ZoneRef::Scope::global,
                 args.get("view-id")};
    Result<Zone> z = get_zone(m_client, zone, m_d);
    const std::string condition = zone.zone_name_or_id.starts_with("ocid1.")
                                      ? " where target.dns-zone.id = '" + zone.zone_name_or_id + "'"
                                      : " where target.dns-zone.name = '" + zone.zone_name_or_id + "'";
    row("read DNS zone " + zone.zone_name_or_id, z, z ? z->name + " (" + z->scope + ")" : std::string(),
        policy(m_subject, "use dns", compartment, condition));
  }

  std::vector<CheckRow> rows;

 private:
  oci::Client& m_client;
  const sys::Deadline& m_d;
  std::string m_subject;
};

}  // namespace

std::string policy_subject(bool instance_principal) {
  return instance_principal ? "dynamic-group <your-dynamic-group>" : "group <your-group>";
}

std::string render(const std::vector<CheckRow>& rows) {
  size_t width = 5;
  for (const CheckRow& r : rows) width = std::max(width, r.name.size());
  auto pad = [](std::string s, size_t n) {
    s.resize(std::max(n, s.size()), ' ');
    return s;
  };
  std::string out = pad("CHECK", width + 2) + "RESULT  DETAIL\n";
  for (const CheckRow& r : rows)
    out += pad(r.name, width + 2) + pad(std::string(outcome_name(r.outcome)), 8) + r.detail + "\n";
  std::string fixes;
  for (const CheckRow& r : rows)
    if (r.outcome == Outcome::fail && !r.fix.empty()) fixes += "  " + r.name + ":\n    " + r.fix + "\n";
  if (!fixes.empty()) out += "\nTo fix:\n" + fixes;
  return out;
}

int check(const Args& args, sys::System& os, const Environment& env) {
  Result<sys::Millis> timeout = command_timeout(args);
  if (!timeout) {
    std::fprintf(stderr, "sft oci %s: %s\n", k_name, timeout.error().message.c_str());
    return k_exit_usage;
  }
  sys::Deadline d(os, *timeout);
  std::vector<CheckRow> rows;
  const std::string scope = args.get("zone-scope", "global");
  if (scope != "global" && scope != "private") {
    std::fprintf(stderr, "sft oci %s: --zone-scope '%s': expected global or private\n", k_name, scope.c_str());
    return k_exit_usage;
  }

  int code = k_exit_ok;
  Result<oci::Session> session = open_or_report(args, os, env, d, k_name, code);
  if (!session) return code;
  const bool ip = session->auth->kind() == oci::AuthKind::instance_principal;
  Result<oci::ImdsInstance> self = session->imds->instance(d.slice(0.3));
  if (!self) {
    rows.push_back({"instance metadata", Outcome::fail, self.error().message,
                    "run this on the OCI instance that will be a cluster node"});
    std::fputs(render(rows).c_str(), stdout);
    return k_exit_check_failed;
  }
  rows.push_back({"instance metadata", Outcome::pass, self->id + " (" + self->display_name + "), " + self->region, {}});
  const std::string compartment = args.get("compartment", self->compartment_id);

  Checker checker(*session->client, d, ip);
  std::string auth_detail = std::string(oci::auth_kind_name(session->auth->kind()));
  if (!ip) auth_detail += ", profile " + args.get("profile", "DEFAULT");
  Result<oci::Credentials> creds = session->auth->credentials(d);
  if (!creds) {
    // Only a refusal is fixed by a dynamic group; an outage or a timeout is not.
    std::string fix;
    if (ip && creds.error().code == Errc::permission)
      fix = "Create a dynamic group matching this instance, e.g. ALL {instance.compartment.id = '" +
            self->compartment_id + "'}, and give it the policies sft oci check lists";
    rows.push_back({"authentication", Outcome::fail, creds.error().message, fix});
    std::fputs(render(rows).c_str(), stdout);
    return k_exit_check_failed;
  }
  rows.push_back({"authentication", Outcome::pass, auth_detail, {}});
  checker.rows = std::move(rows);
  checker.run(*self, compartment, args);
  std::fputs(render(checker.rows).c_str(), stdout);
  for (const CheckRow& r : checker.rows)
    if (r.outcome == Outcome::fail) return k_exit_check_failed;
  return k_exit_ok;
}

}  // namespace sft::tool
