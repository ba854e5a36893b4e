// RealSystem's file calls on a scratch directory: no root, nothing outside /tmp.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "core/sys/real_system.h"
#include "tests/fakes/printing.h"

namespace fs = std::filesystem;
using sft::sys::RealSystem;

namespace {

struct Scratch {
  Scratch() {
    std::string templ = (fs::temp_directory_path() / "sft-unit-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir = fs::canonical(templ).string();
  }
  ~Scratch() { fs::remove_all(dir); }
  void write(const std::string& name, const std::string& content) const {
    std::ofstream(dir + "/" + name, std::ios::binary) << content;
  }
  std::string dir;
  RealSystem os;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(real_files, Scratch)

BOOST_AUTO_TEST_CASE(read_file_returns_the_whole_content) {
  write("f", std::string(3 << 20, 'x') + "end");  // larger than one read
  const auto text = os.read_file(dir + "/f");
  BOOST_REQUIRE(text.has_value());
  BOOST_TEST(text->size() == (3u << 20) + 3);
  BOOST_TEST(text->ends_with("end"));
}

BOOST_AUTO_TEST_CASE(read_file_of_a_missing_file_names_the_path) {
  const auto text = os.read_file(dir + "/missing");
  BOOST_REQUIRE(!text.has_value());
  BOOST_TEST(text.error().message == dir + "/missing: No such file or directory");
}

BOOST_AUTO_TEST_CASE(read_at_reads_only_the_asked_range) {
  write("dev", std::string(1024, 'a') + std::string(1024, 'b') + "tail");
  const auto block = os.read_at(dir + "/dev", 1024, 1024);
  BOOST_REQUIRE(block.has_value());
  BOOST_TEST(*block == std::string(1024, 'b'));
  BOOST_TEST(os.read_at(dir + "/dev", 2048, 1024).value_or("") == "tail");
}

BOOST_AUTO_TEST_CASE(stat_tells_directories_from_files) {
  write("f", "x");
  const auto d = os.stat(dir);
  const auto f = os.stat(dir + "/f");
  BOOST_REQUIRE(d.has_value());
  BOOST_REQUIRE(f.has_value());
  BOOST_TEST(d->is_dir());
  BOOST_TEST(!f->is_dir());
  BOOST_TEST(!f->is_block());
  BOOST_TEST(d->dev == f->dev);
}

BOOST_AUTO_TEST_CASE(list_dir_lists_names_without_dot_entries) {
  write("a", "");
  write("b", "");
  auto names = os.list_dir(dir);
  BOOST_REQUIRE(names.has_value());
  std::sort(names->begin(), names->end());
  BOOST_TEST(*names == (std::vector<std::string>{"a", "b"}));
}

BOOST_AUTO_TEST_CASE(make_dirs_creates_every_missing_level_and_accepts_existing_ones) {
  BOOST_TEST(os.make_dirs(dir + "/x/y/z", 0755).has_value());
  BOOST_TEST(fs::is_directory(dir + "/x/y/z"));
  BOOST_TEST(os.make_dirs(dir + "/x/y/z", 0755).has_value());
}

BOOST_AUTO_TEST_CASE(make_dirs_fails_on_a_file_in_the_way) {
  write("file", "");
  const auto r = os.make_dirs(dir + "/file/sub", 0755);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message.starts_with(dir + "/file/sub: "));
}

BOOST_AUTO_TEST_CASE(real_path_resolves_symbolic_links_and_dots) {
  fs::create_directories(dir + "/srv/data");
  fs::create_directory_symlink(dir + "/srv/data", dir + "/data");
  BOOST_TEST(os.real_path(dir + "/data").value_or("") == dir + "/srv/data");
  BOOST_TEST(os.real_path(dir + "/srv/./data/../data/").value_or("") == dir + "/srv/data");
  const auto missing = os.real_path(dir + "/nope");
  BOOST_REQUIRE(!missing.has_value());
  BOOST_TEST(missing.error().message == dir + "/nope: No such file or directory");
}

BOOST_AUTO_TEST_CASE(kill_of_a_process_that_is_gone_is_not_an_error) {
  // pid_max is at most 2^22: this pid cannot exist.
  BOOST_TEST(os.kill(1 << 23, 0).has_value() == true);
}

BOOST_AUTO_TEST_SUITE_END()
