// The tamper-evident chain: its encoding of values, a store that verifies,
// every field it covers changed behind esc's back and named, reordering,
// the anchor, and a store of the schema before encoding 2 upgraded and still
// verifying. All names and cases are invented.

#include <esc/chain_encoding.hpp>
#include <esc/crypto.hpp>
#include <esc/error.hpp>
#include <esc/ledger.hpp>
#include <esc/service.hpp>
#include <esc/store.hpp>

#include "core/store/sqlite_store.hpp"

#include <SQLiteCpp/Statement.h>
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <sys/stat.h>

#include "scratch.hpp"

using namespace esc;
using esc::test::raise_input;
using esc::test::Scratch;

namespace {

/// A store told one story through the rules: case 1 (Stoke-on-Trent) taken
/// to stage 3, with a record, a pause and resumption and an extension (both
/// moving its stage's deadline), a further escalation and a correction; case
/// 2 (Sefton) with a record, resolved.
struct ChainStore : Scratch {
  ChainStore() : Scratch("esc-chain") {
    clock.set("2026-08-27T10:00");
    auto in = raise_input("stoke-on-trent");
    in.requested_action = "Review the plan";
    in.child.name = "Robin Invented";
    in.child.dob = "2019-04-01";
    svc->raise(in);
    svc->raise(raise_input("sefton"));
    clock.set("2026-08-27T11:00");
    svc->escalate({1, "Serious: straight to heads of service", 3, std::nullopt});
    clock.set("2026-08-27T15:00");
    svc->record({1, "conversation", "Heads of service spoke", "phone", "Bob Worker", "Send the minutes", "2026-09-04",
                 std::nullopt, std::nullopt});
    svc->record({2, "note", "Left a message", "", "", "", "", std::nullopt, std::nullopt});
    clock.set("2026-08-28T16:00");
    svc->pause({1, "Head of service off sick", std::nullopt});
    clock.set("2026-09-01T09:00");
    svc->resume({1, "", std::nullopt});
    clock.set("2026-09-02T10:00");
    svc->extend({1, 2, "Both heads of service", "Police adviser away", std::nullopt});
    clock.set("2026-09-03T10:00");
    svc->escalate({1, "No agreement", std::nullopt, std::nullopt});
    svc->record({1, "correction", "Spoke on the 27th by video", "", "", "", "", int64_t{1}, std::nullopt});
    clock.set("2026-09-04T10:00");
    svc->resolve({2, "Agreed a plan", "Both managers", "Talk sooner", "Leave", std::nullopt, std::nullopt});
  }

  SQLite::Database& db() { return StoreAccess::db(*store); }
  int64_t one(const std::string& sql) { return db().execAndGet(sql).getInt64(); }

  /// What verify says when the entry for `kind` `ref` was changed.
  std::string changed(const std::string& kind, int64_t ref) {
    SQLite::Statement q(db(), "SELECT case_id, seq FROM ledger WHERE entry = ? AND ref_id = ?");
    q.bind(1, kind);
    q.bind(2, ref);
    REQUIRE(q.executeStep());
    return fmt::format("case {}: {} {} (entry {}) was changed", q.getColumn(0).getInt64(), kind, ref,
                       q.getColumn(1).getInt64());
  }

  /// Alters the store behind esc's back, its triggers and foreign keys off.
  void tamper(const std::string& sql) {
    db().exec("PRAGMA foreign_keys = OFF");
    std::vector<std::string> triggers;
    SQLite::Statement q(db(), "SELECT name FROM sqlite_master WHERE type = 'trigger'");
    while (q.executeStep()) triggers.push_back(q.getColumn(0).getString());
    for (const auto& t : triggers) db().exec("DROP TRIGGER " + t);
    db().exec(sql);
  }

