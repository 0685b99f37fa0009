// StateFile: the --state-file of one mock. Load() reads the saved state at startup; Save() replaces
// the file with a newer state atomically and durably: the text goes to PATH.tmp in the same
// directory, which is fsynced, renamed over PATH and the directory fsynced, so that a crash at any
// instant leaves either the old file or the new one, never a mix.
//
// Saves are group commits, in the spirit of leveldb's writer queue: a save that arrives while
// another thread writes queues its state (when it is newer than the one queued) and waits; the
// next writer writes the newest queued state for every waiter it covers. A state older than one
// already written is never written after it. No lock is held across I/O.
//
// Thread-safe. The FileEnv must outlive it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "mock_server/app/file_env.hpp"
#include "mock_server/core/mutex.hpp"
#include "mock_server/core/status.hpp"
#include "mock_server/core/store_state.hpp"

namespace multihook::app {

class StateFile {
 public:
  StateFile(std::string path, FileEnv& env);

  StateFile(const StateFile&) = delete;
  StateFile& operator=(const StateFile&) = delete;

  // The saved state, or nullopt when the file does not exist yet (its directory must then be
  // writable). A file that cannot be read or decoded is an error saying why.
  core::Result<std::optional<core::StoreState>> Load();

  // Returns once `state` (number `version` in the store's order) or a later one is on the disk,
  // with the status of the write that covered it.
  core::Status Save(const core::StoreState& state, std::uint64_t version);

  const std::string& path() const { return path_; }
  // For tests of the queue: the newest version queued, and how many saves wait for a write.
  std::uint64_t queued_version() const;
  std::size_t waiting() const;

 private:
  // The write protocol itself: temp file, fsync, rename, directory fsync.
  core::Status Replace(const std::string& text);

  const std::string path_;
  const std::string temp_path_;
  const std::string directory_;
  FileEnv& env_;

  mutable core::Mutex mu_;
  core::CondVar written_;  // signalled after every write attempt
  std::string queued_text_ ABSL_GUARDED_BY(mu_);
  std::uint64_t queued_version_ ABSL_GUARDED_BY(mu_) = 0;
  std::uint64_t attempted_version_ ABSL_GUARDED_BY(mu_) = 0;
  core::Status attempt_status_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  std::size_t waiting_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace multihook::app
