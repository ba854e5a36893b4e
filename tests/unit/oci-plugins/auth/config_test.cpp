#include "oci-plugins/auth/config.h"

#include <sys/stat.h>

#include <boost/test/unit_test.hpp>

#include "tests/fakes/fake_system.h"
#include "tests/fakes/fixtures.h"
#include "tests/fakes/printing.h"

using sft::Environment;
using sft::Errc;
using sft::fakes::FakeSystem;
using sft::fakes::fixture;
using namespace sft::oci;

namespace {

const std::string k_path = "/root/.oci/config";

// A complete api_key profile, one line per key.
const std::vector<std::pair<std::string, std::string>> k_api_key_lines{
    {"user", "ocid1.user.oc1..aaaaaaaau"},
    {"fingerprint", "73:61:a2:21:67:e0:df:be:7e:4b:93:1e:15:98:a5:b7"},
    {"key_file", "/etc/sft/oci.pem"},
    {"tenancy", "ocid1.tenancy.oc1..aaaaaaaat"},
    {"region", "us-ashburn-1"},
};

std::string profile_without(const std::string& left_out) {
  std::string text = "[P]\n";
  for (const auto& [k, v] : k_api_key_lines)
    if (k != left_out) text += k + "=" + v + "\n";
  return text;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(oci_config)

BOOST_AUTO_TEST_CASE(the_default_profile_gives_every_key_with_home_expanded) {
  const auto p = parse_config(fixture("oci/config/config"), k_path, "DEFAULT", AuthKind::api_key, "/root");
  BOOST_REQUIRE_MESSAGE(p.has_value(), (p ? std::string() : p.error().message));
  BOOST_TEST(p->name == "DEFAULT");
  BOOST_TEST(p->user == "ocid1.user.oc1..aaaaaaaadefaultuser");
  BOOST_TEST(p->fingerprint == "73:61:a2:21:67:e0:df:be:7e:4b:93:1e:15:98:a5:b7");
  BOOST_TEST(p->key_file == "/root/.oci/oci_api_key.pem");
  BOOST_TEST(p->tenancy == "ocid1.tenancy.oc1..aaaaaaaadefaulttenancy");
  BOOST_TEST(p->region == "us-ashburn-1");
  BOOST_TEST(p->pass_phrase == "");
  BOOST_TEST(p->security_token_file == "");
}

BOOST_AUTO_TEST_CASE(a_profile_overrides_default_and_inherits_the_rest) {
  const auto p = parse_config(fixture("oci/config/config"), k_path, "ADMIN", AuthKind::api_key, "/root");
  BOOST_REQUIRE_MESSAGE(p.has_value(), (p ? std::string() : p.error().message));
  BOOST_TEST(p->name == "ADMIN");
  BOOST_TEST(p->user == "ocid1.user.oc1..aaaaaaaaadminuser");  // "  USER = ..." in the file
  BOOST_TEST(p->region == "eu-frankfurt-1");                   // "Region=..."
  BOOST_TEST(p->key_file == "/etc/sft/admin.pem");             // tabs around '='
  BOOST_TEST(p->tenancy == "ocid1.tenancy.oc1..aaaaaaaadefaulttenancy");
  BOOST_TEST(p->fingerprint == "73:61:a2:21:67:e0:df:be:7e:4b:93:1e:15:98:a5:b7");
}

BOOST_AUTO_TEST_CASE(comments_blank_lines_and_untidy_spacing_are_ignored) {
  const std::string text =
      "\n# user=ocid1.user.oc1..commented\n; region=xx-commented-1\n[P]   \n"
      "   # indented comment\n"
      "user =   ocid1.user.oc1..u  \r\n"
      "FINGERPRINT=73:61:A2:21:67:E0:DF:BE:7E:4B:93:1E:15:98:A5:B7\r\n"
      "Key_File=/k.pem\n\n"
      "tenancy\t=\tocid1.tenancy.oc1..t\n"
      "pass_phrase = a=b;c#d \n"
      "region=us-phoenix-1";  // no final newline
  const auto p = parse_config(text, k_path, "P", AuthKind::api_key, "/root");
  BOOST_REQUIRE_MESSAGE(p.has_value(), (p ? std::string() : p.error().message));
  BOOST_TEST(p->user == "ocid1.user.oc1..u");
  BOOST_TEST(p->fingerprint == "73:61:a2:21:67:e0:df:be:7e:4b:93:1e:15:98:a5:b7");  // normalised to lower case
  BOOST_TEST(p->key_file == "/k.pem");
  BOOST_TEST(p->tenancy == "ocid1.tenancy.oc1..t");
  BOOST_TEST(p->pass_phrase == "a=b;c#d");  // only whole-line comments; the first '=' splits
  BOOST_TEST(p->region == "us-phoenix-1");
}

BOOST_AUTO_TEST_CASE(only_a_leading_tilde_slash_is_the_home_directory) {
  auto key_file = [](const std::string& value) {
    const auto p = parse_config(profile_without("key_file") + "key_file=" + value + "\n", k_path, "P",
                                AuthKind::api_key, "/home/alice");
    BOOST_REQUIRE_MESSAGE(p.has_value(), (p ? std::string() : p.error().message));
    return p->key_file;
  };
  BOOST_TEST(key_file("~/.oci/key.pem") == "/home/alice/.oci/key.pem");
  BOOST_TEST(key_file("~") == "/home/alice");
  BOOST_TEST(key_file("~bob/key.pem") == "~bob/key.pem");
  BOOST_TEST(key_file("/etc/~/key.pem") == "/etc/~/key.pem");
}

BOOST_AUTO_TEST_CASE(each_missing_api_key_setting_is_an_error_naming_file_profile_and_key) {
  for (const auto& [key, value] : k_api_key_lines) {
    const auto p = parse_config(profile_without(key), k_path, "P", AuthKind::api_key, "/root");
    BOOST_REQUIRE_MESSAGE(!p, "accepted a profile without " << key);
    BOOST_TEST(p.error().code == Errc::configuration);
    BOOST_TEST(contains(p.error().message, k_path), p.error().message);
    BOOST_TEST(contains(p.error().message, "profile P"), p.error().message);
    BOOST_TEST(contains(p.error().message, key + " is missing"), p.error().message);
  }
}

BOOST_AUTO_TEST_CASE(an_empty_value_counts_as_missing) {
  const auto p = parse_config(profile_without("tenancy") + "tenancy=\n", k_path, "P", AuthKind::api_key, "/root");
  BOOST_REQUIRE(!p);
  BOOST_TEST(contains(p.error().message, "tenancy is missing"), p.error().message);
}

BOOST_AUTO_TEST_CASE(a_malformed_fingerprint_is_refused_with_its_value) {
  for (const std::string bad :
       {"73:61:a2:21", "73-61-a2-21-67-e0-df-be-7e-4b-93-1e-15-98-a5-b7",
        "zz:61:a2:21:67:e0:df:be:7e:4b:93:1e:15:98:a5:b7", "73:61:a2:21:67:e0:df:be:7e:4b:93:1e:15:98:a5:b7:00"}) {
    const auto p =
        parse_config(profile_without("fingerprint") + "fingerprint=" + bad + "\n", k_path, "P", AuthKind::api_key, "/");
    BOOST_REQUIRE_MESSAGE(!p, "accepted fingerprint " << bad);
    BOOST_TEST(p.error().code == Errc::configuration);
    BOOST_TEST(contains(p.error().message, "fingerprint '" + bad + "'"), p.error().message);
    BOOST_TEST(contains(p.error().message, "profile P"), p.error().message);
  }
}

BOOST_AUTO_TEST_CASE(user_and_tenancy_must_be_ocids) {
  auto p = parse_config(profile_without("user") + "user=alice\n", k_path, "P", AuthKind::api_key, "/");
  BOOST_REQUIRE(!p);
  BOOST_TEST(contains(p.error().message, "user 'alice' is not an OCID"), p.error().message);
  p = parse_config(profile_without("tenancy") + "tenancy=acme\n", k_path, "P", AuthKind::api_key, "/");
  BOOST_REQUIRE(!p);
  BOOST_TEST(contains(p.error().message, "tenancy 'acme' is not an OCID"), p.error().message);
}

BOOST_AUTO_TEST_CASE(key_content_is_refused_even_when_inherited) {
  const std::string text = "[DEFAULT]\nkey_content=-----BEGIN RSA PRIVATE KEY-----\n" + profile_without("");
  const auto p = parse_config(text, k_path, "P", AuthKind::api_key, "/");
  BOOST_REQUIRE(!p);
  BOOST_TEST(p.error().code == Errc::configuration);
  BOOST_TEST(contains(p.error().message, "key_content"), p.error().message);
  BOOST_TEST(contains(p.error().message, "key_file"), p.error().message);
}

BOOST_AUTO_TEST_CASE(an_unknown_profile_is_an_error_naming_it_and_the_file) {
  const auto p = parse_config(fixture("oci/config/config"), k_path, "admin", AuthKind::api_key, "/root");
  BOOST_REQUIRE(!p);  // profile names are case-sensitive, as in the SDKs
  BOOST_TEST(p.error().code == Errc::configuration);
  BOOST_TEST(contains(p.error().message, k_path), p.error().message);
  BOOST_TEST(contains(p.error().message, "[admin]"), p.error().message);
}

BOOST_AUTO_TEST_CASE(malformed_lines_are_errors_naming_the_line) {
  struct Case {
    std::string text, expected;
  };
  for (const Case& c : {Case{"[P\nuser=x\n", "line 1: unclosed section header"},
                        Case{"[P]\nuser ocid1.user\n", "line 2: expected key=value"},
                        Case{"# c\nuser=x\n[P]\n", "line 2: key=value before any [PROFILE] header"}}) {
    const auto p = parse_config(c.text, k_path, "P", AuthKind::api_key, "/");
    BOOST_REQUIRE(!p);
    BOOST_TEST(p.error().code == Errc::configuration);
    BOOST_TEST(p.error().message == k_path + ": " + c.expected);
  }
}

BOOST_AUTO_TEST_CASE(oci_region_is_the_fallback_when_the_profile_has_no_region) {
  auto p = parse_config(profile_without("region"), k_path, "P", AuthKind::api_key, "/", "eu-zurich-1");
  BOOST_REQUIRE(p);
  BOOST_TEST(p->region == "eu-zurich-1");
  p = parse_config(profile_without(""), k_path, "P", AuthKind::api_key, "/", "eu-zurich-1");
  BOOST_REQUIRE(p);
  BOOST_TEST(p->region == "us-ashburn-1");
}

BOOST_AUTO_TEST_CASE(load_profile_reads_the_file_and_takes_home_and_oci_region_from_the_environment) {
  FakeSystem os;
  os.files[k_path] = "[DEFAULT]\nkey_file=~/k.pem\nsecurity_token_file=~/t\n";
  const Environment env{{"HOME", "/home/alice"}, {"OCI_REGION", "ap-tokyo-1"}};
  const auto p = load_profile(os, k_path, "DEFAULT", AuthKind::security_token, env);
  BOOST_REQUIRE_MESSAGE(p.has_value(), (p ? std::string() : p.error().message));
  BOOST_TEST(p->region == "ap-tokyo-1");
  BOOST_TEST(p->key_file == "/home/alice/k.pem");
  BOOST_TEST(p->security_token_file == "/home/alice/t");
}

BOOST_AUTO_TEST_CASE(load_profile_of_a_missing_file_names_it) {
  FakeSystem os;
  const auto p = load_profile(os, "/nowhere/config", "DEFAULT", AuthKind::api_key, {});
  BOOST_REQUIRE(!p);
  BOOST_TEST(p.error().code == Errc::configuration);
  BOOST_TEST(contains(p.error().message, "/nowhere/config"), p.error().message);
}

BOOST_AUTO_TEST_CASE(a_session_profile_needs_key_file_token_file_and_region_but_no_user) {
  const auto p = parse_config(fixture("oci/config/config"), k_path, "SESSION", AuthKind::security_token, "/root");
  BOOST_REQUIRE_MESSAGE(p.has_value(), (p ? std::string() : p.error().message));
  BOOST_TEST(p->security_token_file == "/root/.oci/sessions/SESSION/token");
  BOOST_TEST(p->key_file == "/root/.oci/sessions/SESSION/oci_api_key.pem");
  BOOST_TEST(p->region == "us-phoenix-1");

  const std::string bare = "[S]\nkey_file=/k.pem\nsecurity_token_file=/t\nregion=us-phoenix-1\n";
  BOOST_TEST(parse_config(bare, k_path, "S", AuthKind::security_token, "/").has_value());
  for (const std::string key : {"key_file", "security_token_file", "region"}) {
    std::string text = "[S]\n";
    for (const std::string line : {"key_file=/k.pem", "security_token_file=/t", "region=us-phoenix-1"})
      if (!line.starts_with(key + "=")) text += line + "\n";
    const auto q = parse_config(text, k_path, "S", AuthKind::security_token, "/");
    BOOST_REQUIRE_MESSAGE(!q, "accepted a session profile without " << key);
    BOOST_TEST(contains(q.error().message, "profile S: " + key + " is missing"), q.error().message);
  }
}

BOOST_AUTO_TEST_CASE(the_config_file_is_oci_config_file_then_dot_oci_then_dot_oraclebmc) {
  FakeSystem os;
  const Environment env{{"HOME", "/home/alice"}};
  BOOST_TEST(default_config_path(os, env) == "/home/alice/.oci/config");  // none exists

  os.files["/home/alice/.oraclebmc/config"] = "";
  BOOST_TEST(default_config_path(os, env) == "/home/alice/.oraclebmc/config");

  os.files["/home/alice/.oci/config"] = "";
  BOOST_TEST(default_config_path(os, env) == "/home/alice/.oci/config");

  Environment with_variable = env;
  with_variable["OCI_CONFIG_FILE"] = "/etc/sft/oci.conf";
  BOOST_TEST(default_config_path(os, with_variable) == "/etc/sft/oci.conf");

  with_variable["OCI_CONFIG_FILE"] = "";
  BOOST_TEST(default_config_path(os, with_variable) == "/home/alice/.oci/config");
  BOOST_TEST(default_config_path(os, {}) == "/root/.oci/config");  // agents run as root without HOME
}

BOOST_AUTO_TEST_CASE(a_private_key_file_the_group_or_others_may_read_is_refused) {
  FakeSystem os;
  for (mode_t mode : {0640, 0604, 0644, 0660, 0601}) {
    os.files["/k.pem"] = "PEM";
    os.stats["/k.pem"] = sft::sys::FileStat{.mode = static_cast<mode_t>(S_IFREG | mode)};
    const auto r = read_private_key_file(os, "/k.pem");
    BOOST_REQUIRE_MESSAGE(!r, "accepted mode " << std::oct << mode);
    BOOST_TEST(r.error().code == Errc::permission);
    char text[8];
    snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode));
    BOOST_TEST(contains(r.error().message, "/k.pem"), r.error().message);
    BOOST_TEST(contains(r.error().message, text), r.error().message);
  }
}

