#include "core/sys/deadline.h"

#include <boost/test/unit_test.hpp>

#include "tests/fakes/fake_system.h"

using namespace std::chrono_literals;
using sft::fakes::FakeSystem;
using sft::sys::Deadline;
using sft::sys::Millis;

BOOST_AUTO_TEST_SUITE(deadline)

BOOST_AUTO_TEST_CASE(remaining_counts_down_with_the_clock_and_never_goes_negative) {
  FakeSystem os;
  const Deadline d(os, 10s);
  BOOST_TEST(d.remaining().count() == 10000);
  os.sleep_for(2500ms);
  BOOST_TEST(d.remaining().count() == 7500);
  BOOST_TEST(!d.expired());
  os.sleep_for(60s);
  BOOST_TEST(d.remaining().count() == 0);
  BOOST_TEST(d.expired());
}

BOOST_AUTO_TEST_CASE(a_zero_budget_is_expired_at_once) {
  FakeSystem os;
  BOOST_TEST(Deadline(os, 0ms).expired());
}

BOOST_AUTO_TEST_CASE(slice_takes_a_share_of_what_is_left) {
  FakeSystem os;
  const Deadline d(os, 10s);
  os.sleep_for(2s);
  const Deadline half = d.slice(0.5);
  BOOST_TEST(half.remaining().count() == 4000);
  os.sleep_for(4s);
  BOOST_TEST(half.expired());
  BOOST_TEST(d.remaining().count() == 4000);
}

BOOST_AUTO_TEST_CASE(slice_keeps_its_floor_but_never_outlives_the_parent) {
  FakeSystem os;
  const Deadline d(os, 10s);
  BOOST_TEST(d.slice(0.01, 3s).remaining().count() == 3000);
  BOOST_TEST(d.slice(0.9, 3s).remaining().count() == 9000);
  BOOST_TEST(d.slice(0.01, 30s).remaining().count() == 10000);
  BOOST_TEST(d.slice(2.0).remaining().count() == 10000);
}

BOOST_AUTO_TEST_CASE(within_is_the_shorter_of_its_length_and_what_is_left) {
  FakeSystem os;
  const Deadline d(os, 5s);
  BOOST_TEST(d.within(1s).remaining().count() == 1000);
  BOOST_TEST(d.within(8s).remaining().count() == 5000);
  os.sleep_for(4800ms);
  BOOST_TEST(d.within(1s).remaining().count() == 200);
}

BOOST_AUTO_TEST_CASE(sleep_for_sleeps_the_whole_time_while_there_is_time) {
  FakeSystem os;
  const Deadline d(os, 1s);
  BOOST_TEST(d.sleep_for(300ms));
  BOOST_TEST(os.elapsed().count() == 300);
}

BOOST_AUTO_TEST_CASE(sleep_for_never_sleeps_past_the_end) {
  FakeSystem os;
  const Deadline d(os, 1s);
  os.sleep_for(900ms);
  BOOST_TEST(!d.sleep_for(300ms));
  BOOST_TEST(os.elapsed().count() == 1000);
  BOOST_TEST(!d.sleep_for(300ms));
  BOOST_TEST(os.elapsed().count() == 1000);
}

BOOST_AUTO_TEST_CASE(sleep_for_reaching_the_end_exactly_reports_the_deadline) {
  FakeSystem os;
  const Deadline d(os, 1s);
  BOOST_TEST(!d.sleep_for(1s));
  BOOST_TEST(d.expired());
}

BOOST_AUTO_TEST_CASE(time_returns_the_source_the_deadline_reads) {
  FakeSystem os;
  const Deadline d(os, 1s);
  BOOST_TEST(&d.time() == static_cast<sft::sys::TimeSource*>(&os));
}

BOOST_AUTO_TEST_CASE(budget_for_keeps_a_margin_of_ten_percent_between_half_a_second_and_five) {
  const struct {
    Millis timeout;
    Millis budget;
  } table[] = {
      {20s, 18s},                    // 10 %
      {60s, 55s},                    // 10 % is 6 s: capped at 5 s
      {300s, 295s}, {3s, 2500ms},    // 10 % is 300 ms: at least 500 ms
      {1s, 500ms},  {600ms, 300ms},  // never less than half the timeout
      {0ms, 0ms},
  };
  for (const auto& row : table)
    BOOST_TEST(sft::sys::budget_for(row.timeout).count() == row.budget.count(), row.timeout.count() << " ms");
}

BOOST_AUTO_TEST_SUITE_END()
