#pragma once
// The cluster as the DRBD fence-peer handlers see it: corosync's quorum, the CIB as XML
// text, and constraints put into or taken out of it. PacemakerCluster (libcib, libquorum,
// libcrmcluster) is the real one; tests use a fake.

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
  // The whole CIB, status included.
  virtual Result<std::string> query(const sys::Deadline& d) = 0;
  // Puts a constraint (one element, with an id) into the constraints section, replacing
  // one with the same id.
  virtual Result<void> put_constraint(const std::string& xml, const sys::Deadline& d) = 0;
  // Removes the constraint with this id; one that is not there is not an error.
  virtual Result<void> remove_constraint(const std::string& id, const sys::Deadline& d) = 0;
};

// The real cluster through Pacemaker's and corosync's libraries.
std::unique_ptr<Cluster> connect_cluster();

}  // namespace sft::pcmk