  std::vector<std::string> problems() {
    std::vector<std::string> out;
    for (const auto& p : store->verify(std::nullopt).problems) out.push_back(p.text);
    return out;
  }
};

bool has(const std::vector<std::string>& problems, const std::string& text) {
  for (const auto& p : problems)
    if (p.find(text) != std::string::npos) return true;
  return false;
}

/// One field changed: the SQL, and the entry (kind, and SQL giving its id)
/// that must be named.
struct Change {
  const char* field;
  const char* sql;
  const char* kind;
  const char* ref;
};

const char* const k_extend = "(SELECT id FROM events WHERE type = 'extend')";
const char* const k_resume = "(SELECT id FROM events WHERE type = 'resume')";

const std::vector<Change> k_changes{
    {"case uuid", "UPDATE cases SET uuid = 'a1a1a1a1-0000-4000-8000-000000000000' WHERE id = 1", "case", "1"},
    {"case policy_id", "UPDATE cases SET policy_id = 'generic' WHERE id = 1", "case", "1"},
    {"case policy_sha256", "UPDATE cases SET policy_sha256 = (SELECT policy_sha256 FROM cases WHERE id = 2) WHERE id = 1",
     "case", "1"},
    {"case category", "UPDATE cases SET category = 'childs-plan' WHERE id = 1", "case", "1"},
    {"case summary", "UPDATE cases SET summary = summary || '.' WHERE id = 1", "case", "1"},
    {"case requested_action", "UPDATE cases SET requested_action = NULL WHERE id = 1", "case", "1"},
    {"case risk", "UPDATE cases SET risk = 'immediate' WHERE id = 1", "case", "1"},
    {"case child_ref", "UPDATE cases SET child_ref = 'C-1002' WHERE id = 1", "case", "1"},
    {"case child_name", "UPDATE cases SET child_name = 'Someone Else' WHERE id = 1", "case", "1"},
    {"case child_dob", "UPDATE cases SET child_dob = '2019-04-02' WHERE id = 1", "case", "1"},
    {"case child_nhs", "UPDATE cases SET child_nhs = '9434765919' WHERE id = 1", "case", "1"},
    {"case raised_at", "UPDATE cases SET raised_at = raised_at - 86400 WHERE id = 1", "case", "1"},
    {"case entered_at", "UPDATE cases SET entered_at = entered_at + 1 WHERE id = 1", "case", "1"},
    {"case raised_at as text", "UPDATE cases SET raised_at = 'x' || raised_at WHERE id = 1", "case", "1"},
    {"party name", "UPDATE parties SET name = 'Carl Other' WHERE case_id = 1 AND role = 'counterpart'", "case", "1"},
    {"party agency", "UPDATE parties SET agency = NULL WHERE case_id = 1 AND role = 'raiser'", "case", "1"},
    {"party agency_type", "UPDATE parties SET agency_type = 'police' WHERE case_id = 1 AND role = 'raiser'", "case",
     "1"},
    {"party roles swapped",
     "PRAGMA ignore_check_constraints = ON; UPDATE parties SET role = 'x' WHERE case_id = 1 AND role = 'raiser'; "
     "UPDATE parties SET role = 'raiser' WHERE case_id = 1 AND role = 'counterpart'; "
     "UPDATE parties SET role = 'counterpart' WHERE case_id = 1 AND role = 'x'",
     "case", "1"},
    {"party removed", "DELETE FROM parties WHERE case_id = 1 AND role = 'counterpart'", "case", "1"},
    {"event uuid", "UPDATE events SET uuid = 'b2b2b2b2-0000-4000-8000-000000000000' WHERE type = 'extend'", "event",
     k_extend},
    {"event case_id", "UPDATE events SET case_id = 2 WHERE type = 'extend'", "event", k_extend},
    {"event type", "UPDATE events SET type = 'resume' WHERE type = 'extend'", "event", k_extend},
    {"event at", "UPDATE events SET at = at - 60 WHERE type = 'extend'", "event", k_extend},
    {"event entered_at", "UPDATE events SET entered_at = entered_at + 60 WHERE type = 'extend'", "event", k_extend},
    {"event from_stage", "UPDATE events SET from_stage = 2 WHERE id = (SELECT min(id) FROM events WHERE type = 'escalate')",
     "event", "(SELECT min(id) FROM events WHERE type = 'escalate')"},
    {"event to_stage", "UPDATE events SET to_stage = 2 WHERE id = (SELECT min(id) FROM events WHERE type = 'escalate')",
     "event", "(SELECT min(id) FROM events WHERE type = 'escalate')"},
    {"event reason", "UPDATE events SET reason = 'Another reason' WHERE type = 'extend'", "event", k_extend},
    {"event agreed_by", "UPDATE events SET agreed_by = 'Nobody' WHERE type = 'extend'", "event", k_extend},
    {"event days", "UPDATE events SET days = 20 WHERE type = 'extend'", "event", k_extend},
    {"event days as text", "UPDATE events SET days = '2 days' WHERE type = 'extend'", "event", k_extend},
    {"event outcome", "UPDATE events SET outcome = 'Nothing agreed' WHERE type = 'resolve'", "event",
     "(SELECT id FROM events WHERE type = 'resolve')"},
    {"event learning", "UPDATE events SET learning = NULL WHERE type = 'resolve'", "event",
     "(SELECT id FROM events WHERE type = 'resolve')"},
    {"event delay_reason", "UPDATE events SET delay_reason = 'None' WHERE type = 'resolve'", "event",
     "(SELECT id FROM events WHERE type = 'resolve')"},
    {"shift deadline_id",
     "DROP INDEX deadline_shifts_order; UPDATE deadline_shifts SET deadline_id = deadline_id + 1 WHERE event_id = "
     "(SELECT id FROM events WHERE type = 'extend')",
     "event", k_extend},
    {"shift event_id", "UPDATE deadline_shifts SET event_id = (SELECT id FROM events WHERE type = 'raise' LIMIT 1) "
                       "WHERE event_id = (SELECT id FROM events WHERE type = 'extend')",
     "event", k_extend},
    {"shift seq", "UPDATE deadline_shifts SET seq = seq + 10 WHERE event_id = (SELECT id FROM events WHERE type = "
                  "'extend')",
     "event", k_extend},
    {"shift days", "UPDATE deadline_shifts SET days = 0 WHERE event_id = (SELECT id FROM events WHERE type = 'resume')",
     "event", k_resume},
    {"shift from_due", "UPDATE deadline_shifts SET from_due = '2026-08-31' WHERE event_id = (SELECT id FROM events "
                       "WHERE type = 'resume')",
     "event", k_resume},
    {"shift to_due", "UPDATE deadline_shifts SET to_due = from_due WHERE event_id = (SELECT id FROM events WHERE type "
                     "= 'resume')",
     "event", k_resume},
    {"shift to_due not a date", "UPDATE deadline_shifts SET to_due = '2026-9-1' WHERE event_id = (SELECT id FROM "
                                "events WHERE type = 'resume')",
     "event", k_resume},
    {"shift removed", "DELETE FROM deadline_shifts WHERE event_id = (SELECT id FROM events WHERE type = 'extend')",
     "event", k_extend},
    {"shift added", "INSERT INTO deadline_shifts (deadline_id, event_id, seq, days, from_due, to_due) SELECT "
                    "deadline_id, event_id, seq + 5, 1, to_due, to_due FROM deadline_shifts WHERE event_id = "
                    "(SELECT id FROM events WHERE type = 'extend')",
     "event", k_extend},
    {"record uuid", "UPDATE records SET uuid = 'c3c3c3c3-0000-4000-8000-000000000000' WHERE id = 1", "record", "1"},
    {"record case_id", "UPDATE records SET case_id = 2 WHERE id = 1", "record", "1"},
    {"record stage", "UPDATE records SET stage = 2 WHERE id = 1", "record", "1"},
    {"record at", "UPDATE records SET at = at + 3600 WHERE id = 1", "record", "1"},
    {"record entered_at", "UPDATE records SET entered_at = entered_at - 1 WHERE id = 1", "record", "1"},
    {"record kind", "UPDATE records SET kind = 'meeting' WHERE id = 1", "record", "1"},
    {"record channel", "UPDATE records SET channel = 'email' WHERE id = 1", "record", "1"},
    {"record with", "UPDATE records SET with_names = NULL WHERE id = 1", "record", "1"},
    {"record summary", "UPDATE records SET summary = 'Nothing was said' WHERE id = 1", "record", "1"},
    {"record action", "UPDATE records SET action = 'Nothing' WHERE id = 1", "record", "1"},
    {"record action_due", "UPDATE records SET action_due = '2026-09-05' WHERE id = 1", "record", "1"},
    {"record corrects", "UPDATE records SET corrects = NULL WHERE kind = 'correction'", "record",
     "(SELECT id FROM records WHERE kind = 'correction')"},
    {"record stage as text", "UPDATE records SET stage = 'one' WHERE id = 1", "record", "1"},
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("encoding 2 is the grammar in chain_encoding.hpp, value by value", "[chain]") {
  Case c;
  c.id = 7;
  c.uuid = "u-1";
  c.policy_id = "generic";
  c.policy_sha256 = "ab";
  c.category = "other";
  c.summary = "Café";  // 5 bytes in UTF-8
  c.child.ref = "C-1";
  c.raiser = {PartyRole::raiser, "Ann", "School", "school"};
  c.counterpart = {PartyRole::counterpart, "Bob", "", "social-care"};
  c.raised_at = parse_timestamp("2026-11-23T09:30:05Z", TimeZone::get("UTC"));
  c.entered_at = c.raised_at + std::chrono::seconds{1};
  c.status = CaseStatus::resolved;  // current state: not part of the entry
  c.stage = 4;
  const std::string want =
      "case{id=i7;uuid=t3:u-1;policy_id=t7:generic;policy_sha256=t2:ab;category=t5:other;summary=t5:Café;"
      "requested_action=n;risk=n;child_ref=t3:C-1;child_name=n;child_dob=n;child_nhs=n;"
      "raised_at=s2026-11-23T09:30:05Z;entered_at=s2026-11-23T09:30:06Z;"
      "raiser={role=t6:raiser;name=t3:Ann;agency=t6:School;agency_type=t6:school;}"
      "counterpart={role=t11:counterpart;name=t3:Bob;agency=n;agency_type=t11:social-care;}}";
  CHECK(encode_case_entry(c) == want);
  CHECK(chain_entry_hash(2, want, "p", "q") == sha256_hex("esc-chain-2\n" + want + "\np\nq"));
  Case other = c;
  other.status = CaseStatus::open;
  other.stage = 1;
  CHECK(encode_case_entry(other) == want);
  other.summary = "Cafe";
  CHECK(encode_case_entry(other) != want);

  CaseEvent e;
  e.id = 3;
  e.uuid = "u-3";
  e.type = EventType::extend;
  e.at = c.raised_at;
  e.entered_at = c.raised_at;
  e.days = -2;
  e.reason = "Away";
  std::vector<ChainShift> shifts{{9, 3, 2, 1, Date(2026, 11, 24), Date(2026, 11, 25)},
                                 {8, 3, 1, 2, Date(2026, 11, 20), Date(2026, 11, 24)},
                                 {9, 3, 1, 1, Date(2026, 11, 23), Date(2026, 11, 24)}};
  CHECK(encode_event_entry(1, e, shifts) ==
        "event{id=i3;uuid=t3:u-3;case_id=i1;type=t6:extend;at=s2026-11-23T09:30:05Z;entered_at=s2026-11-23T09:30:05Z;"
        "from_stage=n;to_stage=n;reason=t4:Away;agreed_by=n;days=i-2;outcome=n;learning=n;delay_reason=n;"
        "shifts=[{deadline_id=i8;event_id=i3;seq=i1;days=i2;from_due=d2026-11-20;to_due=d2026-11-24;}"
        "{deadline_id=i9;event_id=i3;seq=i1;days=i1;from_due=d2026-11-23;to_due=d2026-11-24;}"
        "{deadline_id=i9;event_id=i3;seq=i2;days=i1;from_due=d2026-11-24;to_due=d2026-11-25;}]}");
  CHECK(encode_event_entry(1, e, {}).find("shifts=[]}") != std::string::npos);
  CHECK(encode_event_entry(2, e, {}) != encode_event_entry(1, e, {}));

  CaseRecord r;
  r.id = 4;
  r.uuid = "u-4";
  r.stage = 2;
  r.at = c.raised_at;
  r.entered_at = c.raised_at;
  r.kind = "note";
  r.summary = "";
  r.corrects = 3;
  CHECK(encode_record_entry(1, r) ==
        "record{id=i4;uuid=t3:u-4;case_id=i1;stage=i2;at=s2026-11-23T09:30:05Z;entered_at=s2026-11-23T09:30:05Z;"
        "kind=t4:note;channel=n;with=n;summary=t0:;action=n;action_due=n;corrects=i3;}");
  // A text's length keeps fields apart: these two differ.
  CaseRecord a = r, b = r;
  a.kind = "note;channel=n";
  b.channel = "x";
  CHECK(encode_record_entry(1, a) != encode_record_entry(1, b));
}

TEST_CASE("a store written through the rules verifies, in encoding 2", "[chain]") {
  ChainStore s;
  VerifyResult r = s.store->verify(std::nullopt);
  CHECK(r.problems.empty());
  CHECK(r.ok());
  CHECK(r.cases == 2);
  CHECK(r.head.entries == s.one("SELECT count(*) FROM ledger"));
  CHECK(r.head.entries == s.one("SELECT (SELECT count(*) FROM cases) + (SELECT count(*) FROM events) + "
                                "(SELECT count(*) FROM records)"));
  CHECK(s.one("SELECT count(*) FROM ledger WHERE encoding <> 2") == 0);
  // The deadline moved twice has its moves numbered 1 and 2.
  CHECK(s.one("SELECT count(*) FROM deadline_shifts") >= 2);
  CHECK(s.one("SELECT count(*) FROM deadline_shifts s WHERE seq <> (SELECT count(*) FROM deadline_shifts t WHERE "
              "t.deadline_id = s.deadline_id AND t.rowid <= s.rowid)") == 0);
  CHECK(s.one("SELECT max(seq) FROM deadline_shifts") == 2);
}

TEST_CASE("a change to any field the chain covers fails verify and names the entry", "[chain]") {
  size_t i = GENERATE(range(size_t{0}, k_changes.size()));
  const Change& ch = k_changes[i];
  ChainStore s;
  REQUIRE(s.store->verify(std::nullopt).ok());
  int64_t ref = s.one(fmt::format("SELECT {}", ch.ref));
  std::string want = s.changed(ch.kind, ref);
  s.tamper(ch.sql);
  auto problems = s.problems();
  INFO(ch.field << ": " << ch.sql);
  INFO("problems: " << fmt::format("{}", fmt::join(problems, " | ")));
  CHECK(has(problems, want));
}

TEST_CASE("reordering is caught", "[chain]") {
  ChainStore s;
  SECTION("two ledger entries swapped") {
    int64_t a = s.one("SELECT seq FROM ledger WHERE entry = 'record' AND ref_id = 1");
    int64_t b = s.one("SELECT seq FROM ledger WHERE entry = 'record' AND ref_id = 2");
    s.tamper(fmt::format("UPDATE ledger SET seq = -1 WHERE seq = {0}; UPDATE ledger SET seq = {0} WHERE seq = {1}; "
                         "UPDATE ledger SET seq = {1} WHERE seq = -1",
                         a, b));
    auto problems = s.problems();
    CHECK(has(problems, fmt::format("entry {} (record 2) does not follow entry {}", a, a - 1)));
    CHECK(has(problems, fmt::format("entry {} (record 1) does not follow", b)));
  }
  SECTION("two records' ids swapped") {
    std::string one = s.changed("record", 1), two = s.changed("record", 2);
    s.tamper("UPDATE records SET id = -1 WHERE id = 1; UPDATE records SET id = 1 WHERE id = 2; "
             "UPDATE records SET id = 2 WHERE id = -1");
    auto problems = s.problems();
    CHECK(has(problems, one));
    CHECK(has(problems, two));
  }
  SECTION("a deadline's two moves swapped") {
    int64_t deadline = s.one("SELECT deadline_id FROM deadline_shifts WHERE seq = 2");
    int64_t first = s.one(fmt::format("SELECT event_id FROM deadline_shifts WHERE deadline_id = {} AND seq = 1", deadline));
    int64_t second = s.one(fmt::format("SELECT event_id FROM deadline_shifts WHERE deadline_id = {} AND seq = 2", deadline));
    REQUIRE(first != second);
    std::string a = s.changed("event", first), b = s.changed("event", second);
    s.tamper(fmt::format("UPDATE deadline_shifts SET seq = 0 WHERE deadline_id = {0} AND seq = 1; "
                         "UPDATE deadline_shifts SET seq = 1 WHERE deadline_id = {0} AND seq = 2; "
                         "UPDATE deadline_shifts SET seq = 2 WHERE deadline_id = {0} AND seq = 0",
                         deadline));
    auto problems = s.problems();
    CHECK(has(problems, a));
    CHECK(has(problems, b));
  }
  SECTION("an entry's encoding changed") {
    std::string want = s.changed("record", 1);
    s.tamper("UPDATE ledger SET encoding = 1 WHERE entry = 'record' AND ref_id = 1");
    CHECK(has(s.problems(), want));
  }
}

TEST_CASE("the anchor catches the newest entries removed, and a rewritten chain", "[chain]") {
  ChainStore s;
  Anchor head = s.store->head_anchor();
  REQUIRE(head.entries == s.one("SELECT count(*) FROM ledger"));
  CHECK(s.store->verify(head).ok());
  // A later entry leaves the older anchor good.
  s.clock.set("2026-09-05T10:00");
  s.svc->record({1, "note", "One more", "", "", "", "", std::nullopt, std::nullopt});
  CHECK(s.store->verify(head).ok());
  Anchor newest = s.store->head_anchor();
  CHECK(newest.entries == head.entries + 1);

  s.tamper(fmt::format("DELETE FROM ledger WHERE seq = {}; DELETE FROM records WHERE id = (SELECT max(id) FROM records)",
                       newest.entries));
  CHECK(s.store->verify(std::nullopt).ok());  // whole as far as it goes
  VerifyResult r = s.store->verify(newest);
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].text.find("the newest were removed (truncated)") != std::string::npos);
  CHECK(s.store->verify(head).ok());
  VerifyResult other = s.store->verify(Anchor{head.entries, std::string(64, 'a')});
  REQUIRE(other.problems.size() == 1);
  CHECK(other.problems[0].text.rfind(fmt::format("entry {} does not match the anchor", head.entries), 0) == 0);
}

