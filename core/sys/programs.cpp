#include "core/sys/programs.h"

#include <sys/stat.h>

#include "core/text.h"

namespace sft::sys {

Result<std::string> find_program(System& os, std::string_view name, std::string_view path_var) {
  const std::string dirs = std::string(path_var) + ":/usr/sbin:/usr/bin:/sbin:/bin";
  for (const std::string_view dir : split(dirs, ':')) {
    if (dir.empty()) continue;
    const std::string candidate = std::string(dir) + "/" + std::string(name);
    if (auto st = os.stat(candidate); st && S_ISREG(st->mode) && (st->mode & 0111) != 0) return candidate;
  }
  return fail(Errc::not_installed, std::string(name) + ": not found in " + std::string(path_var));
}

std::string describe_failure(const std::vector<std::string>& shown, const ProcessResult& r) {
  std::string line;
  for (const std::string& word : shown) line += (line.empty() ? "" : " ") + word;
  if (r.exit_code < 0) return line + " was killed by signal " + std::to_string(r.signal);
  std::string_view why = trim(r.err.empty() ? r.out : r.err);
  why = why.substr(0, why.find('\n'));
  return line + " exited " + std::to_string(r.exit_code) + (why.empty() ? "" : ": " + std::string(why));
}

Result<ProcessResult> run_program(System& os, std::vector<std::string> argv, std::string_view path_var,
                                  const Deadline& d) {
  if (argv.empty()) return fail(Errc::invalid_argument, "run_program: no program");
  Result<std::string> path = find_program(os, argv[0], path_var);
  if (!path) return std::unexpected(path.error());
  argv[0] = *path;
  return os.run(argv, d);
}

Result<std::string> run_checked(System& os, std::vector<std::string> argv, std::string_view path_var,
                                const Deadline& d, std::vector<std::string> shown) {
  if (shown.empty()) shown = argv;
  Result<ProcessResult> r = run_program(os, std::move(argv), path_var, d);
  if (!r) return std::unexpected(r.error());
  if (!r->ok()) return fail(Errc::generic, describe_failure(shown, *r));
  return std::move(r->out);
}

}  // namespace sft::sys
