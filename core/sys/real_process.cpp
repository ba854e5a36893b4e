// RealSystem: child processes. argv only, never a shell; every wait is bounded by the
// caller's deadline.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "core/sys/real_system.h"

extern char** environ;

namespace sft::sys {
namespace {

struct Pipe {
  int fd[2] = {-1, -1};
  ~Pipe() {
    for (int f : fd)
      if (f >= 0) ::close(f);
  }
  bool open() { return ::pipe2(fd, O_CLOEXEC) == 0; }
  void close_end(int i) {
    if (fd[i] >= 0) ::close(fd[i]);
    fd[i] = -1;
  }
};

int poll_timeout(const Deadline& d) { return static_cast<int>(std::min<Millis::rep>(d.remaining().count(), 60'000)); }

// Reaps pid, waiting at most until the deadline. Returns false if it is still running
// at the deadline; an error if the exit status is lost (SIGCHLD ignored by whoever
// started us: the kernel then reaps children itself), since guessing "0" could turn a
// failed fsck into a mount.
Result<bool> reap(pid_t pid, const Deadline& d, int& status) {
  for (;;) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return true;
    if (r < 0 && errno != EINTR) return errno_fail("waitpid " + std::to_string(pid), errno);
    if (d.expired()) return false;
    d.sleep_for(Millis(2));
  }
}

// Reads the pipes until both close or the deadline passes.
bool drain(std::array<int, 2> fds, std::array<std::string*, 2> into, const Deadline& d) {
  char buf[8192];
  int open_count = (fds[0] >= 0 ? 1 : 0) + (fds[1] >= 0 ? 1 : 0);
  while (open_count > 0) {
    pollfd p[2];
    for (int i = 0; i < 2; ++i) p[i] = {fds[i], POLLIN, 0};
    if (d.expired()) return false;
    const int r = ::poll(p, 2, poll_timeout(d));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) continue;  // re-checks the deadline
    for (int i = 0; i < 2; ++i) {
      if (fds[i] < 0 || (p[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      const ssize_t n = ::read(fds[i], buf, sizeof buf);
      if (n > 0) {
        into[i]->append(buf, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i] = -1;
        --open_count;
      }
    }
  }
  return true;
}

}  // namespace

Result<ProcessResult> RealSystem::run(const std::vector<std::string>& argv, const Deadline& d) {
  if (argv.empty()) return fail(Errc::invalid_argument, "run: empty command");
  Pipe out, err;
  if (!out.open() || !err.open()) return errno_fail("pipe", errno);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out.fd[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err.fd[1], 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // The child starts with default signal handling and no blocked signals.
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  // Its own process group, so a deadline kills what it started too (drbdadm runs
  // drbdsetup, which may run a DRBD handler).
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);

  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = ::posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    return fail(rc == ENOENT ? Errc::not_installed : Errc::generic, argv[0] + ": cannot run: " + std::strerror(rc));
  }
  out.close_end(1);
  err.close_end(1);

  ProcessResult result;
  int status = 0;
  const bool drained = drain({out.fd[0], err.fd[0]}, {&result.out, &result.err}, d);
  auto reaped = drained ? reap(pid, d, status) : Result<bool>(false);
  if (!reaped) return std::unexpected(reaped.error());
  if (!*reaped) {
    ::kill(-pid, SIGKILL);
    ::waitpid(pid, &status, WNOHANG);
    return fail(Errc::timeout, argv[0] + ": did not finish before the deadline; killed");
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  return result;
}

Result<int> RealSystem::run_in_child(const std::function<int()>& fn, const Deadline& d) {
  // The child keeps the write end of a pipe open until it exits; its end of file tells
  // the parent, and poll() bounds the wait.
  Pipe done;
  if (!done.open()) return errno_fail("pipe", errno);
  const pid_t pid = ::fork();
  if (pid < 0) return errno_fail("fork", errno);
  if (pid == 0) {
    ::close(done.fd[0]);
    // The child may outlive the agent (stuck in I/O): it must not hold the agent's
    // stdout/stderr, or whoever reads them would wait for the device too.
    const int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    for (int fd = 0; fd <= 2 && null_fd >= 0; ++fd) ::dup2(null_fd, fd);
    int rc = 255;
    try {
      rc = fn() & 0xff;
    } catch (...) {
      // Unwinding would run the rest of the parent's main() in the child.
    }
    ::_exit(rc);
  }
  done.close_end(1);
  std::string ignored;
  if (!drain({done.fd[0], -1}, {&ignored, &ignored}, d)) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, WNOHANG);
    return fail(Errc::timeout, "child " + std::to_string(pid) + " did not finish before the deadline");
  }
  int status = 0;
  auto reaped = reap(pid, d, status);
  if (!reaped) return std::unexpected(reaped.error());
  if (!*reaped) {
    ::kill(pid, SIGKILL);
    return fail(Errc::timeout, "child " + std::to_string(pid) + " did not exit before the deadline");
  }
  if (WIFSIGNALED(status)) return fail(Errc::generic, "child killed by signal " + std::to_string(WTERMSIG(status)));
  return WEXITSTATUS(status);
}

}  // namespace sft::sys