TEST_CASE("a store of schema 3 is upgraded in place and its old entries verify in encoding 1", "[chain][upgrade]") {
  // tests/data/store-schema3.sql: a store written by the esc before encoding
  // 2 (see tests/data/make-store-schema3.sh), dumped by sqlite3.
  Scratch s("esc-upgrade");
  s.svc.reset();
  s.store.reset();
  std::filesystem::path file = s.dir / "old.db";
  {
    SQLite::Database db(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(read_file(std::string(ESC_TEST_DATA_DIR) + "/store-schema3.sql"));
    REQUIRE(db.execAndGet("PRAGMA user_version").getInt() == 3);
    REQUIRE_FALSE(db.execAndGet("SELECT count(*) FROM pragma_table_info('ledger') WHERE name = 'encoding'").getInt());
  }
  ::chmod(file.c_str(), 0600);
  int64_t entries_before = 0;
  {
    SQLite::Database db(file.string(), SQLite::OPEN_READONLY);
    entries_before = db.execAndGet("SELECT count(*) FROM ledger").getInt64();
  }
  REQUIRE(entries_before > 10);

  Store store(StorePath{file.string(), false}, false);  // upgrades
  Service svc(store, s.policies, s.clock);
  auto& db = StoreAccess::db(store);
  auto one = [&](const std::string& sql) { return db.execAndGet(sql).getInt64(); };
  CHECK(one("PRAGMA user_version") == schema_version());
  CHECK(one("SELECT count(*) FROM ledger WHERE encoding = 1") == entries_before);
  CHECK(one("SELECT count(*) FROM deadline_shifts WHERE seq < 1") == 0);
  CHECK(one("SELECT count(*) FROM deadline_shifts") >= 2);
  CHECK(one("SELECT max(seq) FROM deadline_shifts") == 2);  // the fixture moves one deadline twice
  // The append-only triggers are back.
  CHECK(one("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'shifts_no_update'") == 1);
  CHECK_THROWS_AS(db.exec("UPDATE deadline_shifts SET days = 9"), SQLite::Exception);
  VerifyResult upgraded = store.verify(std::nullopt);
  INFO((upgraded.problems.empty() ? std::string() : upgraded.problems[0].text));
  CHECK(upgraded.ok());
  CHECK(upgraded.head.entries == entries_before);

  // Entries written now are in encoding 2, after the old ones, and all verify.
  s.clock.set("2026-12-01T10:00");
  int64_t fresh = svc.raise(raise_input("stoke-on-trent")).c.id;
  svc.pause({fresh, "Awaiting a meeting", std::nullopt});
  s.clock.set("2026-12-03T10:00");
  svc.resume({fresh, "", std::nullopt});
  CHECK(one("SELECT count(*) FROM ledger WHERE encoding = 2") >= 3);
  CHECK(one("SELECT min(seq) FROM ledger WHERE encoding = 2") == entries_before + 1);
  CHECK(store.verify(std::nullopt).ok());

  auto changed = [&](const std::string& kind, int64_t ref) {
    SQLite::Statement q(db, "SELECT case_id, seq FROM ledger WHERE entry = ? AND ref_id = ?");
    q.bind(1, kind);
    q.bind(2, ref);
    REQUIRE(q.executeStep());
    return fmt::format("case {}: {} {} (entry {}) was changed", q.getColumn(0).getInt64(), kind, ref,
                       q.getColumn(1).getInt64());
  };
  auto problems = [&] {
    std::vector<std::string> out;
    for (const auto& p : store.verify(std::nullopt).problems) out.push_back(p.text);
    return out;
  };
  int64_t old_record = one("SELECT min(ref_id) FROM ledger WHERE entry = 'record' AND encoding = 1");
  int64_t old_shifted = one("SELECT min(event_id) FROM deadline_shifts WHERE event_id IN (SELECT ref_id FROM ledger "
                            "WHERE entry = 'event' AND encoding = 1)");
  int64_t new_event = one("SELECT max(ref_id) FROM ledger WHERE entry = 'event' AND encoding = 2");
  std::string want_old = changed("record", old_record), want_shift = changed("event", old_shifted),
              want_new = changed("event", new_event);
  for (const char* t : {"records_no_update", "shifts_no_update", "events_no_update"}) db.exec(fmt::format("DROP TRIGGER {}", t));
  db.exec(fmt::format("UPDATE records SET summary = summary || '!' WHERE id = {}", old_record));
  db.exec(fmt::format("UPDATE deadline_shifts SET days = days + 1 WHERE event_id = {}", old_shifted));
  db.exec(fmt::format("UPDATE events SET at = at + 1 WHERE id = {}", new_event));
  auto found = problems();
  CHECK(has(found, want_old));
  CHECK(has(found, want_shift));
  CHECK(has(found, want_new));
}

TEST_CASE("an upgrade that fails leaves the store at its old schema", "[chain][upgrade]") {
  Scratch s("esc-upgrade-fail");
  s.svc.reset();
  s.store.reset();
  std::filesystem::path file = s.dir / "old.db";
  {
    SQLite::Database db(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(read_file(std::string(ESC_TEST_DATA_DIR) + "/store-schema3.sql"));
    // A column the upgrade adds, there already: the upgrade's ALTER fails.
    db.exec("ALTER TABLE deadline_shifts ADD COLUMN seq INTEGER");
  }
  ::chmod(file.c_str(), 0600);
  CHECK_THROWS_AS(Store(StorePath{file.string(), false}, false), Error);
  SQLite::Database db(file.string(), SQLite::OPEN_READONLY);
  CHECK(db.execAndGet("PRAGMA user_version").getInt() == 3);
  CHECK(db.execAndGet("SELECT count(*) FROM pragma_table_info('ledger') WHERE name = 'encoding'").getInt() == 0);
  CHECK(db.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'shifts_no_update'").getInt() == 1);
}
