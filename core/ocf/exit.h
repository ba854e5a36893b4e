#pragma once
// The one mapping from an Error to an OCF exit code, and the one place that writes
// "ocf-exit-reason:" (crm_mon and pcs show that line to the admin).

#include <string_view>

#include "core/ocf/spec.h"
#include "core/result.h"

namespace sft::ocf {

Exit to_ocf_exit(const Error& e);
// The name Pacemaker's documentation uses, e.g. "OCF_NOT_RUNNING".
std::string_view exit_name(Exit code);
// Writes "ocf-exit-reason:<message>" on stderr (newlines folded) and logs it.
void report(const Error& e);

}  // namespace sft::ocf