BOOST_AUTO_TEST_CASE(a_private_key_file_only_its_owner_may_read_is_accepted) {
  FakeSystem os;
  for (mode_t mode : {0600, 0400}) {
    os.files["/k.pem"] = "PEM";
    os.stats["/k.pem"] = sft::sys::FileStat{.mode = static_cast<mode_t>(S_IFREG | mode)};
    const auto r = read_private_key_file(os, "/k.pem");
    BOOST_REQUIRE_MESSAGE(r.has_value(), "refused mode " << std::oct << mode);
    BOOST_TEST(*r == "PEM");
  }
}

BOOST_AUTO_TEST_CASE(a_missing_private_key_file_is_a_configuration_error_naming_it) {
  FakeSystem os;
  const auto r = read_private_key_file(os, "/etc/sft/none.pem");
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error().code == Errc::configuration);
  BOOST_TEST(contains(r.error().message, "/etc/sft/none.pem"), r.error().message);
}

BOOST_AUTO_TEST_CASE(auth_kinds_parse_with_underscores_or_dashes) {
  BOOST_TEST((parse_auth_kind("api_key") == AuthKind::api_key));
  BOOST_TEST((parse_auth_kind("security-token") == AuthKind::security_token));
  BOOST_TEST((parse_auth_kind("instance_principal") == AuthKind::instance_principal));
  BOOST_TEST((parse_auth_kind("instance-principal") == AuthKind::instance_principal));
  BOOST_TEST(!parse_auth_kind("resource_principal").has_value());
  BOOST_TEST(auth_kind_name(AuthKind::security_token) == "security_token");
}

BOOST_AUTO_TEST_CASE(a_config_named_with_instance_principals_is_refused_with_both_options_named) {
  BOOST_TEST(check_auth_choice(AuthKind::api_key, true, "config_file", "auth").has_value());
  BOOST_TEST(check_auth_choice(AuthKind::security_token, true, "config_file", "auth").has_value());
  BOOST_TEST(check_auth_choice(AuthKind::instance_principal, false, "config_file", "auth").has_value());
  const auto r = check_auth_choice(AuthKind::instance_principal, true, "--config-file", "--auth");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::configuration);
  BOOST_TEST(r.error().message ==
             "--config-file names an OCI config file, but --auth is instance_principal, which reads none: set --auth "
             "to api_key or security_token to use the file, or leave --config-file unset");
}

BOOST_AUTO_TEST_SUITE_END()
