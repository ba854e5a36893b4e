#pragma once
// Logging through libqb, the way Pacemaker's own agents log: syslog (facility from
// HA_LOGFACILITY, "none" turns it off), stderr, HA_LOGFILE, and HA_DEBUGLOG for debug
// lines. HA_debug=1 (or OCF_TRACE_RA) enables debug everywhere. Every line names the
// agent and its resource instance: "Filesystem(fs1)[4242]: ...".

#include <string>
#include <string_view>

namespace sft::log {

// Reads the HA_* variables and opens the targets. Call once, before any line.
// `instance` is OCF_RESOURCE_INSTANCE (may be empty). `to_stderr` false keeps the lines
// off stderr (a fence agent's stderr carries only its own "Failed:" and "Warning:"
// lines); `debug` enables debug lines as HA_debug=1 does.
void init(std::string_view agent, std::string_view instance, bool to_stderr = true, bool debug = false);
void close();

void debug(std::string_view message);
void info(std::string_view message);
void warning(std::string_view message);
void error(std::string_view message);

}  // namespace sft::log
