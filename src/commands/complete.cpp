// esc __complete words WORD...: the candidates the shell completions offer.
//
// Not a command (the app hands it the arguments, so `esc help` never shows
// it): it is for the completion scripts, which ask it rather than copy any
// list, so they cannot drift from the program. WORD... is everything after
// `esc` on the command line up to the cursor, the last word being the one
// completed; the candidates for that word are printed one a line, "VALUE" or
// "VALUE<TAB>DESCRIPTION"; the single line ":files" asks the shell to complete
// file names. It never fails noisily: on any error it prints what it has
// (often nothing) and exits 0.
//
// `__complete` must be esc's first argument (the scripts pass global options
// such as --db among the words).

#include "cli/case_view.hpp"
#include "cli/commands.hpp"

#include <esc/calendar.hpp>
#include <esc/policy.hpp>
#include <esc/store.hpp>

#include <fmt/format.h>

#include <iostream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace esc::cli {

namespace {

using Words = std::vector<std::string>;

/// One candidate: a tab separates it from its description, so neither may
/// hold a control character.
void emit(const std::string& value, const std::string& description = "", const std::string& prefix = "") {
  auto clean = [](std::string s) {
    for (char& ch : s)
      if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ch = ' ';
    return s;
  };
  std::cout << clean(prefix + value);
  if (!description.empty()) std::cout << '\t' << clean(description);
  std::cout << '\n';
}

/// Every subcommand of `app` (CLI11's get_subcommands() without a filter
/// gives only those parsed).
std::vector<const CLI::App*> subcommands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App*) { return true; });
}

const CLI::App* find_subcommand(const CLI::App& app, const std::string& name) {
  for (const CLI::App* s : subcommands(app))
    if (s->get_name() == name) return s;
  return nullptr;
}

// --- the lists ---------------------------------------------------------------

void list_commands(const CLI::App& root, bool with_help) {
  for (const CLI::App* s : subcommands(root)) emit(s->get_name(), s->get_description());
  if (with_help) emit("help", "Show the commands, or one command's usage and options");
}

/// The options of `app`, then those of esc itself that work after a command.
void list_options(const CLI::App& app) {
  for (const CLI::App* a = &app; a != nullptr; a = a->get_parent()) {
    bool own = a == &app;
    for (const CLI::Option* o : a->get_options([](const CLI::Option* o) { return o->nonpositional(); })) {
      bool is_help = o == a->get_help_ptr() || o == a->get_help_all_ptr();
      if (!own && (is_help || o->get_name() == "--version")) continue;
      std::string description = is_help ? "Print the usage and options" : o->get_description();
      for (const auto& l : o->get_lnames()) emit("--" + l, description);
      for (const auto& s : o->get_snames()) emit("-" + s, description);
    }
  }
}

void list_policies(const Context& ctx, const std::string& prefix) {
  auto lib = ctx.policies();
  for (const auto& e : lib.list()) {
    std::string partnership;
    try {
      partnership = lib.load(e.id).partnership;
    } catch (...) {
      // A broken file still has an id worth offering.
    }
    emit(e.id, partnership, prefix);
  }
}

void list_categories(const Context& ctx, const std::string& policy, const std::string& prefix) {
  if (policy.empty()) return;
  Policy p = ctx.policies().load(policy);
  for (const auto& c : p.categories) emit(c.id, c.label, prefix);
}

void list_plain(const std::vector<std::string>& values, const std::string& prefix) {
  for (const auto& v : values) emit(v, "", prefix);
}

/// The open cases; nothing, and no store created, when there is none yet.
void list_cases(const Context& ctx, const std::string& prefix = "") {
  StorePathInputs in;
  if (!ctx.db_path.empty()) in.db_option = ctx.db_path;
  in.esc_db = Context::env("ESC_DB");
  in.xdg_data_home = Context::env("XDG_DATA_HOME");
  in.home = Context::env("HOME");
  StorePath where = store_path(in);
  Store store(where, false);
  PolicyLibrary policies = ctx.policies();
  SystemClock clock;
  Service service(store, policies, clock);
  for (const auto& c : service.list(ListFilter{}, false))
    emit(std::to_string(c.id),
         fmt::format("{} stage {}, {}{}", c.policy_id, c.stage, c.category, c.status == CaseStatus::open ? "" : ", " + std::string(name(c.status))),
         prefix);
}

