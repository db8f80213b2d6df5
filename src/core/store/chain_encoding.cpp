// The chain's encoding 2 (grammar in include/esc/chain_encoding.hpp). Each
// kind of value goes through one function below, so a field that changes its
// C++ type changes one line here, not the encoding.
#include <esc/chain_encoding.hpp>
#include <esc/crypto.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace esc {

namespace {

/// Builds one entry: `kind{name=value...}`, groups and lists nested.
class Entry {
 public:
  explicit Entry(const char* kind) { out_ = fmt::format("{}{{", kind); }

  Entry& text(const char* name, const std::string& v) {
    field(name);
    out_ += fmt::format("t{}:", v.size());
    out_ += v;
    out_ += ';';
    return *this;
  }
  /// A text the domain leaves empty when there is none.
  Entry& opt_text(const char* name, const std::string& v) { return v.empty() ? none(name) : text(name, v); }
  Entry& integer(const char* name, int64_t v) {
    field(name);
    out_ += fmt::format("i{};", v);
    return *this;
  }
  template <typename T>
  Entry& opt_integer(const char* name, const std::optional<T>& v) {
    return v ? integer(name, static_cast<int64_t>(*v)) : none(name);
  }
  Entry& instant(const char* name, Timestamp t) {
    field(name);
    out_ += fmt::format("s{};", format_utc(t));
    return *this;
  }
  Entry& date(const char* name, const Date& d) {
    field(name);
    out_ += fmt::format("d{};", d.iso());
    return *this;
  }
  Entry& none(const char* name) {
    field(name);
    out_ += "n;";
    return *this;
  }
  Entry& open_group(const char* name) {
    field(name);
    out_ += '{';
    return *this;
  }
  Entry& close_group() {
    out_ += '}';
    return *this;
  }
  Entry& open_list(const char* name) {
    field(name);
    out_ += '[';
    return *this;
  }
  Entry& list_group() {
    out_ += '{';
    return *this;
  }
  Entry& close_list() {
    out_ += ']';
    return *this;
  }
  std::string done() { return std::move(out_) + '}'; }

 private:
  void field(const char* name) {
    out_ += name;
    out_ += '=';
  }
  std::string out_;
};

void party(Entry& e, const char* slot, const Party& p) {
  e.open_group(slot)
      .text("role", std::string(name(p.role)))
      .text("name", p.name)
      .opt_text("agency", p.agency)
      .text("agency_type", p.agency_type)
      .close_group();
}

}  // namespace

std::string encode_case_entry(const Case& c) {
  Entry e("case");
  e.integer("id", c.id)
      .text("uuid", c.uuid)
      .text("policy_id", c.policy_id)
      .text("policy_sha256", c.policy_sha256)
      .text("category", c.category)
      .text("summary", c.summary)
      .opt_text("requested_action", c.requested_action)
      .opt_text("risk", c.risk)
      .opt_text("child_ref", c.child.ref)
      .opt_text("child_name", c.child.name)
      .opt_text("child_dob", c.child.dob)
      .opt_text("child_nhs", c.child.nhs)
      .instant("raised_at", c.raised_at)
      .instant("entered_at", c.entered_at);
  party(e, "raiser", c.raiser);
  party(e, "counterpart", c.counterpart);
  return e.done();
}

std::string encode_event_entry(int64_t case_id, const CaseEvent& ev, std::vector<ChainShift> shifts) {
  Entry e("event");
  e.integer("id", ev.id)
      .text("uuid", ev.uuid)
      .integer("case_id", case_id)
      .text("type", std::string(name(ev.type)))
      .instant("at", ev.at)
      .instant("entered_at", ev.entered_at)
      .opt_integer("from_stage", ev.from_stage)
      .opt_integer("to_stage", ev.to_stage)
      .opt_text("reason", ev.reason)
      .opt_text("agreed_by", ev.agreed_by)
      .opt_integer("days", ev.days)
      .opt_text("outcome", ev.outcome)
      .opt_text("learning", ev.learning)
      .opt_text("delay_reason", ev.delay_reason);
  std::sort(shifts.begin(), shifts.end(), [](const ChainShift& a, const ChainShift& b) {
    return std::tie(a.deadline_id, a.seq) < std::tie(b.deadline_id, b.seq);
  });
  e.open_list("shifts");
  for (const auto& s : shifts)
    e.list_group()
        .integer("deadline_id", s.deadline_id)
        .integer("event_id", s.event_id)
        .integer("seq", s.seq)
        .integer("days", s.days)
        .date("from_due", s.from_due)
        .date("to_due", s.to_due)
        .close_group();
  e.close_list();
  return e.done();
}

std::string encode_record_entry(int64_t case_id, const CaseRecord& r) {
  Entry e("record");
  e
      .integer("id", r.id)
      .text("uuid", r.uuid)
      .integer("case_id", case_id)
      .integer("stage", r.stage)
      .instant("at", r.at)
      .instant("entered_at", r.entered_at)
      .text("kind", r.kind)
      .opt_text("channel", r.channel)
      .opt_text("with", r.with)
      .text("summary", r.summary)
      .opt_text("action", r.action)
      .opt_text("action_due", r.action_due)
      .opt_integer("corrects", r.corrects);
  // Fields added with duties: written only when set, so a record made before
  // them encodes as it always did.
  if (!r.to.empty()) e.text("to", r.to);
  if (!r.form.empty()) e.text("form", r.form);
  if (!r.duty.empty()) e.text("duty", r.duty);
  return e.done();
}

std::string chain_entry_hash(int version, const std::string& encoding, const std::string& prev_case_hash,
                             const std::string& prev_hash) {
  std::string data = fmt::format("esc-chain-{}\n", version);
  data += encoding;
  data += '\n';
  data += prev_case_hash;
  data += '\n';
  data += prev_hash;
  return sha256_hex(data);
}

}  // namespace esc
