#include "core/ocf/exit.h"

#include <boost/test/unit_test.hpp>

#include "core/log/log.h"
#include "tests/fakes/capture.h"
#include "tests/fakes/printing.h"

using sft::Errc;
using sft::Error;
using sft::ocf::Exit;

BOOST_AUTO_TEST_SUITE(exit_codes)

BOOST_AUTO_TEST_CASE(every_error_kind_maps_to_its_pacemaker_exit_code) {
  const struct {
    Errc code;
    Exit exit;
    int number;
  } table[] = {
      {Errc::generic, PCMK_OCF_UNKNOWN_ERROR, 1},
      {Errc::invalid_argument, PCMK_OCF_INVALID_PARAM, 2},
      {Errc::unimplemented, PCMK_OCF_UNIMPLEMENT_FEATURE, 3},
      {Errc::permission, PCMK_OCF_INSUFFICIENT_PRIV, 4},
      {Errc::not_installed, PCMK_OCF_NOT_INSTALLED, 5},
      {Errc::configuration, PCMK_OCF_NOT_CONFIGURED, 6},
      {Errc::not_running, PCMK_OCF_NOT_RUNNING, 7},
      {Errc::timeout, PCMK_OCF_UNKNOWN_ERROR, 1},  // a timeout here is a failure; 198 is Pacemaker's own
      {Errc::busy, PCMK_OCF_UNKNOWN_ERROR, 1},
  };
  for (const auto& row : table) {
    BOOST_TEST_CONTEXT("Errc " << static_cast<int>(row.code)) {
      const Exit e = sft::ocf::to_ocf_exit(Error{row.code, "x"});
      BOOST_TEST(e == row.exit);
      BOOST_TEST(static_cast<int>(e) == row.number);
    }
  }
}

BOOST_AUTO_TEST_CASE(exit_name_uses_the_names_of_the_ocf_standard) {
  const struct {
    Exit code;
    const char* name;
  } table[] = {
      {PCMK_OCF_OK, "OCF_SUCCESS"},
      {PCMK_OCF_UNKNOWN_ERROR, "OCF_ERR_GENERIC"},
      {PCMK_OCF_INVALID_PARAM, "OCF_ERR_ARGS"},
      {PCMK_OCF_UNIMPLEMENT_FEATURE, "OCF_ERR_UNIMPLEMENTED"},
      {PCMK_OCF_INSUFFICIENT_PRIV, "OCF_ERR_PERM"},
      {PCMK_OCF_NOT_INSTALLED, "OCF_ERR_INSTALLED"},
      {PCMK_OCF_NOT_CONFIGURED, "OCF_ERR_CONFIGURED"},
      {PCMK_OCF_NOT_RUNNING, "OCF_NOT_RUNNING"},
      {PCMK_OCF_RUNNING_PROMOTED, "OCF_RUNNING_PROMOTED"},
      {PCMK_OCF_FAILED_PROMOTED, "OCF_FAILED_PROMOTED"},
      {PCMK_OCF_DEGRADED, "OCF_DEGRADED"},
      {PCMK_OCF_DEGRADED_PROMOTED, "OCF_DEGRADED_PROMOTED"},
      {PCMK_OCF_TIMEOUT, "OCF_UNKNOWN"},
  };
  for (const auto& row : table) BOOST_TEST(sft::ocf::exit_name(row.code) == row.name);
}

BOOST_AUTO_TEST_CASE(report_writes_one_exit_reason_line_with_newlines_folded) {
  sft::log::close();  // only the reason line, no log line on stderr
  sft::fakes::Capture err(2);
  sft::ocf::report(Error{Errc::generic, "mount /dev/drbd0 on /srv:\nwrong fs type\r"});
  BOOST_TEST(err.text() == "ocf-exit-reason:mount /dev/drbd0 on /srv: wrong fs type \n");
}

BOOST_AUTO_TEST_SUITE_END()
