#pragma once
// What an agent tells Pacemaker and crm_mon -A about its node: its resource's promotion
// score and node attributes, each written only when it changes, so the steady monitor
// reads two small files and runs nothing. The agents run no Pacemaker library: the
// values go through crm_attribute and attrd_updater.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/sys/deadline.h"
#include "core/sys/system.h"

namespace sft::pcmk {

// One value. A node attribute goes through attrd_updater; the promotion score through
// crm_attribute --promotion, which names the resource from OCF_RESOURCE_INSTANCE.
// An empty value deletes it.
struct Attribute {
  enum class Kind { node, promotion };
  Kind kind = Kind::node;
  std::string name{};  // the node attribute's name; for the score, its key in the memory
  std::string value{};
};

struct Published {
  std::vector<std::string> written;           // names written or deleted this time
  std::map<std::string, std::string> before;  // what the memory held, by name (absent: never written)
};

// Writes each of `want` whose value differs from what `memory` (a file, under /run)
// says was written last; all of them when `force` (a probe) or when pacemaker-attrd is
// another process than the one that took them (a restarted attrd may have lost them).
// Remembers what was written. A write that fails is logged as a warning and tried again
// the next time.
Published publish_on_change(sys::System& os, std::string_view path_var, const std::string& memory,
                            const std::vector<Attribute>& want, bool force, const sys::Deadline& d);

// Deletes each of `which` (their values are ignored) and forgets `memory`.
void withdraw(sys::System& os, std::string_view path_var, const std::string& memory,
              const std::vector<Attribute>& which, const sys::Deadline& d);

}  // namespace sft::pcmk
