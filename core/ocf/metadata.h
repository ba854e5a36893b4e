#pragma once
// OCF 1.1 meta-data and usage text, generated from the spec.

#include <string>

#include "core/ocf/spec.h"

namespace sft::ocf {

// The resource-agent XML: <version>1.1</version>, every parameter with longdesc,
// shortdesc and content (type, default, select options), every advertised action.
std::string metadata_xml(const AgentSpec& spec);
// "usage: Filesystem {start|stop|monitor|...}"
std::string usage(const AgentSpec& spec);

}  // namespace sft::ocf
