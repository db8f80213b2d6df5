#include <esc/error.hpp>
#include <esc/policy.hpp>
#include <esc/validate.hpp>

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <string_view>

using namespace esc;

namespace {

// The length utf8_sequence() gives for the start of `bytes`, and the code
// point it decodes (0 when none).
std::pair<size_t, char32_t> decode(std::string_view bytes) {
  char32_t cp = 0;
  size_t n = utf8_sequence(bytes, cp);
  return {n, n == 0 ? 0 : cp};
}

std::string policy_error(const std::string& text) {
  try {
    parse_policy(text, "k.toml");
  } catch (const PolicyError& e) {
    return e.what();
  }
  FAIL("the policy was accepted");
  return {};
}

// A small policy (invented) whose last line is `last`, on line 12.
std::string policy_ending(const std::string& last) {
  return "id = \"keys\"\nname = \"Keys (invented)\"\npartnership = \"Invented\"\nversion = \"1\"\n"
         "[emergency]\ntext = \"Phone the invented duty team.\"\n"
         "[[stages]]\nnumber = 1\ntitle = \"One\"\nhandler = \"Handler\"\n[stages.handlers]\n" +
         last + "\n";
}

}  // namespace

TEST_CASE("utf8_sequence decodes well-formed UTF-8 only", "[validate]") {
  using P = std::pair<size_t, char32_t>;
  // One to four bytes, at the edges of each length.
  CHECK(decode("a") == P{1, U'a'});
  CHECK(decode(std::string_view("\0", 1)) == P{1, 0});
  CHECK(decode("\x7f") == P{1, 0x7F});
  CHECK(decode("\xc2\x80") == P{2, 0x80});
  CHECK(decode("\xc3\xa9 and more") == P{2, U'\u00e9'});
  CHECK(decode("\xdf\xbf") == P{2, 0x7FF});
  CHECK(decode("\xe0\xa0\x80") == P{3, 0x800});
  CHECK(decode("\xe2\x80\x99") == P{3, U'\u2019'});
  CHECK(decode("\xef\xbf\xbf") == P{3, 0xFFFF});
  CHECK(decode("\xf0\x90\x80\x80") == P{4, 0x10000});
  CHECK(decode("\xf0\x9f\x98\x80") == P{4, 0x1F600});
  CHECK(decode("\xf4\x8f\xbf\xbf") == P{4, 0x10FFFF});
  // Nothing, stray continuation bytes and bytes that never start a sequence.
  CHECK(decode("").first == 0);
  CHECK(decode("\x80").first == 0);
  CHECK(decode("\xbf").first == 0);
  CHECK(decode("\xff").first == 0);
  CHECK(decode("\xfe").first == 0);
  CHECK(decode("\xf8\x88\x80\x80\x80").first == 0);
  // Overlong forms: '/' in two, three and four bytes, NUL in two, U+07FF in three.
  CHECK(decode("\xc0\xaf").first == 0);
  CHECK(decode("\xc1\xbf").first == 0);
  CHECK(decode("\xe0\x80\xaf").first == 0);
  CHECK(decode("\xf0\x80\x80\xaf").first == 0);
  CHECK(decode("\xc0\x80").first == 0);
  CHECK(decode("\xe0\x9f\xbf").first == 0);
  CHECK(decode("\xf0\x8f\xbf\xbf").first == 0);
  // Surrogates (U+D800 to U+DFFF) and past U+10FFFF.
  CHECK(decode("\xed\xa0\x80").first == 0);
  CHECK(decode("\xed\xbf\xbf").first == 0);
  CHECK(decode("\xed\x9f\xbf") == P{3, 0xD7FF});
  CHECK(decode("\xf4\x90\x80\x80").first == 0);
  CHECK(decode("\xf5\x80\x80\x80").first == 0);
  // Truncated sequences: at the end, and cut short by another character.
  CHECK(decode("\xc3").first == 0);
  CHECK(decode("\xe2\x80").first == 0);
  CHECK(decode("\xf0\x9f\x98").first == 0);
  CHECK(decode("\xe2\x80x").first == 0);
  CHECK(decode("\xc3" "a").first == 0);
}

