#pragma once
// The `sft` admin command: `sft oci ...` (oci_command.h), `sft --version`.

namespace sft::tool {

int run(int argc, char** argv, char** envp);

}  // namespace sft::tool
