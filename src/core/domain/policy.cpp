#include <esc/error.hpp>
#include <esc/policy.hpp>
#include <esc/validate.hpp>

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <set>
#include <sstream>

namespace esc {

namespace {

const std::vector<std::string> k_agency_types{"school",   "social-care", "health",
                                               "police",   "early-help",  "voluntary",
                                               "self-employed", "other"};
const std::vector<std::string> k_record_kinds{"conversation", "meeting",      "plan",         "decision",
                                               "notification", "feedback",     "note",         "correction",
                                               "check-back",   "delay-reason", "learning-referral", "waiver"};
const std::vector<std::string> k_channels{"phone", "face-to-face", "video", "email", "letter",
                                           "other"};
const std::vector<std::string> k_form_sources{
    "date",          "raised_date",      "child.name",        "child.ref",
    "child.dob",     "child.nhs",        "raiser.name",       "raiser.agency",
    "raiser.agency_type", "counterpart.name", "counterpart.agency", "counterpart.agency_type",
    "category",      "summary",          "stage",             "stage_history",
    "requested_action", "response",      "resolution",        "actions",
    "learning",      "chronology",       "delay_reasons",     "handlers"};

bool contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

bool is_id(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

/// Reads one TOML table, remembering which keys were used so that anything
/// left over can be reported as an unknown key with its position.
class Reader {
 public:
  Reader(const toml::table& t, std::string origin, std::string path)
      : t_(t), origin_(std::move(origin)), path_(std::move(path)) {}

  [[noreturn]] void fail(const toml::node* at, const std::string& what) const {
    const auto& src = at ? at->source() : t_.source();
    if (src.begin.line == 0)
      throw PolicyError(fmt::format("{}: {}", origin_, what));
    throw PolicyError(fmt::format("{}:{}:{}: {}", origin_, src.begin.line, src.begin.column, what));
  }
  [[noreturn]] void fail(const std::string& what) const { fail(nullptr, what); }

  std::string where(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
  }

  const toml::node* get(const std::string& key) {
    used_.insert(key);
    return t_.get(key);
  }

  std::string str(const std::string& key, bool required, std::string fallback = {}) {
    const auto* n = get(key);
    if (!n) {
      if (required) fail(fmt::format("missing required key '{}'", where(key)));
      return fallback;
    }
    if (!n->is_string()) fail(n, fmt::format("'{}' must be a string", where(key)));
    std::string v = **n->as_string();
    if (required && v.empty()) fail(n, fmt::format("'{}' must not be empty", where(key)));
    return v;
  }

  bool boolean(const std::string& key, bool fallback) {
    const auto* n = get(key);
    if (!n) return fallback;
    if (!n->is_boolean()) fail(n, fmt::format("'{}' must be true or false", where(key)));
    return **n->as_boolean();
  }

  std::optional<int64_t> integer(const std::string& key, bool required) {
    const auto* n = get(key);
    if (!n) {
      if (required) fail(fmt::format("missing required key '{}'", where(key)));
      return std::nullopt;
    }
    if (!n->is_integer()) fail(n, fmt::format("'{}' must be a whole number", where(key)));
    return **n->as_integer();
  }

  const toml::table* table(const std::string& key) {
    const auto* n = get(key);
    if (!n) return nullptr;
    if (!n->is_table()) fail(n, fmt::format("'{}' must be a table ([{}])", where(key), where(key)));
    return n->as_table();
  }

  /// An array of tables ([[key]]); empty when absent.
  std::vector<const toml::table*> tables(const std::string& key) {
    std::vector<const toml::table*> out;
    const auto* n = get(key);
    if (!n) return out;
    const auto* arr = n->as_array();
    if (!arr) fail(n, fmt::format("'{}' must be an array of tables ([[{}]])", where(key), where(key)));
    for (const auto& e : *arr) {
      if (!e.is_table()) fail(&e, fmt::format("each entry of '{}' must be a table", where(key)));
      out.push_back(e.as_table());
    }
    return out;
  }

  std::vector<std::string> strings(const std::string& key) {
    std::vector<std::string> out;
    const auto* n = get(key);
    if (!n) return out;
    const auto* arr = n->as_array();
    if (!arr) fail(n, fmt::format("'{}' must be an array of strings", where(key)));
    for (const auto& e : *arr) {
      if (!e.is_string()) fail(&e, fmt::format("'{}' must be an array of strings", where(key)));
      out.push_back(**e.as_string());
    }
    return out;
  }

  /// Call last: any key not read is unknown.
  void finish() const {
    for (const auto& [k, v] : t_) {
      std::string key{k.str()};
      if (!used_.count(key))
        fail(&v, fmt::format("unknown key '{}' (see esc-policy(5) for the keys a policy may use)",
                             where(key)));
    }
  }

  Reader sub(const toml::table& t, const std::string& path) const {
    return Reader(t, origin_, path);
  }
  const std::string& origin() const { return origin_; }
  int64_t line() const { return t_.source().begin.line; }

 private:
  const toml::table& t_;
  std::string origin_;
  std::string path_;
  std::set<std::string> used_;
};

Timescale parse_timescale(Reader& r, const toml::node* at, const std::string& text,
                          const std::string& key) {
  if (auto ts = Timescale::parse(text)) return *ts;
  r.fail(at, fmt::format("'{}' = \"{}\" is not a timescale: write \"N working days\" (N from 1) "
                         "or \"same working day\"",
                         key, text));
}

DeadlineRule read_deadline(Reader& r, bool case_limit) {
  DeadlineRule d;
  d.action = r.str("action", true);
  const auto* tn = r.get("timescale");
  if (!tn) r.fail(fmt::format("deadline '{}' has no timescale: add timescale = \"N working days\"",
                              d.action));
  if (!tn->is_string()) r.fail(tn, fmt::format("'{}' must be a string", r.where("timescale")));
  d.timescale = parse_timescale(r, tn, **tn->as_string(), r.where("timescale"));
  d.clause = r.str("clause", false);
  if (case_limit) {
    d.from = ClockFrom::case_start;
  } else {
    const auto* fn = r.get("from");
    std::string from = fn && fn->is_string() ? std::string(**fn->as_string()) : "stage";
    if (fn && !fn->is_string()) r.fail(fn, fmt::format("'{}' must be a string", r.where("from")));
    if (from == "stage") d.from = ClockFrom::stage;
    else if (from == "case") d.from = ClockFrom::case_start;
    else r.fail(fn, fmt::format("'{}' = \"{}\": use \"stage\" or \"case\"", r.where("from"), from));
    if (const auto* mn = r.get("met_by")) {
      if (!mn->is_string()) r.fail(mn, fmt::format("'{}' must be a string", r.where("met_by")));
      std::string kind{**mn->as_string()};
      if (!is_record_kind(kind))
        r.fail(mn, fmt::format("unknown record kind '{}' in '{}': use one of {}", kind,
                               r.where("met_by"), join(k_record_kinds)));
      d.met_by = kind;
    }
    d.in_writing = r.boolean("in_writing", false);
    if (d.in_writing && !d.met_by)
      r.fail(r.get("in_writing"), fmt::format("'{}' needs met_by: only a record can be in writing", r.where("in_writing")));
  }
  r.finish();
  return d;
}

/// A requirement: [[stages.requires]] or [[duties]] (policy-wide, with `on`).
Requirement read_requirement(Reader& q, const Policy& p, bool policy_wide) {
  Requirement req;
  req.action = q.str("action", true);
  if (const auto* fn = q.get("form")) {
    if (!fn->is_string()) q.fail(fn, fmt::format("'{}' must be a string", q.where("form")));
    std::string fid{**fn->as_string()};
    if (!p.form(fid))
      q.fail(fn, fmt::format("requirement names form '{}', which the policy does not define in [[forms]]", fid));
    req.form = fid;
  }
  req.notify_partnership = q.boolean("notify_partnership", false);
  req.in_writing = q.boolean("in_writing", false);
  req.to = q.str("to", false);
  req.clause = q.str("clause", false);
  if (req.notify_partnership) req.to = std::string(k_to_partnership);
  const auto* kn = q.get("kind");
  std::string kind = kn && kn->is_string() ? std::string(**kn->as_string())
                     : req.notify_partnership   ? "notification"
                                                : "inform";
  if (kn && !kn->is_string()) q.fail(kn, fmt::format("'{}' must be a string", q.where("kind")));
  auto k = duty_kind_named(kind);
  bool allowed = k && (*k == DutyKind::notification || *k == DutyKind::feedback || *k == DutyKind::inform ||
                       (policy_wide && *k == DutyKind::learning_referral));
  if (!allowed)
    q.fail(kn, fmt::format("'{}' = \"{}\": use notification, feedback or inform{}", q.where("kind"), kind,
                           policy_wide ? " (or learning-referral)" : ""));
  req.kind = *k;
  if (req.notify_partnership && req.kind != DutyKind::notification)
    q.fail(kn, fmt::format("'{}': notify_partnership goes with kind = \"notification\"", q.where("kind")));
  if (const auto* tn = q.get("timescale")) {
    if (!tn->is_string()) q.fail(tn, fmt::format("'{}' must be a string", q.where("timescale")));
    req.timescale = parse_timescale(q, tn, **tn->as_string(), q.where("timescale"));
  }
  return req;
}

void check_agency(Reader& r, const toml::node* at, const std::string& type, const std::string& key) {
  if (!is_agency_type(type))
    r.fail(at, fmt::format("unknown agency type '{}' in '{}': use one of {}", type, key,
                           join(k_agency_types)));
}

/// "N days" / "1 day" / "N hours": time elapsed, in hours.
std::optional<int> parse_elapsed(std::string_view text) {
  std::istringstream in{std::string(text)};
  long n = 0;
  std::string unit, extra;
  if (!(in >> n >> unit) || (in >> extra) || n < 1 || n > 10000) return std::nullopt;
  if ((n == 1 && unit == "day") || (n > 1 && unit == "days")) return static_cast<int>(n * 24);
  if ((n == 1 && unit == "hour") || (n > 1 && unit == "hours")) return static_cast<int>(n);
  return std::nullopt;
}

/// A local date-time as an example writes it: a TOML local date-time
/// (2026-11-30T09:00:00) or a string "2026-11-30T09:00".
std::string example_time(Reader& r, const std::string& key, bool required) {
  const auto* n = r.get(key);
  if (!n) {
    if (required) r.fail(fmt::format("missing required key '{}'", r.where(key)));
    return {};
  }
  if (const auto* dt = n->as_date_time()) {
    const auto& v = dt->get();
    if (v.offset) r.fail(n, fmt::format("'{}': write a local time, without an offset (the policy's time zone)", r.where(key)));
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}", v.date.year, v.date.month, v.date.day, v.time.hour, v.time.minute);
  }
  if (const auto* d = n->as_date()) {
    const auto& v = d->get();
    return fmt::format("{:04}-{:02}-{:02}T09:00", v.year, v.month, v.day);
  }
  if (n->is_string()) return std::string(**n->as_string());
  r.fail(n, fmt::format("'{}' must be a local date-time (2026-11-30T09:00:00)", r.where(key)));
}

Example read_example(Reader r, int n_stages) {
  Example ex;
  ex.line = static_cast<int>(r.line());
  ex.name = r.str("name", true);
  ex.clause = r.str("clause", false);
  ex.raised = example_time(r, "raised", true);
  ex.raiser = r.str("raiser", false, "other");
  ex.counterpart = r.str("counterpart", false, "other");
  check_agency(r, r.get("raiser"), ex.raiser, "examples.raiser");
  check_agency(r, r.get("counterpart"), ex.counterpart, "examples.counterpart");
  ex.now = example_time(r, "now", false);
  for (const auto* st : r.tables("steps")) {
    Reader s = r.sub(*st, "examples.steps");
    ExampleStep step;
    step.line = static_cast<int>(s.line());
    step.at = example_time(s, "at", true);
    step.action = s.str("do", true);
    static const std::vector<std::string> k_doings{"escalate", "record", "pause", "resume", "extend", "resolve"};
    if (!contains(k_doings, step.action))
      s.fail(s.get("do"), fmt::format("'examples.steps.do' = \"{}\": use one of {}", step.action, join(k_doings)));
    step.kind = s.str("kind", step.action == "record");
    if (!step.kind.empty() && !is_record_kind(step.kind))
      s.fail(s.get("kind"), fmt::format("unknown record kind '{}': use one of {}", step.kind, join(k_record_kinds)));
    step.channel = s.str("channel", false);
    if (!step.channel.empty() && !is_channel(step.channel))
      s.fail(s.get("channel"), fmt::format("unknown channel '{}': use one of {}", step.channel, join(k_channels)));
    step.to = s.str("to", false);
    step.form = s.str("form", false);
    step.meets = s.str("meets", false);
    if (auto t = s.integer("to_stage", false)) {
      if (*t < 1 || *t > n_stages) s.fail(s.get("to_stage"), fmt::format("there is no stage {}", *t));
      step.to_stage = static_cast<int>(*t);
    }
    step.days = static_cast<int>(s.integer("days", step.action == "extend").value_or(0));
    step.delay_reason = s.str("delay_reason", false);
    step.learning = s.str("learning", false);
    step.action_text = s.str("action", false);
    step.action_due = s.str("action_due", false);
    s.finish();
    ex.steps.push_back(std::move(step));
  }
  for (const auto* et : r.tables("expect")) {
    Reader e = r.sub(*et, "examples.expect");
    ExampleExpect x;
    x.line = static_cast<int>(e.line());
    x.duty = e.str("duty", true);
    if (const auto* dn = e.get("due")) {
      if (const auto* d = dn->as_date()) {
        const auto& v = d->get();
        x.due = fmt::format("{:04}-{:02}-{:02}", v.year, v.month, v.day);
      } else if (dn->is_string() && std::string_view(**dn->as_string()) == "none") {
        x.due = "none";
      } else {
        e.fail(dn, "'examples.expect.due' must be a date (2026-12-01) or \"none\"");
      }
    }
    if (e.get("state")) {
      x.state = e.str("state", true);
      std::vector<std::string> words;
      for (auto o : {DeadlineOutcome::open, DeadlineOutcome::met, DeadlineOutcome::met_late, DeadlineOutcome::closed,
                     DeadlineOutcome::missed, DeadlineOutcome::overdue, DeadlineOutcome::paused, DeadlineOutcome::waived})
        words.emplace_back(name(o));
      if (!contains(words, *x.state))
        e.fail(e.get("state"), fmt::format("'examples.expect.state' = \"{}\": use one of {}", *x.state, join(words)));
    }
    x.absent = e.boolean("absent", false);
    e.finish();
    ex.expect.push_back(std::move(x));
  }
  if (ex.expect.empty()) r.fail("an example needs at least one [[examples.expect]]");
  r.finish();
  return ex;
}


/// Policy text is shown on terminals and copied into forms: refuse control
/// characters (escape sequences included) anywhere, in keys as in values,
/// each reported where it is written. toml++ has already checked the text is
/// UTF-8. Bidirectional overrides and isolates are allowed: they are Unicode
/// text a policy may quote, and safe() shows them as '?'.
void check_no_controls(const toml::node& node, const std::string& origin) {
  auto fail = [&](const toml::source_region& src, char32_t c, const char* where) {
    throw PolicyError(fmt::format("{}:{}:{}: {} holds the control character U+{:04X}: a policy may hold only "
                                  "plain text (tabs and new lines allowed)",
                                  origin, src.begin.line, src.begin.column, where, static_cast<uint32_t>(c)));
  };
  if (const auto* str = node.as_string()) {
    if (auto c = first_terminal_control(str->get(), Bidi::allowed)) fail(node.source(), *c, "a string");
  } else if (const auto* arr = node.as_array()) {
    for (const auto& e : *arr) check_no_controls(e, origin);
  } else if (const auto* tbl = node.as_table()) {
    for (const auto& [k, v] : *tbl) {
      if (auto c = first_terminal_control(k.str(), Bidi::allowed)) fail(k.source(), *c, "a key");
      check_no_controls(v, origin);
    }
  }
}

}  // namespace

const std::vector<std::string>& agency_types() { return k_agency_types; }
bool is_agency_type(std::string_view s) { return contains(k_agency_types, s); }
const std::vector<std::string>& record_kinds() { return k_record_kinds; }
bool is_record_kind(std::string_view s) { return contains(k_record_kinds, s); }
const std::vector<std::string>& channels() { return k_channels; }
bool is_channel(std::string_view s) { return contains(k_channels, s); }
const std::vector<std::string>& form_sources() { return k_form_sources; }

std::optional<Timescale> Timescale::parse(std::string_view text) {
  Timescale ts;
  if (text == "same working day") {
    ts.same_day = true;
    return ts;
  }
  std::istringstream in{std::string(text)};
  long n = 0;
  std::string w1, w2, extra;
  if ((in >> n >> w1 >> w2) && !(in >> extra) && w1 == "working" &&
      ((n == 1 && w2 == "day") || (n > 1 && w2 == "days")) && n <= 1000) {
    ts.days = static_cast<int>(n);
    return ts;
  }
  return std::nullopt;
}

bool is_written_channel(std::string_view channel) { return channel == "email" || channel == "letter"; }

std::string Requirement::met_by() const {
  switch (kind) {
    case DutyKind::feedback: return "feedback";
    case DutyKind::learning_referral: return "learning-referral";
    default: return "notification";
  }
}

std::string Timescale::text() const {
  if (same_day) return "same working day";
  return fmt::format("{} working day{}", days, days == 1 ? "" : "s");
}

const std::string& Stage::handler_for(const std::string& agency_type) const {
  auto it = handlers.find(agency_type);
  return it == handlers.end() ? handler : it->second;
}

bool Stage::notifies_partnership() const {
  return std::any_of(requires_.begin(), requires_.end(),
                     [](const Requirement& r) { return r.notify_partnership; });
}

const Stage* Policy::stage(int number) const {
  if (number < 1 || number > static_cast<int>(stages.size())) return nullptr;
  return &stages[static_cast<size_t>(number - 1)];
}

const Form* Policy::form(std::string_view fid) const {
  for (const auto& f : forms)
    if (f.id == fid) return &f;
  return nullptr;
}

bool Policy::has_category(std::string_view cid) const {
  return std::any_of(categories.begin(), categories.end(),
                     [&](const Category& c) { return c.id == cid; });
}

Calendar Policy::make_calendar() const {
  Calendar cal = Calendar::builtin(calendar_name);
  for (const auto& c : closures) cal.add_closure(c.date, c.name);
  return cal;
}

Policy parse_policy(std::string_view text, const std::string& origin) {
  toml::table root;
  try {
    root = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    throw PolicyError(fmt::format("{}:{}:{}: {}", origin, e.source().begin.line,
                                  e.source().begin.column, e.description()));
  }
  check_no_controls(root, origin);
  Reader r(root, origin, "");
  Policy p;
  p.source_path = origin;
  p.text = std::string(text);

  p.id = r.str("id", true);
  if (!is_id(p.id)) r.fail(r.get("id"), fmt::format("id '{}' may use only a-z, 0-9 and '-'", p.id));
  p.name = r.str("name", true);
  p.partnership = r.str("partnership", true);
  p.partnership_short = r.str("partnership_short", false);
  p.version = r.str("version", true);
  p.review_date = r.str("review_date", false);
  p.calendar_name = r.str("calendar", false, "england-and-wales");
  {
    auto names = Calendar::builtin_names();
    if (!contains(names, p.calendar_name))
      r.fail(r.get("calendar"), fmt::format("unknown calendar '{}': use one of {}", p.calendar_name,
                                            join(names)));
  }
  p.time_zone = r.str("time_zone", false, "Europe/London");
  if (!TimeZone::known(p.time_zone))
    r.fail(r.get("time_zone"),
           fmt::format("unknown time zone '{}': use Europe/London or UTC", p.time_zone));
  p.stage_term = r.str("stage_term", false, "stage");
  if (p.stage_term != "stage" && p.stage_term != "step")
    r.fail(r.get("stage_term"), "stage_term must be \"stage\" or \"step\"");
  p.contact = r.str("contact", false);
  p.records_in = r.str("records_in", false);

  for (const auto* t : r.tables("closures")) {
    Reader c = r.sub(*t, "closures");
    const auto* dn = c.get("date");
    if (!dn) c.fail("a closure needs a date (date = YYYY-MM-DD)");
    if (!dn->is_date()) c.fail(dn, "a closure's date must be a TOML date: date = YYYY-MM-DD");
    auto td = **dn->as_date();
    Date d;
    try {
      d = Date(td.year, td.month, td.day);
    } catch (const DataError& e) {
      c.fail(dn, e.what());
    }
    p.closures.push_back({d, c.str("name", true)});
    c.finish();
  }

  if (const auto* em = r.table("emergency")) {
    Reader e = r.sub(*em, "emergency");
    p.emergency_text = e.str("text", true);
    for (const auto* ct : e.tables("contacts")) {
      Reader c = e.sub(*ct, "emergency.contacts");
      Contact contact{c.str("name", true), c.str("phone", false), c.str("email", false),
                      c.str("hours", false)};
      c.finish();
      p.emergency_contacts.push_back(std::move(contact));
    }
    e.finish();
  } else {
    r.fail("missing [emergency]: say what to do when a child is at immediate risk");
  }

  for (const auto* t : r.tables("categories")) {
    Reader c = r.sub(*t, "categories");
    Category cat{c.str("id", true), c.str("label", true)};
    if (!is_id(cat.id)) c.fail(c.get("id"), fmt::format("category id '{}' may use only a-z, 0-9 and '-'", cat.id));
    if (p.has_category(cat.id)) c.fail(c.get("id"), fmt::format("duplicate category id '{}'", cat.id));
    c.finish();
    p.categories.push_back(std::move(cat));
  }
  if (!p.has_category("other")) p.categories.push_back({"other", "Other"});

  // Forms come before stages so that requirements can name them.
  std::set<std::string> sources(k_form_sources.begin(), k_form_sources.end());
  for (const auto* t : r.tables("forms")) {
    Reader f = r.sub(*t, "forms");
    Form form;
    form.id = f.str("id", true);
    if (!is_id(form.id)) f.fail(f.get("id"), fmt::format("form id '{}' may use only a-z, 0-9 and '-'", form.id));
    if (p.form(form.id)) f.fail(f.get("id"), fmt::format("duplicate form id '{}'", form.id));
    form.name = f.str("name", true);
    form.appendix = f.str("appendix", false);
    form.send_to = f.str("send_to", false);
    form.reconstructed = f.boolean("reconstructed", false);
    std::set<std::string> field_ids;
    for (const auto* ft : f.tables("fields")) {
      Reader fr = f.sub(*ft, "forms.fields");
      FormField field{fr.str("id", true), fr.str("label", true), fr.str("source", true),
                      fr.str("instruction", false)};
      if (!field_ids.insert(field.id).second)
        fr.fail(fr.get("id"), fmt::format("duplicate field id '{}' in form '{}'", field.id, form.id));
      if (!sources.count(field.source))
        fr.fail(fr.get("source"), fmt::format("unknown form source '{}': use one of {}",
                                              field.source, join(k_form_sources)));
      fr.finish();
      form.fields.push_back(std::move(field));
    }
    f.finish();
    p.forms.push_back(std::move(form));
  }

  auto stage_tables = r.tables("stages");
  if (stage_tables.empty()) r.fail("a policy needs at least one [[stages]]");
  for (const auto* t : stage_tables) {
    Reader s = r.sub(*t, "stages");
    Stage st;
    const auto* nn = s.get("number");
    auto num = s.integer("number", true);
    int expected = static_cast<int>(p.stages.size()) + 1;
    if (*num != expected)
      s.fail(nn, fmt::format("stage number {} out of order: stages are numbered 1, 2, 3 ... and "
                             "this one should be {}",
                             *num, expected));
    st.number = expected;
    st.title = s.str("title", true);
    st.handler = s.str("handler", true);
    st.expected_outcome = s.str("expected_outcome", false);
    st.partnership = s.boolean("partnership", false);
    if (const auto* ht = s.table("handlers")) {
      for (const auto& [k, v] : *ht) {
        std::string type{k.str()};
        check_agency(s, &v, type, "stages.handlers");
        if (!v.is_string()) s.fail(&v, fmt::format("stages.handlers.{} must be a string", type));
        st.handlers[type] = **v.as_string();
      }
    }
    for (const auto* dt : s.tables("deadlines")) {
      Reader d = s.sub(*dt, "stages.deadlines");
      st.deadlines.push_back(read_deadline(d, false));
    }
    for (const auto* qt : s.tables("requires")) {
      Reader q = s.sub(*qt, "stages.requires");
      Requirement req = read_requirement(q, p, false);
      q.finish();
      st.requires_.push_back(std::move(req));
    }
    s.finish();
    p.stages.push_back(std::move(st));
  }
  const int n_stages = static_cast<int>(p.stages.size());

  if (const auto* cl = r.table("case_limit")) {
    Reader c = r.sub(*cl, "case_limit");
    p.case_limit = read_deadline(c, true);
  }

  if (const auto* mv = r.table("moves")) {
    Reader m = r.sub(*mv, "moves");
    p.next_allowed = m.boolean("next", true);
    for (const auto* jt : m.tables("jumps")) {
      Reader j = m.sub(*jt, "moves.jumps");
      Jump jump;
      const auto* tn = j.get("to");
      jump.to = static_cast<int>(*j.integer("to", true));
      if (jump.to < 1 || jump.to > n_stages)
        j.fail(tn, fmt::format("jump to stage {}, which does not exist (the policy has {} stages)",
                               jump.to, n_stages));
      if (const auto* fn = j.get("from")) {
        const auto* arr = fn->as_array();
        if (!arr) j.fail(fn, "'moves.jumps.from' must be an array of stage numbers");
        for (const auto& e : *arr) {
          if (!e.is_integer()) j.fail(&e, "'moves.jumps.from' must be an array of stage numbers");
          int f = static_cast<int>(**e.as_integer());
          if (f < 1 || f > n_stages)
            j.fail(&e, fmt::format("jump from stage {}, which does not exist", f));
          if (f >= jump.to)
            j.fail(&e, fmt::format("jump from stage {} to stage {} does not go forward", f, jump.to));
          jump.from.push_back(f);
        }
      }
      jump.note = j.str("note", false);
      j.finish();
      p.jumps.push_back(std::move(jump));
    }
    for (const auto* rt : m.tables("routes")) {
      Reader ro = m.sub(*rt, "moves.routes");
      Route route;
      const auto* fn = ro.get("from");
      route.from = static_cast<int>(*ro.integer("from", true));
      const auto* tn = ro.get("to");
      route.to = static_cast<int>(*ro.integer("to", true));
      if (route.from < 1 || route.from > n_stages)
        ro.fail(fn, fmt::format("route from stage {}, which does not exist", route.from));
      if (route.to < 1 || route.to > n_stages)
        ro.fail(tn, fmt::format("route to stage {}, which does not exist (the policy has {} stages)",
                                route.to, n_stages));
      if (route.to <= route.from)
        ro.fail(tn, fmt::format("route from stage {} to stage {} does not go forward", route.from,
                                route.to));
      const auto* wn = ro.get("when");
      if (!wn) ro.fail("a route needs when = [[\"type\", \"type\"], ...]");
      const auto* arr = wn->as_array();
      if (!arr || arr->empty()) ro.fail(wn, "'moves.routes.when' must be a list of pairs of agency types");
      for (const auto& e : *arr) {
        const auto* pair = e.as_array();
        if (!pair || pair->size() != 2 || !(*pair)[0].is_string() || !(*pair)[1].is_string())
          ro.fail(&e, "each entry of 'moves.routes.when' must be a pair of agency types, e.g. [\"school\", \"school\"]");
        std::string a{**(*pair)[0].as_string()}, b{**(*pair)[1].as_string()};
        check_agency(ro, &e, a, "moves.routes.when");
        check_agency(ro, &e, b, "moves.routes.when");
        route.when.emplace_back(a, b);
      }
      route.note = ro.str("note", false);
      ro.finish();
      p.routes.push_back(std::move(route));
    }
    m.finish();
  }

  if (const auto* ch = r.table("channels")) {
    Reader c = r.sub(*ch, "channels");
    const auto* pn = c.get("preferred");
    p.channels_preferred = c.strings("preferred");
    for (const auto& name : p.channels_preferred)
      if (!is_channel(name))
        c.fail(pn, fmt::format("unknown channel '{}': use one of {}", name, join(k_channels)));
    if (const auto* dt = c.table("discouraged")) {
      for (const auto& [k, v] : *dt) {
        std::string name{k.str()};
        if (!is_channel(name))
          c.fail(&v, fmt::format("unknown channel '{}': use one of {}", name, join(k_channels)));
        if (!v.is_string()) c.fail(&v, fmt::format("channels.discouraged.{} must be a string saying why", name));
        p.channels_discouraged[name] = **v.as_string();
      }
    }
    c.finish();
  }

  if (const auto* pa = r.table("pause")) {
    Reader c = r.sub(*pa, "pause");
    p.pause_allowed = c.boolean("allowed", false);
    p.pause_term = c.str("term", false, "paused");
    p.pause_reason_required = c.boolean("reason_required", true);
    c.finish();
  }
  if (const auto* ex = r.table("extension")) {
    Reader c = r.sub(*ex, "extension");
    p.extension_allowed = c.boolean("allowed", false);
    p.extension_agreement_required = c.boolean("agreement_required", true);
    c.finish();
  }
  if (const auto* de = r.table("delay")) {
    Reader c = r.sub(*de, "delay");
    const auto* n = c.get("reason_required_after");
    if (n) {
      if (!n->is_string()) c.fail(n, "'delay.reason_required_after' must be a string");
      std::string text{**n->as_string()};
      if (auto hours = parse_elapsed(text)) p.delay_reason_after_hours = *hours;
      else if (auto ts = Timescale::parse(text)) p.delay_reason_after = *ts;
      else
        c.fail(n, fmt::format("'delay.reason_required_after' = \"{}\" is not a time: write \"N working days\", "
                              "\"same working day\", \"N days\" or \"N hours\" (time since raising)",
                              text));
    }
    p.delay_clause = c.str("clause", false);
    c.finish();
  }
  if (const auto* re = r.table("resolution")) {
    Reader c = r.sub(*re, "resolution");
    p.outcome_required = c.boolean("outcome_required", true);
    p.learning_required = c.boolean("learning_required", false);
    p.agreed_by = c.str("agreed_by", false);
    p.learning_to = c.str("learning_to", false);
    p.learning_referral = c.boolean("learning_referral", false);
    if (p.learning_referral && p.learning_to.empty())
      c.fail(c.get("learning_referral"), "'resolution.learning_referral' needs learning_to: say where learning points go");
    if (const auto* tn = c.get("learning_referral_timescale")) {
      if (!tn->is_string()) c.fail(tn, "'resolution.learning_referral_timescale' must be a string");
      p.learning_referral_timescale =
          parse_timescale(c, tn, **tn->as_string(), "resolution.learning_referral_timescale");
    }
    p.learning_referral_clause = c.str("learning_referral_clause", false);
    c.finish();
  }

  for (const auto* dt : r.tables("duties")) {
    Reader d = r.sub(*dt, "duties");
    PolicyDuty pd;
    std::string on = d.str("on", true);
    if (on == "every-stage") pd.on = DutyOn::every_stage;
    else if (on == "resolve") pd.on = DutyOn::resolve;
    else d.fail(d.get("on"), fmt::format("'duties.on' = \"{}\": use \"every-stage\" or \"resolve\"", on));
    pd.duty = read_requirement(d, p, true);
    if (pd.on == DutyOn::every_stage && pd.duty.kind == DutyKind::learning_referral)
      d.fail(d.get("kind"), "a learning referral follows the resolution: use on = \"resolve\"");
    if (const auto* sn = d.get("stages")) {
      const char* what = "'duties.stages' must be an array of stage numbers (the stages at which resolving the case makes the duty owed)";
      if (pd.on != DutyOn::resolve)
        d.fail(sn, "'duties.stages' goes with on = \"resolve\": a duty of every stage is owed at each stage");
      const auto* arr = sn->as_array();
      if (!arr || arr->empty()) d.fail(sn, what);
      for (const auto& e : *arr) {
        if (!e.is_integer()) d.fail(&e, what);
        int st = static_cast<int>(**e.as_integer());
        if (st < 1 || st > n_stages)
          d.fail(&e, fmt::format("'duties.stages' names stage {}, which does not exist (the policy has {} stages)", st, n_stages));
        pd.stages.push_back(st);
      }
    }
    d.finish();
    p.duties.push_back(std::move(pd));
  }

  for (const auto* et : r.tables("examples")) p.examples.push_back(read_example(r.sub(*et, "examples"), n_stages));

  r.finish();
  return p;
}

Policy load_policy_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw NotFoundError(fmt::format("cannot read policy file '{}': check the path", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  Policy p = parse_policy(ss.str(), path);
  p.source_path = path;
  return p;
}

}  // namespace esc
