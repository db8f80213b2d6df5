// Who a duty's reminder goes to: addresses, holders, the party's side.
#include <esc/contacts.hpp>

#include <catch2/catch.hpp>

using namespace esc;

TEST_CASE("an e-mail address esc can send to", "[contacts]") {
  CHECK(valid_email("jo.bloggs@example.org"));
  CHECK(valid_email("a+b@sub.example.co.uk"));
  CHECK_FALSE(valid_email(""));
  CHECK_FALSE(valid_email("jo"));
  CHECK_FALSE(valid_email("@example.org"));
  CHECK_FALSE(valid_email("jo@"));
  CHECK_FALSE(valid_email("jo@localhost"));
  CHECK_FALSE(valid_email("jo@example.org."));
  CHECK_FALSE(valid_email("jo@@example.org"));
  CHECK_FALSE(valid_email("jo bloggs@example.org"));
  CHECK_FALSE(valid_email("jo@example.org, eve@example.org"));
  CHECK_FALSE(valid_email("jo@example.org\nBcc: eve@example.org"));
  CHECK_FALSE(valid_email("<jo@example.org>"));
}

TEST_CASE("a contact reads back as it was written", "[contacts]") {
  CHECK(format_contact("Jo Bloggs", "jo@example.org") == "Jo Bloggs <jo@example.org>");
  CHECK(format_contact("", "jo@example.org") == "<jo@example.org>");
  CHECK(format_contact("Jo Bloggs", "") == "Jo Bloggs");
  for (auto [name, email] : {std::pair{"Jo Bloggs", "jo@example.org"}, std::pair{"", "jo@example.org"},
                             std::pair{"Jo Bloggs", ""}}) {
    auto c = parse_contact(format_contact(name, email));
    REQUIRE(c);
    CHECK(c->name == name);
    CHECK(c->email == email);
  }
  auto bare = parse_contact("jo@example.org");
  REQUIRE(bare);
  CHECK(bare->email == "jo@example.org");
  CHECK(bare->name.empty());
  CHECK_FALSE(parse_contact("Jo <not an address>"));
  CHECK_FALSE(parse_contact("Jo <jo@example.org"));
  CHECK_FALSE(parse_contact("Jo > Bloggs"));
}

TEST_CASE("each kind of duty is owed by a party", "[contacts]") {
  using R = std::vector<PartyRole>;
  CHECK(owed_by(DutyKind::deadline) == R{PartyRole::raiser, PartyRole::counterpart});
  CHECK(owed_by(DutyKind::check_back) == R{PartyRole::raiser, PartyRole::counterpart});
  CHECK(owed_by(DutyKind::notification) == R{PartyRole::raiser});
  CHECK(owed_by(DutyKind::feedback) == R{PartyRole::raiser});
}

TEST_CASE("a reminder goes to the stage's holder, else the party", "[contacts]") {
  Party raiser{PartyRole::raiser, "Ann Teacher", "Hillside", "school"};
  std::vector<Holder> none;
  Recipient r = recipient_for(none, PartyRole::raiser, 2, raiser);
  CHECK(r.email.empty());
  CHECK(r.name == "Ann Teacher");
  CHECK(r.key() == "raiser");

  std::vector<Holder> own{{PartyRole::raiser, 0, "Ann Teacher", "ann@example.org"}};
  r = recipient_for(own, PartyRole::raiser, 2, raiser);
  CHECK(r.email == "ann@example.org");
  CHECK_FALSE(r.holder);
  CHECK(r.key() == "ann@example.org");
  // The counterpart's side has no address of its own.
  CHECK(recipient_for(own, PartyRole::counterpart, 2, raiser).email.empty());

  std::vector<Holder> held = own;
  held.push_back({PartyRole::raiser, 2, "Lee Manager", "lee@example.org"});
  r = recipient_for(held, PartyRole::raiser, 2, raiser);
  CHECK(r.email == "lee@example.org");
  CHECK(r.name == "Lee Manager");
  CHECK(r.holder);
  // Stage 1 and stage 3 are not Lee's.
  CHECK(recipient_for(held, PartyRole::raiser, 1, raiser).email == "ann@example.org");
  CHECK(recipient_for(held, PartyRole::raiser, 3, raiser).email == "ann@example.org");
  // The newest assignment for a stage counts.
  held.push_back({PartyRole::raiser, 2, "Kim Deputy", "kim@example.org"});
  CHECK(recipient_for(held, PartyRole::raiser, 2, raiser).email == "kim@example.org");
  // A holder named without an address: the party's own address still works.
  std::vector<Holder> nameless = own;
  nameless.push_back({PartyRole::raiser, 3, "Pat Head", ""});
  CHECK(recipient_for(nameless, PartyRole::raiser, 3, raiser).email == "ann@example.org");
}

TEST_CASE("an assign record names a contact", "[contacts]") {
  CaseRecord r;
  r.kind = std::string(k_assign_kind);
  r.to = "counterpart";
  r.with = "Lee Manager <lee@example.org>";
  r.stage = 2;
  auto c = contact_of(r);
  REQUIRE(c);
  CHECK(c->role == PartyRole::counterpart);
  CHECK(c->stage == 2);
  CHECK(c->email == "lee@example.org");
  r.kind = "note";
  CHECK_FALSE(contact_of(r));
}
