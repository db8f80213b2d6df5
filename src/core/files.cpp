#include <esc/files.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace esc {

namespace fs = std::filesystem;

namespace {

std::string errno_text(int err) { return std::strerror(err); }

/// Removes what SQLite may have left beside the temporary file, and the
/// file itself unless it was renamed away.
void remove_temporary(const std::string& tmp, bool file_too) {
  for (const char* suffix : {"-wal", "-shm", "-journal"}) ::unlink((tmp + suffix).c_str());
  if (file_too) ::unlink(tmp.c_str());
}

/// Syncs the directory, so the new name survives a crash as the file does.
void sync_directory(const fs::path& dir, const std::string& target) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw IoError(fmt::format("{} was written, but its directory cannot be synced: {}", target,
                                        errno_text(errno)));
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  // Some file systems cannot sync a directory at all; there is nothing more to do there.
  if (rc != 0 && err != EINVAL && err != ENOTSUP)
    throw IoError(fmt::format("{} was written, but its directory cannot be synced: {}", target, errno_text(err)));
}

}  // namespace

void write_private_file(const std::string& target, Replace replace, const std::function<void(PrivateFile&)>& fill) {
  auto exists_error = [&] { return FileExistsError(fmt::format("{} exists and is never overwritten", target)); };
  fs::path dir = fs::path(target).parent_path();
  std::error_code ec;
  if (!dir.empty() && !fs::is_directory(dir, ec))
    throw CantCreateError(fmt::format("cannot write {}: the directory {} does not exist", target, dir.string()));
  struct stat st{};
  if (replace == Replace::no && ::lstat(target.c_str(), &st) == 0) throw exists_error();

  // mkostemp opens with O_CREAT | O_EXCL; fchmod makes it 0600 whatever the umask.
  std::string pattern = target + ".tmp-XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  PrivateFile f;
  f.fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (f.fd < 0) throw CantCreateError(fmt::format("cannot write {}: {}", target, errno_text(errno)));
  f.path = name.data();
  bool placed = false;
  try {
    if (::fchmod(f.fd, 0600) != 0)
      throw CantCreateError(fmt::format("cannot make {} private (mode 0600): {}", target, errno_text(errno)));
    fill(f);
    if (::fsync(f.fd) != 0) throw IoError(fmt::format("cannot write {}: {}", target, errno_text(errno)));
    int fd = f.fd;
    f.fd = -1;
    if (::close(fd) != 0) throw IoError(fmt::format("cannot write {}: {}", target, errno_text(errno)));
    if (replace == Replace::yes) {
      if (::rename(f.path.c_str(), target.c_str()) != 0)
        throw IoError(fmt::format("cannot write {}: {}", target, errno_text(errno)));
    } else {
      // link() never replaces a file that appeared meanwhile.
      if (::link(f.path.c_str(), target.c_str()) != 0) {
        if (errno == EEXIST) throw exists_error();
        throw CantCreateError(fmt::format("cannot write {}: {}", target, errno_text(errno)));
      }
    }
    placed = true;
    remove_temporary(f.path, replace == Replace::no);  // after link(), the file's second name
    sync_directory(dir, target);
  } catch (...) {
    if (f.fd >= 0) ::close(f.fd);
    if (!placed) remove_temporary(f.path, true);
    throw;
  }
}

FdOStream::Buf::Buf(int fd_) : fd(fd_), space(1 << 16) { setp(space.data(), space.data() + space.size()); }

bool FdOStream::Buf::drain() {
  const char* p = pbase();
  while (p < pptr()) {
    ssize_t n = ::write(fd, p, static_cast<size_t>(pptr() - p));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (error == 0) error = n < 0 ? errno : EIO;
      return false;
    }
    p += n;
  }
  setp(space.data(), space.data() + space.size());
  return true;
}

FdOStream::Buf::int_type FdOStream::Buf::overflow(int_type c) {
  if (error != 0 || !drain()) return traits_type::eof();
  if (!traits_type::eq_int_type(c, traits_type::eof())) {
    *pptr() = traits_type::to_char_type(c);
    pbump(1);
    return c;
  }
  return traits_type::not_eof(c);
}

int FdOStream::Buf::sync() { return error == 0 && drain() ? 0 : -1; }

FdOStream::FdOStream(int fd) : std::ostream(nullptr), buf_(fd) { rdbuf(&buf_); }

}  // namespace esc
