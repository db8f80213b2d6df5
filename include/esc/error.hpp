#pragma once
/// The one error hierarchy of esc. Each kind maps to one exit code
/// (sysexits-style); the CLI catches `esc::Error` in one place and prints
/// `esc: error: <message>`.

#include <stdexcept>
#include <string>

namespace esc {

enum class ErrorKind {
  usage = 64,        ///< bad command line
  data = 65,         ///< bad input data, or a move the policy does not allow
  not_found = 66,    ///< no such case, policy or file
  internal = 70,     ///< a bug
  cant_create = 73,  ///< cannot create the store or a file
  io = 74,           ///< read or write failed
  busy = 75,         ///< the store stayed locked past the busy timeout
  config = 78,       ///< bad policy or configuration
};

/// Exit code for an error kind.
constexpr int exit_code(ErrorKind kind) { return static_cast<int>(kind); }

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

struct UsageError : Error {
  explicit UsageError(const std::string& m) : Error(ErrorKind::usage, m) {}
};
struct DataError : Error {
  explicit DataError(const std::string& m) : Error(ErrorKind::data, m) {}
};
struct NotFoundError : Error {
  explicit NotFoundError(const std::string& m) : Error(ErrorKind::not_found, m) {}
};
struct InternalError : Error {
  explicit InternalError(const std::string& m) : Error(ErrorKind::internal, m) {}
};
struct CantCreateError : Error {
  explicit CantCreateError(const std::string& m) : Error(ErrorKind::cant_create, m) {}
};
struct IoError : Error {
  explicit IoError(const std::string& m) : Error(ErrorKind::io, m) {}
};
struct BusyError : Error {
  explicit BusyError(const std::string& m) : Error(ErrorKind::busy, m) {}
};
/// A policy file that cannot be used: always names the file, and the line and
/// column where there is one.
struct PolicyError : Error {
  explicit PolicyError(const std::string& m) : Error(ErrorKind::config, m) {}
};

}  // namespace esc
