// The chain, the read-only open used by shell completion, backups and
// private files. All names and cases are invented.

#include <esc/error.hpp>
#include <esc/files.hpp>
#include <esc/ledger.hpp>
#include <esc/service.hpp>
#include <esc/store.hpp>

#include "core/store/sqlite_store.hpp"

#include <SQLiteCpp/Statement.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace esc;
namespace fs = std::filesystem;

namespace {

class FixedClock : public Clock {
 public:
  Timestamp now() const override { return t; }
  void set(std::string_view s) { t = parse_timestamp(s, TimeZone::get("Europe/London")); }
  Timestamp t{};
};

/// A store with three cases in a fresh directory, removed afterwards: case 1
/// open with a record, case 2 resolved, case 3 paused.
struct ChainScratch {
  fs::path dir;
  std::string db_path;
  FixedClock clock;
  PolicyLibrary policies{{ESC_SOURCE_POLICY_DIR}};

  ChainScratch() {
    char tmpl[] = "/tmp/esc-chain-test-XXXXXX";
    dir = mkdtemp(tmpl);
    db_path = (dir / "esc.db").string();
    Store store(StorePath{db_path, false}, true);
    Service svc(store, policies, clock);
    clock.set("2026-11-23T10:00");
    svc.raise(raise("generic", "C-7001"));
    svc.raise(raise("sefton", "C-7002"));
    svc.raise(raise("stoke-on-trent", "C-7003"));
    clock.set("2026-11-23T11:00");
    svc.record({1, "conversation", "Spoke on the phone", "phone", "", "", "", std::nullopt, std::nullopt});
    clock.set("2026-11-23T12:00");
    svc.resolve({2, "Agreed a plan", "Both managers", "None this time", "", std::nullopt, std::nullopt});
    svc.pause({3, "Awaiting a strategy meeting", std::nullopt});
  }
  ~ChainScratch() { fs::remove_all(dir); }

  static RaiseInput raise(const std::string& policy, const std::string& ref) {
    RaiseInput in;
    in.policy = policy;
    in.category = "other";
    in.summary = "Invented disagreement about a referral threshold";
    in.raiser = {PartyRole::raiser, "Ann Teacher", "Northside Primary", "school"};
    in.counterpart = {PartyRole::counterpart, "Bob Worker", "Area Team North", "social-care"};
    in.child.ref = ref;
    return in;
  }

