#pragma once
/// The tamper-evident chain. Every case (what it was raised with and its
/// parties), every event (stage change, pause, resume, extension, resolution,
/// with the deadline moves it caused) and every record is one entry of the
/// chain in the `ledger` table. An entry's hash is SHA-256 over a canonical
/// encoding of the row's fields, the hash of the case's previous entry and
/// the hash of the store's previous entry. Changing, inserting, removing or
/// reordering rows breaks it; removing the newest entries is caught against a
/// head anchor kept outside the store. Store::verify and Store::head_anchor
/// (store.hpp) read it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace esc {

/// The head of the chain: how many entries and the last hash.
struct Anchor {
  int64_t entries = 0;
  std::string last_hash;
};

/// One thing verify_chain found wrong: a line for people, and the case it
/// is about when it is about one (the text then starts "case N: ").
struct Problem {
  std::optional<int64_t> case_id;
  std::string text;
};

struct VerifyResult {
  std::vector<Problem> problems;  ///< empty: all is well
  int64_t cases = 0;
  Anchor head;
  bool ok() const { return problems.empty(); }
};

/// An anchor as a one-line JSON object, and back. parse_anchor throws
/// DataError naming `origin` when the text is not an anchor.
std::string anchor_text(const Anchor& a);
Anchor parse_anchor(const std::string& text, const std::string& origin);

}  // namespace esc
