// Fuzz target: the command line of every command, parsed and checked with the
// real command table by esc::cli::run(args, parse_only = true), which runs no
// command. Any exit status is fine; a crash, undefined behaviour, an escaped
// exception or a store being created is a bug. The same input also goes
// through safe(), which makes stored text fit for a terminal: what it returns
// must hold no escape character, and safe() must leave it as it is.
//
// Input: arguments separated by NUL bytes when the input has any, otherwise by
// newlines (so seed files are readable; a final newline is ignored). When the
// first argument is a command name, "help", or starts with '-', the arguments
// are used as they are. When it starts with '!', the rest of it is the first
// argument (an unknown command). Otherwise its first byte picks the command
// from the table and the other arguments are that command's.

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

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setup();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;  // argv holds no more than this in practice
  std::string_view text{reinterpret_cast<const char*>(data), size};
  std::string shown = esc::cli::safe(std::string(text));
  if (shown.find('\x1b') != std::string::npos || esc::cli::safe(shown) != shown) std::abort();
  std::vector<std::string> args = split(text);
  if (!args.empty()) {
    std::string& first = args.front();
    auto table = esc::cli::command_table();
    bool named = first == "help" || (!first.empty() && first[0] == '-');
    for (const auto& c : table) named = named || first == c.name;
    if (!named) {
      if (!first.empty() && first[0] == '!') first.erase(0, 1);
      else
        first = table[first.empty() ? 0 : static_cast<unsigned char>(first[0]) % table.size()].name;
    }
  }
  esc::cli::run(args, true);
  if (access(g_db.c_str(), F_OK) == 0) std::abort();  // parsing must not create a store
  return 0;
}
