# Shared by scripts/esc and scripts/test: install what esc needs from Debian,
# then configure and build only when something changed.

ESC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ESC_BUILD="$ESC_ROOT/build"

# Debian packages the build needs; the tests add their own.
ESC_PACKAGES=(g++ cmake make pkg-config libcli11-dev libsqlitecpp-dev libsqlite3-dev libfmt-dev
              libtomlplusplus-dev nlohmann-json3-dev libssl-dev)

esc_missing_packages() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || echo "$p"
  done
}

esc_install_packages() {
  local missing
  missing=$(esc_missing_packages "$@")
  [ -z "$missing" ] && return 0
  # shellcheck disable=SC2086
  set -- $missing
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo="sudo"
    else
      echo "esc: these Debian packages are missing: $*" >&2
      echo "esc: install them with: sudo apt-get update && sudo apt-get install -y $*" >&2
      exit 1
    fi
  fi
  echo "esc: installing $* ..." >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

# esc_build TARGET...: configure once, then build when a source is newer.
esc_build() {
  if [ ! -f "$ESC_BUILD/CMakeCache.txt" ]; then
    cmake -S "$ESC_ROOT" -B "$ESC_BUILD" -DCMAKE_BUILD_TYPE=Release >&2
  fi
  cmake --build "$ESC_BUILD" -j "$(nproc)" --target "$@" >&2
  touch "$ESC_BUILD/.esc-built"
}

# True when some source changed since the last build.
esc_stale() {
  [ -x "$ESC_BUILD/esc" ] && [ -f "$ESC_BUILD/.esc-built" ] || return 0
  [ -n "$(find "$ESC_ROOT/src" "$ESC_ROOT/include" "$ESC_ROOT/CMakeLists.txt" -newer "$ESC_BUILD/.esc-built" -print -quit)" ]
}

# esc_binary: set ESC to the esc to test, building it first unless ESC is
# already set (the tests set it to their own build). For the bench scripts.
esc_binary() {
  if [ -z "${ESC:-}" ]; then
    esc_install_packages "${ESC_PACKAGES[@]}" python3 procps
    esc_build esc
    ESC="$ESC_BUILD/esc"
  fi
}
