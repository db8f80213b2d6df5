#include <esc/error.hpp>
#include <esc/policy.hpp>
#include <esc/policy_library.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace esc;

namespace {

// The smallest valid policy; broken ones below change one thing each.
const std::string k_minimal = R"(id = "test"
name = "Test policy"
partnership = "Test partnership"
version = "1"

[emergency]
text = "Call the front door."

[[stages]]
number = 1
title = "Practitioner to practitioner"
handler = "Practitioner"

[[stages]]
number = 2
title = "Manager to manager"
handler = "Line manager"
)";

std::string error_for(const std::string& text) {
  try {
    parse_policy(text, "bad.toml");
  } catch (const PolicyError& e) {
    CHECK(e.kind() == ErrorKind::config);
    return e.what();
  }
  FAIL("the policy was accepted");
  return {};
}

PolicyLibrary source_library() { return PolicyLibrary({ESC_SOURCE_POLICY_DIR}); }

}  // namespace

TEST_CASE("a minimal policy loads with defaults", "[policy]") {
  Policy p = parse_policy(k_minimal, "min.toml");
  CHECK(p.id == "test");
  CHECK(p.stages.size() == 2);
  CHECK(p.calendar_name == "england-and-wales");
  CHECK(p.time_zone == "Europe/London");
  CHECK(p.next_allowed);
  CHECK_FALSE(p.pause_allowed);
  REQUIRE(p.categories.size() == 1);
  CHECK(p.categories[0].id == "other");
}

