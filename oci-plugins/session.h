#pragma once
// Everything a program needs to talk to OCI, made from a few options: the transport,
// IMDS, the auth provider, the endpoints and the client. Agents, fence_oci and the
// `sft` command all start here, so they resolve configuration the same way.

#include <map>
#include <memory>
#include <string>

#include "core/result.h"
#include "core/sys/deadline.h"
#include "core/sys/system.h"
#include "oci-plugins/auth/auth.h"
#include "oci-plugins/client/client.h"
#include "oci-plugins/auth/config.h"
#include "oci-plugins/client/imds.h"

namespace sft::oci {

struct SessionOptions {
  AuthKind auth = AuthKind::api_key;
  std::string config_file{};  // empty: default_config_path()
  std::string profile = k_default_profile;
  std::string region{};                        // empty: the profile's, or IMDS's for instance principals
  std::map<Service, std::string> endpoints{};  // overrides, "scheme://host[:port]"
  std::string ca_bundle{};                     // empty: the system's trust store
  std::string cache_dir{};                     // token cache; empty: default_cache_dir()
  bool no_cache = false;
};

struct Session {
  std::unique_ptr<Transport> transport;
  std::unique_ptr<Imds> imds;
  std::unique_ptr<AuthProvider> auth;
  std::unique_ptr<Client> client;
};

// Builds a session. Reads the config file (API key, security token) or asks IMDS for
// the region (instance principal; no federation yet: that happens on the first call).
// The region is resolved through the known-region table, then IMDS regionInfo; an
// unknown region with no override is Errc::configuration. Every error names what
// to fix (file, profile, key, option).
Result<Session> open_session(sys::System& os, const Environment& env, const SessionOptions& options, const sys::Deadline& d);

// The same with a transport of the caller's (tests).
Result<Session> open_session(sys::System& os, const Environment& env, const SessionOptions& options, const sys::Deadline& d,
                             std::unique_ptr<Transport> transport);

}  // namespace sft::oci
