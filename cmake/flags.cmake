# Compiler settings every target links: C++23, warnings as errors, optional sanitizers.
add_library(sft_flags INTERFACE)
target_compile_features(sft_flags INTERFACE cxx_std_23)
set(CMAKE_CXX_EXTENSIONS OFF)
target_compile_options(sft_flags INTERFACE -Wall -Wextra -Werror -Wshadow -Wnon-virtual-dtor)
target_compile_definitions(sft_flags INTERFACE _GNU_SOURCE SFT_VERSION="${PROJECT_VERSION}")
if(SFT_SANITIZE)
  # Unoptimised, with line tables only: the sanitizer pass looks for memory errors and
  # undefined behaviour, not speed, and instrumented code takes five times as long to
  # build at -O2 -g. These come after the build type's flags, so they win.
  target_compile_options(sft_flags INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer -O0 -g1)
  target_link_options(sft_flags INTERFACE -fsanitize=address,undefined)
endif()

# What every installed executable links: libstdc++ and libgcc inside the binary, since
# loading them costs as much as a whole depth-0 monitor (the agents run every few
# seconds on every node). gcc-toolset builds link the same way on Oracle Linux.
add_library(sft_executable INTERFACE)
if(NOT SFT_SANITIZE)
  target_link_options(sft_executable INTERFACE -static-libstdc++ -static-libgcc)
endif()