TEST_CASE("broken policies are refused with file, line, column and what is wrong", "[policy]") {
  struct Case {
    const char* what;
    std::string text;
    std::string message;
  };
  const std::vector<Case> cases{
      {"TOML syntax", k_minimal + "oops = \n", "bad.toml:18:8: "},
      {"unknown key", "colour = \"blue\"\n" + k_minimal,
       "bad.toml:1:10: unknown key 'colour'"},
      {"unknown key in a stage", k_minimal + "owner = \"x\"\n",
       "bad.toml:18:9: unknown key 'stages.owner'"},
      {"wrong type", std::string(k_minimal).replace(k_minimal.find("version = \"1\""), 13, "version = 1"),
       "bad.toml:4:11: 'version' must be a string"},
      {"missing required key", k_minimal.substr(k_minimal.find('\n') + 1),
       "bad.toml:1:1: missing required key 'id'"},
      {"stage out of order", k_minimal + "[[stages]]\nnumber = 4\ntitle = \"x\"\nhandler = \"y\"\n",
       "bad.toml:19:10: stage number 4 out of order: stages are numbered 1, 2, 3 ... and this one should be 3"},
      {"deadline with no timescale",
       k_minimal + "[[stages.deadlines]]\naction = \"Talk\"\n",
       "bad.toml:18:1: deadline 'Talk' has no timescale"},
      {"unreadable timescale",
       k_minimal + "[[stages.deadlines]]\naction = \"Talk\"\ntimescale = \"2 days\"\n",
       "bad.toml:20:13: 'stages.deadlines.timescale' = \"2 days\" is not a timescale"},
      {"unknown record kind",
       k_minimal + "[[stages.deadlines]]\naction = \"Talk\"\ntimescale = \"1 working day\"\nmet_by = \"email\"\n",
       "bad.toml:21:10: unknown record kind 'email'"},
      {"jump to a stage that does not exist", k_minimal + "[moves]\n[[moves.jumps]]\nto = 7\n",
       "bad.toml:20:6: jump to stage 7, which does not exist (the policy has 2 stages)"},
      {"route to a stage that does not exist",
       k_minimal + "[moves]\n[[moves.routes]]\nfrom = 1\nto = 9\nwhen = [[\"school\", \"school\"]]\n",
       "bad.toml:21:6: route to stage 9, which does not exist"},
      {"route with an unknown agency type",
       k_minimal + "[moves]\n[[moves.routes]]\nfrom = 1\nto = 2\nwhen = [[\"school\", \"church\"]]\n",
       "unknown agency type 'church'"},
      {"duplicate category id",
       k_minimal + "[[categories]]\nid = \"info\"\nlabel = \"a\"\n[[categories]]\nid = \"info\"\nlabel = \"b\"\n",
       "bad.toml:22:6: duplicate category id 'info'"},
      {"duplicate form id",
       k_minimal + "[[forms]]\nid = \"f\"\nname = \"a\"\n[[forms]]\nid = \"f\"\nname = \"b\"\n",
       "bad.toml:22:6: duplicate form id 'f'"},
      {"requirement naming a missing form",
       k_minimal + "[[stages.requires]]\naction = \"Notify\"\nform = \"nope\"\n",
       "bad.toml:20:8: requirement names form 'nope', which the policy does not define"},
      {"unknown form source",
       k_minimal + "[[forms]]\nid = \"f\"\nname = \"a\"\n[[forms.fields]]\nid = \"x\"\nlabel = \"X\"\nsource = \"shoe_size\"\n",
       "bad.toml:24:10: unknown form source 'shoe_size'"},
      {"unknown calendar", "calendar = \"mars\"\n" + k_minimal, "bad.toml:1:12: unknown calendar 'mars'"},
      {"unknown time zone", "time_zone = \"America/New_York\"\n" + k_minimal,
       "bad.toml:1:13: unknown time zone 'America/New_York'"},
      {"unknown handler agency type", k_minimal + "[stages.handlers]\nchurch = \"Vicar\"\n",
       "bad.toml:19:10: unknown agency type 'church'"},
      {"unknown discouraged channel", k_minimal + "[channels.discouraged]\npigeon = \"slow\"\n",
       "bad.toml:19:10: unknown channel 'pigeon'"},
      {"missing emergency text",
       std::string(k_minimal).replace(k_minimal.find("[emergency]\ntext = \"Call the front door.\"\n"), 42, ""),
       "bad.toml:1:1: missing [emergency]"},
      {"closure that is not a date", "closures = [{ date = \"soon\", name = \"x\" }]\n" + k_minimal,
       "bad.toml:1:22: a closure's date must be a TOML date"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    CHECK_THAT(error_for(c.text), Catch::Contains(c.message));
  }
}

TEST_CASE("timescales are written as the policies say them", "[policy]") {
  Policy p = parse_policy(k_minimal + "[case_limit]\naction = \"Resolve\"\ntimescale = \"5 working days\"\n", "t.toml");
  REQUIRE(p.case_limit);
  CHECK(p.case_limit->timescale.days == 5);
  CHECK(p.case_limit->from == ClockFrom::case_start);
  CHECK(p.case_limit->timescale.text() == "5 working days");
  CHECK_THAT(error_for(k_minimal + "[case_limit]\naction = \"R\"\ntimescale = \"1 working days\"\n"),
             Catch::Contains("is not a timescale"));
  CHECK_THAT(error_for(k_minimal + "[case_limit]\naction = \"R\"\ntimescale = \"0 working days\"\n"),
             Catch::Contains("is not a timescale"));
}

TEST_CASE("the five seed policies load with the agreed deadline rules", "[policy][seeds]") {
  auto lib = source_library();
  auto ids = lib.list();
  REQUIRE(ids.size() == 5);

  auto days_of = [](const Stage& s) {
    std::vector<std::string> out;
    for (const auto& d : s.deadlines)
      out.push_back(d.timescale.text() + (d.from == ClockFrom::case_start ? " from case" : " from stage"));
    return out;
  };

  Policy stoke = lib.load("stoke-on-trent");
  REQUIRE(stoke.stages.size() == 5);
  CHECK(days_of(stoke.stages[0]) == std::vector<std::string>{"1 working day from stage"});
  CHECK(stoke.stages[0].deadlines[0].met_by == "conversation");
  CHECK(days_of(stoke.stages[1]) == std::vector<std::string>{"1 working day from stage"});
  CHECK(days_of(stoke.stages[2]) == std::vector<std::string>{"1 working day from stage", "2 working days from stage",
                                                             "2 working days from stage"});
  CHECK(days_of(stoke.stages[3]) == std::vector<std::string>{"5 working days from stage"});
  CHECK(days_of(stoke.stages[4]) == std::vector<std::string>{"2 working days from stage"});
  CHECK_FALSE(stoke.case_limit);
  CHECK_FALSE(stoke.stages[1].notifies_partnership());
  for (int s : {3, 4, 5}) CHECK(stoke.stage(s)->notifies_partnership());
  REQUIRE(stoke.jumps.size() == 1);
  CHECK(stoke.jumps[0].to == 3);
  CHECK(stoke.pause_allowed);
  CHECK(stoke.pause_term == "halted");
  CHECK(stoke.extension_allowed);
  REQUIRE(stoke.form("pcrno"));
  CHECK(stoke.form("pcrno")->fields.size() == 12);
  CHECK(stoke.stage(4)->handler_for("health") != stoke.stage(4)->handler_for("police"));
  // Stage 3's decision is "communicated ... in writing"; stage 1 informs a
  // Lead Professional / IRO / Chair in writing; feedback at every stage.
  CHECK(stoke.stages[2].deadlines[2].in_writing);
  CHECK_FALSE(stoke.stages[2].deadlines[0].in_writing);
  REQUIRE(stoke.stages[0].requires_.size() == 1);
  CHECK(stoke.stages[0].requires_[0].kind == DutyKind::inform);
  CHECK(stoke.stages[0].requires_[0].in_writing);
  CHECK_THAT(stoke.stages[0].requires_[0].to, Catch::Contains("IRO"));
  REQUIRE(stoke.duties.size() == 1);
  CHECK(stoke.duties[0].on == DutyOn::every_stage);
  CHECK(stoke.duties[0].duty.kind == DutyKind::feedback);
  for (int s : {3, 4, 5}) CHECK_FALSE(stoke.stage(s)->requires_[0].clause.empty());

  Policy generic = lib.load("generic");
  CHECK(generic.stages.size() == 4);
  CHECK_FALSE(generic.case_limit);
  for (const auto& s : generic.stages) CHECK(s.deadlines.empty());
  REQUIRE(generic.duties.size() == 1);
  CHECK(generic.duties[0].on == DutyOn::every_stage);
  CHECK(generic.duties[0].duty.kind == DutyKind::feedback);
  CHECK_FALSE(generic.duties[0].duty.timescale);

  Policy warrington = lib.load("warrington");
  CHECK(warrington.stages.size() == 4);
  for (const auto& s : warrington.stages)
    CHECK(days_of(s) == std::vector<std::string>{"same working day from stage"});
  REQUIRE(warrington.case_limit);
  CHECK(warrington.case_limit->timescale.days == 5);
  // "If the matter takes longer than a day to resolve": a day elapsed.
  CHECK_FALSE(warrington.delay_reason_after);
  REQUIRE(warrington.delay_reason_after_hours);
  CHECK(*warrington.delay_reason_after_hours == 24);
  CHECK(warrington.learning_required);
  CHECK(warrington.learning_referral);
  CHECK_THAT(warrington.learning_to, Catch::Contains("Partnerships Manager"));
  REQUIRE(warrington.stage(4)->requires_.size() == 1);
  CHECK(warrington.stage(4)->requires_[0].kind == DutyKind::notification);

  Policy birmingham = lib.load("birmingham");
  CHECK(birmingham.stages.size() == 5);
  for (const auto& s : birmingham.stages) CHECK(s.deadlines.empty());
  REQUIRE(birmingham.case_limit);
  CHECK(birmingham.case_limit->timescale.days == 5);
  REQUIRE(birmingham.routes.size() == 1);
  CHECK(birmingham.routes[0].from == 1);
  CHECK(birmingham.routes[0].to == 5);
  for (int s : {2, 3, 4}) CHECK_THAT(birmingham.stage(s)->handler_for("school"), Catch::Contains("Head Teacher"));
  CHECK_THAT(birmingham.stage(2)->handler_for("social-care"), Catch::Contains("Head of Service"));
  CHECK_THAT(birmingham.stage(3)->handler_for("social-care"), Catch::Contains("Assistant Director"));
  CHECK_THAT(birmingham.stage(4)->handler_for("social-care"), Catch::Contains("Executive Director"));
  CHECK(birmingham.stage(5)->notifies_partnership());
  REQUIRE(birmingham.duties.size() == 2);
  CHECK(birmingham.duties[0].on == DutyOn::every_stage);
  CHECK(birmingham.duties[1].on == DutyOn::resolve);
  for (const auto& d : birmingham.duties) {
    CHECK(d.duty.kind == DutyKind::feedback);
    CHECK(d.duty.in_writing);
  }

  Policy sefton = lib.load("sefton");
  CHECK(sefton.stage_term == "step");
  REQUIRE(sefton.stages.size() == 4);
  CHECK(days_of(sefton.stages[0]) == std::vector<std::string>{"2 working days from case"});
  CHECK(days_of(sefton.stages[1]) == std::vector<std::string>{"4 working days from case"});
  CHECK(days_of(sefton.stages[2]) == std::vector<std::string>{"6 working days from case"});
  CHECK(days_of(sefton.stages[3]) == std::vector<std::string>{"11 working days from case"});
  CHECK(sefton.jumps.empty());
  CHECK(sefton.channels_discouraged.count("email") == 1);
  CHECK(sefton.form("escalation-log"));
  CHECK(sefton.form("report-to-sscp"));
  CHECK(sefton.stage(3)->notifies_partnership());
  CHECK_FALSE(sefton.stage(2)->notifies_partnership());
  // The meeting's outcome is reported once the meeting has resolved the
  // case at step 4: a duty on resolving there, not on entering the step,
  // and not every resolution's.
  CHECK_FALSE(sefton.stage(4)->notifies_partnership());
  // Learning points only "may" be recorded at a Step 3 meeting.
  CHECK_FALSE(sefton.learning_required);
  REQUIRE(sefton.duties.size() == 2);
  CHECK(sefton.duties[0].duty.kind == DutyKind::inform);
  CHECK(sefton.duties[0].duty.in_writing);
  CHECK(sefton.duties[1].on == DutyOn::resolve);
  CHECK(sefton.duties[1].stages == std::vector<int>{4});
  CHECK(sefton.duties[1].duty.to == "partnership");
  CHECK(sefton.duties[1].duty.form == std::optional<std::string>("report-to-sscp"));
}

TEST_CASE("the seed policies say which stage the partnership itself handles, which forms they reconstruct, and "
          "the forms' own instructions",
          "[policy][seeds]") {
  auto lib = source_library();
  auto own = [](const Policy& p) {
    std::vector<int> out;
    for (const auto& s : p.stages)
      if (s.partnership) out.push_back(s.number);
    return out;
  };
  // Notified at Stoke's stages 3 and 4 and Sefton's step 3; handled by the
  // partnership only at Stoke's stage 5 and Sefton's step 4.
  Policy stoke = lib.load("stoke-on-trent");
  CHECK(own(stoke) == std::vector<int>{5});
  CHECK(stoke.stage(3)->notifies_partnership());
  Policy sefton = lib.load("sefton");
  CHECK(own(sefton) == std::vector<int>{4});
  CHECK(own(lib.load("birmingham")) == std::vector<int>{5});
  CHECK(own(lib.load("warrington")) == std::vector<int>{4});
  CHECK(own(lib.load("generic")).empty());

  // Stoke's Appendix 2 is reproduced in its seed; neither of Sefton's is.
  CHECK_FALSE(stoke.form("pcrno")->reconstructed);
  CHECK(sefton.form("escalation-log")->reconstructed);
  CHECK(sefton.form("report-to-sscp")->reconstructed);

  const Form& pcrno = *stoke.form("pcrno");
  for (const auto& f : pcrno.fields) {
    INFO(f.id);
    if (f.id == "summary")
      CHECK(f.instruction ==
            "(It is important that you provide information that details how you have made every effort to resolve "
            "this matter at a local level within Stages 1 & 2.)");
    else
      CHECK(f.instruction.empty());
  }

  // What the text says of every case, kept for the user to see.
  CHECK_THAT(lib.load("generic").records_in, Catch::StartsWith("My Concern"));
  CHECK_THAT(sefton.records_in, Catch::StartsWith("Single agency records"));
  CHECK(stoke.contact == "SoTSCP.Information@stoke.gov.uk");
  CHECK_THAT(stoke.stage(5)->expected_outcome, Catch::Contains("independent professional advisor"));
}

TEST_CASE("partnership, reconstructed and instruction are optional, so a policy text pinned before them still "
          "loads",
          "[policy]") {
  const std::string form = "[[forms]]\nid = \"f\"\nname = \"A form\"\n[[forms.fields]]\nid = \"x\"\nlabel = \"X\"\n"
                           "source = \"summary\"\n";
  Policy plain = parse_policy(k_minimal + form, "plain.toml");
  for (const auto& s : plain.stages) CHECK_FALSE(s.partnership);
  REQUIRE(plain.form("f"));
  CHECK_FALSE(plain.form("f")->reconstructed);
  CHECK(plain.form("f")->fields.at(0).instruction.empty());

  const std::string marked = "[[forms]]\nid = \"f\"\nname = \"A form\"\nreconstructed = true\n[[forms.fields]]\n"
                             "id = \"x\"\nlabel = \"X\"\ninstruction = \"(Say how.)\"\nsource = \"summary\"\n";
  Policy p = parse_policy(k_minimal + "partnership = true\n" + marked, "marked.toml");
  CHECK(p.form("f")->reconstructed);
  CHECK(p.form("f")->fields.at(0).instruction == "(Say how.)");
  CHECK_FALSE(p.stage(1)->partnership);
  CHECK(p.stage(2)->partnership);

  CHECK_THAT(error_for(k_minimal + "partnership = \"yes\"\n"),
             Catch::Contains("bad.toml:18:15: 'stages.partnership' must be true or false"));
  CHECK_THAT(error_for(k_minimal + "[[forms]]\nid = \"f\"\nname = \"a\"\nreconstructed = 1\n"),
             Catch::Contains("bad.toml:21:17: 'forms.reconstructed' must be true or false"));
  CHECK_THAT(error_for(k_minimal + "[[forms]]\nid = \"f\"\nname = \"a\"\n[[forms.fields]]\nid = \"x\"\n"
                       "label = \"X\"\nsource = \"summary\"\ninstruction = 2\n"),
             Catch::Contains("bad.toml:25:15: 'forms.fields.instruction' must be a string"));

  // Each seed policy without the new keys: it loads, and no stage is the
  // partnership's own.
  for (const char* id : {"stoke-on-trent", "sefton", "birmingham", "warrington"}) {
    INFO(id);
    std::string text = source_library().load(id).text;
    for (const std::string key : {"\npartnership = true\n", "\nreconstructed = true\n"})
      for (auto at = text.find(key); at != std::string::npos; at = text.find(key))
        text.erase(at, key.size() - 1);
    for (auto at = text.find("\ninstruction = "); at != std::string::npos; at = text.find("\ninstruction = "))
      text.erase(at, text.find('\n', at + 1) - at);
    Policy old = parse_policy(text, std::string(id) + ".toml");
    for (const auto& s : old.stages) CHECK_FALSE(s.partnership);
    for (const auto& f : old.forms) CHECK_FALSE(f.reconstructed);
  }
}

TEST_CASE("policies are found by id along the search path, first wins", "[policy]") {
  PolicySearchInputs in;
  in.esc_policy_path = "/a:/b::/c";
  in.xdg_config_home = "/xdg";
  in.home = "/home/u";
  auto dirs = policy_search_path(in);
  REQUIRE(dirs.size() >= 4);
  CHECK(dirs[0] == "/a");
  CHECK(dirs[1] == "/b");
  CHECK(dirs[2] == "/c");
  CHECK(dirs[3] == "/xdg/esc/policies");
  in.xdg_config_home.reset();
  CHECK(policy_search_path(in)[3] == "/home/u/.config/esc/policies");

  auto lib = source_library();
  CHECK_THROWS_AS(lib.load("nowhere"), NotFoundError);
  CHECK_THROWS_WITH(lib.load("nowhere"), Catch::Contains("known: birmingham"));
  CHECK_THROWS_AS(lib.load("./no-such-file.toml"), NotFoundError);
}
