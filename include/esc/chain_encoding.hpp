#pragma once
/// The chain's canonical encoding of an entry: what a case, an event or a
/// record IS, as values of the domain, with no trace of how a database keeps
/// them. Any store (SQLite, PostgreSQL) that reads the same values gets the
/// same bytes and so the same hashes. Pure functions: no I/O, no SQL.
///
/// Encoding 2 (this one). An entry is encoded as
///
///   entry  = kind "{" *field "}"            ; kind: "case", "event" or "record"
///   field  = name "=" value                 ; the names below, in that order
///   value  = text / none / int / time / date / group / list
///   text   = "t" length ":" bytes ";"       ; length: the UTF-8 byte count, decimal
///   none   = "n;"                           ; absent (an empty optional text, a
///                                           ;   missing number or reference)
///   int    = "i" ["-"] digits ";"           ; decimal, no leading zeros
///   time   = "s" YYYY "-" MM "-" DD "T" hh ":" mm ":" ss "Z;"  ; an instant, UTC
///   date   = "d" YYYY "-" MM "-" DD ";"     ; a calendar date
///   group  = "{" *field "}"                 ; a party, a deadline shift
///   list   = "[" *group "]"
///
///   case   : id uuid policy_id policy_sha256 category summary requested_action
///            risk child_ref child_name child_dob child_nhs raised_at entered_at
///            raiser counterpart
///            (a party: role name agency agency_type)
///   event  : id uuid case_id type at entered_at from_stage to_stage reason
///            agreed_by days outcome learning delay_reason shifts
///            (shifts: the deadline moves the event caused, by deadline_id then
///            seq; each: deadline_id event_id seq days from_due to_due)
///   record : id uuid case_id stage at entered_at kind channel with summary
///            action action_due corrects [to] [form] [duty]
///            (the last three only when set: whom a notification went to,
///            the form sent, the duty the record names; a record without
///            them encodes as it did before they existed)
///
/// Optional texts (requested_action, risk, the child's details, a party's
/// agency, an event's reason ... delay_reason, a record's channel, with,
/// action, action_due) are `none` when empty; the rest are `text` always.
///
/// An entry's hash is SHA-256, as 64 lowercase hex digits, of
///
///   "esc-chain-" version LF encoding LF previous-hash-of-the-case LF previous-hash-of-the-store
///
/// where a first entry's previous hash is empty. Encoding 1, the first, was
/// SQLite's own rows tagged with their storage classes (src/core/store/
/// ledger.cpp keeps it to verify the entries written with it).

#include <esc/case.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace esc {

/// The encodings an entry can have been written with.
constexpr int k_chain_encoding_sqlite_rows = 1;  ///< SQLite's rows, by storage class
constexpr int k_chain_encoding_values = 2;       ///< the domain's values (above)
/// The encoding new entries are written with.
constexpr int k_chain_encoding = k_chain_encoding_values;

/// A move of a due date as the chain covers it: which deadline, the event
/// that moved it, and its place among that deadline's moves (1, 2, 3, ...).
struct ChainShift {
  int64_t deadline_id = 0;
  int64_t event_id = 0;
  int seq = 0;
  int days = 0;
  Date from_due;
  Date to_due;
};

/// Encoding 2 of a case as raised: its fields and its two parties (the
/// deadlines, events, records and current state are not part of it).
std::string encode_case_entry(const Case& c);
/// Encoding 2 of event `e` of case `case_id`, with the moves it caused (in
/// any order: they are encoded by deadline, then place).
std::string encode_event_entry(int64_t case_id, const CaseEvent& e, std::vector<ChainShift> shifts);
/// Encoding 2 of record `r` of case `case_id`.
std::string encode_record_entry(int64_t case_id, const CaseRecord& r);

/// An entry's hash, from its encoding (in `version`) and the hashes of the
/// case's and the store's previous entries.
std::string chain_entry_hash(int version, const std::string& encoding, const std::string& prev_case_hash,
                             const std::string& prev_hash);

}  // namespace esc
