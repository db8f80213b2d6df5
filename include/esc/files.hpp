#pragma once
/// Writing a private file whole or not at all: the anchor, the export and
/// the backup are all written this one way.

#include <esc/error.hpp>

#include <functional>
#include <ostream>
#include <streambuf>
#include <string>
#include <vector>

namespace esc {

/// Whether write_private_file may replace an existing file.
enum class Replace { no, yes };

/// Thrown by write_private_file with Replace::no when the target exists;
/// the file is left as it was.
struct FileExistsError : CantCreateError {
  explicit FileExistsError(const std::string& m) : CantCreateError(m) {}
};

/// The temporary file being filled: an open descriptor and its path (for a
/// writer, such as SQLite, that needs a name). It exists, is empty and is
/// mode 0600.
struct PrivateFile {
  int fd = -1;
  std::string path;
};

/// Writes `target` private (mode 0600 whatever the umask) and whole or not
/// at all. A new temporary file is made beside it (O_CREAT | O_EXCL, so
/// never a file or link that was already there), filled by `fill`, synced,
/// then renamed over `target` (Replace::yes), or linked to it (Replace::no:
/// an existing `target` is refused with FileExistsError, before `fill` runs
/// and again at the link, and never touched); then the directory is synced.
/// When anything fails, `fill` included, the temporary file (with any -wal,
/// -shm or -journal SQLite left beside it) is removed and the error passed
/// on; `target` is then as it was.
void write_private_file(const std::string& target, Replace replace, const std::function<void(PrivateFile&)>& fill);

/// An output stream writing to a descriptor (not owned), for `fill`.
/// error() is the errno of the first failed write, 0 when none failed.
class FdOStream : public std::ostream {
 public:
  explicit FdOStream(int fd);
  int error() const { return buf_.error; }

 private:
  struct Buf : std::streambuf {
    explicit Buf(int fd);
    int fd;
    int error = 0;
    std::vector<char> space;
    bool drain();
    int_type overflow(int_type c) override;
    int sync() override;
  };
  Buf buf_;
};

}  // namespace esc
