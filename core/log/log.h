#pragma once
// Logging through libqb, the way Pacemaker's own agents log: syslog (facility from
// HA_LOGFACILITY, "none" turns it off), stderr, HA_LOGFILE, and HA_DEBUGLOG for debug
// lines. HA_debug=1 (or OCF_TRACE_RA) enables debug everywhere. Every line names the
// agent and its resource instance: "Filesystem(fs1)[4242]: ...".

#include <string>
#include <string_view>

namespace sft::log {

// Reads the HA_* variables and opens the targets. Call once, before any line.
// `instance` is OCF_RESOURCE_INSTANCE (may be empty).
void init(std::string_view agent, std::string_view instance);
void close();

void debug(std::string_view message);
void info(std::string_view message);
void warning(std::string_view message);
void error(std::string_view message);

}  // namespace sft::log
