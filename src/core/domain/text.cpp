#include <esc/text.hpp>

#include <esc/case.hpp>

namespace esc {

std::string within_phrase(const std::string& timescale) {
  return timescale == "same working day" ? "on the same working day" : "within " + timescale;
}

std::string capital(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::string nhs_spaced(const std::string& nhs) {
  if (nhs.size() != 10) return nhs;
  return nhs.substr(0, 3) + " " + nhs.substr(3, 3) + " " + nhs.substr(6);
}

std::string party_line(const Party& party) {
  std::string s = party.name;
  if (!party.agency.empty()) s += ", " + party.agency;
  return s + " (" + party.agency_type + ")";
}

std::string local_minute(const TimeZone& zone, Timestamp t) {
  std::string s = zone.format(t);  // 2026-12-23T10:00:00+00:00
  s.resize(16);
  s[10] = ' ';
  return s;
}

}  // namespace esc
