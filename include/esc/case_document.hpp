#pragma once
/// The written record of a case as a document for people (see esc-report(1)):
/// a title, a few fields, and titled sections of fields, tables and lists,
/// every line of it worded once from a CaseReport. The formats lay it out;
/// none of them looks at the case again.

#include <esc/report.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace esc {

/// One labelled value.
struct DocField {
  /// Short and in lower case, to fit plain text's column; in a subsection,
  /// where plain text gives each field a line, the words that lead the line.
  std::string label;
  std::string value;    ///< "": nothing recorded
  std::string heading;  ///< what formats with headings show: "Date of birth", "Requested action"
};

struct DocColumn {
  std::string header;
  bool literal = false;  ///< esc's own tokens (times, due dates, states, record numbers), never escaped
  bool outcome = false;  ///< the row's deadline outcome, which HTML colours
};

/// A row of a table, as a table shows it (cells) and as plain text, which has
/// no room for columns, lists it (a line, the details under it).
struct DocRow {
  std::vector<std::string> cells;  ///< one per column
  std::string line;
  std::vector<std::string> details;
  std::vector<std::string> notes;  ///< what changed it since (a deadline moved): text and HTML show them
  std::optional<DeadlineOutcome> outcome;
};

struct DocTable {
  std::vector<DocColumn> columns;
  std::vector<DocRow> rows;
};

/// A titled part of the document; a subsection is one level further in.
struct DocSection {
  std::string title;
  std::vector<DocField> fields = {};
  std::vector<DocTable> tables = {};
  std::optional<std::vector<std::string>> items = {};  ///< a list: when empty, '-' says there is nothing
  std::vector<DocSection> subsections = {};
  bool counted = false;        ///< plain text puts the number of rows in the title: "Chronology (8)"
  bool run_in = false;         ///< plain text gives it no title: each row's line says what it is
  bool keep_together = false;  ///< kept on one printed page where it fits (a stage)
};

struct CaseDocument {
  std::string title;             ///< "Escalation record: case 12"
  std::vector<DocField> about;   ///< the policy and the partnership the record is under
  /// What the policy says of every case under it, those it gives: its key
  /// contact and where records must be kept.
  std::vector<DocField> under_policy;
  std::vector<DocField> fields;  ///< the case's status and when the record was made
  std::vector<DocSection> sections;
  int64_t case_id = 0;
  std::string uuid;
  std::string made;  ///< when the record was made, to the minute, local
};

CaseDocument case_document(const CaseReport& r);

}  // namespace esc
