#include "tools/sft/oci_command.h"

#include <cstdio>

#include "core/log/log.h"
#include "core/text.h"
#include "core/values.h"

namespace sft::tool {
namespace {

constexpr const char* k_usage =
    "usage: sft oci raw-request --http-method METHOD --target-uri URL [--request-body JSON|file://PATH] [options]\n"
    "       sft oci check [--zone NAME [--zone-scope global|private] [--view-id OCID]] [options]\n"
    "options:\n";

std::vector<OptionSpec> command_specs() {
  std::vector<OptionSpec> specs = session_option_specs();
  specs.insert(specs.end(), {
                                {"http-method", true, "raw-request: GET, POST, PUT, PATCH, DELETE or HEAD"},
                                {"target-uri", true, "raw-request: the full URL, https://..."},
                                {"request-body", true, "raw-request: a JSON body, or file://PATH"},
                                {"zone", true, "check: a DNS zone name or OCID the dns-record agent will update"},
                                {"zone-scope", true, "check: global (default) or private"},
                                {"view-id", true, "check: the private view of a private zone given by name"},
                                {"compartment", true, "check: the compartment to check (default: this instance's)"},
                                {"help", false, "this text"},
                            });
  return specs;
}

}  // namespace

std::vector<OptionSpec> session_option_specs() {
  return {
      {"config-file", true, "OCI config file (default: $OCI_CONFIG_FILE, ~/.oci/config)"},
      {"profile", true, "profile in the config file (default: DEFAULT)"},
      {"auth", true, "api_key (default), instance_principal or security_token"},
      {"region", true, "region id, e.g. us-ashburn-1 (default: the profile's or the instance's)"},
      {"cert-bundle", true, "PEM file of CAs to trust instead of the system's"},
      {"endpoint", true, "Core Services endpoint override, scheme://host[:port]"},
      {"dns-endpoint", true, "DNS endpoint override, scheme://host[:port]"},
      {"auth-endpoint", true, "federation (auth service) endpoint override, scheme://host[:port]"},
      {"timeout", true, "seconds the whole command may take (default 60)"},
      {"no-token-cache", false, "instance principal: neither read nor write the token cache"},
      {"debug", false, "log every request, retry and renewal to stderr"},
  };
}

Result<oci::SessionOptions> session_options(const Args& args) {
  oci::SessionOptions o;
  if (args.has("auth")) {
    auto kind = oci::parse_auth_kind(args.get("auth"));
    if (!kind)
      return fail(Errc::invalid_argument,
                  "--auth '" + args.get("auth") + "': expected api_key, instance_principal or security_token");
    o.auth = *kind;
  }
  o.config_file = args.get("config-file");
  o.profile = args.get("profile", oci::k_default_profile);
  const bool names_a_config = !o.config_file.empty() || (!o.profile.empty() && o.profile != oci::k_default_profile);
  if (Result<void> r = oci::check_auth_choice(o.auth, names_a_config,
                                              !o.config_file.empty() ? "--config-file" : "--profile", "--auth");
      !r)
    return std::unexpected(r.error());
  o.region = args.get("region");
  o.ca_bundle = args.get("cert-bundle");
  o.no_cache = args.has("no-token-cache");
  for (auto [option, service] :
       {std::pair{"endpoint", oci::Service::core}, std::pair{"dns-endpoint", oci::Service::dns},
        std::pair{"auth-endpoint", oci::Service::auth}})
    if (args.has(option)) o.endpoints[service] = args.get(option);
  return o;
}

Result<sys::Millis> command_timeout(const Args& args) {
  if (!args.has("timeout")) return sys::Millis(60000);
  // Pacemaker's time spellings, as every agent parameter: "30", "30s", "500ms", "2min".
  const std::string text = args.get("timeout");
  Result<sys::Millis> t = parse_duration(text);
  if (!t || t->count() <= 0 || *t > std::chrono::hours(24))
    return fail(Errc::invalid_argument, "--timeout '" + text + "': expected a time above 0 (30, 30s, 500ms, 2min)");
  return *t;
}

int exit_code_for(const Error& e) {
  // What the admin must fix locally (options, config, key file, CA bundle) is 2; what
  // the API or the network said is 1.
  return e.code == Errc::invalid_argument || e.code == Errc::configuration || e.code == Errc::permission
             ? k_exit_usage
             : k_exit_failed;
}

Result<oci::Session> open_or_report(const Args& args, sys::System& os, const Environment& env, const sys::Deadline& d,
                                    const std::string& command, int& exit_code) {
  Result<oci::SessionOptions> options = session_options(args);
  Result<oci::Session> session =
      options ? oci::open_session(os, env, *options, d) : Result<oci::Session>(std::unexpected(options.error()));
  if (!session) {
    std::fprintf(stderr, "sft oci %s: %s\n", command.c_str(), session.error().message.c_str());
    exit_code = exit_code_for(session.error());
  }
  return session;
}

int oci_main(const std::vector<std::string>& argv, sys::System& os, const Environment& env) {
  const std::vector<OptionSpec> specs = command_specs();
  Result<Args> args = parse_args(argv, specs);
  if (!args) {
    std::fprintf(stderr, "sft oci: %s\n%s%s", args.error().message.c_str(), k_usage, option_help(specs).c_str());
    return k_exit_usage;
  }
  if (args->has("help") || args->words.empty()) {
    std::fprintf(args->has("help") ? stdout : stderr, "%s%s", k_usage, option_help(specs).c_str());
    return args->has("help") ? k_exit_ok : k_exit_usage;
  }
  if (args->has("debug")) {
    log::Config logging = log::from_environment(env, "sft", "");
    logging.facility = "none";  // an admin's terminal, not syslog
    logging.debug = true;
    log::init(logging);
  }
  const std::string& command = args->words.front();
  if (args->words.size() > 1) {
    std::fprintf(stderr, "sft oci %s: unexpected argument '%s'\n", command.c_str(), args->words[1].c_str());
    return k_exit_usage;
  }
  if (command == "raw-request") return raw_request(*args, os, env);
  if (command == "check") return check(*args, os, env);
  std::fprintf(stderr, "sft oci: unknown command '%s'\n%s", command.c_str(), k_usage);
  return k_exit_usage;
}

}  // namespace sft::tool
