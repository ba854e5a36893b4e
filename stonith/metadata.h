#pragma once
// What a fence agent says about itself: the metadata XML pacemaker-fenced, crm_resource
// and pcs read (fence-agents' format, valid against its metadata.rng), the man page
// (-o manpage) and the usage text (-h).

#include <string>

#include "stonith/fence.h"

namespace sft::fence {

// <resource-agent name shortdesc> with longdesc, vendor-url, every option of
// all_options(spec) (an option that obsoletes another is followed by that one,
// deprecated="1") and the actions on (automatic="0"), off, reboot, status, list,
// list-status, monitor, metadata, manpage, validate-all.
std::string metadata_xml(const AgentSpec& spec);

// A roff man page (section 8): name, description, every option with its stdin name,
// the actions and the exit statuses.
std::string manpage(const AgentSpec& spec);

// "Usage:" and one line per option, for -h.
std::string usage(const AgentSpec& spec);

}  // namespace sft::fence
