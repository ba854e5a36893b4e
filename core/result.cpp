#include "core/result.h"

#include <cerrno>
#include <cstring>

namespace sft {

std::unexpected<Error> errno_fail(std::string context, int err) {
  const Errc code = (err == EACCES || err == EPERM) ? Errc::permission
                    : err == ETIMEDOUT             ? Errc::timeout
                    : err == EBUSY                 ? Errc::busy
                                                   : Errc::generic;
  return fail(code, std::move(context) + ": " + std::strerror(err));
}

Error with_context(Error e, std::string_view context) {
  e.message = std::string(context) + ": " + e.message;
  return e;
}

}  // namespace sft
