#include "mock_server/app/state_file.hpp"

#include <utility>

#include "mock_server/codec/state_file_codec.hpp"

namespace multihook::app {
namespace {

std::string DirectoryOf(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

StateFile::StateFile(std::string path, FileEnv& env)
    : path_(std::move(path)),
      temp_path_(path_ + ".tmp"),
      directory_(DirectoryOf(path_)),
      env_(env) {}

core::Result<std::optional<core::StoreState>> StateFile::Load() {
  MULTIHOOK_ASSIGN_OR_RETURN(const std::optional<std::string> text, env_.ReadFile(path_));
  if (!text) {
    // Said now rather than at the first change, which could only log it.
    MULTIHOOK_RETURN_IF_ERROR(env_.CheckWritableDirectory(directory_));
    return std::optional<core::StoreState>();
  }
  MULTIHOOK_ASSIGN_OR_RETURN(core::StoreState state, codec::DecodeStateFile(*text));
  return std::optional<core::StoreState>(std::move(state));
}

core::Status StateFile::Save(const core::StoreState& state, std::uint64_t version) {
  std::string text = codec::EncodeStateFile(state);  // outside the lock
  mu_.Lock();
  if (version > queued_version_) {
    queued_text_ = std::move(text);
    queued_version_ = version;
  }
  while (attempted_version_ < version) {
    if (writing_) {
      ++waiting_;
      written_.Wait(mu_);
      --waiting_;
      continue;
    }
    // This thread writes the newest queued state, for itself and every waiter it covers.
    writing_ = true;
    const std::uint64_t writing_version = queued_version_;
    const std::string batch = std::move(queued_text_);
    mu_.Unlock();
    core::Status status = Replace(batch);
    mu_.Lock();
    writing_ = false;
    attempted_version_ = writing_version;
    attempt_status_ = std::move(status);
    written_.NotifyAll();
  }
  core::Status status = attempt_status_;
  mu_.Unlock();
  return status;
}

std::uint64_t StateFile::queued_version() const {
  core::MutexLock lock(mu_);
  return queued_version_;
}

std::size_t StateFile::waiting() const {
  core::MutexLock lock(mu_);
  return waiting_;
}

core::Status StateFile::Replace(const std::string& text) {
  core::Status status = env_.WriteSyncedFile(temp_path_, text);
  if (status.ok()) status = env_.Rename(temp_path_, path_);
  if (!status.ok()) {
    (void)env_.RemoveFile(temp_path_);  // the failure above is the one worth reporting
    return status;
  }
  return env_.SyncDirectory(directory_);
}

}  // namespace multihook::app
