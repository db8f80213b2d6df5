#pragma once
/// Hashes (OpenSSL's libcrypto) and identifiers (the kernel's random
/// generator): no hand-written crypto.

#include <string>
#include <string_view>

namespace esc {

/// SHA-256 of the bytes, as 64 lowercase hex digits.
std::string sha256_hex(std::string_view data);
/// A random (version 4) UUID, lowercase, 36 characters.
std::string new_uuid();

}  // namespace esc
