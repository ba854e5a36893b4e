// The life of one fence agent invocation: options, the answers that need no device
// (help, version, metadata, manpage), checks, then the device action.

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <iterator>

#include "core/log/log.h"
#include "core/ocf/params.h"
#include "core/sys/real_system.h"
#include "stonith/algorithm.h"
#include "stonith/metadata.h"
#include "stonith/options.h"

extern char** environ;

namespace sft::fence {
namespace {

int failed(Io& io, const std::string& why) {
  io.err += "Failed: " + why + "\n";
  log::error(why);
  return 1;
}

// Log lines go to syslog (and HA_LOGFILE); on stderr only with verbose, since the
// fencer logs every stderr line and the one that matters there is "Failed: ...".
void start_logging(const AgentSpec& spec, const Options& o, const Environment& env) {
  log::Config c = log::from_environment(env, spec.name, o[opt::plug]);
  const bool verbose = o[opt::verbose];
  c.to_stderr = verbose && !o[opt::quiet];
  c.debug = c.debug || verbose;
  if (!o[opt::debug_file].empty()) c.debuglog = o[opt::debug_file];
  log::init(c);
}

int act(const AgentSpec& spec, const std::vector<Option>& options, const Input& in, Io& io, sys::System& os,
        const Environment& env) {
  const Options& o = in.options;
  if (o[opt::help]) {
    io.out += usage(spec);
    return 0;
  }
  if (o[opt::version]) {
    io.out += spec.name + " " SFT_VERSION "\n";
    return 0;
  }
  const std::string action = o.action();
  if (action == "metadata") {
    io.out += metadata_xml(spec);
    return 0;
  }
  if (action == "manpage") {
    io.out += manpage(spec);
    return 0;
  }

  start_logging(spec, o, env);
  for (const auto& w : in.warnings) {
    log::warning(w);
    if (!o[opt::quiet]) io.err += "Warning: " + w + "\n";
  }
  if (auto ok = check_options(options, o); !ok) return failed(io, ok.error().message);
  if (spec.validate)
    if (auto ok = spec.validate(o); !ok) return failed(io, ok.error().message);
  if (action == "validate-all") return 0;

  if (!spec.open) return failed(io, spec.name + " has no device to open");
  const sys::Deadline d(os, action_budget(o));
  log::debug(action + " with " + std::to_string(d.remaining().count()) + " ms to spare");
  auto device = spec.open(o, os, env, d);
  if (!device) return failed(io, device.error().message);
  return fence_action(o, **device, d, io);
}

}  // namespace

namespace {

int run_once(const AgentSpec& spec, const std::vector<std::string>& args, Io& io, sys::System& os,
             const Environment& env) {
  const std::vector<Option> options = all_options(spec);
  if (auto ok = check_spec(options); !ok) return failed(io, spec.name + ": " + ok.error().message);
  // An option the code reads but the agent lacks is the agent's own bug: caught before
  // any action, metadata included.
  if (auto ok = check_names(spec, options); !ok) return failed(io, "internal error: " + ok.error().message);
  Result<Input> in = args.empty() ? Result<Input>(parse_stdin(options, io.stdin_text)) : parse_argv(options, args);
  // Like getopt: a command line we cannot read is one line and exit 1.
  if (!in) return failed(io, in.error().message + " (see " + spec.name + " --help)");
  try {
    return act(spec, options, *in, io, os, env);
  } catch (const std::exception& e) {
    return failed(io, in->options.action() + ": internal error: " + e.what());
  }
}

}  // namespace

int run(const AgentSpec& spec, const std::vector<std::string>& args, Io& io, sys::System& os, const Environment& env) {
  const int rc = run_once(spec, args, io, os, env);
  log::close();  // every run opens its own log targets and leaves none behind
  return rc;
}

int run(const AgentSpec& spec, int argc, char** argv) {
  sys::RealSystem os;
  const Environment env = read_environment(environ);
  Io io;
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  // pacemaker-fenced writes the options to stdin and closes it; with arguments, stdin
  // is not ours to read.
  if (args.empty()) io.stdin_text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  const int rc = run(spec, args, io, os, env);
  std::fputs(io.out.c_str(), stdout);
  std::fputs(io.err.c_str(), stderr);
  std::fflush(nullptr);
  return rc;
}

}  // namespace sft::fence
