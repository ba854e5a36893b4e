#include "core/log/log.h"

#include <qb/qblog.h>
#include <syslog.h>

#include <cstdlib>
#include <string>

namespace sft::log {
namespace {

bool g_open = false;

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

bool truthy(const std::string& v) {
  return v == "1" || v == "yes" || v == "true" || v == "on" || v == "y";
}

void add_file(const std::string& path, int priority) {
  if (path.empty()) return;
  const int32_t t = qb_log_file_open(path.c_str());
  if (t < 0) return;  // an unwritable log file must not fail the action
  qb_log_filter_ctl(t, QB_LOG_FILTER_ADD, QB_LOG_FILTER_FILE, "*", priority);
  qb_log_format_set(t, "%t %N[%P]: %p: %b");
  qb_log_ctl(t, QB_LOG_CONF_ENABLED, QB_TRUE);
}

void emit(int priority, std::string_view message) {
  if (!g_open) return;
  const std::string text(message);
  qb_log_from_external_source(__func__, __FILE__, "%s", static_cast<uint8_t>(priority), __LINE__, 0,
                              text.c_str());
}

}  // namespace

void init(std::string_view agent, std::string_view instance) {
  std::string name(agent);
  if (!instance.empty()) name += "(" + std::string(instance) + ")";
  const bool debugging = truthy(env("HA_debug")) || !env("OCF_TRACE_RA").empty();
  const int level = debugging ? LOG_DEBUG : LOG_INFO;

  const std::string facility_name = env("HA_LOGFACILITY");
  int facility = LOG_DAEMON;
  if (!facility_name.empty() && facility_name != "none") {
    const int32_t f = qb_log_facility2int(facility_name.c_str());
    if (f >= 0) facility = f;
  }
  qb_log_init(name.c_str(), facility, level);
  g_open = true;
  qb_log_ctl(QB_LOG_SYSLOG, QB_LOG_CONF_ENABLED, facility_name == "none" ? QB_FALSE : QB_TRUE);
  qb_log_filter_ctl(QB_LOG_SYSLOG, QB_LOG_FILTER_ADD, QB_LOG_FILTER_FILE, "*", level);
  qb_log_format_set(QB_LOG_SYSLOG, "%b");

  qb_log_filter_ctl(QB_LOG_STDERR, QB_LOG_FILTER_ADD, QB_LOG_FILTER_FILE, "*", level);
  qb_log_format_set(QB_LOG_STDERR, "%N[%P]: %p: %b");
  qb_log_ctl(QB_LOG_STDERR, QB_LOG_CONF_ENABLED, QB_TRUE);

  add_file(env("HA_LOGFILE"), level);
  add_file(env("HA_DEBUGLOG"), LOG_DEBUG);
}

void close() {
  if (g_open) qb_log_fini();
  g_open = false;
}

void debug(std::string_view m) { emit(LOG_DEBUG, m); }
void info(std::string_view m) { emit(LOG_INFO, m); }
void warning(std::string_view m) { emit(LOG_WARNING, m); }
void error(std::string_view m) { emit(LOG_ERR, m); }

}  // namespace sft::log
