#pragma once
// An OCF agent is data plus handlers. The spec below is turned by core/ocf into
// meta-data, usage, parameter parsing and validation, and action dispatch.

#include <crm/common/results.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/names.h"
#include "core/result.h"

namespace sft::ocf {

using Exit = enum ocf_exitcode;  // Pacemaker's own OCF exit codes
using Seconds = std::chrono::seconds;

enum class ParamType { string, integer, boolean, time, select };

struct ParamSpec {
  std::string name{};
  ParamType type = ParamType::string;
  std::string shortdesc{};
  std::string longdesc{};
  std::string default_value{};        // "" = no default
  bool required = false;
  std::string unique_group{};         // "" = not unique
  bool reloadable = false;            // may change with reload-agent, no restart
  bool is_private = false;            // a secret: Pacemaker keeps it out of logs and diffs
  std::vector<std::string> choices{}; // for select
};

struct ActionSpec {
  std::string name{};
  Seconds timeout{20};
  Seconds interval{0};  // 0 = not a recurring default
  int depth = -1;       // OCF_CHECK_LEVEL advertised for this monitor, -1 = none
  std::string role{};   // "Promoted" / "Unpromoted" for promotable agents
};

class Context;
// The parameters an agent's code reads (core/names.h), kept apart from other names.
struct ParamDomain;
using ParamNames = NameRegistry<ParamDomain>;
using Handler = std::function<Result<Exit>(Context&)>;
// Agent-specific checks beyond types and required values. Runs before every action
// except meta-data, usage and stop/monitor (which must work even with a broken config
// on a node where the resource was never started).
using Validator = std::function<Result<void>(Context&)>;

struct AgentSpec {
  std::string name;     // "Filesystem"
  std::string version;  // the agent's own version
  std::string shortdesc;
  std::string longdesc;
  std::vector<ParamSpec> params;
  std::vector<ActionSpec> actions;          // advertised in meta-data
  std::map<std::string, Handler> handlers;  // action name -> handler
  Validator validate;
  // Every parameter the agent's code reads (params.h): checked against `params` before
  // any action runs, so a name the code misspells never reaches a handler.
  const ParamNames* names = nullptr;
  const ParamSpec* find(std::string_view param) const;
};

}  // namespace sft::ocf
