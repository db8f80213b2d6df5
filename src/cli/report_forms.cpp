// esc report ID --form: a form the case's policy names, filled from the
// case, in each format; and the list of those forms.

#include "cli/case_view.hpp"
#include "cli/report_escape.hpp"
#include "cli/report_html.hpp"
#include "cli/report_view.hpp"

#include <esc/error.hpp>

#include <fmt/format.h>

#include <iostream>

namespace esc::cli {

namespace {

using json = nlohmann::ordered_json;

std::string html_lines(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += (s.empty() ? "" : "\n") + html_escape(l);
  return s;
}

}  // namespace

void print_form_list(const Policy& p, ReportFormat f) {
  switch (f) {
    case ReportFormat::json: {
      json j = json::array();
      for (const auto& form : p.forms)
        j.push_back({{"id", form.id},
                     {"name", form.name},
                     {"appendix", opt_text(form.appendix)},
                     {"reconstructed", form.reconstructed}});
      return print_json(j);
    }
    case ReportFormat::text:
      // A reconstruction says so in a fourth column.
      for (const auto& form : p.forms)
        std::cout << safe(form.name) << '\t' << form.id << '\t' << safe(form.appendix)
                  << (form.reconstructed ? "\t" + std::string(k_reconstruction_note) : "") << '\n';
      return;
    case ReportFormat::markdown:
    case ReportFormat::html:
    case ReportFormat::csv: throw InternalError("the form list is text or JSON: the command refuses other formats");
  }
}

void print_form(const Context& ctx, const CaseReport& r, const FilledForm& form, ReportFormat f) {
  const char* missing_mark = "[missing]";
  std::string head = form.name + (form.appendix.empty() ? "" : " (" + form.appendix + ")");
  std::string about = fmt::format("{} policy, case {}, filled on {}", form.policy_id, form.case_id, form.date.iso());
  std::ostream& o = std::cout;
  switch (f) {
    case ReportFormat::csv: throw InternalError("a form has no CSV: the command refuses --format csv");
    case ReportFormat::json: {
      json j;
      j["report"] = "form";
      j["case"] = form.case_id;
      j["policy"] = form.policy_id;
      j["form"] = {{"id", form.id},
                   {"name", form.name},
                   {"appendix", opt_text(form.appendix)},
                   {"send_to", opt_text(form.send_to)},
                   {"reconstructed", form.reconstructed},
                   {"note", form.reconstructed ? json(std::string(k_reconstruction_note)) : json(nullptr)}};
      j["date"] = form.date.iso();
      j["fields"] = json::array();
      json missing = json::array();
      for (const auto& ff : form.fields) {
        std::string v;
        for (const auto& l : ff.value) v += (v.empty() ? "" : "\n") + l;
        j["fields"].push_back({{"id", ff.id},
                               {"label", ff.label},
                               {"instruction", opt_text(ff.instruction)},
                               {"source", ff.source},
                               {"value", ff.missing() ? json(nullptr) : json(v)},
                               {"missing", ff.missing()}});
        if (ff.missing()) missing.push_back(ff.id);
      }
      j["missing"] = missing;
      return print_json(j);
    }
    case ReportFormat::markdown: {
      o << "# " << md(head) << "\n\n" << md(about) << "\n\n";
      if (form.reconstructed) o << "> " << md(std::string(k_reconstruction_note)) << "\n\n";
      if (!form.send_to.empty()) o << "**Send to:** " << md(form.send_to) << "\n\n";
      for (const auto& ff : form.fields) {
        o << "## " << md(ff.label) << "\n\n";
        if (!ff.instruction.empty()) o << '*' << md(ff.instruction) << "*\n\n";
        if (ff.missing()) o << "**" << missing_mark << "**\n\n";
        else if (ff.value.size() == 1) o << md(ff.value.front()) << "\n\n";
        else {
          for (const auto& l : ff.value) o << "- " << md(l) << '\n';
          o << '\n';
        }
      }
      return;
    }
    case ReportFormat::html: {
      html_head(o, head + fmt::format(": case {}", form.case_id));
      o << "<h1>" << html_escape(form.name) << "</h1>\n<p class=\"meta\">"
        << html_escape((form.appendix.empty() ? "" : form.appendix + ". ") + form.partnership + ". " + about) << "</p>\n";
      if (form.reconstructed)
        o << "<p class=\"reconstruction\">" << html_escape(std::string(k_reconstruction_note)) << "</p>\n";
      if (!form.send_to.empty()) o << "<p><strong>Send to:</strong> " << html_escape(form.send_to) << "</p>\n";
      o << "<dl class=\"fields\">\n";
      for (const auto& ff : form.fields) {
        o << "<dt>" << html_escape(ff.label);
        if (!ff.instruction.empty()) o << "<span class=\"instruction\">" << html_escape(ff.instruction) << "</span>";
        o << "</dt>";
        if (ff.missing()) o << "<dd class=\"missing\">" << missing_mark << "</dd>\n";
        else o << "<dd>" << html_lines(ff.value) << "</dd>\n";
      }
      o << "</dl>\n";
      html_foot(o, fmt::format("Case {} ({}), filled by esc on {}.", r.id, r.uuid, form.date.iso()));
      return;
    }
    case ReportFormat::text: {
      o << bold(ctx, safe(head)) << '\n' << safe(about) << '\n';
      if (form.reconstructed) o << yellow(ctx, std::string(k_reconstruction_note)) << '\n';
      if (!form.send_to.empty()) o << "Send to: " << safe(form.send_to) << '\n';
      for (const auto& ff : form.fields) {
        o << '\n' << bold(ctx, safe(ff.label) + ":");
        if (!ff.instruction.empty()) {
          // The form's own guidance on a line of its own under the label;
          // the value below it, indented as a list is.
          o << '\n' << dim(ctx, safe(ff.instruction)) << '\n';
          if (ff.missing()) o << "  " << red(ctx, missing_mark) << '\n';
          else
            for (const auto& l : ff.value) o << "  " << safe(l) << '\n';
          continue;
        }
        if (ff.missing()) o << ' ' << red(ctx, missing_mark) << '\n';
        else if (ff.value.size() == 1 && ff.value.front().find('\n') == std::string::npos) o << ' ' << safe(ff.value.front()) << '\n';
        else {
          o << '\n';
          for (const auto& l : ff.value) o << "  " << safe(l) << '\n';
        }
      }
      return;
    }
  }
}

}  // namespace esc::cli