TEST_CASE("invalid_utf8_at finds the first byte that is not UTF-8", "[validate]") {
  CHECK(invalid_utf8_at("") == std::nullopt);
  CHECK(invalid_utf8_at("plain text") == std::nullopt);
  CHECK(invalid_utf8_at("caf\xc3\xa9 \xe2\x80\x99quoted\xe2\x80\x99 \xf0\x9f\x98\x80") == std::nullopt);
  CHECK(invalid_utf8_at("bad \xff text") == std::optional<size_t>{4});
  CHECK(invalid_utf8_at("caf\xc3\xa9\xc3") == std::optional<size_t>{5});
  CHECK(invalid_utf8_at("\xc0\xaf") == std::optional<size_t>{0});
  CHECK(invalid_utf8_at("ok \xed\xa0\x80") == std::optional<size_t>{3});
  // Latin-1, as a terminal set to it would send "café".
  CHECK(invalid_utf8_at("caf\xe9") == std::optional<size_t>{3});
}

TEST_CASE("terminal controls: C0 but tab and newline, DEL, C1, and bidi unless allowed", "[validate]") {
  for (char32_t c = 0; c < 0x20; ++c) CHECK(is_terminal_control(c) == (c != U'\t' && c != U'\n'));
  CHECK(is_terminal_control(0x1B));
  CHECK_FALSE(is_terminal_control(U' '));
  CHECK_FALSE(is_terminal_control(U'~'));
  CHECK(is_terminal_control(0x7F));
  for (char32_t c = 0x80; c <= 0x9F; ++c) CHECK(is_terminal_control(c));
  CHECK_FALSE(is_terminal_control(0xA0));
  CHECK_FALSE(is_terminal_control(U'\u00e9'));
  for (char32_t c : {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069}) {
    CHECK(is_terminal_control(c));
    CHECK(is_terminal_control(c, Bidi::control));
    CHECK_FALSE(is_terminal_control(c, Bidi::allowed));
  }
  for (char32_t c : {0x2029, 0x202F, 0x2065, 0x206A, 0x2019})
    CHECK_FALSE(is_terminal_control(c));
  // C0, DEL and C1 stay controls whatever the bidi choice.
  CHECK(is_terminal_control(0x1B, Bidi::allowed));
  CHECK(is_terminal_control(0x9B, Bidi::allowed));
}

TEST_CASE("first_terminal_control decodes before it judges", "[validate]") {
  CHECK(first_terminal_control("plain\ttext\nover lines") == std::nullopt);
  CHECK(first_terminal_control("caf\xc3\xa9") == std::nullopt);
  CHECK(first_terminal_control("red \x1b[31m") == std::optional<char32_t>{0x1B});
  CHECK(first_terminal_control("bell \x07") == std::optional<char32_t>{0x07});
  CHECK(first_terminal_control("del \x7f") == std::optional<char32_t>{0x7F});
  // C1 as UTF-8 (U+009B, CSI) is a control; the raw byte 0x9B is not UTF-8 at
  // all and is passed over, as is a lone 0xC2.
  CHECK(first_terminal_control("csi \xc2\x9b" "2J") == std::optional<char32_t>{0x9B});
  CHECK(first_terminal_control("raw \x9b" "2J") == std::nullopt);
  CHECK(first_terminal_control("lone \xc2") == std::nullopt);
  // What follows a byte that is not UTF-8 is read afresh.
  CHECK(first_terminal_control("\xff\x1b") == std::optional<char32_t>{0x1B});
  CHECK(first_terminal_control("\xe2\x80\x1b") == std::optional<char32_t>{0x1B});
  // A character that merely contains 0x85 or 0x9B as a continuation byte is not C1.
  CHECK(first_terminal_control("\xe2\x80\x85 \xe2\x80\x9b") == std::nullopt);
  // Bidirectional overrides: U+202E and U+2066, refused or allowed.
  CHECK(first_terminal_control("x \xe2\x80\xae" "evil") == std::optional<char32_t>{0x202E});
  CHECK(first_terminal_control("x \xe2\x81\xa6" "iso") == std::optional<char32_t>{0x2066});
  CHECK(first_terminal_control("x \xe2\x80\xae" "evil", Bidi::allowed) == std::nullopt);
  CHECK(first_terminal_control("x \xe2\x80\xae\x1b", Bidi::allowed) == std::optional<char32_t>{0x1B});
}

