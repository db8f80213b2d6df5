#include <esc/error.hpp>
#include <esc/policy_library.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace esc {

namespace fs = std::filesystem;

std::vector<fs::path> policy_search_path(const PolicySearchInputs& in) {
  std::vector<fs::path> dirs;
  if (in.esc_policy_path) {
    std::string s = *in.esc_policy_path;
    size_t start = 0;
    while (start <= s.size()) {
      size_t colon = s.find(':', start);
      std::string part = s.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
      if (!part.empty()) dirs.emplace_back(part);
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
  }
  if (in.xdg_config_home && !in.xdg_config_home->empty())
    dirs.push_back(fs::path(*in.xdg_config_home) / "esc" / "policies");
  else if (in.home && !in.home->empty())
    dirs.push_back(fs::path(*in.home) / ".config" / "esc" / "policies");
  if (!in.exe_dir.empty()) {
    dirs.push_back(in.exe_dir.parent_path() / ESC_INSTALL_POLICY_SUBDIR);
    // A binary run from its build tree also finds the source tree's policies.
    std::error_code ec;
    if (fs::equivalent(in.exe_dir, fs::path(ESC_BUILD_DIR), ec))
      dirs.emplace_back(ESC_SOURCE_POLICY_DIR);
  }
  return dirs;
}

namespace {

bool looks_like_path(const std::string& s) {
  return s.find('/') != std::string::npos ||
         (s.size() > 5 && s.compare(s.size() - 5, 5, ".toml") == 0);
}

}  // namespace

std::vector<PolicyEntry> PolicyLibrary::list() const {
  std::vector<PolicyEntry> out;
  std::set<std::string> seen;
  for (const auto& dir : dirs_) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir, ec))
      if (e.path().extension() == ".toml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      std::string id = f.stem().string();
      if (seen.insert(id).second) out.push_back({id, f});
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

fs::path PolicyLibrary::resolve(const std::string& id_or_path) const {
  if (looks_like_path(id_or_path)) {
    std::error_code ec;
    if (!fs::is_regular_file(id_or_path, ec))
      throw NotFoundError(fmt::format("no policy file '{}': check the path", id_or_path));
    return id_or_path;
  }
  for (const auto& e : list())
    if (e.id == id_or_path) return e.path;
  std::string known;
  for (const auto& e : list()) known += (known.empty() ? "" : ", ") + e.id;
  throw NotFoundError(fmt::format("no policy '{}'{}", id_or_path,
                                  known.empty() ? std::string(" (no policies found on the search path)")
                                                : fmt::format(" (known: {})", known)),
                      {{}, Remedy::list_policies});
}

Policy PolicyLibrary::load(const std::string& id_or_path) const {
  fs::path p = resolve(id_or_path);
  Policy policy = load_policy_file(p.string());
  if (!looks_like_path(id_or_path) && policy.id != id_or_path)
    throw PolicyError(fmt::format("{}: the file's id is '{}' but its name says '{}': make them agree",
                                  p.string(), policy.id, id_or_path));
  return policy;
}

}  // namespace esc
