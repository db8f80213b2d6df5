#include <esc/crypto.hpp>
#include <esc/error.hpp>
#include <esc/ledger.hpp>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <map>

namespace esc {

namespace {

// The fields each kind of entry covers, in a fixed order. Row ids are
// included, so swapping two rows' ids (reordering) changes both hashes.
constexpr const char* k_case_sql =
    "SELECT id, uuid, policy_id, policy_sha256, category, summary, requested_action, risk, child_ref, child_name, "
    "child_dob, child_nhs, raised_at, entered_at FROM cases WHERE id = ?";
constexpr const char* k_parties_sql =
    "SELECT case_id, role, name, agency, agency_type FROM parties WHERE case_id = ? ORDER BY role";
constexpr const char* k_event_sql =
    "SELECT id, uuid, case_id, type, at, entered_at, from_stage, to_stage, reason, agreed_by, days, outcome, "
    "learning, delay_reason FROM events WHERE id = ?";
constexpr const char* k_shifts_sql =
    "SELECT deadline_id, event_id, days, from_due, to_due FROM deadline_shifts WHERE event_id = ? "
    "ORDER BY deadline_id, rowid";
constexpr const char* k_record_sql =
    "SELECT id, uuid, case_id, stage, at, entered_at, kind, channel, with_names, summary, action, action_due, "
    "corrects FROM records WHERE id = ?";

/// Appends one row's columns: a type tag, then the value (text with its
/// length), so no two different rows encode alike.
void encode_row(SQLite::Statement& q, std::string& out) {
  out += '(';
  for (int i = 0; i < q.getColumnCount(); ++i) {
    auto c = q.getColumn(i);
    switch (c.getType()) {
      case SQLITE_NULL: out += "n;"; break;
      case SQLITE_INTEGER: out += fmt::format("i{};", c.getInt64()); break;
      case SQLITE_FLOAT: out += fmt::format("f{};", c.getDouble()); break;
      default: {
        std::string s = c.getString();
        out += fmt::format("{}{}:", c.getType() == SQLITE_BLOB ? 'b' : 't', s.size());
        out += s;
        out += ';';
      }
    }
  }
  out += ')';
}

/// Appends every row `sql` gives for `id`; returns how many.
int encode_rows(SQLite::Database& db, const char* sql, int64_t id, std::string& out) {
  SQLite::Statement q(db, sql);
  q.bind(1, id);
  int n = 0;
  while (q.executeStep()) {
    encode_row(q, out);
    ++n;
  }
  return n;
}

/// The canonical encoding of an entry's rows, or nullopt when its main row
/// is gone.
std::optional<std::string> encode_entry(SQLite::Database& db, const std::string& entry, int64_t ref_id) {
  std::string out = entry + ':';
  if (entry == "case") {
    if (encode_rows(db, k_case_sql, ref_id, out) == 0) return std::nullopt;
    out += "parties:";
    encode_rows(db, k_parties_sql, ref_id, out);
  } else if (entry == "event") {
    if (encode_rows(db, k_event_sql, ref_id, out) == 0) return std::nullopt;
    out += "shifts:";
    encode_rows(db, k_shifts_sql, ref_id, out);
  } else if (entry == "record") {
    if (encode_rows(db, k_record_sql, ref_id, out) == 0) return std::nullopt;
  } else {
    return std::nullopt;
  }
  return out;
}

std::string entry_hash_of(const std::string& encoding, const std::string& prev_case, const std::string& prev) {
  std::string data = "esc-chain-1\n";
  data += encoding;
  data += '\n';
  data += prev_case;
  data += '\n';
  data += prev;
  return sha256_hex(data);
}

struct Tail {
  int64_t seq = 0;
  std::string hash;
};

Tail store_tail(SQLite::Database& db) {
  SQLite::Statement q(db, "SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1");
  if (!q.executeStep()) return {};
  return {q.getColumn(0).getInt64(), q.getColumn(1).getString()};
}

}  // namespace

void chain_case(SQLite::Database& db, int64_t case_id) {
  std::vector<std::pair<std::string, int64_t>> todo;
  SQLite::Statement has_case(db, "SELECT 1 FROM ledger WHERE entry = 'case' AND ref_id = ?");
  has_case.bind(1, case_id);
  if (!has_case.executeStep()) todo.emplace_back("case", case_id);
  SQLite::Statement q(db,
                      "SELECT 'event', id, entered_at FROM events e WHERE case_id = :c AND NOT EXISTS "
                      "(SELECT 1 FROM ledger l WHERE l.entry = 'event' AND l.ref_id = e.id) "
                      "UNION ALL SELECT 'record', id, entered_at FROM records r WHERE case_id = :c AND NOT EXISTS "
                      "(SELECT 1 FROM ledger l WHERE l.entry = 'record' AND l.ref_id = r.id) "
                      "ORDER BY 3, 1, 2");
  q.bind(":c", case_id);
  while (q.executeStep()) todo.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getInt64());
  for (const auto& [entry, ref] : todo) chain_entry(db, case_id, entry, ref);
}

