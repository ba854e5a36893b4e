#pragma once
// stonith:fence_oci: power fencing of OCI compute instances through the OCI API.

#include "stonith/fence.h"

namespace sft::fence_oci {

const fence::AgentSpec& spec();

}  // namespace sft::fence_oci
