#pragma once
/// Where policies are found: by id along a search path, or by file path.

#include <esc/policy.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace esc {

/// The inputs the search path is made from (the CLI fills them from the
/// environment and the location of the running binary).
struct PolicySearchInputs {
  std::optional<std::string> esc_policy_path;  ///< ESC_POLICY_PATH, colon-separated
  std::optional<std::string> xdg_config_home;
  std::optional<std::string> home;
  std::filesystem::path exe_dir;  ///< directory of the running binary, if known
};

/// The directories searched, in order: ESC_POLICY_PATH, then
/// $XDG_CONFIG_HOME/esc/policies (else ~/.config/esc/policies), then the
/// installed share/esc/policies beside the binary's prefix, then the source
/// tree's policies/ when the binary runs from its build tree.
std::vector<std::filesystem::path> policy_search_path(const PolicySearchInputs& in);

struct PolicyEntry {
  std::string id;
  std::filesystem::path path;
};

class PolicyLibrary {
 public:
  explicit PolicyLibrary(std::vector<std::filesystem::path> dirs) : dirs_(std::move(dirs)) {}

  /// Every policy file on the path; the first of each id wins.
  std::vector<PolicyEntry> list() const;
  /// A value with a '/' or ending ".toml" is a path; anything else an id.
  /// Throws NotFoundError listing the ids known, or PolicyError.
  Policy load(const std::string& id_or_path) const;
  /// The file a policy id or path resolves to.
  std::filesystem::path resolve(const std::string& id_or_path) const;
  const std::vector<std::filesystem::path>& dirs() const { return dirs_; }

 private:
  std::vector<std::filesystem::path> dirs_;
};

}  // namespace esc
