#include "tools/sft/cli.h"

#include <algorithm>

namespace sft::tool {

std::string Args::get(const std::string& name, std::string fallback) const {
  auto it = options.find(name);
  return it == options.end() ? fallback : it->second;
}

Result<Args> parse_args(const std::vector<std::string>& argv, const std::vector<OptionSpec>& specs) {
  Args args;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (!a.starts_with("--") || a == "--") {
      args.words.push_back(a);
      continue;
    }
    std::string name = a.substr(2);
    std::optional<std::string> value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    auto spec = std::find_if(specs.begin(), specs.end(), [&](const OptionSpec& s) { return s.name == name; });
    if (spec == specs.end()) return fail(Errc::invalid_argument, "unknown option --" + name);
    if (args.options.contains(name)) return fail(Errc::invalid_argument, "--" + name + " given twice");
    if (spec->takes_value && !value) {
      if (i + 1 >= argv.size()) return fail(Errc::invalid_argument, "--" + name + " needs a value");
      value = argv[++i];
    }
    if (!spec->takes_value && value) return fail(Errc::invalid_argument, "--" + name + " takes no value");
    args.options[name] = value.value_or("");
  }
  return args;
}

std::string option_help(const std::vector<OptionSpec>& specs) {
  std::string out;
  for (const OptionSpec& s : specs) {
    std::string left = "  --" + s.name + (s.takes_value ? " VALUE" : "");
    left.resize(std::max<size_t>(left.size() + 2, 28), ' ');
    out += left + s.help + "\n";
  }
  return out;
}

}  // namespace sft::tool
