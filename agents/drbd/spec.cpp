// ocf:sft:drbd's parameters and actions: the data core/ocf turns into meta-data,
// parsing and dispatch.
#include "agents/drbd/drbd.h"

namespace sft::drbd_agent {
namespace {

using ocf::ParamType;
using std::chrono::seconds;

ocf::AgentSpec make_spec() {
  ocf::AgentSpec s;
  s.name = "drbd";
  s.version = SFT_VERSION;
  s.shortdesc = "A DRBD resource as a promotable clone (DRBD 9 and 8.4)";
  s.longdesc =
      "Brings a DRBD resource up on every node of a promotable clone and makes one of them Primary. "
      "The promotion score comes from the data each node holds: UpToDate data known to every peer "
      "scores highest, UpToDate data with a peer unknown lower, Consistent data lowest, and Outdated "
      "or Inconsistent data, or a lost DRBD quorum, none, so Pacemaker never promotes a node whose data "
      "may be behind. Promote refuses anything but UpToDate data. A monitor reads DRBD's state with one "
      "drbdsetup call and writes the score and the node attributes drbd-<resource>-role, "
      "drbd-<resource>-disk and drbd-<resource>-replication (ok or degraded: a peer gone or behind, "
      "suspended I/O) only when they change. Fencing is DRBD's: configure fencing resource-and-stonith with "
      "sft-fence-peer and sft-unfence-peer as its handlers, and a fence device in the cluster.";
  s.params = {
      {.name = param::drbd_resource.name(),
       .shortdesc = "DRBD resource name",
       .longdesc = "The name of the resource in the DRBD configuration.",
       .required = true,
       .unique_group = "drbd_resource"},
      {.name = param::drbdconf.name(),
       .shortdesc = "DRBD configuration file",
       .longdesc = "The configuration file drbdadm reads.",
       .default_value = "/etc/drbd.conf"},
      {.name = param::adjust_master_score.name(),
       .shortdesc = "promotion scores",
       .longdesc = "Four integers: the score for Consistent data, for Diskless with a peer UpToDate "
                   "(promote_diskless), for UpToDate data while some peer is unknown, and for UpToDate data "
                   "every peer knows (or a Primary's). A score of 0 or less publishes none, and the node is "
                   "not promoted in that state; a Consistent score above 0 lets DRBD's fence-peer handler "
                   "decide whether Consistent data may become Primary.",
       .default_value = "0 10 1000 10000",
       .reloadable = true},
      {.name = param::wfc_timeout.name(),
       .type = ParamType::time,
       .shortdesc = "wait for peers at start",
       .longdesc = "How long start waits for every peer to connect before it succeeds anyway (a node "
                   "must be able to start alone); within the start timeout.",
       .default_value = "10s",
       .reloadable = true},
      {.name = param::stop_outdates_secondary.name(),
       .type = ParamType::boolean,
       .shortdesc = "outdate on stop",
       .longdesc = "When stopping a Secondary whose peer is a Connected Primary, mark the local data "
                   "Outdated after taking the resource down, so it can never be promoted before it has "
                   "resynchronised.",
       .default_value = "false",
       .reloadable = true},
      {.name = param::require_drbd_module_version.name(),
       .shortdesc = "lowest DRBD module version",
       .longdesc = "Refuse to start unless the loaded DRBD module is at least this version (8.4.11, "
                   "9.2.0). Empty: any.",
       .reloadable = true},
      {.name = param::promote_diskless.name(),
       .type = ParamType::boolean,
       .shortdesc = "promote a Diskless node",
       .longdesc = "DRBD 9: let a node without a local disk (or whose disk failed) be promoted while a "
                   "Connected peer has the data UpToDate; it reads and writes through that peer. It scores "
                   "the second number of adjust_master_score.",
       .default_value = "false",
       .reloadable = true},
      {.name = param::unsafe_without_fencing.name(),
       .type = ParamType::boolean,
       .shortdesc = "run without fencing that keeps every write",
       .longdesc = "validate-all, start and promote refuse a DRBD resource whose configuration cannot keep "
                   "acknowledged writes when the nodes lose each other: anything but fencing "
                   "resource-and-stonith with a fence-peer handler (or, on DRBD 9, a DRBD quorum), or a "
                   "cluster with stonith-enabled=false. true runs it anyway and logs why it is unsafe.",
       .default_value = "false"},
      {.name = param::require_all_peers_uptodate_to_promote.name(),
       .type = ParamType::boolean,
       .shortdesc = "promote only with every peer UpToDate",
       .longdesc = "Promote only while every peer is Connected with all its volumes UpToDate, so a "
                   "promotion never leaves a peer behind. A node that does not meet this gets no score.",
       .default_value = "false",
       .reloadable = true},
  };
  s.actions = {
      {.name = "start", .timeout = seconds(240)},
      {.name = "stop", .timeout = seconds(100)},
      {.name = "promote", .timeout = seconds(90)},
      {.name = "demote", .timeout = seconds(90)},
      {.name = "notify", .timeout = seconds(90)},
      {.name = "monitor", .timeout = seconds(20), .interval = seconds(20), .role = "Promoted"},
      {.name = "monitor", .timeout = seconds(20), .interval = seconds(30), .role = "Unpromoted"},
      {.name = "validate-all", .timeout = seconds(20)},
      {.name = "reload-agent", .timeout = seconds(20)},
      {.name = "meta-data", .timeout = seconds(5)},
  };
  s.handlers = {{"start", start},   {"stop", stop},     {"promote", promote},
                {"demote", demote}, {"notify", notify}, {"monitor", monitor}};
  s.validate = validate;
  s.names = &param_names();
  return s;
}

}  // namespace

ocf::ParamNames& param_names() {
  static ocf::ParamNames names;
  return names;
}

const ocf::AgentSpec& spec() {
  static const ocf::AgentSpec s = make_spec();
  return s;
}

}  // namespace sft::drbd_agent
