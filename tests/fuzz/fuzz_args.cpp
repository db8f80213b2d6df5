// Fuzz target: the command line of every command, parsed and checked with the
// real command table by esc::cli::run(args, parse_only = true), which runs no
// command; `esc __complete words ...` (the shell completions' word parser)
// runs too, printing nothing and opening no store. Any exit status is fine; a
// crash, undefined behaviour, an escaped exception or a store being created is
// a bug. The same input also goes through safe(), which makes stored text fit
// for a terminal: what it returns must be valid UTF-8 holding nothing a
// terminal acts on (see terminal_safe()), and safe() must leave it as it is.
//
// Input: arguments separated by NUL bytes when the input has any, otherwise by
// newlines (so seed files are readable; a final newline is ignored). When the
// first argument is a command name, "__complete", "help", or starts with '-',
// the arguments are used as they are. When it starts with '!', the rest of it
// is the first argument (an unknown command). Otherwise its first byte picks
// the command from the table, or `__complete words` after the table's last,
// and the other arguments are that command's.

#include "cli/app.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace {

std::string g_db;  // the scratch store path; nothing may ever create it

void cleanup() {
  std::error_code ec;
  std::filesystem::remove_all(std::filesystem::path(g_db).parent_path(), ec);
}

void setup() {
  // A scratch directory for everything esc might look at: parsing never opens
  // the store, but if it ever did, it would not touch a real one.
  const char* tmp = std::getenv("TMPDIR");
  std::string dir = std::string(tmp && *tmp ? tmp : "/tmp") + "/esc-fuzz-args-XXXXXX";
  if (!mkdtemp(dir.data())) std::abort();
  g_db = dir + "/esc.db";
  setenv("ESC_DB", g_db.c_str(), 1);
  setenv("HOME", dir.c_str(), 1);
  setenv("XDG_DATA_HOME", dir.c_str(), 1);
  setenv("XDG_CONFIG_HOME", dir.c_str(), 1);
  unsetenv("ESC_NOW");
  std::atexit(cleanup);
  // Errors are printed for every input: keep them off the screen (and fast)
  // unless asked for.
  if (!std::getenv("ESC_FUZZ_VERBOSE")) {
    std::cerr.rdbuf(nullptr);
    std::cout.rdbuf(nullptr);
  }
}

std::vector<std::string> split(std::string_view in) {
  char sep = in.find('\0') != std::string_view::npos ? '\0' : '\n';
  if (sep == '\n' && !in.empty() && in.back() == '\n') in.remove_suffix(1);
  std::vector<std::string> out;
  if (in.empty()) return out;
  size_t start = 0;
  while (true) {
    size_t end = in.find(sep, start);
    out.emplace_back(in.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

/// Whether `s` is valid UTF-8 without C0 controls (but tab and newline, which
/// safe() keeps), DEL, C1 controls (U+0080 to U+009F), bidirectional
/// overrides (U+202A to U+202E) or isolates (U+2066 to U+2069). Written
/// here on purpose rather than shared with safe() (cli/output.cpp), so a
/// mistake in safe()'s decoder is not repeated in the check of it.
bool terminal_safe(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char b0 = byte(i);
    uint32_t cp;
    size_t len;
    if (b0 < 0x80) cp = b0, len = 1;
    else if (b0 >= 0xC2 && b0 <= 0xDF) cp = b0 & 0x1Fu, len = 2;
    else if (b0 >= 0xE0 && b0 <= 0xEF) cp = b0 & 0x0Fu, len = 3;
    else if (b0 >= 0xF0 && b0 <= 0xF4) cp = b0 & 0x07u, len = 4;
    else return false;  // a continuation byte, C0, C1 or F5 to FF as a lead
    if (s.size() - i < len) return false;  // truncated
    for (size_t k = 1; k < len; ++k) {
      if ((byte(i + k) & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (byte(i + k) & 0x3Fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return false;  // overlong
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return false;       // surrogate, too large
    if (cp < 0x20 && cp != '\t' && cp != '\n') return false;                  // C0
    if (cp >= 0x7F && cp <= 0x9F) return false;                                // DEL, C1
    if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) return false;  // bidi
    i += len;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setup();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;  // argv holds no more than this in practice
  std::string_view text{reinterpret_cast<const char*>(data), size};
  std::string shown = esc::cli::safe(std::string(text));
  if (!terminal_safe(shown) || esc::cli::safe(shown) != shown) std::abort();
  std::vector<std::string> args = split(text);
  if (!args.empty()) {
    std::string& first = args.front();
    auto table = esc::cli::command_table();
    bool named = first == "help" || first == "__complete" || (!first.empty() && first[0] == '-');
    for (const auto& c : table) named = named || first == c.name;
    if (!named) {
      if (!first.empty() && first[0] == '!') {
        first.erase(0, 1);
      } else {
        // One more choice than the table has: the completions' word parser.
        size_t pick = first.empty() ? 0 : static_cast<unsigned char>(first[0]) % (table.size() + 1);
        if (pick < table.size()) {
          first = table[pick].name;
        } else {
          first = "__complete";
          args.insert(args.begin() + 1, "words");
        }
      }
    }
  }
  esc::cli::run(args, true);
  if (access(g_db.c_str(), F_OK) == 0) std::abort();  // parsing must not create a store
  return 0;
}
