#include <esc/error.hpp>
#include <esc/ledger.hpp>
#include <esc/transfer.hpp>

#include "core/store/sqlite_store.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <istream>
#include <map>
#include <memory>
#include <ostream>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

namespace esc {

namespace {

using json = nlohmann::ordered_json;

/// A table as the export writes it: every column, by name, in this order.
struct Table {
  const char* name;   ///< in the store
  const char* key;    ///< in a case line
  std::vector<const char*> cols;
};

const Table k_policies{"policy_texts", "policy", {"sha256", "policy_id", "version", "text", "loaded_from"}};
const Table k_cases{"cases", "case",
                    {"id", "uuid", "policy_id", "policy_sha256", "category", "summary", "requested_action", "risk",
                     "child_ref", "child_name", "child_dob", "child_nhs", "raised_at", "entered_at", "status", "stage",
                     "stage_started_at", "paused_at", "resolved_at"}};
const Table k_parties{"parties", "parties", {"case_id", "role", "name", "agency", "agency_type"}};
const Table k_deadlines{"deadlines", "deadlines",
                        {"id", "uuid", "case_id", "stage", "seq", "action", "timescale", "counted_from", "met_by",
                         "start_date", "original_due", "due", "done_at", "closed_by", "record_id", "late", "key",
                         "kind", "timed", "in_writing", "recipient", "form", "clause"}};
const Table k_events{"events", "events",
                     {"id", "uuid", "case_id", "type", "at", "entered_at", "from_stage", "to_stage", "reason",
                      "agreed_by", "days", "outcome", "learning", "delay_reason"}};
const Table k_shifts{"deadline_shifts", "deadline_shifts",
                     {"deadline_id", "event_id", "seq", "days", "from_due", "to_due"}};
const Table k_records{"records", "records",
                      {"id", "uuid", "case_id", "stage", "at", "entered_at", "kind", "channel", "with_names",
                       "summary", "action", "action_due", "corrects", "recipient", "form", "duty"}};
const Table k_chain{"ledger", "chain",
                    {"seq", "case_id", "case_seq", "entry", "ref_id", "prev_case_hash", "prev_hash", "hash",
                     "encoding"}};

/// What belongs to one case, and how to select it, in export order.
struct Part {
  const Table* table;
  const char* where;  ///< with one '?' for the case id
  const char* order;
};
const std::vector<Part> k_case_parts{
    {&k_parties, "case_id = ?", "role"},
    {&k_deadlines, "case_id = ?", "id"},
    {&k_events, "case_id = ?", "id"},
    {&k_shifts, "event_id IN (SELECT id FROM events WHERE case_id = ?)", "event_id, deadline_id, seq"},
    {&k_records, "case_id = ?", "id"},
    {&k_chain, "case_id = ?", "seq"},
};

std::string select_sql(const Table& t, const std::string& where, const std::string& order) {
  std::string cols;
  for (const char* c : t.cols) cols += (cols.empty() ? "" : ", ") + std::string(c);
  return fmt::format("SELECT {} FROM {} WHERE {} ORDER BY {}", cols, t.name, where, order);
}

/// Whether an insert skips a row the table already has (by its key).
enum class OrIgnore { no, yes };

std::string insert_sql(const Table& t, OrIgnore or_ignore) {
  std::string cols, marks;
  for (const char* c : t.cols) {
    cols += (cols.empty() ? "" : ", ") + std::string(c);
    marks += marks.empty() ? "?" : ", ?";
  }
  return fmt::format("INSERT {}INTO {} ({}) VALUES ({})", or_ignore == OrIgnore::yes ? "OR IGNORE " : "", t.name,
                     cols, marks);
}

json row_json(SQLite::Statement& q, const Table& t) {
  json row = json::object();
  for (int i = 0; i < q.getColumnCount(); ++i) {
    auto c = q.getColumn(i);
    if (c.isNull()) row[t.cols[static_cast<size_t>(i)]] = nullptr;
    else if (c.getType() == SQLITE_INTEGER) row[t.cols[static_cast<size_t>(i)]] = c.getInt64();
    else row[t.cols[static_cast<size_t>(i)]] = c.getString();
  }
  return row;
}

std::vector<json> rows_of(SQLite::Database& db, const Table& t, const std::string& where, const std::string& order,
                          std::optional<int64_t> id) {
  Prepared q_use(db, select_sql(t, where, order));
  SQLite::Statement& q = *q_use;
  if (id) q.bind(1, *id);
  std::vector<json> out;
  while (q.executeStep()) out.push_back(row_json(q, t));
  return out;
}

void bind_json(SQLite::Statement& q, int i, const json& v) {
  if (v.is_null()) q.bind(i);
  else if (v.is_number_integer()) q.bind(i, v.get<int64_t>());
  else q.bind(i, v.get<std::string>());
}

/// Inserts rows into one database, one statement per table prepared once
/// and reused.
class Inserter {
 public:
  explicit Inserter(SQLite::Database& db) : db_(db) {}

