#define BOOST_TEST_MODULE sft OCI integration tests
#include <boost/test/unit_test.hpp>
#include <cstdlib>

// libsft_oci logs retries and renewals; the machine's syslog stays clean.
struct QuietLogs {
  QuietLogs() { ::setenv("HA_LOGFACILITY", "none", 1); }
};
BOOST_TEST_GLOBAL_FIXTURE(QuietLogs);
