#include <esc/chain_encoding.hpp>
#include <esc/crypto.hpp>
#include <esc/error.hpp>
#include <esc/ledger.hpp>

#include "core/store/sqlite_store.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <chrono>
#include <limits>
#include <map>

namespace esc {

namespace {

// Encoding 1: the fields each kind of entry covers, as SQLite rows in a fixed
// order, each column tagged with its storage class. Entries written before
// encoding 2 (chain_encoding.hpp) keep verifying under it. Row ids are
// included, so swapping two rows' ids (reordering) changes both hashes.
constexpr const char* k_case_sql =
    "SELECT id, uuid, policy_id, policy_sha256, category, summary, requested_action, risk, child_ref, child_name, "
    "child_dob, child_nhs, raised_at, entered_at FROM cases WHERE id = ?";
constexpr const char* k_parties_sql =
    "SELECT case_id, role, name, agency, agency_type FROM parties WHERE case_id = ? ORDER BY role";
constexpr const char* k_event_sql =
    "SELECT id, uuid, case_id, type, at, entered_at, from_stage, to_stage, reason, agreed_by, days, outcome, "
    "learning, delay_reason FROM events WHERE id = ?";
// In the order the shifts were made: once their rowids, now their place
// (seq), which the upgrade to it took from the rowids.
constexpr const char* k_shifts_sql =
    "SELECT deadline_id, event_id, days, from_due, to_due FROM deadline_shifts WHERE event_id = ? "
    "ORDER BY deadline_id, seq";
constexpr const char* k_record_sql =
    "SELECT id, uuid, case_id, stage, at, entered_at, kind, channel, with_names, summary, action, action_due, "
    "corrects FROM records WHERE id = ?";
// Encoding 2 reads the fields added with duties too.
constexpr const char* k_record_values_sql =
    "SELECT id, uuid, case_id, stage, at, entered_at, kind, channel, with_names, summary, action, action_due, "
    "corrects, recipient, form, duty FROM records WHERE id = ?";

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

/// Runs `q` for `id` and hands each row to `f`; returns how many.
template <typename F>
int each_row(SQLite::Statement& q, int64_t id, F&& f) {
  q.reset();
  q.clearBindings();
  q.bind(1, id);
  int n = 0;
  while (q.executeStep()) {
    f(q);
    ++n;
  }
  q.reset();
  return n;
}

/// A row that is not what esc writes (a number where a text belongs, a date
/// that is not one, a party missing): it cannot have been encoded as it is.
struct Unreadable {};

// Encoding 2 reads each column as the domain value it holds, strictly.
int64_t int_col(SQLite::Statement& q, int i) {
  auto c = q.getColumn(i);
  if (c.getType() != SQLITE_INTEGER) throw Unreadable{};
  return c.getInt64();
}
int small_int_col(SQLite::Statement& q, int i) {
  int64_t v = int_col(q, i);
  if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) throw Unreadable{};
  return static_cast<int>(v);
}
std::optional<int64_t> opt_int_col(SQLite::Statement& q, int i) {
  if (q.getColumn(i).isNull()) return std::nullopt;
  return int_col(q, i);
}
std::optional<int> opt_small_int_col(SQLite::Statement& q, int i) {
  if (q.getColumn(i).isNull()) return std::nullopt;
  return small_int_col(q, i);
}
std::string text_col(SQLite::Statement& q, int i) {
  auto c = q.getColumn(i);
  if (c.getType() != SQLITE_TEXT) throw Unreadable{};
  return c.getString();
}
/// An optional text: the domain keeps none as empty.
std::string opt_text_col(SQLite::Statement& q, int i) { return q.getColumn(i).isNull() ? std::string() : text_col(q, i); }
Timestamp time_col(SQLite::Statement& q, int i) { return Timestamp{std::chrono::seconds{int_col(q, i)}}; }
Date date_col(SQLite::Statement& q, int i) {
  std::string s = text_col(q, i);
  try {
    Date d = Date::parse(s);
    if (d.iso() != s) throw Unreadable{};
    return d;
  } catch (const DataError&) {
    throw Unreadable{};
  }
}

/// What an entry's rows encode to: nullopt when its main row is gone. A row
/// that cannot be read as esc wrote it encodes to something no hash matches.
using Encoded = std::optional<std::string>;
const char* const k_unreadable = "unreadable";

/// The statements that encode entries, in either encoding, prepared once and
/// reused for every entry of a walk.
class Encoder {
 public:
  explicit Encoder(SQLite::Database& db)
      : case_(db, k_case_sql), parties_(db, k_parties_sql), event_(db, k_event_sql), shifts_(db, k_shifts_sql),
        record_(db, k_record_sql), record2_(db, k_record_values_sql),
        parties2_(db, "SELECT role, name, agency, agency_type FROM parties WHERE case_id = ?"),
        shifts2_(db, "SELECT deadline_id, event_id, seq, days, from_due, to_due FROM deadline_shifts "
                     "WHERE event_id = ?") {}

