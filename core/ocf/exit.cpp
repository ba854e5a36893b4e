#include "core/ocf/exit.h"

#include <cstdio>
#include <string>

#include "core/log/log.h"

namespace sft::ocf {

Exit to_ocf_exit(const Error& e) {
  switch (e.code) {
    case Errc::generic: return PCMK_OCF_UNKNOWN_ERROR;
    case Errc::invalid_argument: return PCMK_OCF_INVALID_PARAM;
    case Errc::unimplemented: return PCMK_OCF_UNIMPLEMENT_FEATURE;
    case Errc::permission: return PCMK_OCF_INSUFFICIENT_PRIV;
    case Errc::not_installed: return PCMK_OCF_NOT_INSTALLED;
    case Errc::configuration: return PCMK_OCF_NOT_CONFIGURED;
    case Errc::not_running: return PCMK_OCF_NOT_RUNNING;
    case Errc::timeout: return PCMK_OCF_UNKNOWN_ERROR;
    case Errc::busy: return PCMK_OCF_UNKNOWN_ERROR;
  }
  return PCMK_OCF_UNKNOWN_ERROR;
}

std::string_view exit_name(Exit code) {
  switch (code) {
    case PCMK_OCF_OK: return "OCF_SUCCESS";
    case PCMK_OCF_UNKNOWN_ERROR: return "OCF_ERR_GENERIC";
    case PCMK_OCF_INVALID_PARAM: return "OCF_ERR_ARGS";
    case PCMK_OCF_UNIMPLEMENT_FEATURE: return "OCF_ERR_UNIMPLEMENTED";
    case PCMK_OCF_INSUFFICIENT_PRIV: return "OCF_ERR_PERM";
    case PCMK_OCF_NOT_INSTALLED: return "OCF_ERR_INSTALLED";
    case PCMK_OCF_NOT_CONFIGURED: return "OCF_ERR_CONFIGURED";
    case PCMK_OCF_NOT_RUNNING: return "OCF_NOT_RUNNING";
    case PCMK_OCF_RUNNING_PROMOTED: return "OCF_RUNNING_PROMOTED";
    case PCMK_OCF_FAILED_PROMOTED: return "OCF_FAILED_PROMOTED";
    case PCMK_OCF_DEGRADED: return "OCF_DEGRADED";
    case PCMK_OCF_DEGRADED_PROMOTED: return "OCF_DEGRADED_PROMOTED";
    default: return "OCF_UNKNOWN";
  }
}

void report(const Error& e) {
  std::string line = e.message;
  for (char& c : line)
    if (c == '\n' || c == '\r') c = ' ';
  log::error(line);
  std::fprintf(stderr, "ocf-exit-reason:%s\n", line.c_str());
  std::fflush(stderr);
}

}  // namespace sft::ocf
