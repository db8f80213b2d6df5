#pragma once
/// Export and import: the whole store as JSON Lines, lossless. The first line
/// is a header; then one line per policy text the cases were raised under;
/// then one line per case with its parties, deadlines, events (and the
/// deadline moves they caused), records (reminders sent among them) and
/// chain entries, every row with all its columns, ids, UUIDs and hashes. The
/// copy of the duties travels too, but an import never trusts it: what each
/// case owes is worked out again from its record.

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <vector>
#include <memory>
#include <string>

namespace esc {

class Store;

struct ExportResult {
  int64_t policies = 0;
  int64_t cases = 0;
};

/// Writes the store (one consistent snapshot) to `out`.
ExportResult export_jsonl(Store& store, std::ostream& out);

struct ImportResult {
  int64_t cases_added = 0;     ///< cases the store did not have
  int64_t cases_extended = 0;  ///< cases the store had, with entries it lacked
  int64_t cases_present = 0;   ///< cases the store already had in full
  int64_t entries_added = 0;   ///< chain entries added
  std::vector<std::string> recomputed;  ///< cases whose copy of the duties disagreed with their record
};

/// An export read and checked: every line, and its chain's hashes, before
/// any store is touched. On a bad line the constructor throws DataError
/// naming `origin` and the line.
class ImportFile {
 public:
  ImportFile(std::istream& in, const std::string& origin);
  ~ImportFile();
  /// Adds what the store does not have, matched by UUID, in one
  /// transaction. Ids are kept where the store has them free; the store's
  /// own chain is extended. A case that has diverged (each side has entries
  /// the other lacks) refuses the whole import.
  /// `recompute` is called inside that transaction with the cases added or
  /// extended: it works out their duties and state again (Service::
  /// repair_duties) and says which disagreed with the file.
  ImportResult add_to(Store& store,
                      const std::function<std::vector<std::string>(const std::vector<int64_t>&)>& recompute = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace esc