  /// The encoding (`version`) of an entry.
  Encoded encode(int version, const std::string& entry, int64_t ref_id) {
    if (version == k_chain_encoding_sqlite_rows) return encode_rows(entry, ref_id);
    if (version == k_chain_encoding_values) {
      try {
        return encode_values(entry, ref_id);
      } catch (const Unreadable&) {
        return std::string(k_unreadable);
      }
    }
    throw InternalError(fmt::format("chain encoding {} is unknown", version));
  }

 private:
  Encoded encode_rows(const std::string& entry, int64_t ref_id) {
    std::string out = entry + ':';
    auto rows = [&](SQLite::Statement& q) { return each_row(q, ref_id, [&](auto& row) { encode_row(row, out); }); };
    if (entry == "case") {
      if (rows(case_) == 0) return std::nullopt;
      out += "parties:";
      rows(parties_);
    } else if (entry == "event") {
      if (rows(event_) == 0) return std::nullopt;
      out += "shifts:";
      rows(shifts_);
    } else if (entry == "record") {
      if (rows(record_) == 0) return std::nullopt;
    } else {
      return std::nullopt;
    }
    return out;
  }

  Encoded encode_values(const std::string& entry, int64_t ref_id) {
    if (entry == "case") {
      Case c;
      int found = each_row(case_, ref_id, [&](SQLite::Statement& q) {
        c.id = int_col(q, 0);
        c.uuid = text_col(q, 1);
        c.policy_id = text_col(q, 2);
        c.policy_sha256 = text_col(q, 3);
        c.category = text_col(q, 4);
        c.summary = text_col(q, 5);
        c.requested_action = opt_text_col(q, 6);
        c.risk = opt_text_col(q, 7);
        c.child = {opt_text_col(q, 8), opt_text_col(q, 9), opt_text_col(q, 10), opt_text_col(q, 11)};
        c.raised_at = time_col(q, 12);
        c.entered_at = time_col(q, 13);
      });
      if (found == 0) return std::nullopt;
      int raisers = 0, counterparts = 0;
      each_row(parties2_, ref_id, [&](SQLite::Statement& q) {
        auto role = party_role_named(text_col(q, 0));
        if (!role) throw Unreadable{};
        Party p{*role, text_col(q, 1), opt_text_col(q, 2), text_col(q, 3)};
        if (p.role == PartyRole::raiser) {
          ++raisers;
          c.raiser = p;
        } else {
          ++counterparts;
          c.counterpart = p;
        }
      });
      if (raisers != 1 || counterparts != 1) throw Unreadable{};
      return encode_case_entry(c);
    }
    if (entry == "event") {
      CaseEvent e;
      int64_t case_id = 0;
      int found = each_row(event_, ref_id, [&](SQLite::Statement& q) {
        e.id = int_col(q, 0);
        e.uuid = text_col(q, 1);
        case_id = int_col(q, 2);
        auto type = event_type_named(text_col(q, 3));
        if (!type) throw Unreadable{};
        e.type = *type;
        e.at = time_col(q, 4);
        e.entered_at = time_col(q, 5);
        e.from_stage = opt_small_int_col(q, 6);
        e.to_stage = opt_small_int_col(q, 7);
        e.reason = opt_text_col(q, 8);
        e.agreed_by = opt_text_col(q, 9);
        e.days = opt_small_int_col(q, 10);
        e.outcome = opt_text_col(q, 11);
        e.learning = opt_text_col(q, 12);
        e.delay_reason = opt_text_col(q, 13);
      });
      if (found == 0) return std::nullopt;
      std::vector<ChainShift> shifts;
      each_row(shifts2_, ref_id, [&](SQLite::Statement& q) {
        shifts.push_back({int_col(q, 0), int_col(q, 1), small_int_col(q, 2), small_int_col(q, 3), date_col(q, 4),
                          date_col(q, 5)});
      });
      return encode_event_entry(case_id, e, std::move(shifts));
    }
    if (entry == "record") {
      CaseRecord r;
      int64_t case_id = 0;
      int found = each_row(record2_, ref_id, [&](SQLite::Statement& q) {
        r.id = int_col(q, 0);
        r.uuid = text_col(q, 1);
        case_id = int_col(q, 2);
        r.stage = small_int_col(q, 3);
        r.at = time_col(q, 4);
        r.entered_at = time_col(q, 5);
        r.kind = text_col(q, 6);
        r.channel = opt_text_col(q, 7);
        r.with = opt_text_col(q, 8);
        r.summary = text_col(q, 9);
        r.action = opt_text_col(q, 10);
        r.action_due = opt_text_col(q, 11);
        r.corrects = opt_int_col(q, 12);
        r.to = opt_text_col(q, 13);
        r.form = opt_text_col(q, 14);
        r.duty = opt_text_col(q, 15);
      });
      if (found == 0) return std::nullopt;
      return encode_record_entry(case_id, r);
    }
    return std::nullopt;
  }

