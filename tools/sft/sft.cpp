#include "tools/sft/sft.h"

#include <cstdio>
#include <string>
#include <vector>

#include "core/ocf/params.h"
#include "core/sys/real_system.h"
#include "tools/sft/oci_command.h"

namespace sft::tool {

namespace {
constexpr const char* k_usage =
    "usage: sft oci raw-request|check [options]   talk to the OCI API (sft oci --help)\n"
    "       sft --version\n";
}

int run(int argc, char** argv, char** envp) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "help") {
    std::fputs(k_usage, args.empty() ? stderr : stdout);
    return args.empty() ? k_exit_usage : k_exit_ok;
  }
  if (args[0] == "--version") {
    std::printf("sft %s\n", SFT_VERSION);
    return k_exit_ok;
  }
  if (args[0] == "oci") {
    sys::RealSystem os;
    return oci_main({args.begin() + 1, args.end()}, os, read_environment(envp));
  }
  std::fprintf(stderr, "sft: unknown command '%s'\n%s", args[0].c_str(), k_usage);
  return k_exit_usage;
}

}  // namespace sft::tool
