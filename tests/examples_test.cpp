// Worked examples ([[examples]]) run against the rules: examples.hpp.
#include <esc/error.hpp>
#include <esc/examples.hpp>
#include <esc/policy.hpp>
#include <esc/policy_library.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace esc;

namespace {

// Two stages: a plan within 2 working days of the stage's start, the
// partnership notified at stage 2, feedback to the raiser at every stage;
// halting allowed. Examples are added to it by each test.
const std::string k_policy = R"(id = "test"
name = "Test policy"
partnership = "Test partnership"
version = "1"

[emergency]
text = "Call the front door."

[[stages]]
number = 1
title = "Practitioner to practitioner"
handler = "Practitioner"

[[stages.deadlines]]
action = "Agree a plan"
timescale = "2 working days"
met_by = "plan"

[[stages]]
number = 2
title = "Manager to manager"
handler = "Line manager"

[[stages.deadlines]]
action = "Decide, in writing"
timescale = "1 working day"
met_by = "decision"
in_writing = true

[[stages.requires]]
action = "Notify the partnership"
notify_partnership = true

[pause]
allowed = true

[[duties]]
on = "every-stage"
kind = "feedback"
action = "Feed back to the raiser"
to = "the raiser"
)";

// Raised on Wednesday 23 December 2026: the 2 working days are Thursday 24
// and Tuesday 29 (Christmas Day, the weekend and the Boxing Day substitute
// on Monday 28 are skipped).
const std::string k_raise = R"(
[[examples]]
name = "Christmas"
raised = 2026-12-23T10:00:00
)";

Policy with(const std::string& examples) { return parse_policy(k_policy + examples, "test.toml"); }

std::vector<ExampleFailure> run(const std::string& examples) {
  Policy p = with(examples);
  REQUIRE(p.examples.size() == 1);
  return run_example(p, p.examples[0]);
}

std::string messages(const std::vector<ExampleFailure>& fs) {
  std::string out;
  for (const auto& f : fs) out += f.message() + "\n";
  return out;
}

}  // namespace

TEST_CASE("an example that comes out as it says passes", "[examples]") {
  auto fs = run(k_raise + R"(
[[examples.steps]]
at = 2026-12-29T16:00:00
do = "record"
kind = "plan"

[[examples.expect]]
duty = "s1.d0"
due = 2026-12-29
state = "met"

[[examples.expect]]
duty = "s1.e0"
due = "none"
state = "open"

[[examples.expect]]
duty = "s2.d0"
absent = true
)");
  CHECK(messages(fs) == "");
}

TEST_CASE("a wrong example fails with its name, line, the duty and both dates", "[examples]") {
  // Deliberately wrong: the author forgot the Boxing Day substitute.
  Policy p = with(k_raise + R"(
[[examples.expect]]
duty = "s1.d0"
due = 2026-12-28
)");
  REQUIRE(p.examples.size() == 1);
  auto fs = run_example(p, p.examples[0]);
  REQUIRE(fs.size() == 1);
  CHECK(fs[0].duty == "s1.d0");
  CHECK(fs[0].what == "due");
  CHECK(fs[0].expected == "2026-12-28");
  CHECK(fs[0].actual == "2026-12-29");
  // The policy's 41 lines, a blank one, then [[examples]].
  CHECK(fs[0].line == 43);
  CHECK(fs[0].message() == "example \"Christmas\" (line 43): s1.d0 due expected 2026-12-28, got 2026-12-29");
}

TEST_CASE("an example checks each duty's state at its now", "[examples]") {
  // Not met by the end of Tuesday 29: overdue on the 30th.
  auto fs = run(k_raise + R"(now = 2026-12-30T09:00:00

[[examples.expect]]
duty = "s1.d0"
state = "open"
)");
  REQUIRE(fs.size() == 1);
  CHECK_THAT(fs[0].message(), Catch::EndsWith("s1.d0 state expected open, got overdue"));

  // Without a now, a year after raising.
  fs = run(k_raise + R"(
[[examples.expect]]
duty = "s1.d0"
state = "overdue"
)");
  CHECK(messages(fs) == "");
}

TEST_CASE("an example says which duties exist and which must not", "[examples]") {
  auto fs = run(k_raise + R"(
[[examples.expect]]
duty = "s2.r0"

[[examples.expect]]
duty = "s1.d0"
absent = true
)");
  REQUIRE(fs.size() == 2);
  CHECK_THAT(fs[0].message(), Catch::EndsWith("s2.r0 expected, got no such duty (the case owes s1.d0, s1.e0)"));
  CHECK_THAT(fs[1].message(), Catch::EndsWith("s1.d0 expected absent, got 'Agree a plan' (overdue, due 2026-12-29)"));
}

