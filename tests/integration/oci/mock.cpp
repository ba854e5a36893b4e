#include "tests/integration/oci/mock.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace sft::it {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

sys::Deadline seconds(sys::RealSystem& os, double s) {
  return sys::Deadline(os, sys::Millis(static_cast<long long>(s * 1000)));
}

Mock::Mock(const json& seed) {
  char tmpl[] = "/tmp/sft-mock-oci.XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
  m_dir = tmpl;
  std::vector<std::string> argv{SFT_PYTHON3, SFT_MOCK_OCI, "--dir", m_dir};
  if (!seed.is_null()) {
    std::ofstream(m_dir + "/seed.json") << seed.dump(2);
    argv.insert(argv.end(), {"--seed", m_dir + "/seed.json"});
  }
  std::vector<char*> args;
  for (std::string& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string err = m_dir + "/mock.err";
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("could not start the mock: " + std::string(strerror(rc)));
  m_pid = pid;
  const std::string ready = m_dir + "/ready.json";
  for (int i = 0; i < 600 && !std::filesystem::exists(ready); ++i) {
    if (::waitpid(m_pid, nullptr, WNOHANG) == m_pid) {
      m_pid = -1;
      throw std::runtime_error("the mock exited: " + slurp(err));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!std::filesystem::exists(ready)) throw std::runtime_error("the mock did not start in 30 s: " + slurp(err));
  m_ready = json::parse(slurp(ready));
  m_seed = json::parse(slurp(m_ready["effective_seed"].get<std::string>()));
}

Mock::~Mock() {
  if (m_pid > 0) {
    ::kill(m_pid, SIGTERM);
    ::waitpid(m_pid, nullptr, 0);
  }
  std::error_code ec;
  std::filesystem::remove_all(m_dir, ec);
}

json Mock::control(const std::string& method, const std::string& path, const json& body) {
  auto url = oci::Url::parse(m_ready["control"].get<std::string>() + "/" + path);
  oci::HttpRequest r{method, *url, {{"content-type", "application/json"}}, body.is_null() ? "" : body.dump()};
  auto response = m_control.send(r, seconds(os, 10));
  if (!response) throw std::runtime_error("mock control " + path + ": " + response.error().message);
  if (response->status / 100 != 2)
    throw std::runtime_error("mock control " + path + ": HTTP " + std::to_string(response->status) + " " +
                             response->body);
  return response->body.empty() ? json() : json::parse(response->body, nullptr, false);
}

int Mock::count(const std::string& operation, int status) {
  int n = 0;
  for (const json& entry : log())
    if (entry.value("operation", "") == operation && (status == 0 || entry.value("status", 0) == status)) ++n;
  return n;
}

std::string Mock::id_of(const std::string& collection, const std::string& name) const {
  for (const json& item : m_seed.at(collection))
    for (const char* key : {"displayName", "name", "ipAddress", "privateIp", "id"})
      if (item.contains(key) && item[key] == name) return item["id"];
  throw std::runtime_error("no " + collection + " named " + name + " in the seed");
}

std::string Mock::config_file() {
  const json& key = m_ready["api_keys"].at(0);
  const std::string path = m_dir + "/oci-config";
  std::ofstream(path) << "[DEFAULT]\nuser=" << key["user"].get<std::string>()
                      << "\nfingerprint=" << key["fingerprint"].get<std::string>()
                      << "\nkey_file=" << key["private_key"].get<std::string>()
                      << "\ntenancy=" << m_ready["tenancy"].get<std::string>()
                      << "\nregion=" << m_ready["region"].get<std::string>() << "\n";
  std::filesystem::permissions(key["private_key"].get<std::string>(),
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  return path;
}

Result<oci::Session> Mock::session(oci::AuthKind auth, const std::string& cache_dir) {
  oci::SessionOptions o;
  o.auth = auth;
  if (auth != oci::AuthKind::instance_principal) o.config_file = config_file();
  o.endpoints = {{oci::Service::core, api()}, {oci::Service::dns, api()}, {oci::Service::auth, api()}};
  o.ca_bundle = ca();
  o.cache_dir = cache_dir;
  o.no_cache = cache_dir.empty();
  Environment env{{"OCI_METADATA_BASE_URL", imds()}, {"HOME", m_dir}};
  return oci::open_session(os, env, o, seconds(os, 30));
}

}  // namespace sft::it
