#include "cli/report_html.hpp"

#include "cli/report_escape.hpp"

namespace esc::cli {

namespace {

const char* k_css = R"(
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: #1b1b1b; background: #fff; max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 2px solid #1d4f91; padding-bottom: .2rem; color: #1d4f91; }
h3 { font-size: 1.05rem; margin-bottom: .3rem; }
.meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid #c8c8c8; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #eef2f8; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
dl.fields { display: grid; grid-template-columns: 14rem 1fr; gap: .3rem 1rem; }
dl.fields dt { font-weight: 600; }
dl.fields dd { margin: 0; white-space: pre-wrap; }
.missing { color: #a40000; font-weight: 600; }
.reconstruction { border-left: 4px solid #b26b00; padding: .3rem .6rem; background: #fff6e5; }
dl.fields dt .instruction { display: block; font-weight: normal; font-style: italic; color: #444; }
.state-met { color: #1a6b2a; } .state-late, .state-missed, .state-overdue { color: #a40000; font-weight: 600; }
.charts { display: flex; flex-wrap: wrap; gap: 1.5rem; }
figure { margin: 0; }
figcaption { font-weight: 600; margin-bottom: .3rem; }
svg text { font: 12px system-ui, sans-serif; fill: #1b1b1b; }
svg .bar { fill: #1d4f91; } svg .axis { stroke: #888; stroke-width: 1; }
ul.plain { padding-left: 1.2rem; }
footer { margin-top: 2rem; color: #666; font-size: .85rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table, figure, dl.fields, section.stage { break-inside: avoid; page-break-inside: avoid; }
  th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  svg .bar { fill: #333 !important; }
  a { color: inherit; text-decoration: none; }
  footer { position: static; }
}
@page { size: A4; margin: 15mm; }
)";

}  // namespace

void html_head(std::ostream& o, const std::string& title) {
  // The page loads nothing: the policy below forbids any fetch, so it is the
  // same printed, saved or opened without a network.
  o << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
    << html_escape(title) << "</title>\n<style>" << k_css << "</style>\n</head>\n<body>\n";
}

void html_foot(std::ostream& o, const std::string& note) {
  o << "<footer>" << html_escape(note) << "</footer>\n</body>\n</html>\n";
}

}  // namespace esc::cli
