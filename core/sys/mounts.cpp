#include "core/sys/mounts.h"

#include <libmount/libmount.h>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace sft::sys {
namespace {

struct TableFree {
  void operator()(libmnt_table* t) const { mnt_unref_table(t); }
};
struct IterFree {
  void operator()(libmnt_iter* i) const { mnt_free_iter(i); }
};
struct FileClose {
  void operator()(FILE* f) const { std::fclose(f); }
};

std::string str(const char* s) { return s != nullptr ? s : ""; }

int on_parse_error(libmnt_table* table, const char*, int line) {
  auto* first_bad_line = static_cast<int*>(mnt_table_get_userdata(table));
  if (*first_bad_line == 0) *first_bad_line = line;
  return 1;  // stop at the first malformed line: a partial table would mislead callers
}

}  // namespace

Result<std::vector<MountEntry>> parse_mountinfo(std::string_view text) {
  std::string copy(text);  // fmemopen needs a mutable buffer that outlives the stream
  std::unique_ptr<FILE, FileClose> stream(fmemopen(copy.data(), copy.size(), "r"));
  if (copy.empty()) return std::vector<MountEntry>{};
  if (!stream) return fail(Errc::generic, "mountinfo: cannot open a memory stream");
  std::unique_ptr<libmnt_table, TableFree> table(mnt_new_table());
  int first_bad_line = 0;
  mnt_table_set_userdata(table.get(), &first_bad_line);
  mnt_table_set_parser_errcb(table.get(), on_parse_error);
  const int rc = mnt_table_parse_stream(table.get(), stream.get(), "mountinfo");
  if (rc != 0 || first_bad_line != 0)
    return fail(Errc::generic, "mountinfo: malformed line " + std::to_string(first_bad_line));

  std::vector<MountEntry> entries;
  std::unique_ptr<libmnt_iter, IterFree> it(mnt_new_iter(MNT_ITER_FORWARD));
  libmnt_fs* fs = nullptr;
  while (mnt_table_next_fs(table.get(), it.get(), &fs) == 0) {
    MountEntry e;
    e.id = mnt_fs_get_id(fs);
    e.parent_id = mnt_fs_get_parent_id(fs);
    e.dev = mnt_fs_get_devno(fs);
    e.root = str(mnt_fs_get_root(fs));
    e.target = str(mnt_fs_get_target(fs));
    e.fstype = str(mnt_fs_get_fstype(fs));
    e.source = str(mnt_fs_get_source(fs));
    e.vfs_options = str(mnt_fs_get_vfs_options(fs));
    e.fs_options = str(mnt_fs_get_fs_options(fs));
    entries.push_back(std::move(e));
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
