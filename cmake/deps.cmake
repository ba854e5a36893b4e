# Third-party libraries, found once and exposed as imported targets.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBQB REQUIRED IMPORTED_TARGET libqb)
pkg_check_modules(LIBMOUNT REQUIRED IMPORTED_TARGET mount)
pkg_check_modules(LIBBLKID REQUIRED IMPORTED_TARGET blkid)
pkg_check_modules(PCMK REQUIRED IMPORTED_TARGET pacemaker)
if(BUILD_TESTING)
  find_package(Boost REQUIRED COMPONENTS unit_test_framework)
endif()
