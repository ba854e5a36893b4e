#include "core/sys/signals.h"

#include <boost/test/unit_test.hpp>
#include <csignal>

#include "tests/fakes/printing.h"

using sft::sys::parse_signals;

BOOST_AUTO_TEST_SUITE(signals)

BOOST_AUTO_TEST_CASE(parse_signals_reads_names_with_or_without_sig_and_numbers) {
  const auto s = parse_signals("TERM,SIGKILL 1 SIGUSR2");
  BOOST_REQUIRE(s.has_value());
  BOOST_TEST(*s == (std::vector<int>{SIGTERM, SIGKILL, SIGHUP, SIGUSR2}));
}

BOOST_AUTO_TEST_CASE(parse_signals_accepts_commas_spaces_and_tabs_in_any_number) {
  const auto s = parse_signals(" ,TERM,, \tINT ,");
  BOOST_REQUIRE(s.has_value());
  BOOST_TEST(*s == (std::vector<int>{SIGTERM, SIGINT}));
}

BOOST_AUTO_TEST_CASE(parse_signals_knows_every_name_it_prints) {
  for (const char* name : {"HUP", "INT", "QUIT", "KILL", "USR1", "USR2", "TERM", "CONT", "STOP", "ABRT"}) {
    const auto s = parse_signals(name);
    BOOST_REQUIRE_MESSAGE(s.has_value(), name);
    BOOST_TEST(sft::sys::signal_name(s->front()) == name);
  }
}

BOOST_AUTO_TEST_CASE(parse_signals_names_the_first_word_that_is_not_a_signal) {
  for (const auto& [text, word] : std::vector<std::pair<const char*, const char*>>{{"TERM,TREM,KILL", "TREM"},
                                                                                   {"term", "term"},
                                                                                   {"0", "0"},
                                                                                   {"-9", "-9"},
                                                                                   {"9x", "9x"},
                                                                                   {"65", "65"},
                                                                                   {"SIG", "SIG"},
                                                                                   {"SIGFOO", "SIGFOO"}}) {
    const auto s = parse_signals(text);
    BOOST_REQUIRE_MESSAGE(!s.has_value(), text);
    BOOST_TEST(s.error().code == sft::Errc::configuration);
    BOOST_TEST(s.error().message == "'" + std::string(word) + "' is not a signal", text);
  }
}

BOOST_AUTO_TEST_CASE(parse_signals_refuses_an_empty_list) {
  for (const char* text : {"", " ", ",,"}) {
    const auto s = parse_signals(text);
    BOOST_REQUIRE(!s.has_value());
    BOOST_TEST(s.error().message == "no signal given");
  }
}

BOOST_AUTO_TEST_CASE(signal_name_falls_back_to_the_number) {
  BOOST_TEST(sft::sys::signal_name(SIGTERM) == "TERM");
  BOOST_TEST(sft::sys::signal_name(SIGKILL) == "KILL");
  BOOST_TEST(sft::sys::signal_name(SIGWINCH) == std::to_string(SIGWINCH));
}

BOOST_AUTO_TEST_SUITE_END()
