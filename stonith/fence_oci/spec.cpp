#include "stonith/fence_oci/spec.h"

#include "core/log/log.h"
#include "oci-plugins/session.h"
#include "stonith/fence_oci/oci_device.h"

namespace sft::fence_oci {
namespace {

using fence::Opt;
using fence::Option;
using fence::Type;

// Every option of fence_oci's own that its code reads (fence::check_names checks them
// against options() before any action).
fence::OptionNames& option_names() {
  static fence::OptionNames names;
  return names;
}

namespace opt {
const Opt<std::string> compartment{option_names(), "compartment"};
const Opt<std::string> auth{option_names(), "auth"};
const Opt<std::string> config_file{option_names(), "config_file"};
const Opt<std::string> profile{option_names(), "profile"};
const Opt<std::string> region{option_names(), "region"};
const Opt<std::string> endpoint{option_names(), "endpoint"};
const Opt<std::string> auth_endpoint{option_names(), "auth_endpoint"};
const Opt<std::string> metadata_url{option_names(), "metadata_url"};
const Opt<std::string> cert_bundle{option_names(), "cert_bundle"};
const Opt<bool> skip_race_check{option_names(), "skip_race_check"};
}  // namespace opt

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
      {.name = opt::compartment.name(),
       .value_hint = "[ocid]",
       .shortdesc = "Compartment OCID: where list looks and display names are resolved (default: this instance's)"},
      {.name = opt::auth.name(),
       .value_hint = "[kind]",
       .type = Type::select,
       .default_value = "instance_principal",
       .shortdesc = "How to sign API calls",
       .choices = {"instance_principal", "api_key", "security_token"}},
      {.name = opt::config_file.name(),
       .value_hint = "[path]",
       .shortdesc = "OCI config file for api_key and security_token (default: ~/.oci/config)"},
      {.name = opt::profile.name(), .value_hint = "[name]", .default_value = oci::k_default_profile, .shortdesc = "Profile in config_file"},
      {.name = opt::region.name(),
       .value_hint = "[region]",
       .shortdesc = "Region identifier, e.g. us-ashburn-1 (default: the profile's or this instance's)"},
      {.name = opt::endpoint.name(),
       .value_hint = "[url]",
       .shortdesc = "Core Services endpoint override, scheme://host[:port] (private endpoints)"},
      {.name = opt::auth_endpoint.name(),
       .value_hint = "[url]",
       .shortdesc = "Federation endpoint override for instance_principal, scheme://host[:port]"},
      {.name = opt::metadata_url.name(),
       .value_hint = "[url]",
       .shortdesc = "Instance metadata base URL (default: http://169.254.169.254/opc/v2)"},
      {.name = opt::cert_bundle.name(),
       .value_hint = "[path]",
       .shortdesc = "PEM file of CA certificates to trust instead of the system's"},
      {.name = opt::skip_race_check.name(),
       .type = Type::boolean,
       .default_value = "0",
       .shortdesc = "Do not check that this node's own instance is RUNNING before fencing another"},
  };
}

Result<void> validate(const fence::Options& o) {
  for (const Opt<std::string>* url : {&opt::endpoint, &opt::auth_endpoint})
    if (!o[*url].empty()) {
      oci::Endpoints e;
      if (Result<void> r = e.set_override(oci::Service::core, o[*url]); !r)
        return fail(Errc::configuration, url->name() + ": " + r.error().message);
    }
  if (!o[opt::metadata_url].empty())
    if (Result<oci::Url> u = oci::Url::parse(o[opt::metadata_url]); !u)
      return fail(Errc::configuration, "metadata_url: " + u.error().message);
  // profile has a default: only another one (not empty) names a config.
  const bool names_a_config = !o[opt::config_file].empty() ||
                              (!o[opt::profile].empty() && o[opt::profile] != oci::k_default_profile);
  if (Result<void> r = oci::check_auth_choice(*oci::parse_auth_kind(o[opt::auth]), names_a_config,
                                              o[opt::config_file].empty() ? "profile" : "config_file", "auth");
      !r) {
    // A fence is never refused over an option it would ignore: the instance principal
    // may well work. Everything else (validate-all, monitor, status, list) refuses, so
    // the device shows the mistake before it has to fence.
    const std::string action = o.action();
    if (action != "off" && action != "on" && action != "reboot") return r;
    log::warning(r.error().message + " (ignored for " + action + ")");
  }
  if (o[opt::auth] != "instance_principal" && !o[opt::config_file].empty() && o[opt::config_file][0] != '/')
    return fail(Errc::configuration, "config_file '" + o[opt::config_file] + "': must be an absolute path");
  return {};
}

Result<std::unique_ptr<fence::Device>> open(const fence::Options& o, sys::System& os, const Environment& env,
                                            const sys::Deadline& d) {
  oci::SessionOptions s;
  s.auth = *oci::parse_auth_kind(o[opt::auth]);
  s.config_file = o[opt::config_file];
  s.profile = o[opt::profile];
  s.region = o[opt::region];
  s.ca_bundle = o[opt::cert_bundle];
  if (!o[opt::endpoint].empty()) s.endpoints[oci::Service::core] = o[opt::endpoint];
  if (!o[opt::auth_endpoint].empty()) s.endpoints[oci::Service::auth] = o[opt::auth_endpoint];
  Environment session_env = env;
  if (!o[opt::metadata_url].empty()) session_env["OCI_METADATA_BASE_URL"] = o[opt::metadata_url];
  Result<oci::Session> session = oci::open_session(os, session_env, s, d);
  if (!session) return std::unexpected(session.error());
  return std::make_unique<OciDevice>(std::move(*session),
                                     DeviceConfig{o[opt::compartment], !o[opt::skip_race_check]});
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
      .names = &option_names(),
      .validate = validate,
      .open = open,
  };
  return s;
}

}  // namespace sft::fence_oci