  /// Inserts `row` (all of the table's columns) with some columns replaced.
  void row(const Table& t, const json& row, const std::map<std::string, json>& set = {},
           OrIgnore or_ignore = OrIgnore::no) {
    auto& slot = statements_[{&t, or_ignore}];
    if (!slot) slot = std::make_unique<SQLite::Statement>(db_, insert_sql(t, or_ignore));
    SQLite::Statement& q = *slot;
    q.reset();
    q.clearBindings();
    int i = 1;
    for (const char* c : t.cols) {
      auto it = set.find(c);
      bind_json(q, i++, it != set.end() ? it->second : row.at(c));
    }
    q.exec();
    q.reset();
  }

 private:
  SQLite::Database& db_;
  std::map<std::pair<const Table*, OrIgnore>, std::unique_ptr<SQLite::Statement>> statements_;
};

/// A file's line that failed: names the file and the line.
DataError bad_line(const std::string& origin, size_t line, const std::string& what) {
  return DataError(fmt::format("{}:{}: {}; nothing was imported", origin, line, what));
}

/// Checks that `row` has exactly the table's columns, each null, an integer
/// or a string.
void check_row(const json& row, const Table& t, const std::string& origin, size_t line) {
  if (!row.is_object()) throw bad_line(origin, line, fmt::format("a row of {} is not an object", t.key));
  for (const char* c : t.cols) {
    if (!row.contains(c)) throw bad_line(origin, line, fmt::format("a row of {} has no '{}'", t.key, c));
    const json& v = row[c];
    if (!v.is_null() && !v.is_number_integer() && !v.is_string())
      throw bad_line(origin, line, fmt::format("{}.{} is neither text, an integer nor null", t.key, c));
  }
  if (row.size() != t.cols.size()) {
    for (const auto& [k, v] : row.items()) {
      bool known = false;
      for (const char* c : t.cols) known = known || k == c;
      if (!known) throw bad_line(origin, line, fmt::format("a row of {} has an unknown field '{}'", t.key, k));
    }
  }
}

struct Line {
  size_t number = 0;
  json j;
};

/// A table's ids: a row keeps its id where the store has it free.
class Ids {
 public:
  Ids(SQLite::Database& db, const char* table) : exists_(db, fmt::format("SELECT 1 FROM {} WHERE id = ?", table)) {
    next_ = db.execAndGet(fmt::format("SELECT COALESCE(MAX(id), 0) + 1 FROM {}", table)).getInt64();
  }
  int64_t take(int64_t wanted) {
    if (!taken_.count(wanted) && wanted > 0 && !exists(wanted)) {
      taken_.insert(wanted);
      return wanted;
    }
    while (taken_.count(next_) || exists(next_)) ++next_;
    taken_.insert(next_);
    return next_++;
  }