TEST_CASE("a duty without a date is due none, or checked by the day it arose", "[examples]") {
  auto fs = run(k_raise + R"(
[[examples.expect]]
duty = "s1.e0"
due = "none"

[[examples.expect]]
duty = "s1.e0"
due = 2026-12-23

[[examples.expect]]
duty = "s1.e0"
due = 2026-12-24
)");
  REQUIRE(fs.size() == 1);
  CHECK_THAT(fs[0].message(), Catch::EndsWith("s1.e0 due expected 2026-12-24, got 2026-12-23 (without delay, from that day)"));
}

TEST_CASE("a record in writing meets a written deadline; a phone call does not", "[examples]") {
  const std::string escalate = k_raise + R"(now = 2026-12-31T09:00:00

[[examples.steps]]
at = 2026-12-24T09:00:00
do = "escalate"
)";
  // Escalated on Thursday 24: 1 working day is Tuesday 29.
  auto fs = run(escalate + R"(
[[examples.steps]]
at = 2026-12-29T11:00:00
do = "record"
kind = "decision"
channel = "phone"

[[examples.expect]]
duty = "s2.d0"
due = 2026-12-29
state = "overdue"

[[examples.expect]]
duty = "s1.d0"
state = "closed"
)");
  CHECK(messages(fs) == "");
  fs = run(escalate + R"(
[[examples.steps]]
at = 2026-12-29T11:00:00
do = "record"
kind = "decision"
channel = "email"

[[examples.steps]]
at = 2026-12-29T11:05:00
do = "record"
kind = "notification"
to = "partnership"

[[examples.expect]]
duty = "s2.d0"
state = "met"

[[examples.expect]]
duty = "s2.r0"
due = "none"
state = "met"
)");
  CHECK(messages(fs) == "");
}

TEST_CASE("resuming moves open deadlines by the working days halted", "[examples]") {
  // Halted on Wednesday 23 and resumed on Tuesday 29: the working days
  // 23, 24 (and none of 25 to 28) were halted, so 2026-12-29 moves on 2
  // working days, to Thursday 31.
  auto fs = run(k_raise + R"(
[[examples.steps]]
at = 2026-12-23T11:00:00
do = "pause"

[[examples.steps]]
at = 2026-12-29T09:00:00
do = "resume"

[[examples.expect]]
duty = "s1.d0"
due = 2026-12-31
)");
  CHECK(messages(fs) == "");
}

TEST_CASE("a step esc would refuse fails the example and names its line", "[examples]") {
  auto fs = run(k_raise + R"(
[[examples.steps]]
at = 2026-12-24T09:00:00
do = "escalate"

[[examples.steps]]
at = 2026-12-24T10:00:00
do = "escalate"

[[examples.expect]]
duty = "s2.d0"
)");
  REQUIRE(fs.size() == 1);
  CHECK(fs[0].what == "step");
  CHECK_THAT(fs[0].message(), Catch::Contains("the step at line "));
  CHECK_THAT(fs[0].message(), Catch::Contains("(escalate) is refused: case 1 is at the last stage"));

  fs = run(k_raise + R"(
[[examples.steps]]
at = 2026-12-24T09:00:00
do = "record"
kind = "feedback"
meets = "s1.d0"

[[examples.expect]]
duty = "s1.d0"
)");
  REQUIRE(fs.size() == 1);
  CHECK_THAT(fs[0].message(), Catch::Contains("(record feedback) cannot meet s1.d0 (Agree a plan)"));

  fs = run(k_raise + R"(
[[examples.steps]]
at = 2026-12-24T09:00:00
do = "extend"
days = 2

[[examples.expect]]
duty = "s1.d0"
)");
  REQUIRE(fs.size() == 1);
  CHECK_THAT(fs[0].message(), Catch::Contains("the policy does not provide for extending timescales"));

  fs = run(k_raise + R"(
[[examples.steps]]
at = 2026-12-22T09:00:00
do = "escalate"

[[examples.expect]]
duty = "s1.d0"
)");
  REQUIRE(fs.size() == 1);
  CHECK_THAT(fs[0].message(), Catch::Contains("before the case's last change"));
}

TEST_CASE("an expectation's state must be an outcome word", "[examples]") {
  try {
    with(k_raise + "\n[[examples.expect]]\nduty = \"s1.d0\"\nstate = \"done\"\n");
    FAIL("accepted");
  } catch (const PolicyError& e) {
    CHECK_THAT(e.what(), Catch::Contains("'examples.expect.state' = \"done\": use one of open, met, met late, closed, "
                                         "missed, overdue, paused, waived"));
  }
}

TEST_CASE("every worked example of the five seed policies passes", "[examples][seeds]") {
  PolicyLibrary lib({ESC_SOURCE_POLICY_DIR});
  for (const auto& e : lib.list()) {
    Policy p = lib.load(e.id);
    INFO(p.id);
    // At least three each, from the seed's own words.
    CHECK(p.examples.size() >= 3);
    for (const auto& ex : p.examples) CHECK(messages(run_example(p, ex)) == "");
  }
}
