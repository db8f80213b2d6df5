#pragma once
// Printing reports (see esc-report(1)): the written record of a case
// (report_case.cpp), a filled form (report_forms.cpp) and the partnership
// return (report_return.cpp), each as text, Markdown, JSON or a
// self-contained HTML page; the return's tables also as CSV.

#include "cli/context.hpp"

#include <esc/report.hpp>

#include <string>
#include <vector>

namespace esc::cli {

enum class ReportFormat { text, markdown, json, html, csv };

void print_case_report(const Context& ctx, const CaseReport& r, ReportFormat f);
void print_form(const Context& ctx, const CaseReport& r, const FilledForm& form, ReportFormat f);
/// The forms a policy names (`--form list`): one line each, name, id and
/// appendix tab-separated, as text; an array of {id, name, appendix} as JSON.
/// Only those two formats.
void print_form_list(const Policy& p, ReportFormat f);
/// `tables` is what return_tables() gives, or the one --table names.
void print_return(const Context& ctx, const PartnershipReturn& r, const std::vector<ReportTable>& tables,
                  ReportFormat f);

}  // namespace esc::cli
