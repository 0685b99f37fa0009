// FileEnv: the file-system operations of the state file (--state-file), in the spirit of
// leveldb's Env: PosixFileEnv is the one place that touches the disk, and tests swap in an
// in-memory fake to check the write protocol and its failures without one. Errors are
// failed_precondition statuses whose reason names the path and the system's reason.
//
// Implementations are thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "mock_server/core/status.hpp"

namespace multihook::app {

class FileEnv {
 public:
  virtual ~FileEnv() = default;

  // The whole file; nullopt when it does not exist.
  virtual core::Result<std::optional<std::string>> ReadFile(const std::string& path) = 0;
  // Creates or truncates `path` with mode 0600, writes `contents`, and fsyncs it before closing.
  virtual core::Status WriteSyncedFile(const std::string& path, std::string_view contents) = 0;
  // rename(2): `to` is replaced atomically.
  virtual core::Status Rename(const std::string& from, const std::string& to) = 0;
  // fsync(2) of a directory, which makes a rename in it durable.
  virtual core::Status SyncDirectory(const std::string& dir) = 0;
  virtual core::Status RemoveFile(const std::string& path) = 0;
  // Ok when `dir` is a directory this process may create files in.
  virtual core::Status CheckWritableDirectory(const std::string& dir) = 0;
};

// The real file system (POSIX).
class PosixFileEnv final : public FileEnv {
 public:
  core::Result<std::optional<std::string>> ReadFile(const std::string& path) override;
  core::Status WriteSyncedFile(const std::string& path, std::string_view contents) override;
  core::Status Rename(const std::string& from, const std::string& to) override;
  core::Status SyncDirectory(const std::string& dir) override;
  core::Status RemoveFile(const std::string& path) override;
  core::Status CheckWritableDirectory(const std::string& dir) override;
};

}  // namespace multihook::app
