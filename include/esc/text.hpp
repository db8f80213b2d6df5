#pragma once
/// Small text helpers shared by the core and the command line.

#include <esc/date.hpp>

#include <string>

namespace esc {

/// A deadline's timescale as a phrase: "within 2 working days", or "on the
/// same working day" (not "within same working day").
std::string within_phrase(const std::string& timescale);
/// The word that joins it to what it counts from: "of", or "as".
inline const char* within_joiner(const std::string& timescale) {
  return timescale == "same working day" ? "as" : "of";
}

struct Party;

/// The text with its first letter in capitals: "stage" -> "Stage".
std::string capital(std::string s);

/// A ten-digit NHS number spaced 3 3 4, "943 476 5919"; anything else as it is.
std::string nhs_spaced(const std::string& nhs);

/// "Name, Agency (agency-type)", as stored.
std::string party_line(const Party& party);

/// A time to the minute, local to the zone: "2026-12-23 10:00".
std::string local_minute(const TimeZone& zone, Timestamp t);

}  // namespace esc