  SQLite::Statement case_, parties_, event_, shifts_, record_, record2_, parties2_, shifts2_;
};

struct Tail {
  int64_t seq = 0;
  std::string hash;
};

Tail store_tail(SQLite::Database& db) {
  Prepared q_use(db, "SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1");
  SQLite::Statement& q = *q_use;
  if (!q.executeStep()) return {};
  return {q.getColumn(0).getInt64(), q.getColumn(1).getString()};
}

/// Appends entries, its statements prepared once for all of them.
class Chainer {
 public:
  explicit Chainer(SQLite::Database& db)
      : enc_(db),
        store_tail_(db, "SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1"),
        case_tail_(db, "SELECT case_seq, hash FROM ledger WHERE case_id = ? ORDER BY case_seq DESC LIMIT 1"),
        insert_(db,
                "INSERT INTO ledger (seq, case_id, case_seq, entry, ref_id, prev_case_hash, prev_hash, hash, "
                "encoding) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)") {}

  void append(int64_t case_id, const std::string& entry, int64_t ref_id, int encoding) {
    Tail store = tail(store_tail_, std::nullopt);
    Tail mine = tail(case_tail_, case_id);
    auto enc = enc_.encode(encoding, entry, ref_id);
    if (!enc) throw InternalError(fmt::format("cannot chain {} {}: it is not in the store", entry, ref_id));
    if (*enc == k_unreadable)
      throw DataError(fmt::format("cannot chain {} {}: its row is not as esc writes it", entry, ref_id));
    insert_.reset();
    insert_.clearBindings();
    insert_.bind(1, store.seq + 1);
    insert_.bind(2, case_id);
    insert_.bind(3, mine.seq + 1);
    insert_.bind(4, entry);
    insert_.bind(5, ref_id);
    insert_.bind(6, mine.hash);
    insert_.bind(7, store.hash);
    insert_.bind(8, chain_entry_hash(encoding, *enc, mine.hash, store.hash));
    insert_.bind(9, encoding);
    insert_.exec();
    insert_.reset();
  }

