#include "core/log/log.h"

#include <qb/qblog.h>
#include <syslog.h>

#include <string>

#include "core/sys/shared_library.h"
#include "core/values.h"

namespace sft::log {
namespace {

// libqb is opened with the first line that is actually written: a monitor that finds
// everything well writes none and so never pays for loading it (and libsystemd).
struct QbApi {
  decltype(&qb_log_init) init = nullptr;
  decltype(&qb_log_fini) fini = nullptr;
  decltype(&qb_log_ctl) ctl = nullptr;
  decltype(&qb_log_filter_ctl) filter_ctl = nullptr;
  decltype(&qb_log_format_set) format_set = nullptr;
  decltype(&qb_log_file_open) file_open = nullptr;
  decltype(&qb_log_facility2int) facility2int = nullptr;
  decltype(&qb_log_from_external_source) write = nullptr;
};

struct State {
  std::string name;         // "program(instance)"
  Config config;
  int level = LOG_INFO;
  bool configured = false;  // init() was called
  bool opened = false;      // libqb is loaded and its targets set up
  bool unavailable = false; // libqb could not be loaded: stderr only
  QbApi qb;
};
State g;

bool load(QbApi& q) {
  static sft::sys::SharedLibrary lib({"libqb.so.100", "libqb.so.0"});
  for (auto r : {lib.bind(q.init, "qb_log_init"), lib.bind(q.fini, "qb_log_fini"), lib.bind(q.ctl, "qb_log_ctl"),
                 lib.bind(q.filter_ctl, "qb_log_filter_ctl"), lib.bind(q.format_set, "qb_log_format_set"),
                 lib.bind(q.file_open, "qb_log_file_open"), lib.bind(q.facility2int, "qb_log_facility2int"),
                 lib.bind(q.write, "qb_log_from_external_source")})
    if (!r) return false;
  return true;
}

void add_file(const QbApi& q, const std::string& path, int priority) {
  if (path.empty()) return;
  const int32_t t = q.file_open(path.c_str());
  if (t < 0) return;  // an unwritable log file must not fail the action
  q.filter_ctl(t, QB_LOG_FILTER_ADD, QB_LOG_FILTER_FILE, "*", static_cast<uint8_t>(priority));
  q.format_set(t, "%t %N[%P]: %p: %b");
  q.ctl(t, QB_LOG_CONF_ENABLED, QB_TRUE);
}

// Syslog (its facility, "none" = off), stderr, the log file, and the debug log at
// debug level.
void open_targets() {
  g.opened = true;
  if (!load(g.qb)) {
    g.unavailable = true;
    return;
  }
  const QbApi& q = g.qb;
  const std::string& facility_name = g.config.facility;
  int facility = LOG_DAEMON;
  if (!facility_name.empty() && facility_name != "none") {
    const int32_t f = q.facility2int(facility_name.c_str());
    if (f >= 0) facility = f;
  }
  const auto level = static_cast<uint8_t>(g.level);
  q.init(g.name.c_str(), facility, level);
  q.ctl(QB_LOG_SYSLOG, QB_LOG_CONF_ENABLED, facility_name == "none" ? QB_FALSE : QB_TRUE);
  q.filter_ctl(QB_LOG_SYSLOG, QB_LOG_FILTER_ADD, QB_LOG_FILTER_FILE, "*", level);
  q.format_set(QB_LOG_SYSLOG, "%b");
  // Off stderr by filtering nothing through, not by disabling the target: libqb does
  // not free the callsites of lines no enabled target took.
  if (g.config.to_stderr) q.filter_ctl(QB_LOG_STDERR, QB_LOG_FILTER_ADD, QB_LOG_FILTER_FILE, "*", level);
  q.format_set(QB_LOG_STDERR, "%N[%P]: %p: %b");
  q.ctl(QB_LOG_STDERR, QB_LOG_CONF_ENABLED, QB_TRUE);
  add_file(q, g.config.logfile, g.level);
  add_file(q, g.config.debuglog, LOG_DEBUG);
}

void emit(int priority, std::string_view message) {
  if (!g.configured) return;
  // Debug lines go to the debug log even when the other targets are at info.
  if (priority > g.level && g.config.debuglog.empty()) return;
  if (!g.opened) open_targets();
  const std::string text(message);
  if (g.unavailable) {
    if (!g.config.to_stderr) return;
    std::fprintf(stderr, "%s: %s\n", g.name.c_str(), text.c_str());
    return;
  }
  g.qb.write(__func__, __FILE__, "%s", static_cast<uint8_t>(priority), __LINE__, 0, text.c_str());
}

}  // namespace

Config from_environment(const Environment& env, std::string_view program, std::string_view instance) {
  Config c{.program = std::string(program), .instance = std::string(instance)};
  if (auto f = lookup(env, "HA_LOGFACILITY"); f && !f->empty()) c.facility = *f;
  c.logfile = lookup(env, "HA_LOGFILE").value_or("");
  c.debuglog = lookup(env, "HA_DEBUGLOG").value_or("");
  c.debug = parse_boolean(lookup(env, "HA_debug").value_or("")).value_or(false) ||
            !lookup(env, "OCF_TRACE_RA").value_or("").empty();
  return c;
}

void init(const Config& config) {
  g.config = config;
  g.name = config.program;
  if (!config.instance.empty()) g.name += "(" + config.instance + ")";
  g.level = config.debug ? LOG_DEBUG : LOG_INFO;
  // Called again in one process (tests), the targets open afresh with the new settings:
  // libqb does not re-filter lines it has seen when a target is switched on later.
  if (g.opened && !g.unavailable) g.qb.fini();
  g.opened = false;
  g.configured = true;
}

void close() {
  if (g.opened && !g.unavailable) g.qb.fini();
  g = State{};
}

void debug(std::string_view m) { emit(LOG_DEBUG, m); }
void info(std::string_view m) { emit(LOG_INFO, m); }
void warning(std::string_view m) { emit(LOG_WARNING, m); }
void error(std::string_view m) { emit(LOG_ERR, m); }

}  // namespace sft::log
