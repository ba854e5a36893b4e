#pragma once
// The cluster as the DRBD fence-peer handlers see it: corosync's quorum, the CIB as the
// DC holds it, constraints put into or taken out of it, and whether a node's controller
// answers. PacemakerCluster (libcib, libquorum, libcrmcluster, the controller's IPC) is
// the real one; tests use a fake.

#include <memory>
#include <string>

#include "core/result.h"
#include "core/sys/deadline.h"

namespace sft::pcmk {

class Cluster {
 public:
  virtual ~Cluster() = default;
  // Whether this node's partition has quorum; an error when corosync cannot be asked.
  virtual Result<bool> quorate() = 0;
  // This node's name in the cluster.
  virtual Result<std::string> local_node() = 0;
  // The whole CIB, status included, as the primary instance (the DC's) holds it, not this
  // node's copy, which can lag membership. An error when no DC answers (an election, no
  // quorum, a node that has not joined) before the deadline.
  virtual Result<std::string> query(const sys::Deadline& d) = 0;
  // Adds a constraint (one element, with an id) to the constraints section, only if no
  // element has that id: false, and nothing written, when one has.
  virtual Result<bool> create_constraint(const std::string& xml, const sys::Deadline& d) = 0;
  // Puts a constraint into the constraints section, replacing one with the same id.
  virtual Result<void> put_constraint(const std::string& xml, const sys::Deadline& d) = 0;
  // Removes the constraint with this id; one that is not there is not an error.
  virtual Result<void> remove_constraint(const std::string& id, const sys::Deadline& d) = 0;
  // Whether `node`'s controller answers a ping sent through the cluster (crmadmin -S)
  // before the deadline: the positive sign that it is reachable now.
  virtual Result<bool> controller_answers(const std::string& node, const sys::Deadline& d) = 0;
};

// The real cluster through Pacemaker's and corosync's libraries.
std::unique_ptr<Cluster> connect_cluster();

}  // namespace sft::pcmk
