#include "core/sys/shared_library.h"

#include <dlfcn.h>

namespace sft::sys {

SharedLibrary::SharedLibrary(std::initializer_list<const char*> sonames) : m_sonames(sonames) {}

SharedLibrary::~SharedLibrary() {
  if (m_handle != nullptr) dlclose(m_handle);
}

Result<void*> SharedLibrary::lookup(const char* symbol) {
  if (m_handle == nullptr && m_error.empty()) {
    for (const char* soname : m_sonames) {
      m_handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
      if (m_handle != nullptr) break;
      const char* why = dlerror();
      m_error = why != nullptr ? why : soname;
    }
    if (m_handle != nullptr) m_error.clear();
  }
  if (m_handle == nullptr) return fail(Errc::not_installed, "cannot load " + m_error);
  void* address = dlsym(m_handle, symbol);
  if (address == nullptr) return fail(Errc::not_installed, std::string(m_sonames.front()) + " lacks " + symbol);
  return address;
}

}  // namespace sft::sys