 private:
  bool exists(int64_t id) {
    exists_.reset();
    exists_.bind(1, id);
    bool found = exists_.executeStep();
    exists_.reset();
    return found;
  }
  SQLite::Statement exists_;
  int64_t next_ = 1;
  std::set<int64_t> taken_;
};

std::optional<int64_t> id_by_uuid(SQLite::Database& db, const char* table, const std::string& uuid,
                                  int64_t* case_id = nullptr) {
  Prepared q_use(db, fmt::format("SELECT id, {} FROM {} WHERE uuid = ?",
                                 std::string_view(table) == "cases" ? "id" : "case_id", table));
  SQLite::Statement& q = *q_use;
  q.bind(1, uuid);
  if (!q.executeStep()) return std::nullopt;
  if (case_id) *case_id = q.getColumn(1).getInt64();
  return q.getColumn(0).getInt64();
}

json mapped(const json& v, const std::map<int64_t, int64_t>& m) {
  if (v.is_null()) return v;
  auto it = m.find(v.get<int64_t>());
  return it == m.end() ? v : json(it->second);
}

}  // namespace

namespace {
ExportResult export_db(SQLite::Database& db, std::ostream& out);
}

ExportResult export_jsonl(Store& store, std::ostream& out) {
  try {
    return export_db(StoreAccess::db(store), out);
  } catch (const SQLite::Exception& e) {
    throw_store_error(e, store.path());
  }
}

namespace {
ExportResult export_db(SQLite::Database& db, std::ostream& out) {
  ExportResult r;
  SQLite::Transaction snapshot(db, SQLite::TransactionBehavior::DEFERRED);
  auto write = [&](const json& j, const std::string& what) {
    try {
      out << j.dump(-1, ' ', false, json::error_handler_t::strict) << '\n';
    } catch (const json::type_error&) {
      throw DataError(fmt::format("{} holds text that is not valid UTF-8; it cannot be exported as JSON", what));
    }
  };
  write(json{{"esc_export", 1}, {"schema", schema_version()}}, "the header");
  for (auto& row : rows_of(db, k_policies, "1", "sha256", std::nullopt)) {
    write(json{{"type", "policy"}, {"policy", row}}, "a policy text");
    ++r.policies;
  }
  std::vector<int64_t> ids;
  Prepared q_use(db, "SELECT id FROM cases ORDER BY id");
  SQLite::Statement& q = *q_use;
  while (q.executeStep()) ids.push_back(q.getColumn(0).getInt64());
  for (int64_t id : ids) {
    json line{{"type", "case"}, {"case", rows_of(db, k_cases, "id = ?", "id", id).at(0)}};
    for (const auto& part : k_case_parts) line[part.table->key] = rows_of(db, *part.table, part.where, part.order, id);
    write(line, fmt::format("case {}", id));
    ++r.cases;
  }
  if (!out.flush()) throw IoError("cannot write the export: the output failed");
  snapshot.commit();
  return r;
}
}  // namespace

struct ImportFile::Impl {
  SQLite::Database mem{":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
  std::string origin;
  std::map<int64_t, size_t> line_of_case;
};

ImportFile::~ImportFile() = default;

ImportFile::ImportFile(std::istream& in, const std::string& origin) try : impl_(std::make_unique<Impl>()) {
  impl_->origin = origin;
  auto& mem = impl_->mem;
  auto& line_of_case = impl_->line_of_case;
  // 1. Read and check every line before anything is touched.
  std::vector<Line> lines;
  std::string text;
  size_t number = 0;
  while (std::getline(in, text)) {
    ++number;
    if (text.empty()) continue;
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw bad_line(origin, number, "not a JSON object");
    lines.push_back({number, std::move(j)});
  }
  if (in.bad()) throw IoError(fmt::format("cannot read {}", origin));
  if (lines.empty() || !lines[0].j.contains("esc_export"))
    throw DataError(fmt::format("{} is not an esc export (its first line is not the export header)", origin));
  const json& header = lines[0].j;
  if (header.value("esc_export", json()) != 1)
    throw bad_line(origin, lines[0].number,
                   fmt::format("this export is in format {}, this esc reads format 1: import it with the esc that "
                               "wrote it",
                               header.value("esc_export", json()).dump()));
  // Schemas from k_export_schema_from hold the same tables and columns
  // (later ones add indexes only): their exports import as they are.
  constexpr int64_t k_export_schema_from = 5;
  const json& schema_in = header.value("schema", json());
  const bool same_data = schema_in.is_number_integer() && schema_in.get<int64_t>() >= k_export_schema_from &&
                         schema_in.get<int64_t>() <= schema_version();
  if (!same_data) {
    const json& schema = header.value("schema", json());
    bool newer = schema.is_number_integer() && schema.get<int64_t>() > schema_version();
    bool older = schema.is_number_integer() && schema.get<int64_t>() < schema_version();
    throw bad_line(origin, lines[0].number,
                   fmt::format("this export is of store schema {}, this esc reads schema {}{}", schema.dump(),
                               schema_version(),
                               newer ? ": it was made by a newer esc; upgrade esc to import it"
                               : older ? ": it was made by an older esc; import it with that esc, open the store "
                                         "with this esc (which upgrades it), and export it again"
                                       : ""));
  }

  // 2. Rebuild the file in a scratch database with its own ids: the schema
  // checks every row, and the chain's hashes are checked as in esc verify.
  create_schema(mem);
  mem.exec("PRAGMA foreign_keys = ON");
  {
    SQLite::Transaction tx(mem);
    Inserter insert(mem);
    mem.exec("PRAGMA defer_foreign_keys = ON");
    for (size_t i = 1; i < lines.size(); ++i) {
      const Line& l = lines[i];
      std::string type = l.j.contains("type") && l.j["type"].is_string() ? l.j["type"].get<std::string>() : "";
      try {
        if (type == "policy") {
          check_row(l.j.value("policy", json()), k_policies, origin, l.number);
          insert.row(k_policies, l.j["policy"]);
        } else if (type == "case") {
          check_row(l.j.value("case", json()), k_cases, origin, l.number);
          const json& c = l.j["case"];
          if (!c["id"].is_number_integer()) throw bad_line(origin, l.number, "the case has no id");
          int64_t id = c["id"].get<int64_t>();
          if (line_of_case.count(id)) throw bad_line(origin, l.number, fmt::format("case {} appears twice", id));
          line_of_case[id] = l.number;
          insert.row(k_cases, c);
          for (const auto& part : k_case_parts) {
            const json& rows = l.j.value(part.table->key, json());
            if (!rows.is_array()) throw bad_line(origin, l.number, fmt::format("'{}' is not a list", part.table->key));
            for (const auto& row : rows) {
              check_row(row, *part.table, origin, l.number);
              if (row.contains("case_id") && row["case_id"] != c["id"])
                throw bad_line(origin, l.number, fmt::format("a row of {} belongs to another case", part.table->key));
              insert.row(*part.table, row);
            }
          }
        } else {
          throw bad_line(origin, l.number, "neither a policy nor a case");
        }
      } catch (const SQLite::Exception& e) {
        throw bad_line(origin, l.number, e.what());
      }
    }
    Prepared fk_use(mem, "PRAGMA foreign_key_check");
    SQLite::Statement& fk = *fk_use;
    if (fk.executeStep())
      throw DataError(fmt::format("{}: a row of {} points at a {} row the file does not have; nothing was imported",
                                  origin, fk.getColumn(0).getString(), fk.getColumn(2).getString()));
    tx.commit();
  }
  VerifyResult v = verify_chain(mem, std::nullopt);
  if (!v.ok()) {
    const std::string& p = v.problems.front().text;
    const auto& case_id = v.problems.front().case_id;
    size_t line = case_id && line_of_case.count(*case_id) ? line_of_case[*case_id] : 0;
    std::string more = v.problems.size() > 1 ? fmt::format(" (and {} more)", v.problems.size() - 1) : "";
    if (line) throw bad_line(origin, line, "its hashes do not match: " + p + more);
    throw DataError(fmt::format("{}: its hashes do not match: {}{}; nothing was imported", origin, p, more));
  }
} catch (const SQLite::Exception& e) {
  // The file checked in a scratch database: its errors are esc's too.
  throw_store_error(e, origin);
}

ImportResult ImportFile::add_to(Store& store, const std::function<std::vector<std::string>(const std::vector<int64_t>&)>& recompute) {
  auto& mem = impl_->mem;
  const auto& line_of_case = impl_->line_of_case;
  const std::string& origin = impl_->origin;

  // 3. Add what the store lacks, in the file's chain order.
  ImportResult r;
  auto& db = StoreAccess::db(store);
  store.write([&] {
    db.exec("PRAGMA defer_foreign_keys = ON");
    enum class Mode { add, extend, present };
    std::map<int64_t, Mode> mode;
    std::map<int64_t, int64_t> cases, events, records, deadlines;
    Ids case_ids(db, "cases"), event_ids(db, "events"), record_ids(db, "records"), deadline_ids(db, "deadlines");
    Inserter insert(db);

    // Decide each case and give every new row its id.
    for (const auto& [src, line] : line_of_case) {
      json c = rows_of(mem, k_cases, "id = ?", "id", src).at(0);
      std::string uuid = c["uuid"];
      auto have = id_by_uuid(db, "cases", uuid);
      std::set<std::string> file_uuids, store_uuids;
      for (const char* t : {"events", "records"}) {
        Prepared q_use(mem, fmt::format("SELECT uuid FROM {} WHERE case_id = ?", t));
        SQLite::Statement& q = *q_use;
        q.bind(1, src);
        while (q.executeStep()) file_uuids.insert(q.getColumn(0).getString());
        if (have) {
          Prepared s_use(db, fmt::format("SELECT uuid FROM {} WHERE case_id = ?", t));
          SQLite::Statement& s = *s_use;
          s.bind(1, *have);
          while (s.executeStep()) store_uuids.insert(s.getColumn(0).getString());
        }
      }
      if (!have) {
        mode[src] = Mode::add;
        cases[src] = case_ids.take(src);
      } else {
        bool file_has_all = std::includes(file_uuids.begin(), file_uuids.end(), store_uuids.begin(), store_uuids.end());
        bool store_has_all = std::includes(store_uuids.begin(), store_uuids.end(), file_uuids.begin(), file_uuids.end());
        if (!file_has_all && !store_has_all)
          throw bad_line(origin, line,
                         fmt::format("case {} has entries this store lacks, and this store's case {} has entries "
                                     "the file lacks: the two have diverged",
                                     uuid, *have));
        mode[src] = store_has_all ? Mode::present : Mode::extend;
        if (store_has_all) ++r.cases_present;
        cases[src] = *have;
      }
      if (mode[src] == Mode::present) continue;
      auto give = [&, src = src, line = line](const char* table, Ids& ids, std::map<int64_t, int64_t>& m) {
        Prepared q_use(mem, fmt::format("SELECT id, uuid FROM {} WHERE case_id = ? ORDER BY id", table));
        SQLite::Statement& q = *q_use;
        q.bind(1, src);
        while (q.executeStep()) {
          int64_t id = q.getColumn(0).getInt64();
          int64_t owner = 0;
          auto there = id_by_uuid(db, table, q.getColumn(1).getString(), &owner);
          if (there && owner != cases[src])
            throw bad_line(origin, line, fmt::format("a row of {} is, in this store, part of another case", table));
          m[id] = there ? *there : ids.take(id);
        }
      };
      give("events", event_ids, events);
      give("records", record_ids, records);
      give("deadlines", deadline_ids, deadlines);
    }

    auto insert_child = [&](const Table& t, const char* where, const char* order, int64_t id,
                            std::map<std::string, std::string> remap, OrIgnore or_ignore = OrIgnore::no) {
      for (const auto& row : rows_of(mem, t, where, order, id)) {
        std::map<std::string, json> set;
        for (const auto& [col, map_name] : remap) {
          const auto& m = map_name == "cases" ? cases : map_name == "events" ? events
                        : map_name == "records" ? records : deadlines;
          set[col] = mapped(row[col], m);
        }
        insert.row(t, row, set, or_ignore);
      }
    };

    Prepared chain_use(mem, "SELECT case_id, entry, ref_id, encoding FROM ledger ORDER BY seq");
    SQLite::Statement& chain = *chain_use;
    while (chain.executeStep()) {
      int64_t src = chain.getColumn(0).getInt64();
      std::string entry = chain.getColumn(1).getString();
      int64_t ref = chain.getColumn(2).getInt64();
      // Each entry keeps the encoding it was written with, so an export
      // imported into an empty store gives back the same hashes.
      int encoding = chain.getColumn(3).getInt();
      Mode m = mode[src];
      if (m == Mode::present) continue;
      int64_t dst = cases[src];
      if (entry == "case") {
        if (m == Mode::add) {
          insert.row(k_cases, rows_of(mem, k_cases, "id = ?", "id", src).at(0), {{"id", dst}});
          insert_child(k_parties, "case_id = ?", "role", src, {{"case_id", "cases"}});
          ++r.cases_added;
        } else {
          // The file's case is the later one: take its current state.
          json c = rows_of(mem, k_cases, "id = ?", "id", src).at(0);
          Prepared u_use(db, "UPDATE cases SET status = ?, stage = ?, stage_started_at = ?, paused_at = ?, "
                             "resolved_at = ? WHERE id = ?");
          SQLite::Statement& u = *u_use;
          bind_json(u, 1, c["status"]);
          bind_json(u, 2, c["stage"]);
          bind_json(u, 3, c["stage_started_at"]);
          bind_json(u, 4, c["paused_at"]);
          bind_json(u, 5, c["resolved_at"]);
          u.bind(6, dst);
          u.exec();
          ++r.cases_extended;
        }
        // Deadlines: new ones added, known ones brought up to date.
        for (const auto& row : rows_of(mem, k_deadlines, "case_id = ?", "id", src)) {
          int64_t did = deadlines.at(row["id"].get<int64_t>());
          Prepared known_use(db, "SELECT 1 FROM deadlines WHERE id = ?");
          SQLite::Statement& known = *known_use;
          known.bind(1, did);
          if (known.executeStep()) {
            Prepared u_use(db, "UPDATE deadlines SET due = ?, done_at = ?, closed_by = ?, record_id = ?, "
                               "late = ? WHERE id = ?");
            SQLite::Statement& u = *u_use;
            bind_json(u, 1, row["due"]);
            bind_json(u, 2, row["done_at"]);
            bind_json(u, 3, row["closed_by"]);
            bind_json(u, 4, mapped(row["record_id"], records));
            bind_json(u, 5, row["late"]);
            u.bind(6, did);
            u.exec();
          } else {
            insert.row(k_deadlines, row,
                       {{"id", did}, {"case_id", dst}, {"record_id", mapped(row["record_id"], records)}});
          }
        }
        if (m == Mode::extend) continue;  // the store's case entry stands
        chain_entry(db, dst, "case", dst, encoding);
      } else {
        const Table& t = entry == "event" ? k_events : k_records;
        auto& ids = entry == "event" ? events : records;
        int64_t id = ids.at(ref);
        Prepared known_use(db, fmt::format("SELECT 1 FROM {} WHERE id = ?", t.name));
        SQLite::Statement& known = *known_use;
        known.bind(1, id);
        if (known.executeStep()) continue;  // the store has it
        json row = rows_of(mem, t, "id = ?", "id", ref).at(0);
        std::map<std::string, json> set{{"id", id}, {"case_id", dst}};
        if (entry == "record") set["corrects"] = mapped(row["corrects"], records);
        insert.row(t, row, set);
        if (entry == "event")
          insert_child(k_shifts, "event_id = ?", "deadline_id, seq", ref,
                       {{"deadline_id", "deadlines"}, {"event_id", "events"}});
        chain_entry(db, dst, entry, id, encoding);
      }
      ++r.entries_added;
    }
    for (const auto& row : rows_of(mem, k_policies, "1", "sha256", std::nullopt))
      insert.row(k_policies, row, {}, OrIgnore::yes);
    // What the cases owe, and where they stand, is never taken from the
    // file: it is worked out again from their records.
    std::vector<int64_t> touched;
    for (const auto& [src, m] : mode)
      if (m != Mode::present) touched.push_back(cases[src]);
    if (recompute) r.recomputed = recompute(touched);
  });
  return r;
}

}  // namespace esc
