#include <esc/error.hpp>
#include <esc/service.hpp>
#include <esc/validate.hpp>

#include <SQLiteCpp/Statement.h>
#include <catch2/catch.hpp>

#include "scratch.hpp"

#include <filesystem>
#include <fstream>
#include <sys/stat.h>

using namespace esc;
using esc::test::Scratch;
using esc::test::raise_input;
namespace fs = std::filesystem;

namespace {

/// The due dates of a stage's deadlines (0: the whole case's).
/// The due dates of the timed deadlines of a stage (0: the whole case): the
/// other duties (notifications, feedback, ...) have their own tests.
std::vector<std::string> dues(const Case& c, int stage) {
  std::vector<std::string> out;
  for (const auto& d : c.deadlines)
    if (d.kind == DutyKind::deadline && stored_stage(d.scope, d.stage) == stage) out.push_back(d.due.iso());
  return out;
}

/// The fields the error `f` throws names, as data (the command line names
/// them by their flags).
template <typename F>
std::vector<Field> fields_named(F&& f) {
  try {
    f();
  } catch (const esc::Error& e) {
    return e.hint().fields;
  }
  return {};
}

}  // namespace

TEST_CASE("NHS numbers need a valid Modulus 11 check digit", "[validate]") {
  CHECK(check_nhs_number("943 476 5919") == "9434765919");
  CHECK(check_nhs_number("4010232137") == "4010232137");
  CHECK_THROWS_WITH(check_nhs_number("943 476 5918"), Catch::Contains("check digit"));
  CHECK_THROWS_WITH(check_nhs_number("943476591"), Catch::Contains("10 digits"));
  CHECK_THROWS_WITH(check_nhs_number("1111111111"), Catch::Contains("repeated"));
  CHECK_THROWS_AS(check_nhs_number("94347659l9"), DataError);
  // A check value of 10 is never valid: 000 000 006 weighs 6 x 2 = 12, whose
  // remainder 1 gives 11 - 1 = 10, so no last digit can make it right.
  for (char last = '0'; last <= '9'; ++last)
    CHECK_THROWS_AS(check_nhs_number(std::string("000000006") + last), DataError);
}

TEST_CASE("dates of birth are real and not in the future", "[validate]") {
  Date today = Date::parse("2026-11-23");
  CHECK(check_date_of_birth("2015-03-02", today).iso() == "2015-03-02");
  CHECK(check_date_of_birth("2026-11-23", today).iso() == "2026-11-23");
  CHECK_THROWS_WITH(check_date_of_birth("2026-11-24", today), Catch::Contains("future"));
  CHECK_THROWS_WITH(check_date_of_birth("2015-02-29", today), Catch::Contains("not a real date"));
}

