#include "stonith/fence_oci/spec.h"

#include "oci-plugins/session.h"
#include "stonith/fence_oci/oci_device.h"

namespace sft::fence_oci {
namespace {

using fence::Option;
using fence::Type;

const char* k_longdesc =
    "fence_oci powers off, on or resets Oracle Cloud Infrastructure compute instances through the "
    "OCI API (InstanceAction STOP, START, RESET), and reports an instance as off only once OCI says "
    "STOPPED. plug is an instance OCID, or a display name looked up in compartment.\n\n"
    "Credentials: auth=instance_principal (default) needs no key on the node: put the cluster's "
    "instances in a dynamic group with a policy such as 'Allow dynamic-group <group> to use "
    "instance-family in compartment id <ocid>'. auth=api_key and auth=security_token read an OCI "
    "config file (config_file, profile); no key or secret ever goes into the CIB. Run "
    "'sft oci check' on each node to verify the permissions.\n\n"
    "Before powering another instance off, fence_oci confirms that this node's own instance is "
    "RUNNING (skip_race_check turns that off), so two nodes fencing each other do not both die; "
    "combine it with pcmk_delay_max or priority-fencing-delay on two-node clusters.";

std::vector<Option> options() {
  return {
      {.name = "compartment",
       .value_hint = "[ocid]",
       .shortdesc = "Compartment OCID: where list looks and display names are resolved (default: this instance's)"},
      {.name = "auth",
       .value_hint = "[kind]",
       .type = Type::select,
       .default_value = "instance_principal",
       .shortdesc = "How to sign API calls",
       .choices = {"instance_principal", "api_key", "security_token"}},
      {.name = "config_file",
       .value_hint = "[path]",
       .shortdesc = "OCI config file for api_key and security_token (default: ~/.oci/config)"},
      {.name = "profile", .value_hint = "[name]", .default_value = "DEFAULT", .shortdesc = "Profile in config_file"},
      {.name = "region",
       .value_hint = "[region]",
       .shortdesc = "Region identifier, e.g. us-ashburn-1 (default: the profile's or this instance's)"},
      {.name = "endpoint",
       .value_hint = "[url]",
       .shortdesc = "Core Services endpoint override, scheme://host[:port] (private endpoints)"},
      {.name = "auth_endpoint",
       .value_hint = "[url]",
       .shortdesc = "Federation endpoint override for instance_principal, scheme://host[:port]"},
      {.name = "metadata_url",
       .value_hint = "[url]",
       .shortdesc = "Instance metadata base URL (default: http://169.254.169.254/opc/v2)"},
      {.name = "cert_bundle",
       .value_hint = "[path]",
       .shortdesc = "PEM file of CA certificates to trust instead of the system's"},
      {.name = "skip_race_check",
       .type = Type::boolean,
       .default_value = "0",
       .shortdesc = "Do not check that this node's own instance is RUNNING before fencing another"},
  };
}

Result<void> validate(const fence::Options& o) {
  for (const char* url : {"endpoint", "auth_endpoint"})
    if (!o.get(url).empty()) {
      oci::Endpoints e;
      if (Result<void> r = e.set_override(oci::Service::core, o.get(url)); !r)
        return fail(Errc::configuration, std::string(url) + ": " + r.error().message);
    }
  if (!o.get("metadata_url").empty())
    if (Result<oci::Url> u = oci::Url::parse(o.get("metadata_url")); !u)
      return fail(Errc::configuration, "metadata_url: " + u.error().message);
  if (o.get("auth") != "instance_principal" && !o.get("config_file").empty() && o.get("config_file")[0] != '/')
    return fail(Errc::configuration, "config_file '" + o.get("config_file") + "': must be an absolute path");
  return {};
}

Result<std::unique_ptr<fence::Device>> open(const fence::Options& o, sys::System& os, const Environment& env,
                                            const sys::Deadline& d) {
  oci::SessionOptions s;
  s.auth = *oci::parse_auth_kind(o.get("auth"));
  s.config_file = o.get("config_file");
  s.profile = o.get("profile");
  s.region = o.get("region");
  s.ca_bundle = o.get("cert_bundle");
  if (!o.get("endpoint").empty()) s.endpoints[oci::Service::core] = o.get("endpoint");
  if (!o.get("auth_endpoint").empty()) s.endpoints[oci::Service::auth] = o.get("auth_endpoint");
  Environment session_env = env;
  if (!o.get("metadata_url").empty()) session_env["OCI_METADATA_BASE_URL"] = o.get("metadata_url");
  Result<oci::Session> session = oci::open_session(os, session_env, s, d);
  if (!session) return std::unexpected(session.error());
  return std::make_unique<OciDevice>(std::move(*session),
                                     DeviceConfig{o.get("compartment"), !o.flag("skip_race_check")});
}

}  // namespace

const fence::AgentSpec& spec() {
  static const fence::AgentSpec s{
      .name = "fence_oci",
      .shortdesc = "Fence agent for Oracle Cloud Infrastructure (OCI) compute instances",
      .longdesc = k_longdesc,
      .vendor_url = "https://www.oracle.com/cloud/",
      .options = options(),
      .default_power_timeout = "60",
      .default_method = "onoff",
      .supports_cycle = true,
      .validate = validate,
      .open = open,
  };
  return s;
}

}  // namespace sft::fence_oci
