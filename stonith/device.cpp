// The Device defaults: no cycle, no objection to a power change.

#include "stonith/fence.h"

namespace sft::fence {

Result<void> Device::power_cycle(const std::string& plug, const sys::Deadline& d) {
  (void)d;
  return fail(Errc::unimplemented, "power cycle " + plug + ": this device cannot power-cycle");
}

Result<void> Device::before_power_change(const std::string& plug, const sys::Deadline& d) {
  (void)plug;
  (void)d;
  return {};
}

}  // namespace sft::fence
