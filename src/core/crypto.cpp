#include <esc/crypto.hpp>
#include <esc/error.hpp>

#include <openssl/evp.h>
#include <sys/random.h>

#include <array>
#include <cerrno>
#include <cstddef>

namespace esc {

namespace {

/// The bytes as lowercase hex digits.
void append_hex(std::string& out, const unsigned char* bytes, size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; ++i) {
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 0x0f];
  }
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr) != 1)
    throw InternalError("SHA-256 failed");
  std::string out;
  out.reserve(len * 2);
  append_hex(out, md.data(), len);
  return out;
}

std::string new_uuid() {
  // The kernel's random generator (getrandom(2)), as OpenSSL's own is seeded
  // from: a process that makes one or two identifiers does not pay for
  // setting up a generator of its own.
  std::array<unsigned char, 16> b{};
  size_t got = 0;
  while (got < b.size()) {
    ssize_t n = getrandom(b.data() + got, b.size() - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw InternalError("no random bytes for a UUID");
    got += static_cast<size_t>(n);
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    append_hex(out, &b[i], 1);
  }
  return out;
}

}  // namespace esc
