#include "core/text.h"

#include <boost/test/unit_test.hpp>

using sft::parse_number;
using sft::split;
using Fields = std::vector<std::string_view>;

BOOST_AUTO_TEST_SUITE(text)

BOOST_AUTO_TEST_CASE(split_keeps_empty_fields) {
  BOOST_TEST(split("a,,b", ',') == (Fields{"a", "", "b"}));
  BOOST_TEST(split(",a,", ',') == (Fields{"", "a", ""}));
  BOOST_TEST(split("", ',') == (Fields{""}));
  BOOST_TEST(split("abc", ',') == (Fields{"abc"}));
}

BOOST_AUTO_TEST_CASE(parse_number_takes_the_whole_text_or_nothing) {
  int n = 0;
  BOOST_TEST(parse_number("42", n));
  BOOST_TEST(n == 42);
  unsigned hex = 0;
  BOOST_TEST(parse_number("fd", hex, 16));
  BOOST_TEST(hex == 0xfdu);
  BOOST_TEST(!parse_number("42x", n));
  BOOST_TEST(!parse_number("", n));
  BOOST_TEST(!parse_number("-", n));
}

BOOST_AUTO_TEST_CASE(trim_removes_spaces_tabs_and_line_ends_at_both_ends_only) {
  BOOST_TEST(sft::trim(" \t a b \r\n") == "a b");
  BOOST_TEST(sft::trim("ab") == "ab");
  BOOST_TEST(sft::trim(" \r\n\t ").empty());
  BOOST_TEST(sft::trim("").empty());
}

BOOST_AUTO_TEST_CASE(case_helpers_are_ascii_only) {
  BOOST_TEST(sft::to_lower("Content-Type: ÄB") == "content-type: Äb");
  BOOST_TEST(sft::iequals("X-Content-SHA256", "x-content-sha256"));
  BOOST_TEST(!sft::iequals("date", "x-date"));
  BOOST_TEST(!sft::iequals("host", "hosT "));
}

BOOST_AUTO_TEST_SUITE_END()
