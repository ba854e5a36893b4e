#include "core/sys/mounts.h"

#include "core/text.h"

#include <sys/sysmacros.h>

#include <algorithm>

namespace sft::sys {
namespace {

// The kernel escapes space, tab, newline and backslash in paths as \ooo (octal).
std::string unescape(std::string_view field) {
  std::string out;
  out.reserve(field.size());
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size()) {
      const auto digits = field.substr(i + 1, 3);
      if (std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '7'; })) {
        out += static_cast<char>((digits[0] - '0') * 64 + (digits[1] - '0') * 8 + (digits[2] - '0'));
        i += 3;
        continue;
      }
    }
    out += field[i];
  }
  return out;
}

// One line of proc(5)'s mountinfo: id parent major:minor root target options
// [optional fields...] - fstype source super-options.
std::optional<MountEntry> parse_line(std::string_view line) {
  // Single spaces separate fields, and a field may be empty: a mount whose source is
  // "" is written "- tmpfs  rw".
  const auto f = split(line, ' ');
  const auto dash = std::find(f.begin(), f.end(), "-");
  if (f.size() < 10 || dash == f.end() || dash - f.begin() < 6 || f.end() - dash < 3) return std::nullopt;
  MountEntry e;
  const auto colon = f[2].find(':');
  unsigned major_no = 0, minor_no = 0;
  if (!parse_number(f[0], e.id) || !parse_number(f[1], e.parent_id) || colon == std::string_view::npos ||
      !parse_number(f[2].substr(0, colon), major_no) || !parse_number(f[2].substr(colon + 1), minor_no))
    return std::nullopt;
  e.dev = makedev(major_no, minor_no);
  e.root = unescape(f[3]);
  e.target = unescape(f[4]);
  e.vfs_options = std::string(f[5]);
  e.fstype = unescape(dash[1]);
  e.source = unescape(dash[2]);
  e.fs_options = dash + 3 < f.end() ? std::string(dash[3]) : "";
  return e;
}

}  // namespace

// Hand-parsed rather than through libmount: monitor reads this table every few
// seconds, and loading libmount (with libblkid, libselinux, libpcre2) would cost more
// than the whole monitor. The format is the kernel's, fixed by proc(5).
Result<std::vector<MountEntry>> parse_mountinfo(std::string_view text) {
  std::vector<MountEntry> entries;
  int line_no = 0;
  for (const std::string_view line : split(text, '\n')) {
    ++line_no;
    if (line.empty()) continue;
    auto entry = parse_line(line);
    if (!entry) return fail(Errc::generic, "mountinfo: malformed line " + std::to_string(line_no));
    entries.push_back(std::move(*entry));
  }
  return entries;
}

Result<std::vector<MountEntry>> read_mounts(System& os) {
  auto text = os.read_file("/proc/self/mountinfo");
  if (!text) return std::unexpected(text.error());
  return parse_mountinfo(*text);
}

std::optional<MountEntry> mounted_on(const std::vector<MountEntry>& mounts, std::string_view target) {
  const std::string want = normalize_path(target);
  for (auto it = mounts.rbegin(); it != mounts.rend(); ++it)
    if (it->target == want) return *it;
  return std::nullopt;
}

std::vector<MountEntry> mounts_below(const std::vector<MountEntry>& mounts, std::string_view target) {
  const std::string base = normalize_path(target);
  const std::string prefix = base == "/" ? "/" : base + "/";
  std::vector<MountEntry> below;
  for (const auto& m : mounts)
    if (m.target.size() > prefix.size() && m.target.starts_with(prefix)) below.push_back(m);
  // Deepest first; among equal depths, the later mount (on top) first.
  std::reverse(below.begin(), below.end());
  std::stable_sort(below.begin(), below.end(), [](const MountEntry& a, const MountEntry& b) {
    return std::count(a.target.begin(), a.target.end(), '/') >
           std::count(b.target.begin(), b.target.end(), '/');
  });
  return below;
}

std::string normalize_path(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t pos = 0;
  while (pos < path.size()) {
    const size_t next = std::min(path.find('/', pos), path.size());
    const std::string_view part = path.substr(pos, next - pos);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    pos = next + 1;
  }
  std::string out;
  for (auto p : parts) (out += '/') += p;
  return out.empty() ? "/" : out;
}

}  // namespace sft::sys