// --- a whole command line ----------------------------------------------------

enum class Kind { none, files, policies, categories, agency_types, kinds, channels, calendars, cases, parties, formats };

/// What an option's value, or a positional argument, names. Options are known
/// by name wherever they appear, so a new command gets these for free.
Kind option_kind(const std::string& name) {
  if (name == "--policy") return Kind::policies;
  if (name == "--category") return Kind::categories;
  if (std::string_view(name).ends_with("agency-type")) return Kind::agency_types;
  if (name == "--kind") return Kind::kinds;
  if (name == "--channel") return Kind::channels;
  if (name == "--calendar") return Kind::calendars;
  if (name == "--db" || name == "--anchor") return Kind::files;
  if (name == "--party") return Kind::parties;
  if (name == "--format") return Kind::formats;
  return Kind::none;
}

Kind positional_kind(const CLI::App& app, const std::string& name) {
  if (name == "FILE") return Kind::files;
  if (name == "ID") {
    const CLI::App* parent = app.get_parent();
    bool under_policy = parent != nullptr && parent->get_name() == "policy";
    return under_policy ? Kind::policies : Kind::cases;
  }
  return Kind::none;
}

struct Line {
  const CLI::App* app = nullptr;
  bool help = false;         ///< `esc help ...`
  bool only_positionals = false;  ///< after `--`
  int positionals = 0;       ///< positional arguments given to `app`
  std::map<std::string, std::string> values;  ///< option values given, by long name
  const CLI::Option* pending = nullptr;  ///< the last word is this option's value
  std::string pending_name;
  bool stop = false;         ///< an unknown command: nothing to offer
};

const CLI::Option* find_option(const CLI::App& app, const std::string& word) {
  for (const CLI::App* a = &app; a != nullptr; a = a->get_parent())
    for (const CLI::Option* o : a->get_options([](const CLI::Option* o) { return o->nonpositional(); })) {
      if (word.rfind("--", 0) == 0 && o->check_lname(word.substr(2))) return o;
      if (word.size() == 2 && word[0] == '-' && word[1] != '-' && o->check_sname(word.substr(1))) return o;
    }
  return nullptr;
}

std::string long_name(const CLI::Option* o, const std::string& fallback) {
  return o->get_lnames().empty() ? fallback : "--" + o->get_lnames().front();
}

/// Reads the words before the one being completed.
Line read_line(const CLI::App& root, const Words& before) {
  Line l;
  l.app = &root;
  for (size_t i = 0; i < before.size() && !l.stop; ++i) {
    const std::string& w = before[i];
    if (!l.only_positionals && w == "--") {
      l.only_positionals = true;
      continue;
    }
    if (!l.only_positionals && w.size() > 1 && w[0] == '-') {
      std::string name = w, value;
      bool inline_value = false;
      if (auto eq = w.find('='); w.rfind("--", 0) == 0 && eq != std::string::npos) {
        name = w.substr(0, eq), value = w.substr(eq + 1), inline_value = true;
      }
      const CLI::Option* o = find_option(*l.app, name);
      if (o == nullptr || o->get_expected_min() == 0) continue;  // a flag, or unknown
      std::string key = long_name(o, name);
      if (inline_value) {
        l.values[key] = value;
      } else if (i + 1 < before.size()) {
        l.values[key] = before[++i];
      } else {
        l.pending = o, l.pending_name = key;
      }
      continue;
    }
    // A command, a subcommand, or a positional argument.
    if (l.app == &root && !l.help) {
      if (w == "help") {
        l.help = true;
        continue;
      }
      if (const CLI::App* s = find_subcommand(root, w)) {
        l.app = s;
        continue;
      }
      l.stop = true;  // an unknown command
      continue;
    }
    if (!l.help && l.positionals == 0 && !subcommands(*l.app).empty()) {
      if (const CLI::App* s = find_subcommand(*l.app, w)) {
        l.app = s;
        continue;
      }
    }
    ++l.positionals;
  }
  return l;
}