TEST_CASE("check_text refuses text that is not UTF-8, naming the field", "[validate]") {
  CHECK(check_text("caf\xc3\xa9 \xe2\x80\x99ok\xe2\x80\x99", Field::summary) == "caf\xc3\xa9 \xe2\x80\x99ok\xe2\x80\x99");
  // Controls are stored (and shown safely); only the encoding is refused here.
  CHECK(check_text("tab\there \x1b[31m", Field::summary) == "tab\there \x1b[31m");
  CHECK_THROWS_AS(check_text("bad \xff text", Field::summary), DataError);
  CHECK_THROWS_WITH(check_text("bad \xff text", Field::summary),
                    Catch::StartsWith("the summary is not valid UTF-8 (byte 5 of 10): write it in UTF-8") &&
                        Catch::Contains("encoding"));
  CHECK_THROWS_WITH(check_text("caf\xe9", Field::raiser), Catch::StartsWith("the raiser's name is not valid UTF-8"));
  CHECK_THROWS_WITH(check_text("\xed\xa0\x80", Field::reason), Catch::StartsWith("the reason is not valid UTF-8"));
  CHECK_THROWS_WITH(check_text("\xc0\xaf", Field::outcome), Catch::StartsWith("the outcome statement is not valid UTF-8"));
  CHECK_THROWS_WITH(check_text("cut \xe2\x80", Field::summary), Catch::Contains("(byte 5 of 6)"));
  // Emptiness and size are still checked first, as before.
  CHECK_THROWS_AS(check_text(" \t\n", Field::summary), UsageError);
  CHECK_THROWS_WITH(check_text("\xff\xff\xff", Field::summary, 2), Catch::Contains("3 bytes"));
}

TEST_CASE("check_utf8 lets empty text through and refuses what is not UTF-8", "[validate]") {
  CHECK_NOTHROW(check_utf8("", Field::child));
  CHECK_NOTHROW(check_utf8("Zo\xc3\xab", Field::child));
  CHECK_THROWS_AS(check_utf8("Zo\xeb", Field::child), DataError);
  CHECK_THROWS_WITH(check_utf8("Zo\xeb", Field::child), Catch::StartsWith("the child's name is not valid UTF-8 (byte 3 of 3)"));
}

TEST_CASE("a control character in a policy key is reported where the key is", "[validate][policy]") {
  // The key starts at column 3 of line 12; its value at column 20.
  std::string err = policy_error(policy_ending("  \"school\\u001b\" = \"Head\""));
  CHECK_THAT(err, Catch::StartsWith("k.toml:12:3: a key holds the control character U+001B"));
  // A control in the value is reported at the value.
  err = policy_error(policy_ending("  school = \"Head\\u009b\""));
  CHECK_THAT(err, Catch::StartsWith("k.toml:12:12: a string holds the control character U+009B"));
  // A bare key later on a line.
  err = policy_error(policy_ending("school = \"Head\"\n\"health\\u007f\" = \"Lead\""));
  CHECK_THAT(err, Catch::StartsWith("k.toml:13:1: a key holds the control character U+007F"));
  // Bidirectional overrides stay allowed in policy text.
  CHECK_NOTHROW(parse_policy(policy_ending("school = \"Head \\u202eevil\\u202c \\u2066x\\u2069\""), "k.toml"));
}