TEST_CASE("the store is private whatever the umask", "[store]") {
  mode_t old = umask(022);
  {
    Scratch s;
    struct stat st{};
    REQUIRE(stat((s.dir / "data").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    REQUIRE(stat((s.dir / "data" / "esc.db").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    s.clock.set("2026-11-23T10:00");
    s.svc->raise(raise_input("generic"));
    REQUIRE(stat((s.dir / "data" / "esc.db-wal").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(StoreAccess::db(*s.store).execAndGet("PRAGMA journal_mode").getString() == "wal");
    CHECK(StoreAccess::db(*s.store).execAndGet("PRAGMA user_version").getInt() == schema_version());
    // Opened by others' eyes: refused.
    s.svc.reset();
    s.store.reset();
    chmod((s.dir / "data" / "esc.db").c_str(), 0644);
    CHECK_THROWS_WITH(s.open(), Catch::Contains("chmod 600"));
  }
  umask(old);
}

TEST_CASE("records, events and policy texts are append-only", "[store]") {
  Scratch s;
  s.clock.set("2026-11-23T10:00");
  auto out = s.svc->raise(raise_input("stoke-on-trent"));
  s.clock.set("2026-11-23T11:00");
  s.svc->record({out.c.id, "conversation", "Spoke on the phone", "phone", "", "", "", std::nullopt, std::nullopt});
  auto& db = StoreAccess::db(*s.store);
  CHECK_THROWS_WITH(db.exec("UPDATE records SET summary = 'changed'"), Catch::Contains("append-only"));
  CHECK_THROWS_WITH(db.exec("DELETE FROM records"), Catch::Contains("append-only"));
  CHECK_THROWS(db.exec("DELETE FROM events"));
  CHECK_THROWS(db.exec("UPDATE policy_texts SET text = ''"));
  CHECK_THROWS(db.exec("UPDATE cases SET child_nhs = '9434765919'"));
  CHECK_THROWS(db.exec("DELETE FROM cases"));
}

TEST_CASE("a store made by a newer esc is refused", "[store]") {
  Scratch s;
  StoreAccess::db(*s.store).exec("PRAGMA user_version = 99");
  s.svc.reset();
  s.store.reset();
  CHECK_THROWS_WITH(s.open(), Catch::Contains("newer esc"));
}

TEST_CASE("bad input stores nothing", "[service]") {
  Scratch s;
  s.clock.set("2026-11-23T10:00");
  auto in = raise_input("stoke-on-trent");
  in.child.nhs = "943 476 5918";
  CHECK_THROWS_AS(s.svc->raise(in), DataError);
  in = raise_input("stoke-on-trent");
  in.child.dob = "2027-01-01";
  CHECK_THROWS_AS(s.svc->raise(in), DataError);
  in = raise_input("stoke-on-trent");
  in.category = "weather";
  CHECK_THROWS_WITH(s.svc->raise(in), Catch::Contains("no category 'weather'"));
  in = raise_input("stoke-on-trent", "church");
  CHECK_THROWS_AS(s.svc->raise(in), UsageError);  // as an unknown record kind or channel
  in = raise_input("stoke-on-trent");
  in.at = "2026-11-24T10:00";  // the future
  CHECK_THROWS_WITH(s.svc->raise(in), Catch::Contains("future"));
  CHECK(s.count("cases") == 0);
  CHECK(s.count("events") == 0);
  CHECK(s.count("deadlines") == 0);
}

TEST_CASE("Stoke: stage deadlines, a record meeting one, a jump to stage 3 and the partnership notice", "[service]") {
  Scratch s;
  s.clock.set("2026-12-23T10:00");
  auto out = s.svc->raise(raise_input("stoke-on-trent"));
  CHECK(dues(out.c, 1) == std::vector<std::string>{"2026-12-24"});
  CHECK(dues(out.c, 0).empty());

  // Recorded on the day after it was due: met, but late.
  s.clock.set("2026-12-29T09:00");
  auto rec = s.svc->record({out.c.id, "conversation", "Talked it through", "face-to-face", "", "", "",
                            std::nullopt, std::nullopt});
  REQUIRE(rec.deadlines_met.size() == 1);
  CHECK(rec.c.deadlines[0].late == true);

  auto esc = s.svc->escalate({out.c.id, "Not agreed", 3, std::nullopt});
  CHECK(esc.c.stage == 3);
  CHECK(dues(esc.c, 3) == std::vector<std::string>{"2026-12-30", "2026-12-31", "2026-12-31"});
  bool form = false;
  for (const auto& n : esc.notices)
    form = form || n.text.find("Professionals Concerns Resolutions Notifications and Outcomes Form") != std::string::npos;
  CHECK(form);

  // Stage 4 is five working days across New Year.
  s.clock.set("2026-12-31T15:00");
  esc = s.svc->escalate({out.c.id, "Heads of service disagree", std::nullopt, std::nullopt});
  CHECK(esc.c.stage == 4);
  CHECK(dues(esc.c, 4) == std::vector<std::string>{"2027-01-08"});
  // Leaving stage 3 closed its deadlines: the contact was due on the 30th,
  // so it closed late; the meeting and decision were due on the 31st.
  std::vector<bool> late;
  for (const auto& d : esc.c.deadlines)
    if (d.stage == 3 && d.kind == DutyKind::deadline) {
      CHECK(d.done_at.has_value());
      late.push_back(d.late.value_or(false));
    }
  CHECK(late == std::vector<bool>{true, false, false});
}

TEST_CASE("Sefton: no jumps, cumulative steps, e-mail discouraged, learning points optional", "[service]") {
  Scratch s;
  s.clock.set("2026-04-01T10:00");
  auto out = s.svc->raise(raise_input("sefton"));
  CHECK(dues(out.c, 1) == std::vector<std::string>{"2026-04-07"});
  CHECK_THROWS_WITH(s.svc->escalate({out.c.id, "Urgent", 3, std::nullopt}), Catch::Contains("does not allow a jump"));
  CHECK(s.svc->load(out.c.id).stage == 1);
  auto rec = s.svc->record({out.c.id, "note", "Sent an e-mail", "email", "", "", "", std::nullopt, std::nullopt});
  REQUIRE(rec.warnings.size() == 1);
  CHECK_THAT(rec.warnings[0].text, Catch::Contains("discourages email"));
  s.clock.set("2026-04-08T10:00");
  auto esc = s.svc->escalate({out.c.id, "No plan agreed", std::nullopt, std::nullopt});
  CHECK(dues(esc.c, 2) == std::vector<std::string>{"2026-04-09"});
  s.clock.set("2026-04-09T10:00");
  esc = s.svc->escalate({out.c.id, "Managers disagree", std::nullopt, std::nullopt});
  CHECK(dues(esc.c, 3) == std::vector<std::string>{"2026-04-13"});
  // Step 3 only "may involve a resolution meeting to ensure the learning
  // points are recorded": resolving does not need them, and keeps them when
  // given.
  auto res = s.svc->resolve({out.c.id, "Agreed a plan", "Both heads of service", "", "", std::nullopt, std::nullopt});
  CHECK(res.c.status == CaseStatus::resolved);
  auto other = s.svc->raise(raise_input("sefton"));
  auto with = s.svc->resolve({other.c.id, "Agreed a plan", "", "Call earlier", "", std::nullopt, std::nullopt});
  REQUIRE(with.c.resolution());
  CHECK(with.c.resolution()->learning == "Call earlier");
  CHECK_THROWS_WITH(s.svc->escalate({out.c.id, "again", std::nullopt, std::nullopt}), Catch::Contains("resolved"));
}

TEST_CASE("Birmingham routes by the parties' agency types", "[service]") {
  Scratch s;
  s.clock.set("2026-11-23T10:00");
  auto schools = s.svc->raise(raise_input("birmingham", "school", "school"));
  CHECK(dues(schools.c, 0) == std::vector<std::string>{"2026-11-30"});
  auto routed = s.svc->escalate({schools.c.id, "Heads disagree", std::nullopt, std::nullopt});
  CHECK(routed.c.stage == 5);
  auto mixed = s.svc->raise(raise_input("birmingham", "self-employed", "school"));
  CHECK(s.svc->escalate({mixed.c.id, "x", std::nullopt, std::nullopt}).c.stage == 5);
  auto health = s.svc->raise(raise_input("birmingham", "school", "health"));
  CHECK(s.svc->escalate({health.c.id, "x", std::nullopt, std::nullopt}).c.stage == 2);
}

TEST_CASE("pausing moves open deadlines by the working days lost", "[service]") {
  Scratch s;
  s.clock.set("2026-08-27T10:00");  // Thursday
  auto out = s.svc->raise(raise_input("stoke-on-trent"));
  CHECK(dues(out.c, 1) == std::vector<std::string>{"2026-08-28"});
  s.clock.set("2026-08-28T09:00");
  s.svc->pause({out.c.id, "Practitioner off sick", std::nullopt});
  // Paused: nothing is overdue even after the due date.
  // Resumed Tuesday 1 September: Friday 28 counts, Monday 31 is the summer
  // bank holiday, so one working day was lost.
  s.clock.set("2026-09-01T09:00");
  auto res = s.svc->resume({out.c.id, "", std::nullopt});
  CHECK(dues(res.c, 1) == std::vector<std::string>{"2026-09-01"});
  REQUIRE(res.c.deadlines[0].shifts.size() == 1);
  CHECK(res.c.deadlines[0].shifts[0].days == 1);
  CHECK_THROWS_WITH(s.svc->resume({out.c.id, "", std::nullopt}), Catch::Contains("not halted"));
}

TEST_CASE("extensions where the policy allows them", "[service]") {
  Scratch s;
  s.clock.set("2026-12-23T10:00");
  auto out = s.svc->raise(raise_input("stoke-on-trent"));
  CHECK_THROWS_WITH(s.svc->extend({out.c.id, 2, "", "Awaiting information", std::nullopt}),
                    Catch::Contains("who agreed it"));
  CHECK(fields_named([&] { s.svc->extend({out.c.id, 2, "", "Awaiting information", std::nullopt}); }) ==
        std::vector<Field>{Field::agreed_by});
  auto ext = s.svc->extend({out.c.id, 2, "Both line managers", "Awaiting information", std::nullopt});
  CHECK(dues(ext.c, 1) == std::vector<std::string>{"2026-12-30"});
  auto w = s.svc->raise(raise_input("warrington"));
  CHECK_THROWS_WITH(s.svc->extend({w.c.id, 1, "x", "y", std::nullopt}), Catch::Contains("does not provide"));
}

TEST_CASE("an extension or a pause dated before the case's last change is refused", "[service]") {
  Scratch s;
  s.clock.set("2026-12-23T10:00");
  auto out = s.svc->raise(raise_input("stoke-on-trent"));
  s.clock.set("2026-12-24T15:00");
  s.svc->escalate({out.c.id, "No agreement", std::nullopt, std::nullopt});
  s.clock.set("2026-12-29T09:00");
  // After the raise but before the escalation it would follow.
  CHECK_THROWS_WITH(s.svc->extend({out.c.id, 2, "Both line managers", "Awaiting information", "2026-12-24T12:00"}),
                    Catch::Contains("before 2026-12-24") && Catch::Contains("the extension cannot come before"));
  CHECK_THROWS_WITH(s.svc->pause({out.c.id, "Practitioner off sick", "2026-12-24T12:00"}),
                    Catch::Contains("the pause cannot come before"));
  auto ext = s.svc->extend({out.c.id, 2, "Both line managers", "Awaiting information", "2026-12-24T16:00"});
  REQUIRE(ext.c.deadlines.size() >= 2);
}

TEST_CASE("Warrington needs a delay reason after a day, and learning points", "[service]") {
  Scratch s;
  s.clock.set("2026-11-28T10:00");  // a Saturday
  auto out = s.svc->raise(raise_input("warrington"));
  CHECK(dues(out.c, 1) == std::vector<std::string>{"2026-11-30"});
  CHECK(dues(out.c, 0) == std::vector<std::string>{"2026-12-04"});
  s.clock.set("2026-12-02T10:00");
  CHECK_THROWS_WITH(s.svc->resolve({out.c.id, "Agreed", "", "None", "", std::nullopt, std::nullopt}),
                    Catch::Contains("reason for the delay"));
  CHECK(fields_named([&] { s.svc->resolve({out.c.id, "Agreed", "", "None", "", std::nullopt, std::nullopt}); }) ==
        std::vector<Field>{Field::delay_reason});
  auto res = s.svc->resolve({out.c.id, "Agreed", "", "None", "Manager away", std::nullopt, std::nullopt});
  CHECK(res.c.status == CaseStatus::resolved);
  // Every duty of the process is closed; the learning points are now owed
  // to the Partnerships Manager.
  for (const auto& d : res.c.deadlines)
    CHECK(d.done_at.has_value() == (d.scope != DeadlineScope::after_resolution));
  REQUIRE(std::count_if(res.c.deadlines.begin(), res.c.deadlines.end(),
                        [](const CaseDeadline& d) { return d.key == "learning"; }) == 1);

  // "Longer than a day" is time elapsed: raised on Monday at 09:00, resolved
  // on Tuesday at 16:00 (within one working day) still needs the reason;
  // resolved on Monday afternoon it does not.
  s.clock.set("2026-11-30T09:00");
  auto monday = s.svc->raise(raise_input("warrington"));
  s.clock.set("2026-12-01T16:00");
  CHECK_THROWS_WITH(s.svc->resolve({monday.c.id, "Agreed", "", "None", "", std::nullopt, std::nullopt}),
                    Catch::Contains("longer than a day"));
  s.clock.set("2026-11-30T09:00");
  auto quick = s.svc->raise(raise_input("warrington"));
  s.clock.set("2026-11-30T16:00");
  CHECK(s.svc->resolve({quick.c.id, "Agreed", "", "None", "", std::nullopt, std::nullopt}).c.status ==
        CaseStatus::resolved);
}

TEST_CASE("a case keeps the policy text it was raised under", "[service]") {
  Scratch s;
  fs::create_directories(s.dir / "policies");
  fs::copy_file(fs::path(ESC_SOURCE_POLICY_DIR) / "sefton.toml", s.dir / "policies" / "sefton.toml");
  PolicyLibrary mine({s.dir / "policies"});
  Service svc(*s.store, mine, s.clock);
  s.clock.set("2026-04-01T10:00");
  auto out = svc.raise(raise_input("sefton"));
  std::string sha = out.c.policy_sha256;
  // The partnership edits its file: step 2 becomes 9 working days.
  {
    std::ifstream in(s.dir / "policies" / "sefton.toml");
    std::string text((std::istreambuf_iterator<char>(in)), {});
    auto pos = text.find("timescale = \"4 working days\"");
    REQUIRE(pos != std::string::npos);
    text.replace(pos, 28, "timescale = \"9 working days\"");
    std::ofstream(s.dir / "policies" / "sefton.toml") << text;
  }
  s.clock.set("2026-04-02T10:00");
  auto esc = svc.escalate({out.c.id, "No plan", std::nullopt, std::nullopt});
  CHECK(dues(esc.c, 2) == std::vector<std::string>{"2026-04-09"});
  CHECK(esc.c.policy_sha256 == sha);
  // A new case gets the new text.
  auto fresh = svc.raise(raise_input("sefton"));
  CHECK(fresh.c.policy_sha256 != sha);
}

TEST_CASE("a record dated before the stage began meets none of its deadlines", "[service]") {
  Scratch s;
  s.clock.set("2026-11-23T09:00");
  auto out = s.svc->raise(raise_input("stoke-on-trent"));
  s.clock.set("2026-11-24T12:00");
  s.svc->escalate({out.c.id, "No agreement", std::nullopt, std::nullopt});
  s.clock.set("2026-11-24T17:00");
  auto rec = s.svc->record({out.c.id, "conversation", "Earlier call, entered late", "phone", "", "", "",
                            std::nullopt, std::string("2026-11-23T15:00")});
  CHECK(rec.deadlines_met.empty());
  rec = s.svc->record({out.c.id, "conversation", "Managers spoke", "phone", "", "", "", std::nullopt,
                       std::string("2026-11-24T13:00")});
  CHECK(rec.deadlines_met.size() == 1);
  CHECK_THROWS_WITH(s.svc->record({out.c.id, "note", "Before the case", "", "", "", "", std::nullopt,
                                   std::string("2026-11-22T10:00")}),
                    Catch::Contains("cannot come before"));
}
