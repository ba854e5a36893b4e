#include "agents/filesystem/fsck.h"

#include "agents/filesystem/params.h"

#include <algorithm>
#include <cstdint>

#include "core/log/log.h"

namespace sft::filesystem {
namespace {

constexpr int k_xfs_dirty_log = 2;  // xfs_repair: "the log needs to be replayed"

uint32_t le(std::string_view b, size_t off, size_t bytes) {
  uint32_t v = 0;
  for (size_t i = 0; i < bytes; ++i) v |= static_cast<uint32_t>(static_cast<unsigned char>(b[off + i])) << (8 * i);
  return v;
}

// The checker's last word: its last line that is not an indented continuation
// (e2fsck ends with "\t(i.e., without -a or -p options)" under the line that matters).
std::string last_line(const std::string& text) {
  std::string best;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t eol = std::min(text.find('\n', pos), text.size());
    std::string line = text.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.empty() || line.front() == ' ' || line.front() == '\t') continue;
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.pop_back();
    if (!line.empty()) best = line;
  }
  return best;
}

}  // namespace

std::optional<ExtSuperblock> parse_ext_superblock(std::string_view block) {
  // Offsets from the ext4 on-disk layout: s_magic 0x38, s_state 0x3A,
  // s_feature_compat 0x5C, s_feature_incompat 0x60.
  if (block.size() < 0x64 || le(block, 0x38, 2) != 0xEF53) return std::nullopt;
  const uint32_t state = le(block, 0x3A, 2);
  ExtSuperblock sb;
  sb.clean = (state & 0x1) != 0;
  sb.has_errors = (state & 0x2) != 0;
  sb.has_journal = (le(block, 0x5C, 4) & 0x4) != 0;
  sb.needs_recovery = (le(block, 0x60, 4) & 0x4) != 0;
  return sb;
}

bool auto_needs_check(const ExtSuperblock& sb) {
  return sb.has_errors || (!sb.clean && !sb.has_journal);
}

std::vector<std::string> fsck_command(std::string_view fstype, const std::string& device, bool force) {
  if (fstype == "xfs") return {"xfs_repair", device};
  if (fstype == "btrfs") return {"btrfs", "check", "--readonly", device};
  if (force) return {"e2fsck", "-f", "-p", device};
  return {"e2fsck", "-p", device};
}

bool fsck_succeeded(std::string_view fstype, int exit_code) {
  if (fstype.starts_with("ext")) return exit_code == 0 || exit_code == 1;
  return exit_code == 0;
}

Result<void> check_before_mount(Context& cx, const std::string& path, const std::string& dir) {
  const std::string& fstype = cx.params[param::fstype];
  const std::string& policy = cx.params[param::run_fsck];
  if (policy == "no") return {};
  if (policy == "auto") {
    if (!fstype.starts_with("ext")) return {};
    auto block = cx.os.read_at(path, 1024, 1024);
    if (!block) return std::unexpected(with_context(block.error(), "reading the superblock"));
    const auto sb = parse_ext_superblock(*block);
    if (!sb) return fail(Errc::configuration, path + " holds no " + fstype + " filesystem");
    if (!auto_needs_check(*sb)) return {};
  }
  const auto argv = fsck_command(fstype, path, policy == "force");
  const std::string name = argv[0];
  log::info("checking " + path + ": " + name);
  // The program validate found, even where PATH lacks the sbin directories.
  auto r = cx.run_program(argv, cx.deadline);
  if (!r) return std::unexpected(r.error());
  if (fstype == "xfs" && r->exit_code == k_xfs_dirty_log) {
    // The state a crashed node leaves: xfs_repair will not touch a log that needs
    // replaying, and mounting is what replays it. Mount, unmount, check again.
    log::info(path + " has an XFS log to replay: mounting and unmounting it on " + dir + " first");
    if (auto m = cx.os.mount({path, dir, "xfs", ""}); !m) return std::unexpected(with_context(m.error(), "log replay"));
    if (auto u = cx.os.umount(dir); !u) return std::unexpected(with_context(u.error(), "log replay"));
    r = cx.run_program(argv, cx.deadline);
    if (!r) return std::unexpected(r.error());
  }
  if (!fsck_succeeded(fstype, r->exit_code)) {
    std::string why = last_line(r->err.empty() ? r->out : r->err);
    return fail(Errc::generic, name + " " + path + " failed with exit code " + std::to_string(r->exit_code) +
                                   (why.empty() ? "" : ": " + why) + "; not mounting");
  }
  return {};
}

}  // namespace sft::filesystem
