#pragma once
// The fence-agent protocol, once for every fence agent (the fencing.py way): an agent
// is a spec (its own options and metadata) plus a Device with the power primitives
// of its hardware or cloud. This library owns everything else: reading options from
// stdin or argv exactly as fence-agents does, defaults and validation, metadata,
// the fence algorithm (already-in-state short cut, delay, power_wait, polling until
// the state is verified or power_timeout passes, retry_on, method onoff|cycle),
// output lines and exit codes.
//
//   // stonith/fence_oci/main.cpp
//   int main(int argc, char** argv) { return sft::fence::run(fence_oci::spec(), argc, argv); }

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "core/env.h"
#include "core/names.h"
#include "core/result.h"
#include "core/sys/deadline.h"
#include "core/sys/system.h"

namespace sft::fence {

// A plug's power as the device reports it. `unknown` covers every transitional or
// unrecognised state: it is never taken for "off".
enum class Power { on, off, unknown };

struct Outlet {
  std::string id{};              // what --plug takes (an OCID)
  std::string alias{};           // a second name (display name); may be empty
  Power power = Power::unknown;  // only filled for list-status
};

// The primitives an agent supplies. Every call gets the time it may take; an Error
// is one line naming what failed (with HTTP status and request id for APIs).
class Device {
 public:
  virtual ~Device() = default;
  virtual Result<Power> status(const std::string& plug, const sys::Deadline& d) = 0;
  // Ask the device to switch; the algorithm verifies the result through status().
  virtual Result<void> power_off(const std::string& plug, const sys::Deadline& d) = 0;
  virtual Result<void> power_on(const std::string& plug, const sys::Deadline& d) = 0;
  // method=cycle: one reset the device does itself, verified afterwards only as "on":
  // so it succeeds only once the device has accepted the reset. Agents without one
  // leave can_cycle() false; method=cycle is then refused (the default power_cycle
  // returns Errc::unimplemented).
  virtual bool can_cycle() const { return false; }
  virtual Result<void> power_cycle(const std::string& plug, const sys::Deadline& d);
  // Every plug the device knows; with_status fills Outlet::power.
  virtual Result<std::vector<Outlet>> list(bool with_status, const sys::Deadline& d) = 0;
  // Proves the device and credentials work (one cheap call).
  virtual Result<void> monitor(const sys::Deadline& d) = 0;
  // Runs once before the first power change of an off, on or reboot of `plug` (after
  // the delay; not for an off or on of a plug already in that state): a device may refuse
  // here, e.g. when this node is itself being fenced (the race check). The default
  // allows everything.
  virtual Result<void> before_power_change(const std::string& plug, const sys::Deadline& d);
  // The plug as the device names it (e.g. a display name resolved to an OCID).
  virtual Result<std::string> resolve_plug(const std::string& plug, const sys::Deadline& d) {
    (void)d;
    return plug;
  }
};

enum class Type { string, boolean, second, integer, select };

// One option, as fence-agents describes it in metadata and accepts it.
struct Option {
  std::string name{};           // stdin key and metadata name, with '_' ("power_timeout");
                                // the long option is the same with '-' (--power-timeout)
  char short_name = 0;          // getopt letter, 0 for none ('n' for plug)
  std::string value_hint{};     // "[id]", "[seconds]": shown in <getopt mixed="...">
  Type type = Type::string;     // boolean: a flag on the command line (-q), 1/0 on stdin
  std::string default_value{};  // empty: none
  std::string shortdesc{};
  bool required = false;
  std::vector<std::string> choices{};  // Type::select (matched ignoring case)
  std::string obsoletes{};             // an older name this one replaces ("port"): accepted
                                       // as an alias and shown as a deprecated parameter
  bool deprecated = false;             // an older name kept for compatibility
};

// The options a fence agent's code reads (core/names.h), kept apart from other names:
// text, a flag (bool), seconds (sys::Millis) or an integer.
struct OptionDomain;
using OptionNames = NameRegistry<OptionDomain>;
template <class T>
using Opt = Named<T, OptionDomain>;

// The parsed options: canonical names (obsolete aliases mapped, '-' -> '_') to values,
// defaults filled in. Handed to AgentSpec::validate and ::open only after the library
// checked every value against its Option, so the typed reads need no error path.
class Options {
 public:
  // The lower-case action, "metadata" for "meta-data".
  std::string action() const { return get("action"); }
  // A value, typed by its handle: text as given; a flag true for 1/yes/on/true/y; a
  // time in seconds ("2.5" allowed); an integer. Unset without default: "", false, 0.
  template <class T>
  T operator[](const Opt<T>& option) const {
    if constexpr (std::is_same_v<T, std::string>) return get(option.name());
    else if constexpr (std::is_same_v<T, bool>) return flag(option.name());
    else if constexpr (std::is_same_v<T, long long>) return integer(option.name());
    else return seconds(option.name());
  }
  // The text as parsed, by an Option's name (the parser and what prints options).
  std::string get(const std::string& name) const;  // "" when unset and without default
  bool has(const std::string& name) const { return m_values.contains(name); }
  void set(const std::string& name, std::string value) { m_values[name] = std::move(value); }

