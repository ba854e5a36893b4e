#pragma once
// Logging through libqb, the way Pacemaker's own agents log: syslog, stderr, a log
// file, and a debug log for debug lines. Every line names the program and its resource
// instance: "Filesystem(fs1)[4242]: ...".

#include <string>
#include <string_view>

#include "core/env.h"

namespace sft::log {

struct Config {
  std::string program{};           // "Filesystem", "fence_oci", "sft-fence-peer"
  std::string instance{};          // the resource instance or fence target; may be empty
  std::string facility{"daemon"};  // syslog's facility by name; "none": no syslog
  std::string logfile{};           // every line at the level, "" for none
  std::string debuglog{};          // debug lines too, "" for none
  bool debug = false;              // debug lines on every target
  bool to_stderr = true;           // false: off stderr (a fence agent's stderr carries
                                   // only its own "Failed:" and "Warning:" lines)
};

// What Pacemaker's environment asks for: HA_LOGFACILITY, HA_LOGFILE, HA_DEBUGLOG, and
// debug with HA_debug (a true boolean) or OCF_TRACE_RA (set to anything).
Config from_environment(const Environment& env, std::string_view program, std::string_view instance);

// Takes the configuration; the targets open with the first line written. Called again
// (tests), the new configuration replaces the old.
void init(const Config& config);
void close();

void debug(std::string_view message);
void info(std::string_view message);
void warning(std::string_view message);
void error(std::string_view message);

}  // namespace sft::log
