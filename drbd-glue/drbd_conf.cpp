#include "drbd-glue/drbd_conf.h"

#include <vector>

#include "core/text.h"
#include "core/values.h"

namespace sft::drbd {

namespace {

struct Token {
  std::string text;
  bool quoted = false;
  int line = 1;
};

// drbd.conf's lexical shape: words, "quoted strings", { } ; and # comments.
Result<std::vector<Token>> tokens(std::string_view text) {
  std::vector<Token> out;
  int line = 1;
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '\n') ++line;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
    } else if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '{' || c == '}' || c == ';') {
      out.push_back({std::string(1, c), false, line}), ++i;
    } else if (c == '"') {
      const size_t end = text.find('"', i + 1);
      if (end == std::string_view::npos)
        return fail(Errc::generic, "drbdadm dump: line " + std::to_string(line) + ": unterminated string");
      out.push_back({std::string(text.substr(i + 1, end - i - 1)), true, line});
      i = end + 1;
    } else {
      size_t end = i;
      while (end < text.size() && std::string_view(" \t\r\n{};\"#").find(text[end]) == std::string_view::npos) ++end;
      out.push_back({std::string(text.substr(i, end - i)), false, line});
      i = end;
    }
  }
  return out;
}

// Sets the field a statement names, inside a section of a common or resource block.
void apply(FencingConfig& c, const std::vector<std::string>& section, const std::vector<std::string>& words) {
  if (words.size() < 2 || section.empty()) return;
  const std::string& in = section.back();
  if ((in == "disk" || in == "net") && words[0] == "fencing") c.fencing = words[1];
  if (in == "handlers" && words[0] == "fence-peer") c.fence_peer = words[1];
  if (in == "options" && words[0] == "quorum") c.quorum = words[1];
  if (in == "options" && words[0] == "on-no-quorum") c.on_no_quorum = words[1];
}

void overlay(FencingConfig& base, const FencingConfig& top) {
  for (auto field : {&FencingConfig::fencing, &FencingConfig::fence_peer, &FencingConfig::quorum,
                     &FencingConfig::on_no_quorum})
    if (!(top.*field).empty()) base.*field = top.*field;
}

}  // namespace

Result<FencingConfig> fencing_config(std::string_view dump, std::string_view resource) {
  Result<std::vector<Token>> ts = tokens(dump);
  if (!ts) return std::unexpected(ts.error());
  FencingConfig common, own;
  bool found = false;
  // The block each open brace belongs to, by its words ("resource r0", "net", "on alpha").
  std::vector<std::vector<std::string>> stack;
  std::vector<std::string> words;
  FencingConfig* target = nullptr;  // the top-level block being read, when it matters
  for (const Token& t : *ts) {
    if (!t.quoted && t.text == "{") {
      if (stack.empty()) {
        target = nullptr;
        if (words == std::vector<std::string>{"common"}) target = &common;
        if (words.size() == 2 && words[0] == "resource" && words[1] == resource) target = &own, found = true;
      }
      stack.push_back(words);
      words.clear();
    } else if (!t.quoted && t.text == "}") {
      if (stack.empty()) return fail(Errc::generic, "drbdadm dump: line " + std::to_string(t.line) + ": stray '}'");
      stack.pop_back();
      words.clear();
    } else if (!t.quoted && t.text == ";") {
      if (target && stack.size() >= 2) {
        std::vector<std::string> sections;
        for (size_t i = 1; i < stack.size(); ++i) sections.push_back(stack[i].empty() ? "" : stack[i][0]);
        apply(*target, sections, words);
      }
      words.clear();
    } else {
      words.push_back(t.text);
    }
  }
  if (!stack.empty()) return fail(Errc::generic, "drbdadm dump: a block is not closed");
  if (!found) return fail(Errc::not_installed, "drbdadm dump all has no resource " + std::string(resource));
  overlay(common, own);
  return common;
}

Result<std::chrono::milliseconds> parse_timeout_argument(std::string_view arg) {
  constexpr std::string_view k_option = "--timeout=";
  if (arg.starts_with(k_option)) {
    const Result<std::chrono::milliseconds> t = parse_duration(arg.substr(k_option.size()), std::chrono::hours(1));
    if (t && *t >= std::chrono::seconds(1)) return *t;
  }
  return fail(Errc::invalid_argument,
              "unknown argument '" + std::string(arg) + "' (expected --timeout=SECONDS, 1 to 3600)");
}

Result<std::optional<std::chrono::milliseconds>> handler_timeout(const FencingConfig& config) {
  const std::string_view line = config.fence_peer;
  const size_t at = line.find("--timeout=");
  if (at == std::string_view::npos) return std::nullopt;
  const std::string_view word = line.substr(at, line.find_first_of(" \t\"", at) - at);
  const Result<std::chrono::milliseconds> t = parse_timeout_argument(word);
  if (!t)
    return fail(Errc::configuration, "the fence-peer handler's " + std::string(word) +
                                         " is refused by sft-fence-peer (1 to 3600 seconds): every fence-peer call "
                                         "would fail and leave a Primary's I/O frozen");
  return *t;
}

std::optional<std::string> fencing_problem(const FencingConfig& c, std::string_view resource, int module_major,
                                           std::optional<bool> stonith_enabled) {
  const std::string res(resource);
  if (Result<std::optional<std::chrono::milliseconds>> t = handler_timeout(c); !t) return t.error().message;
  const bool quorum = module_major >= 9 && !c.quorum.empty() && c.quorum != "off";
  if (c.fencing == "resource-and-stonith") {
    if (c.fence_peer.empty())
      return "DRBD resource " + res +
             " has fencing resource-and-stonith but no fence-peer handler: a Primary that loses its peer would "
             "freeze I/O with nothing to resume it (handlers { fence-peer /usr/lib/drbd/sft-fence-peer; })";
    if (stonith_enabled == false)
      return "stonith-enabled=false: DRBD resource " + res +
             " needs STONITH to confirm a lost peer powered off (configure a fence device such as fence_oci, "
             "then stonith-enabled=true)";
    return std::nullopt;
  }
  if (quorum) return std::nullopt;
  const std::string fencing = c.fencing.empty() ? "dont-care (the default)" : c.fencing;
  return "DRBD resource " + res + " has fencing " + fencing +
         ": a Primary cut off from its peer keeps acknowledging writes the peer never receives, and they are lost "
         "when the peer takes over; set fencing resource-and-stonith" +
         (module_major >= 9 ? " (or a DRBD quorum)" : "") + ", or unsafe_without_fencing=true to accept that";
}

}  // namespace sft::drbd
