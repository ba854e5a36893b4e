#pragma once
// A shared library opened on first use (dlopen), so a binary pays for loading it only
// on the paths that need it: an agent's monitor, run every few seconds, should cost an
// exec and little more. Symbols keep the types of the library's own header:
//   SharedLibrary lib({"libmount.so.1"});
//   decltype(&mnt_new_context) new_context = nullptr;
//   if (auto ok = lib.bind(new_context, "mnt_new_context"); !ok) ...

#include <initializer_list>
#include <string>
#include <vector>

#include "core/result.h"

namespace sft::sys {

class SharedLibrary {
 public:
  // Candidate sonames, tried in order (libqb is libqb.so.100 on EL9, libqb.so.0 on EL8).
  SharedLibrary(std::initializer_list<const char*> sonames);
  ~SharedLibrary();
  SharedLibrary(const SharedLibrary&) = delete;
  SharedLibrary& operator=(const SharedLibrary&) = delete;

  // Loads the library if needed and sets `fn` to `symbol`. Errc::not_installed naming
  // the library (or the symbol) when it cannot.
  template <class Fn>
  Result<void> bind(Fn*& fn, const char* symbol) {
    auto address = lookup(symbol);
    if (!address) return std::unexpected(address.error());
    fn = reinterpret_cast<Fn*>(*address);
    return {};
  }

 private:
  Result<void*> lookup(const char* symbol);
  std::vector<const char*> m_sonames;
  void* m_handle = nullptr;
  std::string m_error;  // why loading failed, kept so later calls say the same
};

}  // namespace sft::sys