void chain_entry(SQLite::Database& db, int64_t case_id, const std::string& entry, int64_t ref_id) {
  Tail store = store_tail(db);
  Tail mine;
  SQLite::Statement q(db, "SELECT case_seq, hash FROM ledger WHERE case_id = ? ORDER BY case_seq DESC LIMIT 1");
  q.bind(1, case_id);
  if (q.executeStep()) mine = {q.getColumn(0).getInt64(), q.getColumn(1).getString()};
  auto enc = encode_entry(db, entry, ref_id);
  if (!enc) throw InternalError(fmt::format("cannot chain {} {}: it is not in the store", entry, ref_id));
  SQLite::Statement ins(db,
                        "INSERT INTO ledger (seq, case_id, case_seq, entry, ref_id, prev_case_hash, prev_hash, hash) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  ins.bind(1, store.seq + 1);
  ins.bind(2, case_id);
  ins.bind(3, mine.seq + 1);
  ins.bind(4, entry);
  ins.bind(5, ref_id);
  ins.bind(6, mine.hash);
  ins.bind(7, store.hash);
  ins.bind(8, entry_hash_of(*enc, mine.hash, store.hash));
  ins.exec();
}

void chain_all(SQLite::Database& db) {
  std::vector<int64_t> ids;
  SQLite::Statement q(db, "SELECT id FROM cases ORDER BY id");
  while (q.executeStep()) ids.push_back(q.getColumn(0).getInt64());
  for (int64_t id : ids) chain_case(db, id);
}

Anchor head_anchor(SQLite::Database& db) {
  Tail t = store_tail(db);
  return {t.seq, t.hash};
}

std::optional<std::string> entry_hash(SQLite::Database& db, int64_t seq) {
  SQLite::Statement q(db, "SELECT hash FROM ledger WHERE seq = ?");
  q.bind(1, seq);
  if (!q.executeStep()) return std::nullopt;
  return q.getColumn(0).getString();
}

VerifyResult verify_chain(SQLite::Database& db, const std::optional<Anchor>& anchor) {
  VerifyResult r;
  // One read transaction: a consistent snapshot while others write.
  SQLite::Transaction tx(db, SQLite::TransactionBehavior::DEFERRED);

  {
    SQLite::Statement q(db, "PRAGMA integrity_check");
    while (q.executeStep()) {
      std::string line = q.getColumn(0).getString();
      if (line != "ok") r.problems.push_back("integrity check: " + line);
    }
    SQLite::Statement fk(db, "PRAGMA foreign_key_check");
    while (fk.executeStep())
      r.problems.push_back(fmt::format("foreign key check: row {} of {} points at a missing row of {}",
                                       fk.getColumn(1).isNull() ? 0 : fk.getColumn(1).getInt64(),
                                       fk.getColumn(0).getString(), fk.getColumn(2).getString()));
  }

  struct CaseTail {
    int64_t seq = 0;
    std::string hash;
  };
  std::map<int64_t, CaseTail> cases;
  SQLite::Statement q(db,
                      "SELECT seq, case_id, case_seq, entry, ref_id, prev_case_hash, prev_hash, hash FROM ledger "
                      "ORDER BY seq");
  int64_t expected = 1;
  std::string prev;
  while (q.executeStep()) {
    int64_t seq = q.getColumn(0).getInt64();
    int64_t case_id = q.getColumn(1).getInt64();
    int64_t case_seq = q.getColumn(2).getInt64();
    std::string entry = q.getColumn(3).getString();
    int64_t ref = q.getColumn(4).getInt64();
    std::string prev_case = q.getColumn(5).getString();
    std::string prev_store = q.getColumn(6).getString();
    std::string hash = q.getColumn(7).getString();
    std::string what = fmt::format("{} {}", entry, ref);
    ++r.entries;

    if (seq != expected) {
      r.problems.push_back(seq > expected
                               ? fmt::format("entries {} to {} of the chain are missing: removed from the store",
                                             expected, seq - 1)
                               : fmt::format("entry {} is out of order", seq));
    } else if (prev_store != prev) {
      r.problems.push_back(fmt::format("case {}: entry {} ({}) does not follow entry {}: entries were removed, "
                                       "inserted or reordered",
                                       case_id, seq, what, seq - 1));
    }
    CaseTail& ct = cases[case_id];
    if (case_seq != ct.seq + 1 || prev_case != ct.hash)
      r.problems.push_back(fmt::format("case {}: entry {} ({}) does not follow the case's entry {}: the case's "
                                       "entries were removed, inserted or reordered",
                                       case_id, seq, what, ct.seq));
    auto enc = encode_entry(db, entry, ref);
    if (!enc) {
      r.problems.push_back(fmt::format("case {}: {} (entry {}) was removed", case_id, what, seq));
    } else if (entry_hash_of(*enc, prev_case, prev_store) != hash) {
      r.problems.push_back(fmt::format("case {}: {} (entry {}) was changed", case_id, what, seq));
    } else if (entry != "case") {
      // The row must still belong to the case it was chained in.
      SQLite::Statement owner(db, entry == "event" ? "SELECT case_id FROM events WHERE id = ?"
                                                   : "SELECT case_id FROM records WHERE id = ?");
      owner.bind(1, ref);
      if (owner.executeStep() && owner.getColumn(0).getInt64() != case_id)
        r.problems.push_back(fmt::format("case {}: {} (entry {}) was moved to another case", case_id, what, seq));
    }
    ct = {case_seq, hash};
    prev = hash;
    expected = seq + 1;
    r.head = {seq, hash};
  }

  // Rows that no entry covers were inserted behind esc's back.
  SQLite::Statement loose(db,
                          "SELECT 'case', id, id FROM cases c WHERE NOT EXISTS (SELECT 1 FROM ledger l WHERE "
                          "l.entry = 'case' AND l.ref_id = c.id) "
                          "UNION ALL SELECT 'event', id, case_id FROM events e WHERE NOT EXISTS (SELECT 1 FROM "
                          "ledger l WHERE l.entry = 'event' AND l.ref_id = e.id) "
                          "UNION ALL SELECT 'record', id, case_id FROM records r WHERE NOT EXISTS (SELECT 1 FROM "
                          "ledger l WHERE l.entry = 'record' AND l.ref_id = r.id) ORDER BY 3, 1, 2");
  while (loose.executeStep())
    r.problems.push_back(fmt::format("case {}: {} {} is not in the chain: inserted outside esc",
                                     loose.getColumn(2).getInt64(), loose.getColumn(0).getString(),
                                     loose.getColumn(1).getInt64()));

  // A case's current stage and status are kept for fast queries; they must
  // agree with its chained events.
  SQLite::Statement state(db,
                          "SELECT c.id, c.stage, c.status, "
                          "(SELECT to_stage FROM events WHERE case_id = c.id AND type IN ('raise', 'escalate') "
                          "ORDER BY id DESC LIMIT 1), "
                          "(SELECT type FROM events WHERE case_id = c.id AND type IN ('pause', 'resume', 'resolve') "
                          "ORDER BY id DESC LIMIT 1) FROM cases c ORDER BY c.id");
  while (state.executeStep()) {
    ++r.cases;
    int64_t id = state.getColumn(0).getInt64();
    int64_t stage = state.getColumn(1).getInt64();
    std::string status = state.getColumn(2).getString();
    if (state.getColumn(3).isNull()) continue;  // no raise event: reported above
    int64_t want_stage = state.getColumn(3).getInt64();
    std::string last = state.getColumn(4).isNull() ? "" : state.getColumn(4).getString();
    std::string want_status = last == "resolve" ? "resolved" : last == "pause" ? "paused" : "open";
    if (stage != want_stage || status != want_status)
      r.problems.push_back(fmt::format("case {}: its current state (stage {}, {}) does not match its chained "
                                       "events (stage {}, {}): it was changed",
                                       id, stage, status, want_stage, want_status));
  }

  SQLite::Statement texts(db, "SELECT sha256, text FROM policy_texts ORDER BY sha256");
  while (texts.executeStep()) {
    std::string sha = texts.getColumn(0).getString();
    if (sha256_hex(texts.getColumn(1).getString()) != sha)
      r.problems.push_back(fmt::format("the policy text {} that cases were raised under was changed",
                                       sha.substr(0, 12)));
  }

  if (anchor) {
    if (r.head.entries < anchor->entries) {
      r.problems.push_back(fmt::format("the chain has {} entries but the anchor has {}: the newest were removed "
                                       "(truncated), or this is an older copy of the store",
                                       r.head.entries, anchor->entries));
    } else {
      auto h = entry_hash(db, anchor->entries);
      if (anchor->entries > 0 && h != anchor->last_hash)
        r.problems.push_back(fmt::format("entry {} does not match the anchor: the chain up to the anchor was "
                                         "rewritten, or the anchor is of another store",
                                         anchor->entries));
    }
  }
  tx.commit();
  return r;
}

std::string anchor_text(const Anchor& a) {
  nlohmann::ordered_json j;
  j["esc_anchor"] = 1;
  j["entries"] = a.entries;
  j["last_hash"] = a.last_hash;
  return j.dump() + "\n";
}

Anchor parse_anchor(const std::string& text, const std::string& origin) {
  auto bad = [&] {
    return DataError(fmt::format("{} is not an esc anchor (write one with 'esc anchor FILE')", origin));
  };
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("esc_anchor") || !j.contains("entries") ||
      !j.contains("last_hash") || !j["entries"].is_number_integer() || !j["last_hash"].is_string())
    throw bad();
  Anchor a{j["entries"].get<int64_t>(), j["last_hash"].get<std::string>()};
  if (a.entries < 0 || (a.entries > 0 && a.last_hash.size() != 64)) throw bad();
  return a;
}

}  // namespace esc