/// The output formats a command takes for --format.
std::vector<std::string> formats_of(const std::string& command) {
  if (command == "remind") return {"text", "json", "mail"};
  if (command == "report") return {"text", "markdown", "json", "html", "csv"};
  if (command == "export") return {"jsonl"};
  return {};
}

/// The candidates of one kind; the open cases only when `open_store`.
void list_kind(const Context& ctx, Kind kind, const Line& l, const std::string& prefix, bool open_store) {
  switch (kind) {
    case Kind::none: return;
    case Kind::files: emit(":files"); return;
    case Kind::policies: return list_policies(ctx, prefix);
    case Kind::categories: {
      auto p = l.values.find("--policy");
      return list_categories(ctx, p == l.values.end() ? "" : p->second, prefix);
    }
    case Kind::agency_types: return list_plain(agency_types(), prefix);
    case Kind::kinds: return list_plain(record_kinds(), prefix);
    case Kind::channels: return list_plain(channels(), prefix);
    case Kind::calendars: return list_plain(Calendar::builtin_names(), prefix);
    case Kind::cases:
      if (open_store) list_cases(ctx, prefix);
      return;
    case Kind::parties: return list_plain({"raiser", "counterpart"}, prefix);
    case Kind::formats: return list_plain(formats_of(l.app->get_name()), prefix);
  }
}

void complete_words(const CLI::App& root, Context& ctx, const Words& words, bool open_store) {
  if (words.empty()) return;
  Words before(words.begin(), words.end() - 1);
  const std::string& cur = words.back();
  Line l = read_line(root, before);
  if (l.stop) return;
  if (auto db = l.values.find("--db"); db != l.values.end()) ctx.db_path = db->second;

  if (l.pending) return list_kind(ctx, option_kind(l.pending_name), l, "", open_store);
  if (!l.only_positionals && cur.size() > 1 && cur[0] == '-') {
    if (auto eq = cur.find('='); cur.rfind("--", 0) == 0 && eq != std::string::npos) {
      const CLI::Option* o = find_option(*l.app, cur.substr(0, eq));
      if (o && o->get_expected_min() > 0)
        list_kind(ctx, option_kind(long_name(o, cur.substr(0, eq))), l, cur.substr(0, eq + 1), open_store);
      return;
    }
  }
  if (!l.only_positionals && !cur.empty() && cur[0] == '-') return list_options(*l.app);
  if (l.help) {
    if (l.positionals == 0) list_commands(root, false);
    return;
  }
  if (l.app == &root) return list_commands(root, true);
  auto subs = subcommands(*l.app);
  if (!subs.empty()) {
    if (l.positionals == 0)
      for (const CLI::App* s : subs) emit(s->get_name(), s->get_description());
    return;
  }
  // The positional argument this word would be.
  int index = l.positionals;
  for (const CLI::Option* o : l.app->get_options([](const CLI::Option* o) { return !o->nonpositional(); })) {
    int takes = o->get_items_expected_max();
    if (index < takes) return list_kind(ctx, positional_kind(*l.app, o->get_name()), l, "", open_store);
    index -= takes;
  }
}

}  // namespace

int complete(const CLI::App& root, Context& ctx, const std::vector<std::string>& args, bool open_store) {
  try {
    if (!args.empty() && args[0] == "words") complete_words(root, ctx, {args.begin() + 1, args.end()}, open_store);
  } catch (...) {
    // Completions stay quiet: whatever was printed stands, nothing else.
  }
  std::cout.flush();
  return 0;
}

}  // namespace esc::cli
