#pragma once
/// Small text helpers shared by the core and the command line.

#include <esc/date.hpp>

#include <string>

namespace esc {

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
