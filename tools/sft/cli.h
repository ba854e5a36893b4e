#pragma once
// Command-line parsing for `sft`: "--name value" and "--name=value" options anywhere
// after the command words, each declared once with whether it takes a value.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace sft::tool {

struct OptionSpec {
  std::string name;  // without "--"
  bool takes_value = true;
  std::string help;
};

struct Args {
  std::vector<std::string> words;              // the non-option arguments, in order
  std::map<std::string, std::string> options;  // name -> value ("" for flags)
  bool has(const std::string& name) const { return options.contains(name); }
  std::string get(const std::string& name, std::string fallback = {}) const;
};

// Errc::invalid_argument naming the option: unknown, missing its value, or given twice.
Result<Args> parse_args(const std::vector<std::string>& argv, const std::vector<OptionSpec>& specs);

// "  --name VALUE   help" lines for a usage text.
std::string option_help(const std::vector<OptionSpec>& specs);

}  // namespace sft::tool
