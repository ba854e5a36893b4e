# Run by ctest (TEST_INCLUDE_FILES): one test per Boost.Test suite of the unit binary,
# as the binary lists them, so ctest's summary counts suites and names a failing one.
# Expects BIN, the test binary.
if(NOT EXISTS "${BIN}")
  add_test(unit.not-built "${CMAKE_COMMAND}" -E echo "unit test binary ${BIN} is not built")
  set_tests_properties(unit.not-built PROPERTIES LABELS unit WILL_FAIL TRUE)
  return()
endif()
execute_process(COMMAND "${BIN}" --list_content OUTPUT_VARIABLE listing ERROR_VARIABLE listing
                RESULT_VARIABLE rc)
string(REPLACE "\n" ";" lines "${listing}")
set(count 0)
foreach(line IN LISTS lines)
  if(line MATCHES "^([A-Za-z0-9_]+)\\*$")
    set(suite "${CMAKE_MATCH_1}")
    add_test("unit.${suite}" "${BIN}" "--run_test=${suite}" --log_level=test_suite --report_level=short)
    set_tests_properties("unit.${suite}" PROPERTIES LABELS unit)
    math(EXPR count "${count} + 1")
  endif()
endforeach()
if(NOT rc EQUAL 0 OR count EQUAL 0)
  add_test(unit.listing "${CMAKE_COMMAND}" -E echo "${BIN} --list_content failed: ${listing}")
  set_tests_properties(unit.listing PROPERTIES LABELS unit WILL_FAIL TRUE)
endif()
