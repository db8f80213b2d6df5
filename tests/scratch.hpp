#pragma once
// What the unit tests share: a clock they set, and a scratch store in a fresh
// directory with the shipped policies and a service over them.

#include <esc/clock.hpp>
#include <esc/policy_library.hpp>
#include <esc/service.hpp>
#include <esc/store.hpp>

#include "core/store/sqlite_store.hpp"

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <stdexcept>
#include <system_error>

namespace esc::test {

class TestClock : public Clock {
 public:
  Timestamp now() const override { return t; }
  /// A local time in Europe/London, such as "2027-03-01T12:00".
  void set(std::string_view s) { t = parse_timestamp(s, TimeZone::get("Europe/London")); }
  Timestamp t{};
};

/// What a test raises: an invented disagreement about child C-1001 between
/// a raiser and a counterpart of the given agency types.
inline RaiseInput raise_input(const std::string& policy, const std::string& raiser_type = "school",
                              const std::string& counterpart_type = "social-care") {
  RaiseInput in;
  in.policy = policy;
  in.category = "other";
  in.summary = "Invented disagreement about a referral threshold";
  in.raiser = {PartyRole::raiser, "Ann Teacher", "Northside Primary", raiser_type};
  in.counterpart = {PartyRole::counterpart, "Bob Worker", "Area Team North", counterpart_type};
  in.child.ref = "C-1001";
  return in;
}

/// A store at `dir`/data/esc.db in a fresh directory named after `prefix`,
/// removed afterwards (the store closed first).
struct Scratch {
  std::filesystem::path dir;
  TestClock clock;
  PolicyLibrary policies{{ESC_SOURCE_POLICY_DIR}};
  std::unique_ptr<Store> store;
  std::unique_ptr<Service> svc;

  explicit Scratch(const std::string& prefix = "esc-test") {
    std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("cannot make a scratch directory from " + tmpl);
    dir = tmpl;
    open();
  }
  ~Scratch() {
    svc.reset();
    store.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  /// (Re)opens the store and the service.
  void open() {
    svc.reset();
    store = std::make_unique<Store>(StorePath{(dir / "data" / "esc.db").string(), true}, true);
    svc = std::make_unique<Service>(*store, policies, clock);
  }
  int count(const std::string& table) { return StoreAccess::db(*store).execAndGet("SELECT count(*) FROM " + table).getInt(); }
};

}  // namespace esc::test
