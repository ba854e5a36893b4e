#include "core/values.h"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(values)

BOOST_AUTO_TEST_CASE(durations_take_pacemaker_units_fractions_and_seconds_by_default) {
  const struct {
    const char* text;
    long long ms;
  } cases[] = {
      {"10", 10'000},   {"10s", 10'000},    {"10sec", 10'000},   {"500ms", 500},      {"500msec", 500},
      {"2m", 120'000},  {"2min", 120'000},  {"1h", 3'600'000},   {"1hr", 3'600'000},  {"0", 0},
      {" 7S ", 7'000},  {"5 s", 5'000},     {"90MS", 90},        {"2.5", 2'500},      {"0.001", 1},
      {"1.2345", 1'234}, {" 3 ", 3'000},    {"86400", 86'400'000}, {"5.5s", 5'500}, {"1.5min", 90'000},
      {"2.5ms", 2},    {"0.99999m", 59'999}, {"2.7777777h", 9'999'999}, {"0.0000099h", 35},
      {"1.0000000009s", 1'000},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT("'" << c.text << "'") {
      const auto t = sft::parse_duration(c.text);
      BOOST_REQUIRE(t);
      BOOST_TEST(t->count() == c.ms);
    }
  }
}

BOOST_AUTO_TEST_CASE(what_is_not_a_duration_is_refused_with_its_text) {
  for (const char* text : {"", "s", "-5s", "+5", "5x", "10 parsecs", "ms5", "1.", ".5", "1.s", "1e3", "1.-5", "abc",
                           "1099511627777s", "99999999999999999999", "99999999999999999999ms", "5 5s"}) {
    BOOST_TEST_CONTEXT("'" << text << "'") {
      const auto t = sft::parse_duration(text);
      BOOST_TEST(!t.has_value());
      if (!t) BOOST_TEST(t.error().message == "not a time: " + std::string(text));
    }
  }
}

BOOST_AUTO_TEST_CASE(a_duration_above_the_callers_limit_is_refused) {
  BOOST_TEST(sft::parse_duration("86400", 24h).value_or(0ms) == 24h);
  BOOST_TEST(!sft::parse_duration("86401", 24h));
  BOOST_TEST(!sft::parse_duration("86400.001", 24h));
  BOOST_TEST(!sft::parse_duration("2h", 1h));
  BOOST_TEST(sft::parse_duration("60min", 1h).value_or(0ms) == 1h);
}

BOOST_AUTO_TEST_CASE(booleans_take_one_table_of_spellings_in_any_case) {
  for (const char* yes : {"yes", "true", "on", "y", "1", "YES", "True", " on ", "Y"})
    BOOST_TEST(sft::parse_boolean(yes).value_or(false), yes);
  for (const char* no : {"no", "false", "off", "n", "0", "NO", "False", " N "})
    BOOST_TEST(!sft::parse_boolean(no).value_or(true), no);
  for (const char* bad : {"", "maybe", "2", "yess", "t", "enabled"}) {
    BOOST_TEST(!sft::parse_boolean(bad).has_value(), bad);
    BOOST_TEST(sft::parse_boolean(bad).error().message == "not a boolean: " + std::string(bad));
  }
}

BOOST_AUTO_TEST_CASE(integers_are_whole_numbers_only) {
  BOOST_TEST(sft::parse_integer("42").value_or(0) == 42);
  BOOST_TEST(sft::parse_integer("-7").value_or(0) == -7);
  BOOST_TEST(sft::parse_integer(" 8 ").value_or(0) == 8);
  BOOST_TEST(sft::parse_integer("9223372036854775807").value_or(0) == 9223372036854775807LL);
  for (const char* bad : {"", " ", "4x", "0x10", "1.5", "9223372036854775808", "--1"})
    BOOST_TEST(!sft::parse_integer(bad).has_value(), "'" << bad << "'");
}

BOOST_AUTO_TEST_CASE(seconds_are_written_as_people_write_them) {
  BOOST_TEST(sft::format_seconds(60s) == "60");
  BOOST_TEST(sft::format_seconds(2500ms) == "2.5");
  BOOST_TEST(sft::format_seconds(1ms) == "0.001");
  BOOST_TEST(sft::format_seconds(120ms) == "0.12");
  BOOST_TEST(sft::format_seconds(0ms) == "0");
  BOOST_TEST(sft::format_seconds(sft::parse_duration("2min").value()) == "120");
}

BOOST_AUTO_TEST_SUITE_END()