 private:
  static Tail tail(SQLite::Statement& q, std::optional<int64_t> case_id) {
    q.reset();
    if (case_id) q.bind(1, *case_id);
    Tail t;
    if (q.executeStep()) t = {q.getColumn(0).getInt64(), q.getColumn(1).getString()};
    q.reset();
    return t;
  }
  Encoder enc_;
  SQLite::Statement store_tail_, case_tail_, insert_;
};

/// Chains every row of the case not chained yet, oldest first.
void chain_case_with(SQLite::Database& db, Chainer& chainer, int64_t case_id) {
  std::vector<std::pair<std::string, int64_t>> todo;
  Prepared has_case_use(db, "SELECT 1 FROM ledger WHERE entry = 'case' AND ref_id = ?");
  SQLite::Statement& has_case = *has_case_use;
  has_case.bind(1, case_id);
  if (!has_case.executeStep()) todo.emplace_back("case", case_id);
  Prepared q_use(db,
                 "SELECT 'event', id, entered_at FROM events e WHERE case_id = :c AND NOT EXISTS "
                 "(SELECT 1 FROM ledger l WHERE l.entry = 'event' AND l.ref_id = e.id) "
                 "UNION ALL SELECT 'record', id, entered_at FROM records r WHERE case_id = :c AND NOT EXISTS "
                 "(SELECT 1 FROM ledger l WHERE l.entry = 'record' AND l.ref_id = r.id) "
                 "ORDER BY 3, 1, 2");
  SQLite::Statement& q = *q_use;
  q.bind(":c", case_id);
  while (q.executeStep()) todo.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getInt64());
  for (const auto& [entry, ref] : todo) chainer.append(case_id, entry, ref, k_chain_encoding);
}

}  // namespace

void chain_case(SQLite::Database& db, int64_t case_id) {
  Chainer chainer(db);
  chain_case_with(db, chainer, case_id);
}

void chain_entry(SQLite::Database& db, int64_t case_id, const std::string& entry, int64_t ref_id, int encoding) {
  Chainer(db).append(case_id, entry, ref_id, encoding);
}

void chain_all(SQLite::Database& db) {
  std::vector<int64_t> ids;
  Prepared q_use(db, "SELECT id FROM cases ORDER BY id");
  SQLite::Statement& q = *q_use;
  while (q.executeStep()) ids.push_back(q.getColumn(0).getInt64());
  Chainer chainer(db);
  for (int64_t id : ids) chain_case_with(db, chainer, id);
}

Anchor head_anchor(SQLite::Database& db) {
  Tail t = store_tail(db);
  return {t.seq, t.hash};
}

