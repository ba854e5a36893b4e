#include "stonith/options.h"

#include <algorithm>
#include <map>

#include "core/text.h"
#include "core/values.h"

namespace sft::fence {
namespace {

// Names older agents and older Pacemakers send for an option that has another name
// now; unlike `obsoletes`, metadata does not mention them.
struct Alias {
  std::string_view old_name;
  std::string_view name;
};
constexpr Alias k_aliases[] = {{"option", "action"}, {"debug", "debug_file"}};

std::string underscored(std::string_view name) {
  std::string s(name);
  std::replace(s.begin(), s.end(), '-', '_');
  return s;
}

const Option* by_name(const std::vector<Option>& options, std::string_view name) {
  for (const auto& o : options)
    if (o.name == name) return &o;
  return nullptr;
}

const Option* by_short(const std::vector<Option>& options, char letter) {
  for (const auto& o : options)
    if (o.short_name != 0 && o.short_name == letter) return &o;
  return nullptr;
}

// Every long name --x that reaches `o`, for prefix matching.
std::vector<std::string> long_names(const Option& o) {
  std::vector<std::string> names = {long_name(o.name)};
  if (!o.obsoletes.empty()) names.push_back(long_name(o.obsoletes));
  for (const auto& a : k_aliases)
    if (a.name == o.name) names.push_back(long_name(a.old_name));
  return names;
}

// An exact name first, then a prefix of exactly one option's long names (GNU getopt).
Result<const Option*> find_long(const std::vector<Option>& options, std::string_view given) {
  if (const Option* o = find_option(options, given)) return o;
  const std::string wanted = long_name(given);
  const Option* match = nullptr;
  for (const auto& o : options)
    for (const auto& n : long_names(o))
      if (n.starts_with(wanted) && match != &o) {
        if (match != nullptr) return fail(Errc::invalid_argument, "option '--" + std::string(given) + "' is ambiguous");
        match = &o;
      }
  if (match == nullptr) return fail(Errc::invalid_argument, "unrecognised option '--" + std::string(given) + "'");
  return match;
}

std::string strip_quotes(std::string_view value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
  return std::string(value);
}

// Defaults, the canonical action and canonical spellings of valid booleans and choices
// (invalid values stay as given, for check_options to name).
void finish(const std::vector<Option>& options, Options& values) {
  for (const auto& o : options) {
    if (!values.has(o.name)) {
      if (!o.default_value.empty()) values.set(o.name, o.default_value);
      continue;
    }
    const std::string v = values.get(o.name);
    if (o.type == Type::boolean) {
      if (auto b = parse_boolean(v)) values.set(o.name, *b ? "1" : "0");
    } else if (o.type == Type::select) {
      for (const auto& c : o.choices)
        if (iequals(c, v)) values.set(o.name, c);
    }
  }
  std::string action = to_lower(values[opt::action]);
  if (action == "meta-data") action = "metadata";
  values.set(opt::action.name(), action);
}

std::string described(const Option& o) { return o.name + " (--" + long_name(o.name) + ")"; }

Result<void> check_value(const Option& o, const std::string& v) {
  const auto bad = [&](const std::string& what) {
    return fail(Errc::configuration, described(o) + ": '" + v + "' is not " + what);
  };
  switch (o.type) {
    case Type::string:
      return {};
    case Type::boolean:
      if (!parse_boolean(v)) return bad("a boolean (1/yes/on/true/y or 0/no/off/false/n)");
      return {};
    case Type::second:
      if (!parse_duration(v, k_max_option_time)) return bad("a number of seconds");
      return {};
    case Type::integer:
      if (!parse_integer(v)) return bad("an integer");
      return {};
    case Type::select: {
      if (std::any_of(o.choices.begin(), o.choices.end(), [&](const std::string& c) { return c == v; })) return {};
      std::string list;
      for (const auto& c : o.choices) list += (list.empty() ? "" : ", ") + c;
      return bad("one of " + list);
    }
  }
  return {};
}

}  // namespace

const std::vector<std::string>& actions() {
  static const std::vector<std::string> k_actions = {"on",          "off",     "reboot",   "status",  "list",
                                                     "list-status", "monitor", "metadata", "manpage", "validate-all"};
  return k_actions;
}

std::vector<Option> all_options(const AgentSpec& spec) {
  std::vector<Option> head = {
      {.name = "action",
       .short_name = 'o',
       .value_hint = "[action]",
       .default_value = "reboot",
       .shortdesc = "Fencing action",
       .required = true},
  };
  if (spec.supports_cycle)
    head.push_back({.name = "method",
                    .short_name = 'm',
                    .value_hint = "[method]",
                    .type = Type::select,
                    .default_value = spec.default_method,
                    .shortdesc = "Method to fence: onoff (power off, then on) or cycle (one reset by the device)",
                    .choices = {"onoff", "cycle"}});
  head.push_back({.name = "plug",
                  .short_name = 'n',
                  .value_hint = "[id]",
                  .shortdesc = "The machine to fence: its plug, UUID or name on the device",
                  .required = true,
                  .obsoletes = "port"});
  std::vector<Option> tail = {
      {.name = "quiet",
       .short_name = 'q',
       .type = Type::boolean,
       .shortdesc = "No log lines on stderr (results and failures are still printed)"},
      {.name = "verbose", .short_name = 'v', .type = Type::boolean, .shortdesc = "Log debug lines too"},
      {.name = "debug_file",
       .short_name = 'D',
       .value_hint = "[debugfile]",
       .shortdesc = "Write debug lines to this file"},
      {.name = "version", .short_name = 'V', .type = Type::boolean, .shortdesc = "Print the version and exit"},
      {.name = "help", .short_name = 'h', .type = Type::boolean, .shortdesc = "Print the options and exit"},
      {.name = "delay",
       .value_hint = "[seconds]",
       .type = Type::second,
       .default_value = "0",
       .shortdesc = "Wait X seconds before powering off (off and reboot only)"},
      {.name = "power_timeout",
       .value_hint = "[seconds]",
       .type = Type::second,
       .default_value = spec.default_power_timeout,
       .shortdesc = "Wait up to X seconds for the device to report the new state (0: until killed)"},
      {.name = "power_wait",
       .value_hint = "[seconds]",
       .type = Type::second,
       .default_value = "0",
       .shortdesc = "Wait X seconds after asking for a power change before checking it"},
      {.name = "stonith_status_sleep",
       .value_hint = "[seconds]",
       .type = Type::second,
       .default_value = "1",
       .shortdesc = "Wait X seconds between status checks while a power change completes"},
      {.name = "retry_on",
       .value_hint = "[attempts]",
       .type = Type::integer,
       .default_value = "1",
       .shortdesc = "Attempts at powering on"},
  };
  // An agent's option with a common name replaces the common one where it stands.
  std::vector<Option> own;
  for (const auto& o : spec.options) {
    bool replaced = false;
    for (auto* list : {&head, &tail})
      for (auto& common : *list)
        if (common.name == o.name) {
          common = o;
          replaced = true;
        }
    if (!replaced) own.push_back(o);
  }
  head.insert(head.end(), own.begin(), own.end());
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

Result<void> check_spec(const std::vector<Option>& options) {
  std::map<std::string, const Option*> names;
  std::map<char, const Option*> letters;
  for (const auto& o : options) {
    for (const auto& n : {o.name, o.obsoletes})
      if (!n.empty() && !names.emplace(n, &o).second)
        return fail(Errc::invalid_argument, "option name '" + n + "' is used twice");
    if (o.short_name != 0 && !letters.emplace(o.short_name, &o).second)
      return fail(Errc::invalid_argument,
                  o.name + ": getopt letter -" + o.short_name + " is " + letters[o.short_name]->name + "'s already");
    if (o.type == Type::select) {
      if (o.choices.empty()) return fail(Errc::invalid_argument, o.name + ": a select option needs choices");
      if (!o.default_value.empty() && std::find(o.choices.begin(), o.choices.end(), o.default_value) == o.choices.end())
        return fail(Errc::invalid_argument, o.name + ": default '" + o.default_value + "' is not one of the choices");
    }
  }
  return {};
}

const Option* find_option(const std::vector<Option>& options, std::string_view name) {
  const std::string n = underscored(name);
  if (const Option* o = by_name(options, n)) return o;
  for (const auto& o : options)
    if (!o.obsoletes.empty() && o.obsoletes == n) return &o;
  for (const auto& a : k_aliases)
    if (a.old_name == n) return by_name(options, a.name);
  return nullptr;
}

Input parse_stdin(const std::vector<Option>& options, std::string_view text) {
  Input in;
  for (std::string_view raw : split(text, '\n')) {
    const std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#') continue;
    const size_t eq = line.find('=');
    const std::string_view name = trim(line.substr(0, eq));
    const std::string_view value = eq == std::string_view::npos ? std::string_view() : line.substr(eq + 1);
    const Option* o = find_option(options, name);
    if (o == nullptr) {
      // Pacemaker always sends the target's name; it means nothing to the agent.
      if (name != "nodename") in.warnings.push_back("ignoring unknown option '" + std::string(name) + "'");
      continue;
    }
    in.options.set(o->name, strip_quotes(value));
  }
  finish(options, in.options);
  return in;
}

Result<Input> parse_argv(const std::vector<Option>& options, const std::vector<std::string>& args) {
  Input in;
  std::vector<std::string> operands;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      operands.insert(operands.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
      break;
    }
    if (a.starts_with("--")) {
      const size_t eq = a.find('=');
      const std::string given = a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      auto o = find_long(options, given);
      if (!o) return std::unexpected(o.error());
      const Option& opt = **o;
      if (opt.type == Type::boolean) {
        if (eq != std::string::npos)
          return fail(Errc::invalid_argument, "option '--" + given + "' does not take a value");
        in.options.set(opt.name, "1");
      } else if (eq != std::string::npos) {
        in.options.set(opt.name, a.substr(eq + 1));
      } else if (i + 1 < args.size()) {
        in.options.set(opt.name, args[++i]);
      } else {
        return fail(Errc::invalid_argument, "option '--" + given + "' needs a value");
      }
      continue;
    }
    if (a.size() < 2 || a[0] != '-') {
      operands.push_back(a);
      continue;
    }
    for (size_t j = 1; j < a.size(); ++j) {
      const Option* opt = by_short(options, a[j]);
      if (opt == nullptr) return fail(Errc::invalid_argument, std::string("unrecognised option '-") + a[j] + "'");
      if (opt->type == Type::boolean) {
        in.options.set(opt->name, "1");
        continue;
      }
      if (j + 1 < a.size()) {
        in.options.set(opt->name, a.substr(j + 1));
      } else if (i + 1 < args.size()) {
        in.options.set(opt->name, args[++i]);
      } else {
        return fail(Errc::invalid_argument, std::string("option '-") + a[j] + "' needs a value");
      }
      break;
    }
  }
  if (!operands.empty()) {
    std::string list;
    for (const auto& o : operands) list += (list.empty() ? "'" : ", '") + o + "'";
    in.warnings.push_back("ignoring arguments that are not options: " + list);
  }
  finish(options, in.options);
  return in;
}

Result<void> check_options(const std::vector<Option>& options, const Options& values) {
  const std::string action = values.action();
  if (std::find(actions().begin(), actions().end(), action) == actions().end())
    return fail(Errc::configuration, "unrecognised action '" + action + "'");
  for (const auto& o : options) {
    // plug is required for some actions only (below); action always has a value.
    if (!values.has(o.name)) {
      if (o.required && o.name != "plug" && o.name != "action")
        return fail(Errc::configuration, described(o) + " is required");
      continue;
    }
    if (auto ok = check_value(o, values.get(o.name)); !ok) return ok;
  }
  if (by_name(options, opt::retry_on.name()) != nullptr && values[opt::retry_on] < 1)
    return fail(Errc::configuration, "retry_on (--retry-on): must be at least 1");
  const bool needs_plug = action == "on" || action == "off" || action == "reboot" || action == "status";
  if (needs_plug && values[opt::plug].empty())
    return fail(Errc::configuration, "no plug given: set plug (-n, --plug) to the machine to " +
                                         (action == "status" ? std::string("check") : std::string("fence")));
  return {};
}

std::string long_name(std::string_view name) {
  std::string s(name);
  std::replace(s.begin(), s.end(), '_', '-');
  return s;
}

std::string getopt_mixed(const Option& o) {
  std::string s;
  if (o.short_name != 0) s = std::string("-") + o.short_name + ", ";
  s += "--" + long_name(o.name);
  if (o.type != Type::boolean) {
    if (!o.value_hint.empty())
      s += "=" + o.value_hint;
    else
      s += o.type == Type::second ? "=[seconds]" : "=[value]";
  }
  return s;
}

OptionNames& common_option_names() {
  static OptionNames names;
  return names;
}

Result<void> check_names(const AgentSpec& spec, const std::vector<Option>& options) {
  const auto kind_of = [](Type t) {
    return t == Type::boolean ? ValueKind::boolean
           : t == Type::second ? ValueKind::duration
           : t == Type::integer ? ValueKind::integer
                                : ValueKind::text;
  };
  std::vector<OptionNames::Use> uses = common_option_names().uses();
  if (spec.names != nullptr) uses.insert(uses.end(), spec.names->uses().begin(), spec.names->uses().end());
  for (const OptionNames::Use& use : uses) {
    // method exists where the agent offers cycle; elsewhere the library reads it as unset.
    if (use.name == opt::method.name() && !spec.supports_cycle) continue;
    const Option* o = by_name(options, use.name);
    if (o == nullptr)
      return fail(Errc::invalid_argument,
                  spec.name + " reads option '" + use.name + "', which its metadata does not declare");
    if (kind_of(o->type) != use.kind)
      return fail(Errc::invalid_argument, spec.name + " reads option '" + use.name + "' as " +
                                              std::string(describe(use.kind)) + ", but its metadata makes it " +
                                              std::string(describe(kind_of(o->type))));
  }
  return {};
}

std::string Options::get(const std::string& name) const {
  const auto it = m_values.find(name);
  return it == m_values.end() ? std::string() : it->second;
}

bool Options::flag(const std::string& name) const {
  auto b = parse_boolean(get(name));
  return b && *b;
}

sys::Millis Options::seconds(const std::string& name) const {
  auto s = parse_duration(get(name), k_max_option_time);
  return s ? *s : sys::Millis(0);
}

long long Options::integer(const std::string& name) const {
  return parse_integer(get(name)).value_or(0);
}

}  // namespace sft::fence
