#pragma once
// FakeDevice: a fence device in memory, for tests of the fence algorithm. Everything
// is a public member a test seeds and inspects:
//
//   statuses   what status() answers, in order; the last answer repeats
//   after_off  replaces what is left of `statuses` once power_off succeeds (likewise
//   after_on   after_on for power_on and after_cycle for power_cycle), so a test
//   after_cycle  scripts "on until asked, then unknown twice, then off"
//   *_result   what the other calls return (on_results: one per attempt, the last
//              repeats); names: what resolve_plug maps (others pass unchanged)
//   calls      every call with its plug and the fake clock's time
//
// DeviceRef hands a FakeDevice the test keeps to code that wants to own a Device.

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "stonith/fence.h"
#include "tests/fakes/fake_system.h"

namespace sft::fakes {

struct DeviceCall {
  std::string what;  // "status", "power_off", "power_on", "power_cycle", "before_power_change", ...
  std::string plug;
  sys::Millis at;  // time since the fake clock started
};

class FakeDevice : public fence::Device {
 public:
  explicit FakeDevice(FakeSystem& os) : m_os(os) {}

  Result<fence::Power> status(const std::string& plug, const sys::Deadline&) override {
    record("status", plug);
    if (statuses.empty()) return fence::Power::unknown;
    Result<fence::Power> r = statuses.front();
    if (statuses.size() > 1) statuses.erase(statuses.begin());
    return r;
  }
  Result<void> power_off(const std::string& plug, const sys::Deadline&) override {
    record("power_off", plug);
    return switched(off_result, after_off);
  }
  Result<void> power_on(const std::string& plug, const sys::Deadline&) override {
    record("power_on", plug);
    const Result<void> r = on_results.empty() ? Result<void>{} : on_results[std::min(m_ons++, on_results.size() - 1)];
    return switched(r, after_on);
  }
  bool can_cycle() const override { return cycles; }
  Result<void> power_cycle(const std::string& plug, const sys::Deadline& d) override {
    record("power_cycle", plug);
    if (!cycles) return Device::power_cycle(plug, d);
    return switched(cycle_result, after_cycle);
  }
  Result<std::vector<fence::Outlet>> list(bool with_status, const sys::Deadline&) override {
    record(with_status ? "list-status" : "list", "");
    return outlets;
  }
  Result<void> monitor(const sys::Deadline&) override {
    record("monitor", "");
    return monitor_result;
  }
  Result<void> before_power_change(const std::string& plug, const sys::Deadline&) override {
    record("before_power_change", plug);
    return before_result;
  }
  Result<std::string> resolve_plug(const std::string& plug, const sys::Deadline&) override {
    record("resolve_plug", plug);
    if (resolve_error) return std::unexpected(*resolve_error);
    for (const auto& [name, id] : names)
      if (name == plug) return id;
    return plug;
  }

  // How many calls of one kind were made.
  size_t count(const std::string& what) const {
    return static_cast<size_t>(
        std::count_if(calls.begin(), calls.end(), [&](const DeviceCall& c) { return c.what == what; }));
  }
  // The calls' kinds in order, without status polls: "power_off", "power_on".
  std::vector<std::string> changes() const {
    std::vector<std::string> out;
    for (const auto& c : calls)
      if (c.what != "status" && c.what != "resolve_plug") out.push_back(c.what);
    return out;
  }
  // When the first call of a kind was made (-1 ms if never).
  sys::Millis first(const std::string& what) const {
    for (const auto& c : calls)
      if (c.what == what) return c.at;
    return sys::Millis(-1);
  }
  sys::Millis last(const std::string& what) const {
    sys::Millis at(-1);
    for (const auto& c : calls)
      if (c.what == what) at = c.at;
    return at;
  }

  std::vector<Result<fence::Power>> statuses{fence::Power::on};
  std::optional<std::vector<Result<fence::Power>>> after_off;
  std::optional<std::vector<Result<fence::Power>>> after_on;
  std::optional<std::vector<Result<fence::Power>>> after_cycle;
  Result<void> off_result{};
  std::vector<Result<void>> on_results{};
  Result<void> cycle_result{};
  Result<void> before_result{};
  Result<void> monitor_result{};
  Result<std::vector<fence::Outlet>> outlets{};
  std::vector<std::pair<std::string, std::string>> names{};
  std::optional<Error> resolve_error;
  bool cycles = false;

  std::vector<DeviceCall> calls;

 private:
  void record(const std::string& what, const std::string& plug) { calls.push_back({what, plug, m_os.elapsed()}); }
  Result<void> switched(const Result<void>& r, const std::optional<std::vector<Result<fence::Power>>>& then) {
    if (r && then) statuses = *then;
    return r;
  }
  FakeSystem& m_os;
  size_t m_ons = 0;
};

// A Device that forwards every call to one the test owns.
class DeviceRef : public fence::Device {
 public:
  explicit DeviceRef(fence::Device& to) : m_to(to) {}
  Result<fence::Power> status(const std::string& p, const sys::Deadline& d) override { return m_to.status(p, d); }
  Result<void> power_off(const std::string& p, const sys::Deadline& d) override { return m_to.power_off(p, d); }
  Result<void> power_on(const std::string& p, const sys::Deadline& d) override { return m_to.power_on(p, d); }
  bool can_cycle() const override { return m_to.can_cycle(); }
  Result<void> power_cycle(const std::string& p, const sys::Deadline& d) override { return m_to.power_cycle(p, d); }
  Result<std::vector<fence::Outlet>> list(bool s, const sys::Deadline& d) override { return m_to.list(s, d); }
  Result<void> monitor(const sys::Deadline& d) override { return m_to.monitor(d); }
  Result<void> before_power_change(const std::string& p, const sys::Deadline& d) override {
    return m_to.before_power_change(p, d);
  }
  Result<std::string> resolve_plug(const std::string& p, const sys::Deadline& d) override {
    return m_to.resolve_plug(p, d);
  }

 private:
  fence::Device& m_to;
};

}  // namespace sft::fakes
