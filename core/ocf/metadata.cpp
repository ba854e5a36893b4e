#include "core/ocf/metadata.h"

#include <algorithm>
#include <vector>

#include "core/text.h"

namespace sft::ocf {
namespace {

std::string_view type_name(ParamType t) {
  switch (t) {
    case ParamType::string: return "string";
    case ParamType::integer: return "integer";
    case ParamType::boolean: return "boolean";
    case ParamType::time: return "time";
    case ParamType::select: return "select";
  }
  return "string";
}

std::string seconds(Seconds s) { return std::to_string(s.count()) + "s"; }

void parameter(std::string& x, const ParamSpec& p) {
  x += "    <parameter name=\"" + xml_escape(p.name) + "\"";
  if (p.required) x += " required=\"1\"";
  if (!p.unique_group.empty()) x += " unique-group=\"" + xml_escape(p.unique_group) + "\"";
  if (p.reloadable) x += " reloadable=\"1\"";
  // Pacemaker's extension for secrets; not in pcs's relaxed RNG, so only where needed.
  if (p.is_private) x += " private=\"1\"";
  x += ">\n";
  x += "      <longdesc lang=\"en\">" + xml_escape(p.longdesc) + "</longdesc>\n";
  x += "      <shortdesc lang=\"en\">" + xml_escape(p.shortdesc) + "</shortdesc>\n";
  x += "      <content type=\"" + std::string(type_name(p.type)) + "\"";
  if (!p.default_value.empty()) x += " default=\"" + xml_escape(p.default_value) + "\"";
  if (p.type == ParamType::select) {
    x += ">\n";
    for (const auto& c : p.choices) x += "        <option value=\"" + xml_escape(c) + "\"/>\n";
    x += "      </content>\n";
  } else {
    x += "/>\n";
  }
  x += "    </parameter>\n";
}

void action(std::string& x, const ActionSpec& a) {
  x += "    <action name=\"" + xml_escape(a.name) + "\" timeout=\"" + seconds(a.timeout) + "\"";
  if (a.interval.count() > 0) x += " interval=\"" + seconds(a.interval) + "\"";
  if (a.depth >= 0) x += " depth=\"" + std::to_string(a.depth) + "\"";
  if (!a.role.empty()) x += " role=\"" + xml_escape(a.role) + "\"";
  x += "/>\n";
}

}  // namespace

std::string metadata_xml(const AgentSpec& spec) {
  // The DOCTYPE names our OCF 1.1 DTD (installed beside the agents), not resource-agents'
  // OCF 1.0 one, which rejects reloadable, unique-group and reload-agent.
  std::string x = "<?xml version=\"1.0\"?>\n<!DOCTYPE resource-agent SYSTEM \"" SFT_OCF_DTD "\">\n";
  x += "<resource-agent name=\"" + xml_escape(spec.name) + "\" version=\"" + xml_escape(spec.version) + "\">\n";
  x += "  <version>1.1</version>\n";
  x += "  <longdesc lang=\"en\">" + xml_escape(spec.longdesc) + "</longdesc>\n";
  x += "  <shortdesc lang=\"en\">" + xml_escape(spec.shortdesc) + "</shortdesc>\n";
  x += "  <parameters>\n";
  for (const auto& p : spec.params) parameter(x, p);
  x += "  </parameters>\n  <actions>\n";
  for (const auto& a : spec.actions) action(x, a);
  x += "  </actions>\n</resource-agent>\n";
  return x;
}

std::string usage(const AgentSpec& spec) {
  std::vector<std::string_view> seen;
  std::string names;
  for (const auto& a : spec.actions) {
    if (std::find(seen.begin(), seen.end(), a.name) != seen.end()) continue;
    seen.push_back(a.name);
    names += (names.empty() ? "" : "|") + a.name;
  }
  return "usage: " + spec.name + " {" + names + "}\n";
}

}  // namespace sft::ocf
