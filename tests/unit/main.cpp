#define BOOST_TEST_MODULE sft unit tests
#include <boost/test/unit_test.hpp>