 private:
  bool flag(const std::string& name) const;
  sys::Millis seconds(const std::string& name) const;
  long long integer(const std::string& name) const;
  std::map<std::string, std::string> m_values;
};

// The options the library's own code reads (action, plug, the timing options...).
OptionNames& common_option_names();
namespace opt {
inline const Opt<std::string> action{common_option_names(), "action"};
inline const Opt<std::string> plug{common_option_names(), "plug"};
inline const Opt<std::string> method{common_option_names(), "method"};  // only with supports_cycle
inline const Opt<bool> quiet{common_option_names(), "quiet"};
inline const Opt<bool> verbose{common_option_names(), "verbose"};
inline const Opt<std::string> debug_file{common_option_names(), "debug_file"};
inline const Opt<bool> version{common_option_names(), "version"};
inline const Opt<bool> help{common_option_names(), "help"};
inline const Opt<sys::Millis> delay{common_option_names(), "delay"};
inline const Opt<sys::Millis> power_timeout{common_option_names(), "power_timeout"};
inline const Opt<sys::Millis> power_wait{common_option_names(), "power_wait"};
inline const Opt<sys::Millis> stonith_status_sleep{common_option_names(), "stonith_status_sleep"};
inline const Opt<long long> retry_on{common_option_names(), "retry_on"};
}  // namespace opt

struct AgentSpec {
  std::string name{};  // "fence_oci"
  std::string shortdesc{};
  std::string longdesc{};
  std::string vendor_url{};
  // The agent's own; the library adds the common ones (action, plug, delay, ...). An
  // option named like a common one replaces it in place (a plug with the agent's own
  // shortdesc, say); its deprecated "port" twin follows it.
  std::vector<Option> options{};
  // Defaults of common options that differ by agent.
  std::string default_power_timeout = "20";
  std::string default_method = "onoff";
  bool supports_cycle = false;  // offer method=cycle
  // Every option of its own the agent's code reads (the library's are
  // common_option_names()); checked with them against the options before any action.
  const OptionNames* names = nullptr;
  // Checks the agent's own options (validate-all and before every device action).
  std::function<Result<void>(const Options&)> validate{};
  // Builds the device for an action (not for metadata, manpage or validate-all).
  std::function<Result<std::unique_ptr<Device>>(const Options&, sys::System&, const Environment& env,
                                                const sys::Deadline&)>
      open{};
};

// The whole run of a fence agent: with no arguments the options come from stdin
// (key=value lines, as pacemaker-fenced sends them), otherwise from argv (getopt
// style) and stdin is not read. Returns the exit code: status 0 on, 2 off, 1 error;
// every other action 0 success, 1 failure. Results go to stdout ("Success: Powered
// OFF", "Status: ON", list lines), failures to stderr as one line "Failed: <why>".
int run(const AgentSpec& spec, int argc, char** argv);

// The same with everything given (tests): `args` are the arguments after the program
// name; with none, io.stdin_text is parsed as stdin would be.
struct Io {
  std::string stdin_text;
  std::string out;  // what the agent printed on stdout
  std::string err;  // on stderr
};
int run(const AgentSpec& spec, const std::vector<std::string>& args, Io& io, sys::System& os, const Environment& env);

}  // namespace sft::fence
