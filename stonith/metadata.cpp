#include "stonith/metadata.h"

#include "core/text.h"
#include "stonith/options.h"

namespace sft::fence {
namespace {


std::string_view type_name(Type t) {
  switch (t) {
    case Type::string:
      return "string";
    case Type::boolean:
      return "boolean";
    case Type::second:
      return "second";
    case Type::integer:
      return "integer";
    case Type::select:
      return "select";
  }
  return "string";
}

// The layout (tabs, the space before "/>") is fence-agents' own, so tools that compare
// metadata text see no difference but the content.
void parameter(std::string& x, const Option& o, const std::string& name, const std::string& extra) {
  x += "\t<parameter name=\"" + xml_escape(name) + "\" unique=\"0\" required=\"" + (o.required ? "1" : "0") + "\"" +
       extra + ">\n";
  x += "\t\t<getopt mixed=\"" + xml_escape(getopt_mixed(o)) + "\" />\n";
  const std::string dflt = o.default_value.empty() ? "" : "default=\"" + xml_escape(o.default_value) + "\" ";
  if (o.type == Type::select) {
    x += "\t\t<content type=\"select\" " + dflt + " >\n";
    for (const auto& c : o.choices) x += "\t\t\t<option value=\"" + xml_escape(c) + "\" />\n";
    x += "\t\t</content>\n";
  } else {
    x += "\t\t<content type=\"" + std::string(type_name(o.type)) + "\" " + dflt + " />\n";
  }
  x += "\t\t<shortdesc lang=\"en\">" + xml_escape(o.shortdesc) + "</shortdesc>\n";
  x += "\t</parameter>\n";
}

// Roff text: a backslash doubled, a line that would start a request escaped.
std::string roff(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out += c;
    line_start = c == '\n';
  }
  return out;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

std::string described(const Option& o) {
  std::string d = o.shortdesc;
  if (!o.choices.empty()) {
    std::string list;
    for (const auto& c : o.choices) list += (list.empty() ? "" : "|") + c;
    d += " (" + list + ")";
  }
  if (!o.default_value.empty()) d += " (default: " + o.default_value + ")";
  return d;
}

struct ActionDoc {
  std::string_view name;
  std::string_view what;
};
constexpr ActionDoc k_action_docs[] = {
    {"on", "Power on the machine and wait until the device reports it on."},
    {"off", "Power off the machine and wait until the device reports it off."},
    {"reboot", "Power off (verified), then on; with method=cycle, one reset by the device."},
    {"status", "Print Status: ON or Status: OFF (exit status 0 or 2)."},
    {"list", "List the machines the device knows: id,alias."},
    {"list-status", "List the machines with their power: id,alias,ON|OFF|UNKNOWN."},
    {"monitor", "Check that the device answers."},
    {"metadata", "Print the metadata XML."},
    {"manpage", "Print this page."},
    {"validate-all", "Check the options without contacting the device."},
};

}  // namespace

std::string metadata_xml(const AgentSpec& spec) {
  std::string x = "<?xml version=\"1.0\" ?>\n";
  x += "<resource-agent name=\"" + xml_escape(spec.name) + "\" shortdesc=\"" + xml_escape(spec.shortdesc) + "\" >\n";
  x += "<longdesc>" + xml_escape(spec.longdesc) + "</longdesc>\n";
  x += "<vendor-url>" + xml_escape(spec.vendor_url) + "</vendor-url>\n";
  x += "<parameters>\n";
  for (const auto& o : all_options(spec)) {
    parameter(x, o, o.name,
              std::string(o.deprecated ? " deprecated=\"1\"" : "") +
                  (o.obsoletes.empty() ? "" : " obsoletes=\"" + xml_escape(o.obsoletes) + "\""));
    if (!o.obsoletes.empty()) parameter(x, o, o.obsoletes, " deprecated=\"1\"");
  }
  x += "</parameters>\n<actions>\n";
  for (const auto& a : actions()) {
    // "on" is no fencing action: the fencer must not run it by itself (unfencing).
    if (a == "on")
      x += "\t<action name=\"on\" automatic=\"0\"/>\n";
    else
      x += "\t<action name=\"" + a + "\" />\n";
  }
  x += "</actions>\n</resource-agent>\n";
  return x;
}

std::string manpage(const AgentSpec& spec) {
  const std::string& n = spec.name;
  std::string m = ".TH " + upper(n) + " 8 \"\" \"sft " SFT_VERSION "\" \"Fence agents\"\n";
  m += ".SH NAME\n" + roff(n) + " \\- " + roff(spec.shortdesc) + "\n";
  m += ".SH SYNOPSIS\n.B " + roff(n) + "\n[\\fIOPTION\\fP]...\n.br\n.B " + roff(n) + "\n< \\fIkey=value lines\\fP\n";
  m += ".SH DESCRIPTION\n";
  // Paragraphs of the longdesc are separated by blank lines.
  std::string_view rest = spec.longdesc;
  while (!rest.empty()) {
    const size_t end = rest.find("\n\n");
    m += ".P\n" + roff(rest.substr(0, end)) + "\n";
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 2);
  }
  m += ".P\n" + roff(n) +
       " takes its options from the command line or, when it has no arguments, as key=value lines on "
       "standard input, which is how pacemaker\\-fenced runs it.\n";
  if (!spec.vendor_url.empty()) m += ".P\nVendor URL: " + roff(spec.vendor_url) + "\n";
  m += ".SH OPTIONS\n";
  for (const auto& o : all_options(spec)) {
    m += ".TP\n.B " + roff(getopt_mixed(o)) + "\n" + roff(described(o));
    m += "\nOn stdin: \\fB" + roff(o.name) + "\\fP";
    if (!o.obsoletes.empty()) m += " (or the older \\fB" + roff(o.obsoletes) + "\\fP)";
    m += ".\n";
  }
  m += ".SH ACTIONS\n";
  for (const auto& a : k_action_docs) m += ".TP\n.B " + roff(a.name) + "\n" + roff(a.what) + "\n";
  m += ".SH EXIT STATUS\n"
       "status: 0 when on, 2 when off, 1 when unknown or on error. "
       "Every other action: 0 on success, 1 on failure, with one line on standard error "
       "that starts with \"Failed:\".\n";
  return m;
}

std::string usage(const AgentSpec& spec) {
  std::string u = "Usage:\n\t" + spec.name + " [options]\nOptions:\n";
  for (const auto& o : all_options(spec)) {
    std::string line = "   " + getopt_mixed(o);
    line += std::string(line.size() < 34 ? 34 - line.size() : 1, ' ');
    u += line + described(o) + "\n";
  }
  u += "\nWith no arguments, the options are read from stdin as name=value lines (power_timeout=20).\n";
  return u;
}

}  // namespace sft::fence
