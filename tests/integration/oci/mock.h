#pragma once
// The mock OCI API (tests/mock-oci) as a test fixture: started fresh in a scratch
// directory for each test, controlled through its /_mock/ interface, stopped and
// removed at the end. Sessions made here talk to it over HTTPS with its test CA,
// exactly as agents talk to OCI.

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/sys/real_system.h"
#include "oci-plugins/auth/curl_transport.h"
#include "oci-plugins/session.h"

namespace sft::it {

using nlohmann::json;

class Mock {
 public:
  // seed: null for the mock's built-in seed (node1..node3, a VIP, DNS zones, page size 2).
  explicit Mock(const json& seed = nullptr);
  ~Mock();
  Mock(const Mock&) = delete;
  Mock& operator=(const Mock&) = delete;

  const json& ready() const { return m_ready; }
  const json& seed() const { return m_seed; }  // the effective seed: every id
  std::string api() const { return m_ready["api"]; }
  std::string imds() const { return m_ready["imds"]; }
  std::string ca() const { return m_ready["ca"]; }
  const std::string& dir() const { return m_dir; }

  // A control call (/_mock/<path>); throws std::runtime_error on a non-2xx answer.
  json control(const std::string& method, const std::string& path, const json& body = nullptr);
  json log() { return control("GET", "log"); }
  void clear_log() { control("POST", "log/clear"); }
  void faults(const json& rules) { control("POST", "faults", rules); }
  // How many logged requests had this operation (and, when given, this status).
  int count(const std::string& operation, int status = 0);
  // An id from the effective seed: find("instances", "node2") -> its OCID.
  std::string id_of(const std::string& collection, const std::string& name) const;

  // An OCI config file for the mock's generated API key (profile DEFAULT).
  std::string config_file();

  // A session as an agent would open it: endpoints and IMDS pointed at the mock.
  Result<oci::Session> session(oci::AuthKind auth = oci::AuthKind::api_key, const std::string& cache_dir = {});
  sys::RealSystem os;

 private:
  std::string m_dir;
  int m_pid = -1;
  json m_ready;
  json m_seed;
  oci::CurlTransport m_control;
};

// A deadline of `seconds` on the real clock.
sys::Deadline seconds(sys::RealSystem& os, double s);

}  // namespace sft::it