VerifyResult verify_chain(SQLite::Database& db, const std::optional<Anchor>& anchor) {
  VerifyResult r;
  auto problem = [&](std::optional<int64_t> case_id, std::string text) {
    r.problems.push_back({case_id, std::move(text)});
  };
  auto case_problem = [&](int64_t case_id, const std::string& text) {
    problem(case_id, fmt::format("case {}: {}", case_id, text));
  };
  // One read transaction: a consistent snapshot while others write.
  SQLite::Transaction tx(db, SQLite::TransactionBehavior::DEFERRED);

  {
    Prepared q_use(db, "PRAGMA integrity_check");
    SQLite::Statement& q = *q_use;
    while (q.executeStep()) {
      std::string line = q.getColumn(0).getString();
      if (line != "ok") problem(std::nullopt, "integrity check: " + line);
    }
    Prepared fk_use(db, "PRAGMA foreign_key_check");
    SQLite::Statement& fk = *fk_use;
    while (fk.executeStep())
      problem(std::nullopt, fmt::format("foreign key check: row {} of {} points at a missing row of {}",
                                        fk.getColumn(1).isNull() ? 0 : fk.getColumn(1).getInt64(),
                                        fk.getColumn(0).getString(), fk.getColumn(2).getString()));
  }

  struct CaseTail {
    int64_t seq = 0;
    std::string hash;
  };
  std::map<int64_t, CaseTail> cases;
  Encoder enc(db);
  std::optional<std::string> anchored_hash;  // the hash of the entry the anchor names
  Prepared q_use(db,
                 "SELECT seq, case_id, case_seq, entry, ref_id, prev_case_hash, prev_hash, hash, encoding "
                 "FROM ledger ORDER BY seq");
  SQLite::Statement& q = *q_use;
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
    int encoding = q.getColumn(8).getInt();
    std::string what = fmt::format("{} {}", entry, ref);

    if (seq != expected) {
      problem(std::nullopt,
              seq > expected
                  ? fmt::format("entries {} to {} of the chain are missing: removed from the store", expected, seq - 1)
                  : fmt::format("entry {} is out of order", seq));
    } else if (prev_store != prev) {
      case_problem(case_id, fmt::format("entry {} ({}) does not follow entry {}: entries were removed, inserted or "
                                        "reordered",
                                        seq, what, seq - 1));
    }
    CaseTail& ct = cases[case_id];
    if (case_seq != ct.seq + 1 || prev_case != ct.hash)
      case_problem(case_id, fmt::format("entry {} ({}) does not follow the case's entry {}: the case's entries were "
                                        "removed, inserted or reordered",
                                        seq, what, ct.seq));
    // The encoding covers the row's case_id, so a row moved to another case
    // shows as changed.
    if (encoding != k_chain_encoding_sqlite_rows && encoding != k_chain_encoding_values) {
      case_problem(case_id, fmt::format("{} (entry {}) names an encoding ({}) esc does not know: it was changed", what,
                                        seq, encoding));
    } else if (auto encoded = enc.encode(encoding, entry, ref); !encoded) {
      case_problem(case_id, fmt::format("{} (entry {}) was removed", what, seq));
    } else if (chain_entry_hash(encoding, *encoded, prev_case, prev_store) != hash) {
      case_problem(case_id, fmt::format("{} (entry {}) was changed", what, seq));
    }
    if (anchor && seq == anchor->entries) anchored_hash = hash;
    ct = {case_seq, hash};
    prev = hash;
    expected = seq + 1;
    r.head = {seq, hash};
  }

  // Rows that no entry covers were inserted behind esc's back.
  Prepared loose_use(db,
                     "SELECT 'case', id, id FROM cases c WHERE NOT EXISTS (SELECT 1 FROM ledger l WHERE "
                     "l.entry = 'case' AND l.ref_id = c.id) "
                     "UNION ALL SELECT 'event', id, case_id FROM events e WHERE NOT EXISTS (SELECT 1 FROM "
                     "ledger l WHERE l.entry = 'event' AND l.ref_id = e.id) "
                     "UNION ALL SELECT 'record', id, case_id FROM records r WHERE NOT EXISTS (SELECT 1 FROM "
                     "ledger l WHERE l.entry = 'record' AND l.ref_id = r.id) ORDER BY 3, 1, 2");
  SQLite::Statement& loose = *loose_use;
  while (loose.executeStep())
    case_problem(loose.getColumn(2).getInt64(),
                 fmt::format("{} {} is not in the chain: inserted outside esc", loose.getColumn(0).getString(),
                             loose.getColumn(1).getInt64()));

  // A case's current stage and status are kept for fast queries; they must
  // agree with its chained events.
  Prepared state_use(db,
                     "SELECT c.id, c.stage, c.status, "
                     "(SELECT to_stage FROM events WHERE case_id = c.id AND type IN ('raise', 'escalate') "
                     "ORDER BY id DESC LIMIT 1), "
                     "(SELECT type FROM events WHERE case_id = c.id AND type IN ('pause', 'resume', 'resolve') "
                     "ORDER BY id DESC LIMIT 1) FROM cases c ORDER BY c.id");
  SQLite::Statement& state = *state_use;
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
      case_problem(id, fmt::format("its current state (stage {}, {}) does not match its chained events (stage {}, "
                                   "{}): it was changed",
                                   stage, status, want_stage, want_status));
  }

  Prepared texts_use(db, "SELECT sha256, text FROM policy_texts ORDER BY sha256");
  SQLite::Statement& texts = *texts_use;
  while (texts.executeStep()) {
    std::string sha = texts.getColumn(0).getString();
    if (sha256_hex(texts.getColumn(1).getString()) != sha)
      problem(std::nullopt,
              fmt::format("the policy text {} that cases were raised under was changed", sha.substr(0, 12)));
  }

  if (anchor) {
    if (r.head.entries < anchor->entries) {
      problem(std::nullopt, fmt::format("the chain has {} entries but the anchor has {}: the newest were removed "
                                        "(truncated), or this is an older copy of the store",
                                        r.head.entries, anchor->entries));
    } else if (anchor->entries > 0 && anchored_hash != anchor->last_hash) {
      problem(std::nullopt, fmt::format("entry {} does not match the anchor: the chain up to the anchor was "
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
    return DataError(fmt::format("{} is not an esc anchor", origin), {{}, Remedy::write_anchor});
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
