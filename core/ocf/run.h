#pragma once
// The whole life of an agent invocation: an agent's main() is
//   int main(int argc, char** argv) { return sft::ocf::run(spec(), argc, argv); }

#include "core/ocf/context.h"
#include "core/ocf/spec.h"
#include "core/sys/system.h"

namespace sft::ocf {

// Runs the action named by argv[1] on the real system and returns the exit code.
// meta-data and usage need no parameters; a missing action prints usage and returns
// OCF_ERR_ARGS, an unknown one OCF_ERR_UNIMPLEMENTED.
int run(const AgentSpec& spec, int argc, char** argv);

// The same with the environment and OS seam given (tests use this).
int run(const AgentSpec& spec, std::string_view action, const Environment& env, sys::System& os);

// Actions before which spec.validate runs. stop and monitor skip it: they must work,
// and report honestly, even when the configuration has become invalid.
bool validates_before(std::string_view action);

// The timeout Pacemaker gave this action, else the spec's default for it, else 20 s.
std::chrono::milliseconds action_timeout(const AgentSpec& spec, std::string_view action, const Environment& env);

}  // namespace sft::ocf
