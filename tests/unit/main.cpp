#define BOOST_TEST_MODULE sft unit tests
#include <boost/test/unit_test.hpp>
#include <cstdlib>

// Agents log through libqb to syslog by default; unit tests keep the machine's log clean.
struct QuietLogs {
  QuietLogs() { ::setenv("HA_LOGFACILITY", "none", 1); }
};
BOOST_TEST_GLOBAL_FIXTURE(QuietLogs);
