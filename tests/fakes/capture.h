#pragma once
// Captures what the code under test writes on a file descriptor (stdout, stderr),
// through stdio and write(2) alike, until text() is called or the capture ends.

#include <unistd.h>

#include <cstdio>
#include <string>

namespace sft::fakes {

class Capture {
 public:
  explicit Capture(int fd) : m_fd(fd), m_file(std::tmpfile()) {
    std::fflush(nullptr);
    m_saved = ::dup(m_fd);
    ::dup2(::fileno(m_file), m_fd);
  }
  ~Capture() {
    restore();
    std::fclose(m_file);
  }
  Capture(const Capture&) = delete;
  Capture& operator=(const Capture&) = delete;

  // Stops capturing and returns everything written meanwhile.
  std::string text() {
    restore();
    std::string out;
    std::rewind(m_file);
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, m_file)) > 0;) out.append(buf, n);
    return out;
  }

 private:
  void restore() {
    if (m_saved < 0) return;
    std::fflush(nullptr);
    ::dup2(m_saved, m_fd);
    ::close(m_saved);
    m_saved = -1;
  }
  int m_fd;
  std::FILE* m_file;
  int m_saved = -1;
};

}  // namespace sft::fakes
