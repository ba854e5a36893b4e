#include "core/env.h"

#include <boost/test/unit_test.hpp>

BOOST_AUTO_TEST_SUITE(env)

BOOST_AUTO_TEST_CASE(read_environment_splits_at_the_first_equals_sign) {
  char a[] = "OCF_RESKEY_options=noatime,commit=5";
  char b[] = "EMPTY=";
  char c[] = "NOEQUALS";
  char* envp[] = {a, b, c, nullptr};
  const sft::Environment env = sft::read_environment(envp);
  BOOST_TEST(env.size() == 2u);
  BOOST_TEST(env.at("OCF_RESKEY_options") == "noatime,commit=5");
  BOOST_TEST(env.at("EMPTY") == "");
  BOOST_TEST(sft::read_environment(nullptr).empty());
}

BOOST_AUTO_TEST_CASE(lookup_tells_unset_from_empty) {
  const sft::Environment env{{"EMPTY", ""}, {"PATH", "/usr/bin"}};
  BOOST_TEST(sft::lookup(env, "PATH").value_or("") == "/usr/bin");
  BOOST_TEST(sft::lookup(env, "EMPTY").has_value());
  BOOST_TEST(!sft::lookup(env, "HOME").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
