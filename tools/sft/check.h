#pragma once
// `sft oci check`: the preflight a cluster admin runs on each node before creating
// resources. It finds this instance through IMDS, authenticates, and makes one
// harmless read for each permission the agents need, then prints a table:
//
//   CHECK                    RESULT  DETAIL
//   instance metadata        pass    ocid1.instance... (node1), us-ashburn-1
//   authentication           pass    api_key, profile DEFAULT
//   read instances           pass    node1 is RUNNING
//   ...
//   list private IPs         FAIL    HTTP 404 NotAuthorizedOrNotFound ... (opc-request-id ...)
//
// followed by the IAM policy statement that would fix each failing row. Nothing is
// changed in the tenancy.

#include <string>
#include <vector>

namespace sft::tool {

enum class Outcome { pass, fail, skip };

struct CheckRow {
  std::string name;
  Outcome outcome = Outcome::pass;
  std::string detail;
  std::string fix;  // the policy statement (or other action) that fixes a failure
};

// The table and the fixes as the admin sees them.
std::string render(const std::vector<CheckRow>& rows);

// The subject of a policy statement for this kind of credentials:
// "group <your-group>" (users) or "dynamic-group <your-dynamic-group>" (instances).
std::string policy_subject(bool instance_principal);

}  // namespace sft::tool
