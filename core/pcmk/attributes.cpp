#include "core/pcmk/attributes.h"

#include <cctype>

#include "core/log/log.h"
#include "core/sys/programs.h"
#include "core/text.h"

namespace sft::pcmk {
namespace {

// The memory's key for the attribute daemon that took the values.
constexpr const char* k_attrd_key = "attrd";

using Memory = std::map<std::string, std::string>;

Memory read_memory(sys::System& os, const std::string& path) {
  Memory out;
  Result<std::string> text = os.read_file(path);
  if (!text) return out;
  for (std::string_view line : split(*text, '\n')) {
    const size_t eq = line.find('=');
    if (eq != std::string_view::npos) out[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
  }
  return out;
}

void write_memory(sys::System& os, const std::string& path, const Memory& m) {
  std::string text;
  for (const auto& [k, v] : m) text += k + "=" + v + "\n";
  const std::string dir = path.substr(0, path.rfind('/'));
  if (Result<void> made = os.make_dirs(dir, 0700); !made) {
    log::warning("cannot remember the published attributes: " + made.error().message);
    return;
  }
  if (Result<void> w = os.write_file(path, text, 0600); !w)
    log::warning("cannot remember the published attributes: " + w.error().message);
}

// Which pacemaker-attrd holds the attributes: its pid, or "none". The steady case reads
// one file: the remembered pid's name.
std::string attrd_identity(sys::System& os, const std::string& remembered) {
  auto is_attrd = [&](const std::string& pid) {
    return os.read_file("/proc/" + pid + "/comm").value_or("") == "pacemaker-attrd\n";
  };
  if (!remembered.empty() && remembered != "none" && is_attrd(remembered)) return remembered;
  Result<std::vector<std::string>> pids = os.list_dir("/proc");
  if (!pids) return "none";
  for (const std::string& pid : *pids)
    if (!pid.empty() && std::isdigit(static_cast<unsigned char>(pid[0])) && is_attrd(pid)) return pid;
  return "none";
}

std::vector<std::string> command(const Attribute& a) {
  if (a.kind == Attribute::Kind::promotion)
    return a.value.empty() ? std::vector<std::string>{"crm_attribute", "--promotion", "-D"}
                           : std::vector<std::string>{"crm_attribute", "--promotion", "-v", a.value};
  return a.value.empty() ? std::vector<std::string>{"attrd_updater", "-n", a.name, "-D"}
                         : std::vector<std::string>{"attrd_updater", "-n", a.name, "-U", a.value};
}

// Runs the tool for `a`; true when it succeeded. A failure is a warning naming the tool
// and its first argument.
bool write(sys::System& os, std::string_view path_var, const Attribute& a, const sys::Deadline& d) {
  std::vector<std::string> argv = command(a);
  std::vector<std::string> shown{argv[0], argv[1]};
  Result<std::string> r = sys::run_checked(os, std::move(argv), path_var, d, std::move(shown));
  if (!r) log::warning(r.error().message);
  return r.has_value();
}

}  // namespace

Published publish_on_change(sys::System& os, std::string_view path_var, const std::string& memory,
                            const std::vector<Attribute>& want, bool force, const sys::Deadline& d) {
  Published p;
  Memory had = read_memory(os, memory);
  const std::string attrd = attrd_identity(os, had.contains(k_attrd_key) ? had.at(k_attrd_key) : "");
  if (force || had[k_attrd_key] != attrd) had.clear();  // everything again
  for (const Attribute& a : want)
    if (had.contains(a.name)) p.before[a.name] = had.at(a.name);
  bool all_same = had.contains(k_attrd_key);
  for (const Attribute& a : want) all_same = all_same && had.contains(a.name) && had.at(a.name) == a.value;
  if (all_same) return p;  // the steady state: nothing written, nothing run

  Memory done = had;
  done[k_attrd_key] = attrd;
  for (const Attribute& a : want) {
    if (had.contains(a.name) && had.at(a.name) == a.value) continue;
    if (!write(os, path_var, a, d)) continue;
    done[a.name] = a.value;
    p.written.push_back(a.name);
  }
  write_memory(os, memory, done);
  return p;
}

void withdraw(sys::System& os, std::string_view path_var, const std::string& memory,
              const std::vector<Attribute>& which, const sys::Deadline& d) {
  for (Attribute a : which) {
    a.value.clear();
    write(os, path_var, a, d);
  }
  if (Result<void> r = os.remove_file(memory); !r) log::warning(r.error().message);
}

}  // namespace sft::pcmk