  /// The store file's bytes (with no esc open, the WAL is folded in).
  std::string bytes(const std::string& file) const {
    std::ifstream in(file, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  /// Alters the store behind esc's back, its triggers dropped first.
  void tamper(const std::string& sql) {
    SQLite::Database db(db_path, SQLite::OPEN_READWRITE);
    std::vector<std::string> triggers;
    SQLite::Statement q(db, "SELECT name FROM sqlite_master WHERE type = 'trigger'");
    while (q.executeStep()) triggers.push_back(q.getColumn(0).getString());
    for (const auto& t : triggers) db.exec("DROP TRIGGER " + t);
    db.exec(sql);
  }
};

bool present(const fs::path& p) {
  std::error_code ec;
  return fs::exists(fs::symlink_status(p, ec));
}

}  // namespace

TEST_CASE("verify_chain reports each problem with the case it is about", "[ledger]") {
  ChainScratch s;
  {
    Store store(StorePath{s.db_path, false}, false);
    VerifyResult r = store.verify(std::nullopt);
    CHECK(r.ok());
    CHECK(r.cases == 3);
    CHECK(r.head.entries == StoreAccess::db(store).execAndGet("SELECT count(*) FROM ledger").getInt64());
  }
  s.tamper("UPDATE records SET summary = 'Nothing was said' WHERE id = 1;"
           "UPDATE policy_texts SET text = text || '# edited' WHERE policy_id = 'generic'");
  Store store(StorePath{s.db_path, false}, false);
  VerifyResult r = store.verify(std::nullopt);
  REQUIRE(r.problems.size() == 2);
  CHECK(r.problems[0].case_id == std::optional<int64_t>(1));
  CHECK(r.problems[0].text.rfind("case 1: record 1 (entry ", 0) == 0);
  CHECK(r.problems[0].text.find(") was changed") != std::string::npos);
  CHECK_FALSE(r.problems[1].case_id.has_value());
  CHECK(r.problems[1].text.find("policy text") != std::string::npos);
}

TEST_CASE("a row moved to another case shows as changed", "[ledger]") {
  ChainScratch s;
  s.tamper("UPDATE records SET case_id = 3 WHERE id = 1");
  Store store(StorePath{s.db_path, false}, false);
  VerifyResult r = store.verify(std::nullopt);
  REQUIRE_FALSE(r.ok());
  CHECK(r.problems[0].case_id == std::optional<int64_t>(1));
  CHECK(r.problems[0].text.find("case 1: record 1 (entry ") == 0);
  CHECK(r.problems[0].text.find("was changed") != std::string::npos);
}

TEST_CASE("verify_chain checks the anchor against the entry it names", "[ledger]") {
  ChainScratch s;
  Store store(StorePath{s.db_path, false}, false);
  Anchor head = store.head_anchor();
  REQUIRE(head.entries > 2);
  CHECK(store.verify(head).ok());
  std::string second = StoreAccess::db(store).execAndGet("SELECT hash FROM ledger WHERE seq = 2").getString();
  CHECK(store.verify(Anchor{2, second}).ok());
  CHECK(store.verify(Anchor{0, ""}).ok());

  VerifyResult wrong = store.verify(Anchor{2, head.last_hash});
  REQUIRE(wrong.problems.size() == 1);
  CHECK(wrong.problems[0].text.rfind("entry 2 does not match the anchor", 0) == 0);
  CHECK_FALSE(wrong.problems[0].case_id.has_value());

  VerifyResult longer = store.verify(Anchor{head.entries + 1, head.last_hash});
  REQUIRE(longer.problems.size() == 1);
  CHECK(longer.problems[0].text.find("the newest were removed (truncated)") != std::string::npos);
}

TEST_CASE("open_read_only reads a current store and never writes it", "[store]") {
  ChainScratch s;
  std::string before = s.bytes(s.db_path);
  {
    auto store = Store::open_read_only(StorePath{s.db_path, false});
    REQUIRE(store);
    CHECK(store->path() == s.db_path);
    auto briefs = store->open_case_briefs();
    REQUIRE(briefs.size() == 2);
    CHECK(briefs[0].id == 1);
    CHECK(briefs[0].policy_id == "generic");
    CHECK(briefs[0].stage == 1);
    CHECK(briefs[0].category == "other");
    CHECK(briefs[0].status == CaseStatus::open);
    CHECK(briefs[1].id == 3);
    CHECK(briefs[1].policy_id == "stoke-on-trent");
    CHECK(briefs[1].status == CaseStatus::paused);
    CHECK_THROWS_AS(store->write([&] { StoreAccess::db(*store).exec("UPDATE cases SET stage = 2 WHERE id = 1"); }), Error);
  }
  CHECK(s.bytes(s.db_path) == before);
  // SQLite may leave an empty -wal and -shm, private like the store, as any
  // reader of a WAL database does; the next esc to close the store removes them.
  for (const char* side : {"-wal", "-shm"}) {
    struct stat st{};
    if (::stat((s.db_path + side).c_str(), &st) != 0) continue;
    CHECK((st.st_mode & 0777) == 0600);
    if (std::string(side) == "-wal") CHECK(st.st_size == 0);
  }
  // The same through a store opened to write.
  {
    Store rw(StorePath{s.db_path, false}, false);
    CHECK(rw.open_case_briefs().size() == 2);
  }
  CHECK_FALSE(present(s.db_path + "-wal"));
  CHECK_FALSE(present(s.db_path + "-shm"));
}

TEST_CASE("open_read_only creates nothing and leaves other schemas alone", "[store]") {
  ChainScratch s;
  SECTION("no file: nullptr, and nothing is made") {
    fs::path missing = s.dir / "sub" / "none.db";
    CHECK(Store::open_read_only(StorePath{missing.string(), false}) == nullptr);
    CHECK(Store::open_read_only(StorePath{(s.dir / "none.db").string(), true}) == nullptr);
    CHECK_FALSE(present(missing));
    CHECK_FALSE(present(s.dir / "sub"));
    CHECK_FALSE(present(s.dir / "none.db"));
  }
  SECTION("a schema 2 store is not upgraded") {
    {
      SQLite::Database db(s.db_path, SQLite::OPEN_READWRITE);
      db.exec("DROP TRIGGER ledger_no_update; DROP TRIGGER ledger_no_delete; DROP TABLE ledger; "
              "PRAGMA user_version = 2");
    }
    std::string before = s.bytes(s.db_path);
    CHECK(Store::open_read_only(StorePath{s.db_path, false}) == nullptr);
    CHECK(s.bytes(s.db_path) == before);
    SQLite::Database db(s.db_path, SQLite::OPEN_READONLY);
    CHECK(db.execAndGet("PRAGMA user_version").getInt() == 2);
    CHECK_FALSE(db.tableExists("ledger"));
  }
  SECTION("a store made by a newer esc") {
    {
      SQLite::Database db(s.db_path, SQLite::OPEN_READWRITE);
      db.exec("PRAGMA user_version = 99");
    }
    CHECK(Store::open_read_only(StorePath{s.db_path, false}) == nullptr);
    SQLite::Database db(s.db_path, SQLite::OPEN_READONLY);
    CHECK(db.execAndGet("PRAGMA user_version").getInt() == 99);
  }
  SECTION("a file that is not a store, or that others can read") {
    std::string junk = (s.dir / "junk.db").string();
    {
      std::ofstream out(junk, std::ios::binary);
      out << std::string(4096, 'x');
    }
    ::chmod(junk.c_str(), 0600);
    CHECK_THROWS_AS(Store::open_read_only(StorePath{junk, false}), DataError);
    ::chmod(s.db_path.c_str(), 0644);
    CHECK_THROWS_WITH(Store::open_read_only(StorePath{s.db_path, false}), Catch::Contains("chmod 600"));
  }
}

TEST_CASE("store_path says where the path came from; a missing store is not made unless asked", "[store]") {
  StorePathInputs in;
  in.home = "/home/someone";
  CHECK(store_path(in).path == "/home/someone/.local/share/esc/esc.db");
  CHECK(store_path(in).from == StoreSource::home);
  CHECK(store_path(in).is_default);
  in.xdg_data_home = "/data";
  CHECK(store_path(in).path == "/data/esc/esc.db");
  CHECK(store_path(in).from == StoreSource::xdg_data_home);
  in.esc_db = "/x/env.db";
  CHECK(store_path(in).from == StoreSource::esc_db);
  CHECK_FALSE(store_path(in).is_default);
  in.db_option = "/x/option.db";
  CHECK(store_path(in).path == "/x/option.db");
  CHECK(store_path(in).from == StoreSource::db_option);
  CHECK(name(StoreSource::db_option) == "--db");
  CHECK(name(StoreSource::esc_db) == "ESC_DB");
  CHECK(name(StoreSource::xdg_data_home) == "XDG_DATA_HOME");
  CHECK(name(StoreSource::home) == "HOME");
  SECTION("empty values count as unset; none at all is a configuration error (exit 78)") {
    StorePathInputs none;
    none.esc_db = "";
    none.home = "";
    CHECK_THROWS_AS(store_path(none), ConfigError);
    try {
      store_path(none);
    } catch (const Error& e) {
      CHECK(exit_code(e.kind()) == 78);
    }
  }

  char tmpl[] = "/tmp/esc-store-path-test-XXXXXX";
  fs::path dir = mkdtemp(tmpl);
  struct Cleanup {
    fs::path d;
    ~Cleanup() { fs::remove_all(d); }
  } cleanup{dir};
  fs::path missing = dir / "sub" / "esc.db";
  SECTION("not found (66), naming the path and its source; no file, no directory") {
    for (StoreSource from : {StoreSource::db_option, StoreSource::esc_db, StoreSource::xdg_data_home, StoreSource::home}) {
      StorePath where{missing.string(), from == StoreSource::xdg_data_home || from == StoreSource::home, from};
      CHECK_THROWS_AS(Store(where, false), NotFoundError);
      CHECK_THROWS_WITH(Store(where, false),
                        "no store at " + missing.string() + " (from " + std::string(name(from)) +
                            "): raise a case first, or check the path");
      CHECK_FALSE(present(missing));
      CHECK_FALSE(present(dir / "sub"));
    }
    CHECK_THROWS_WITH(Store(StorePath{missing.string(), false}, false),
                      "no store at " + missing.string() + ": raise a case first, or check the path");
    CHECK_FALSE(present(dir / "sub"));
  }
  SECTION("made when asked") {
    { Store store(StorePath{missing.string(), false, StoreSource::esc_db}, true); }
    CHECK(present(missing));
    Store again(StorePath{missing.string(), false, StoreSource::esc_db}, false);
    CHECK(again.path() == missing.string());
  }
}

TEST_CASE("a backup is one private file in journal mode DELETE, verified", "[store]") {
  ChainScratch s;
  mode_t old = ::umask(0277);  // after the scratch directory is made: it would be 0500
  {
    std::string target = (s.dir / "backup.db").string();
    Store store(StorePath{s.db_path, false}, false);
    VerifyResult r = store.backup_to(target);
    CHECK(r.ok());
    CHECK(r.cases == 3);
    CHECK(r.head.entries == store.head_anchor().entries);
    struct stat st{};
    REQUIRE(::stat(target.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK_FALSE(present(target + "-wal"));
    CHECK_FALSE(present(target + "-shm"));
    CHECK_FALSE(present(target + "-journal"));
    for (const auto& e : fs::directory_iterator(s.dir))
      CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);
    {
      SQLite::Database copy(target, SQLite::OPEN_READONLY);
      CHECK(copy.execAndGet("PRAGMA journal_mode").getString() == "delete");
    }
    CHECK_FALSE(present(target + "-wal"));

    std::string before = s.bytes(target);
    CHECK_THROWS_AS(store.backup_to(target), FileExistsError);
    CHECK(s.bytes(target) == before);
    CHECK_THROWS_AS(store.backup_to((s.dir / "no-such-dir" / "b.db").string()), CantCreateError);
  }
  ::umask(old);
}

TEST_CASE("write_private_file writes whole, private files", "[files]") {
  char tmpl[] = "/tmp/esc-files-test-XXXXXX";
  fs::path dir = mkdtemp(tmpl);
  mode_t old = ::umask(0277);
  std::string target = (dir / "out.txt").string();
  auto put = [](const std::string& text) {
    return [text](PrivateFile& f) {
      FdOStream out(f.fd);
      out << text << std::flush;
      REQUIRE(out.good());
    };
  };
  auto read = [](const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  auto only_target = [&] { return std::distance(fs::directory_iterator(dir), fs::directory_iterator()); };

  write_private_file(target, Replace::no, put("first\n"));
  struct stat st{};
  REQUIRE(::stat(target.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(read(target) == "first\n");

  CHECK_THROWS_AS(write_private_file(target, Replace::no, put("second\n")), FileExistsError);
  CHECK(read(target) == "first\n");

  write_private_file(target, Replace::yes, put("second\n"));
  CHECK(read(target) == "second\n");
  REQUIRE(::stat(target.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  // A failing fill leaves the old file and no temporary file.
  CHECK_THROWS_AS(write_private_file(target, Replace::yes,
                                     [](PrivateFile& f) {
                                       if (::write(f.fd, "half", 4) != 4) throw IoError("could not write half");
                                       throw IoError("the disk is full");
                                     }),
                  IoError);
  CHECK(read(target) == "second\n");
  CHECK(only_target() == 1);

  // A symlink at the target is replaced, never followed.
  std::string elsewhere = (dir / "elsewhere.txt").string();
  { std::ofstream(elsewhere) << "untouched"; }
  std::string link = (dir / "link.txt").string();
  REQUIRE(::symlink(elsewhere.c_str(), link.c_str()) == 0);
  CHECK_THROWS_AS(write_private_file(link, Replace::no, put("x")), FileExistsError);
  write_private_file(link, Replace::yes, put("replaced\n"));
  CHECK_FALSE(fs::is_symlink(link));
  CHECK(read(link) == "replaced\n");
  CHECK(read(elsewhere) == "untouched");

  CHECK_THROWS_AS(write_private_file((dir / "none" / "x").string(), Replace::yes, put("x")), CantCreateError);
  ::umask(old);
  fs::remove_all(dir);
}
