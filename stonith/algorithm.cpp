#include "stonith/algorithm.h"

#include <algorithm>
#include <optional>

#include "core/log/log.h"
#include "core/values.h"

namespace sft::fence {
namespace {

using namespace std::chrono_literals;

// A status poll never runs hotter than this, whatever stonith_status_sleep says: the
// device is usually an API with rate limits.
constexpr sys::Millis k_min_status_sleep = 100ms;
constexpr sys::Millis k_unbounded = 24h;

std::string word(Power p) {
  switch (p) {
    case Power::on:
      return "ON";
    case Power::off:
      return "OFF";
    case Power::unknown:
      return "UNKNOWN";
  }
  return "UNKNOWN";
}

// One action's state: what it works on and where it reports.
struct Act {
  const Options& o;
  Device& device;
  const sys::Deadline& d;
  Io& io;
  std::string plug;  // as the device names it

  int succeed(const std::string& line) const {
    io.out += line + "\n";
    log::info(line);
    return 0;
  }
  int failed(const std::string& why) const {
    io.err += "Failed: " + why + "\n";
    log::error(why);
    return 1;
  }
  void warn(const std::string& why) const {
    io.err += "Warning: " + why + "\n";
    log::warning(why);
  }
  sys::Millis now() const { return std::chrono::duration_cast<sys::Millis>(d.time().now().time_since_epoch()); }
};

// Polls status until the plug reports `want`, power_timeout after power_wait.
Result<void> wait_for(const Act& a, Power want) {
  const sys::Millis timeout = a.o[opt::power_timeout];
  const sys::Millis sleep = std::max(a.o[opt::stonith_status_sleep], k_min_status_sleep);
  a.d.sleep_for(a.o[opt::power_wait]);
  const sys::Millis start = a.now();
  Power last = Power::unknown;
  std::optional<Error> last_error;
  bool timed_out = false;
  for (;;) {
    auto s = a.device.status(a.plug, a.d);
    if (s && *s == want) return {};
    if (s) {
      last = *s;
      last_error.reset();
      log::debug(a.plug + " is " + word(*s) + ", waiting for " + word(want));
    } else {
      last_error = s.error();
      log::warning("status of " + a.plug + ": " + s.error().message);
    }
    const sys::Millis waited = a.now() - start;
    timed_out = timeout > 0ms && waited >= timeout;
    if (timed_out || a.d.expired()) break;
    a.d.sleep_for(timeout > 0ms ? std::min(sleep, timeout - waited) : sleep);
  }
  std::string why = "timed out powering " + word(want) + " " + a.plug + ": ";
  why += last_error ? "not reported " + word(want) : "still " + word(last);
  why += timed_out ? " after power_timeout " + format_seconds(timeout) + " s" : " when the action's time ran out";
  if (last_error) why += "; last status check failed: " + last_error->message;
  return fail(Errc::timeout, why);
}

// Asks for `want` and waits for it, up to `attempts` times.
Result<void> switch_power(const Act& a, Power want, long long attempts) {
  Error last;
  for (long long i = 1; i <= attempts; ++i) {
    log::info("powering " + word(want) + " " + a.plug + (attempts > 1 ? " (attempt " + std::to_string(i) + ")" : ""));
    auto asked = want == Power::off ? a.device.power_off(a.plug, a.d) : a.device.power_on(a.plug, a.d);
    Result<void> done =
        asked ? wait_for(a, want)
              : Result<void>(std::unexpected(with_context(asked.error(), "power " + word(want) + " " + a.plug)));
    if (done) return {};
    last = done.error();
    if (a.d.expired()) break;
    if (i < attempts) log::warning(last.message + "; trying again");
  }
  return std::unexpected(last);
}

void delay(const Act& a) {
  const sys::Millis delay = a.o[opt::delay];
  if (delay == 0ms) return;
  log::info("waiting delay " + format_seconds(delay) + " s before fencing " + a.plug);
  a.d.sleep_for(delay);
}

long long attempts_on(const Options& o) { return std::max(1LL, o[opt::retry_on]); }

int off(const Act& a, Power initial) {
  if (initial == Power::off) return a.succeed("Success: Already OFF");
  delay(a);
  if (auto ok = a.device.before_power_change(a.plug, a.d); !ok) return a.failed(ok.error().message);
  if (auto ok = switch_power(a, Power::off, 1); !ok) return a.failed(ok.error().message);
  return a.succeed("Success: Powered OFF");
}

int on(const Act& a, Power initial) {
  if (initial == Power::on) return a.succeed("Success: Already ON");
  if (auto ok = a.device.before_power_change(a.plug, a.d); !ok) return a.failed(ok.error().message);
  if (auto ok = switch_power(a, Power::on, attempts_on(a.o)); !ok) return a.failed(ok.error().message);
  return a.succeed("Success: Powered ON");
}

int cycle(const Act& a) {
  delay(a);
  if (auto ok = a.device.before_power_change(a.plug, a.d); !ok) return a.failed(ok.error().message);
  log::info("power-cycling " + a.plug);
  if (auto ok = a.device.power_cycle(a.plug, a.d); !ok)
    return a.failed(with_context(ok.error(), "power cycle " + a.plug).message);
  if (auto ok = wait_for(a, Power::on); !ok) return a.failed(ok.error().message);
  return a.succeed("Success: Rebooted");
}

int reboot(const Act& a, Power initial) {
  const bool by_cycle = a.o[opt::method] == "cycle";
  if (by_cycle && !a.device.can_cycle())
    return a.failed("method=cycle: this device cannot power-cycle " + a.plug + "; use method=onoff");
  if (initial != Power::off) {
    if (by_cycle) return cycle(a);
    delay(a);
    if (auto ok = a.device.before_power_change(a.plug, a.d); !ok) return a.failed(ok.error().message);
    if (auto ok = switch_power(a, Power::off, 1); !ok) return a.failed(ok.error().message);
  } else if (auto ok = a.device.before_power_change(a.plug, a.d); !ok) {
    // Already off is fenced: a refusal only costs the power on.
    a.warn(a.plug + " is off but was not powered on: " + ok.error().message);
    return a.succeed("Success: Rebooted");
  }
  // The machine is verified off, so it is fenced whatever happens to the power on.
  if (auto ok = switch_power(a, Power::on, attempts_on(a.o)); !ok)
    a.warn(a.plug + " is off (fenced) but did not power on: " + ok.error().message);
  return a.succeed("Success: Rebooted");
}

int status(const Act& a, Power p) {
  switch (p) {
    case Power::on:
      return a.succeed("Status: ON");
    case Power::off:
      a.succeed("Status: OFF");
      return 2;
    case Power::unknown:
      break;
  }
  return a.failed(a.plug + " is neither on nor off: the device reports a transitional or unknown state");
}

int list(const Act& a, bool with_status) {
  auto outlets = a.device.list(with_status, a.d);
  if (!outlets) return a.failed("list: " + outlets.error().message);
  for (const auto& o : *outlets) {
    a.io.out += o.id + "," + o.alias;
    if (with_status) a.io.out += "," + word(o.power);
    a.io.out += "\n";
  }
  return 0;
}

}  // namespace

sys::Millis action_budget(const Options& o) {
  const std::string action = o.action();
  const long long tries = std::clamp(o[opt::retry_on], 1LL, 100LL);
  const long long changes = action == "off" ? 1 : action == "on" ? tries : action == "reboot" ? 1 + tries : 0;
  const sys::Millis timeout = o[opt::power_timeout];
  const sys::Millis change = o[opt::power_wait] + (timeout == 0ms ? k_unbounded : timeout);
  const sys::Millis delay = action == "off" || action == "reboot" ? o[opt::delay] : 0ms;
  return delay + changes * change + k_api_margin;
}

int fence_action(const Options& o, Device& device, const sys::Deadline& d, Io& io) {
  Act a{o, device, d, io, o[opt::plug]};
  const std::string action = o.action();
  if (action == "list" || action == "list-status") return list(a, action == "list-status");
  if (action == "monitor") {
    if (auto ok = device.monitor(d); !ok) return a.failed("monitor: " + ok.error().message);
    return 0;
  }
  auto plug = device.resolve_plug(a.plug, d);
  if (!plug) return a.failed("plug '" + a.plug + "': " + plug.error().message);
  a.plug = *plug;
  auto initial = device.status(a.plug, d);
  if (!initial) return a.failed("status of " + a.plug + ": " + initial.error().message);
  log::info(a.plug + " is " + word(*initial));
  if (action == "status") return status(a, *initial);
  if (action == "off") return off(a, *initial);
  if (action == "on") return on(a, *initial);
  if (action == "reboot") return reboot(a, *initial);
  return a.failed("action '" + action + "' needs no device");
}

}  // namespace sft::fence
