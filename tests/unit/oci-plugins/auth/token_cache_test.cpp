#include "oci-plugins/auth/token_cache.h"

#include <sys/stat.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "tests/fakes/fake_system.h"

using namespace std::chrono_literals;
using sft::fakes::FakeSystem;
using namespace sft::oci;

namespace {

const std::string k_dir = "/run/sft/oci";
const std::string k_identity = "http://169.254.169.254/opc/v2";

CachedToken token_for(long long issued_at, long long life) {
  return CachedToken{"header.payload.sig", "-----BEGIN PRIVATE KEY-----\nMII...\n-----END PRIVATE KEY-----\n",
                     "ocid1.tenancy.oc1..t", issued_at, issued_at + life};
}

// A FakeSystem whose cache directory exists, root's and 0700 (FakeSystem::make_dirs
// makes directories 0755, so the tests seed it).
struct Setup {
  Setup() { os.stats[k_dir] = sft::sys::FileStat{.mode = S_IFDIR | 0700, .uid = 0}; }
  FakeSystem os;
  TokenCache cache{os, k_dir, 0};
  long long now() { return os.wall_time(); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(oci_token_cache)

BOOST_AUTO_TEST_CASE(a_long_lived_token_is_fresh_until_a_minute_before_expiry) {
  const CachedToken t = token_for(1000, 3600);
  BOOST_TEST(fresh(t, 1000));
  BOOST_TEST(fresh(t, 4539));
  BOOST_TEST(!fresh(t, 4540));
  BOOST_TEST(!fresh(t, 4600));
  BOOST_TEST(!fresh(t, 9000));
}

BOOST_AUTO_TEST_CASE(a_short_lived_token_keeps_a_quarter_of_its_life_as_margin) {
  const CachedToken t = token_for(1000, 100);  // margin 25 s
  BOOST_TEST(fresh(t, 1074));
  BOOST_TEST(!fresh(t, 1075));
  const CachedToken four_minutes = token_for(1000, 240);  // a quarter is exactly 60 s
  BOOST_TEST(fresh(four_minutes, 1179));
  BOOST_TEST(!fresh(four_minutes, 1180));
}

BOOST_AUTO_TEST_CASE(a_token_without_iat_keeps_a_minute_and_an_empty_one_is_never_fresh) {
  CachedToken t = token_for(0, 0);
  t.expires_at = 5000;
  BOOST_TEST(fresh(t, 4939));
  BOOST_TEST(!fresh(t, 4940));
  t.token.clear();
  BOOST_TEST(!fresh(t, 0));
}

BOOST_AUTO_TEST_CASE(a_stored_token_loads_back_whole) {
  Setup s;
  const CachedToken t = token_for(s.now(), 3600);
  s.cache.store(k_identity, t);
  const auto loaded = s.cache.load(k_identity);
  BOOST_REQUIRE(loaded.has_value());
  BOOST_TEST(loaded->token == t.token);
  BOOST_TEST(loaded->session_key_pem == t.session_key_pem);
  BOOST_TEST(loaded->tenancy == t.tenancy);
  BOOST_TEST(loaded->issued_at == t.issued_at);
  BOOST_TEST(loaded->expires_at == t.expires_at);
}

BOOST_AUTO_TEST_CASE(the_file_is_written_0600_in_the_cache_directory_named_by_a_hash) {
  Setup s;
  s.cache.store(k_identity, token_for(s.now(), 3600));
  const std::string path = s.cache.path_for(k_identity);
  BOOST_TEST(path.starts_with(k_dir + "/token-"));
  BOOST_TEST(path.ends_with(".json"));
  BOOST_TEST(path.find_first_of("+=", k_dir.size()) == std::string::npos);
  BOOST_TEST(path.find('/', k_dir.size() + 1) == std::string::npos);
  BOOST_REQUIRE(s.os.files.contains(path));
  BOOST_TEST((s.os.stats.at(path).mode & 07777) == 0600u);
  const auto j = nlohmann::json::parse(s.os.files.at(path));
  BOOST_TEST(j.at("identity") == k_identity);
  BOOST_TEST((std::find(s.os.made_dirs.begin(), s.os.made_dirs.end(), k_dir) != s.os.made_dirs.end()));
  BOOST_TEST(s.cache.path_for("http://127.0.0.1:8181/opc/v2") != path);
  BOOST_TEST(s.cache.path_for(k_identity) == path);
}

BOOST_AUTO_TEST_CASE(a_file_others_may_read_is_not_trusted) {
  for (mode_t mode : {0640, 0604, 0660, 0644}) {
    Setup s;
    s.cache.store(k_identity, token_for(s.now(), 3600));
    s.os.stats[s.cache.path_for(k_identity)].mode = S_IFREG | mode;
    BOOST_TEST(!s.cache.load(k_identity).has_value(), "trusted mode " << std::oct << mode);
  }
}

BOOST_AUTO_TEST_CASE(a_directory_others_may_enter_is_not_trusted) {
  for (mode_t mode : {0750, 0705, 0755, 0777}) {
    Setup s;
    s.cache.store(k_identity, token_for(s.now(), 3600));
    s.os.stats[k_dir].mode = S_IFDIR | mode;
    BOOST_TEST(!s.cache.load(k_identity).has_value(), "trusted directory mode " << std::oct << mode);
  }
}

BOOST_AUTO_TEST_CASE(a_file_or_directory_owned_by_another_user_is_not_trusted) {
  Setup s;
  s.cache.store(k_identity, token_for(s.now(), 3600));
  BOOST_REQUIRE(s.cache.load(k_identity).has_value());
  s.os.stats[s.cache.path_for(k_identity)].uid = 1000;
  BOOST_TEST(!s.cache.load(k_identity).has_value());
  s.os.stats[s.cache.path_for(k_identity)].uid = 0;
  s.os.stats[k_dir].uid = 1000;
  BOOST_TEST(!s.cache.load(k_identity).has_value());
}

BOOST_AUTO_TEST_CASE(a_cache_of_another_user_is_not_trusted_by_this_one) {
  Setup s;
  s.cache.store(k_identity, token_for(s.now(), 3600));
  TokenCache other(s.os, k_dir, 1000);
  BOOST_TEST(!other.load(k_identity).has_value());
}

BOOST_AUTO_TEST_CASE(nothing_is_stored_in_a_directory_others_may_enter) {
  Setup s;
  s.os.stats[k_dir].mode = S_IFDIR | 0755;
  s.cache.store(k_identity, token_for(s.now(), 3600));
  BOOST_TEST(!s.os.files.contains(s.cache.path_for(k_identity)));
}

BOOST_AUTO_TEST_CASE(an_entry_for_another_identity_is_ignored) {
  Setup s;
  const nlohmann::json j{{"identity", "http://10.0.0.1/opc/v2"},
                         {"token", "t"},
                         {"session_key", "k"},
                         {"tenancy", "x"},
                         {"iat", s.now()},
                         {"exp", s.now() + 3600}};
  s.os.write_file(s.cache.path_for(k_identity), j.dump(), 0600);
  BOOST_TEST(!s.cache.load(k_identity).has_value());
}

BOOST_AUTO_TEST_CASE(an_expired_or_nearly_expired_entry_is_ignored) {
  Setup s;
  s.cache.store(k_identity, token_for(s.now() - 3570, 3600));  // 30 s left: inside the margin
  BOOST_TEST(!s.cache.load(k_identity).has_value());

  s.cache.store(k_identity, token_for(s.now(), 3600));
  BOOST_TEST(s.cache.load(k_identity).has_value());
  s.os.sleep_for(3540s);  // the wall clock follows the fake clock
  BOOST_TEST(!s.cache.load(k_identity).has_value());
}

BOOST_AUTO_TEST_CASE(an_entry_without_a_session_key_is_ignored) {
  Setup s;
  CachedToken t = token_for(s.now(), 3600);
  t.session_key_pem.clear();
  s.cache.store(k_identity, t);
  BOOST_TEST(!s.cache.load(k_identity).has_value());
}

BOOST_AUTO_TEST_CASE(a_file_that_is_not_json_is_ignored) {
  Setup s;
  s.os.write_file(s.cache.path_for(k_identity), "{\"identity\": tru", 0600);
  BOOST_TEST(!s.cache.load(k_identity).has_value());
  s.os.write_file(s.cache.path_for(k_identity), "[1,2]", 0600);
  BOOST_TEST(!s.cache.load(k_identity).has_value());
}

BOOST_AUTO_TEST_CASE(a_file_with_fields_of_the_wrong_type_is_ignored_not_thrown_on) {
  Setup s;
  const std::vector<nlohmann::json> bad{
      {{"identity", k_identity}, {"token", "t"}, {"session_key", "k"}, {"iat", "yesterday"}, {"exp", s.now() + 3600}},
      {{"identity", k_identity}, {"token", 42}, {"session_key", "k"}, {"exp", s.now() + 3600}},
      {{"identity", 7}, {"token", "t"}, {"session_key", "k"}, {"exp", s.now() + 3600}},
  };
  for (const auto& j : bad) {
    s.os.write_file(s.cache.path_for(k_identity), j.dump(), 0600);
    std::optional<CachedToken> loaded;
    BOOST_CHECK_NO_THROW(loaded = s.cache.load(k_identity));
    BOOST_TEST(!loaded.has_value(), j.dump());
  }
}

BOOST_AUTO_TEST_CASE(drop_removes_the_entry) {
  Setup s;
  s.cache.store(k_identity, token_for(s.now(), 3600));
  s.cache.drop(k_identity);
  BOOST_TEST(!s.os.files.contains(s.cache.path_for(k_identity)));
  BOOST_TEST(!s.cache.load(k_identity).has_value());
}

BOOST_AUTO_TEST_CASE(without_a_directory_the_cache_does_nothing) {
  FakeSystem os;
  TokenCache none(os, "", 0);
  none.store(k_identity, token_for(os.wall_time(), 3600));
  none.drop(k_identity);
  BOOST_TEST(!none.load(k_identity).has_value());
  BOOST_TEST(os.files.empty());
  BOOST_TEST(os.made_dirs.empty());
}

BOOST_AUTO_TEST_CASE(the_cache_lives_in_run_for_root_and_the_runtime_directory_for_others) {
  BOOST_TEST(default_cache_dir(0, std::nullopt) == "/run/sft/oci");
  BOOST_TEST(default_cache_dir(0, "/run/user/0") == "/run/sft/oci");
  BOOST_TEST(default_cache_dir(1000, "/run/user/1000") == "/run/user/1000/sft/oci");
  BOOST_TEST(default_cache_dir(1000, std::nullopt) == "");
  BOOST_TEST(default_cache_dir(1000, "") == "");
  BOOST_TEST(default_cache_dir(1000, "relative/dir") == "");
}

BOOST_AUTO_TEST_SUITE_END()
