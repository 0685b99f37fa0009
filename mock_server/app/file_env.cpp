#include "mock_server/app/file_env.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace multihook::app {
namespace {

// "cannot <what> '<path>': <strerror(errno)>"; reads errno, so call it right after the failure.
core::Status SystemError(std::string_view what, const std::string& path) {
  return core::Status(core::StatusCode::kFailedPrecondition, "",
                      "cannot " + std::string(what) + " '" + path + "': " + std::strerror(errno));
}

// Closes a descriptor on every path out of a function.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }
  // close(2) whose error counts (a write may report its failure only here).
  int Close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

}  // namespace

core::Result<std::optional<std::string>> PosixFileEnv::ReadFile(const std::string& path) {
  Descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return SystemError("read", path);
  }
  std::string contents;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return SystemError("read", path);
    if (n == 0) break;
    contents.append(buffer, static_cast<std::size_t>(n));
  }
  return std::optional<std::string>(std::move(contents));
}

core::Status PosixFileEnv::WriteSyncedFile(const std::string& path, std::string_view contents) {
  Descriptor fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (fd.get() < 0) return SystemError("create", path);
  // O_CREAT does not change the mode of a file left over from an earlier run.
  if (::fchmod(fd.get(), 0600) != 0) return SystemError("chmod", path);
  while (!contents.empty()) {
    const ssize_t n = ::write(fd.get(), contents.data(), contents.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return SystemError("write", path);
    contents.remove_prefix(static_cast<std::size_t>(n));
  }
  if (::fsync(fd.get()) != 0) return SystemError("fsync", path);
  if (fd.Close() != 0) return SystemError("close", path);
  return core::Status::Ok();
}

core::Status PosixFileEnv::Rename(const std::string& from, const std::string& to) {
  if (std::rename(from.c_str(), to.c_str()) != 0) return SystemError("rename to", to);
  return core::Status::Ok();
}

core::Status PosixFileEnv::SyncDirectory(const std::string& dir) {
  Descriptor fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return SystemError("open directory", dir);
  if (::fsync(fd.get()) != 0) return SystemError("fsync directory", dir);
  return core::Status::Ok();
}

core::Status PosixFileEnv::RemoveFile(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return SystemError("remove", path);
  return core::Status::Ok();
}

core::Status PosixFileEnv::CheckWritableDirectory(const std::string& dir) {
  struct stat info {};
  if (::stat(dir.c_str(), &info) != 0) return SystemError("use directory", dir);
  if (!S_ISDIR(info.st_mode)) {
    return core::Status(core::StatusCode::kFailedPrecondition, "",
                        "cannot use directory '" + dir + "': not a directory");
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) return SystemError("write in directory", dir);
  return core::Status::Ok();
}

}  // namespace multihook::app
