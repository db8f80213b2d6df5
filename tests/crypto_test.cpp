// Digests and identifiers: SHA-256 against the standard's test vectors, and
// UUIDs of version 4 in their lowercase textual form, none repeated.

#include <esc/crypto.hpp>

#include <catch2/catch.hpp>

#include <regex>
#include <set>
#include <string>

using namespace esc;

TEST_CASE("sha256_hex gives the standard's digests in lowercase hex", "[crypto]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("new_uuid gives distinct version 4 UUIDs", "[crypto]") {
  const std::regex form("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  std::set<char> variants;
  for (int i = 0; i < 2000; ++i) {
    std::string u = new_uuid();
    REQUIRE(std::regex_match(u, form));
    variants.insert(u[19]);
    seen.insert(u);
  }
  CHECK(seen.size() == 2000);
  CHECK(variants.size() == 4);  // the two variant bits fixed, the other two random
}
