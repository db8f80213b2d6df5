# Shared by scripts/esc and scripts/test: install what esc needs from Debian,
# then configure and build only when something changed.

ESC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ESC_BUILD="$ESC_ROOT/build"

# Debian packages building esc needs; the tests add their own (scripts/test).
ESC_PACKAGES=(g++ cmake make pkg-config libcli11-dev libsqlitecpp-dev libsqlite3-dev libfmt-dev
              libtomlplusplus-dev nlohmann-json3-dev libssl-dev)

# Debian packages only the tests use: Catch2 for the unit tests, and the tools
# the end-to-end tests drive (see the README's "Tests" section).
ESC_TEST_PACKAGES=(catch2 sqlite3 python3 procps mandoc man-db zsh fish chromium dpkg-dev lintian)

# CMake packages only the tests look for. tests/build_alone.sh hides each of
# them from CMake (CMAKE_DISABLE_FIND_PACKAGE_...) to prove that building esc
# does without them.
ESC_TEST_CMAKE_PACKAGES=(Catch2)

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

# The configuration scripts/esc or scripts/test last made, once CMake had
# finished generating the build files; absent after a configure that failed.
ESC_CONFIGURED="$ESC_BUILD/.esc-configured"

# The ESC_BUILD_TESTS value the build directory was last configured with by
# these scripts, or nothing when it must be configured again: no generated
# Makefile (a configure that failed or stopped half-way), no record of a
# finished configure, or a CMakeCache.txt changed since (someone ran cmake by
# hand; it may have failed).
esc_configured_tests() {
  [ -f "$ESC_BUILD/Makefile" ] && [ -f "$ESC_BUILD/CMakeFiles/Makefile.cmake" ] || return 0
  [ -f "$ESC_CONFIGURED" ] && [ ! "$ESC_BUILD/CMakeCache.txt" -nt "$ESC_CONFIGURED" ] || return 0
  sed -n 's/^ESC_BUILD_TESTS=//p' "$ESC_CONFIGURED"
}

# esc_configure ON|OFF: configures build/ with or without the tests, unless it
# already is. A build directory left half-made (see esc_configured_tests) is
# said so and configured afresh: its CMakeCache.txt goes (compiled objects
# stay, so nothing unchanged is compiled again); so does a cache a configure
# fails with, after one more try from scratch. ESC_CMAKE_ARGS adds arguments
# of your own (a packager's, or tests/build_alone.sh's).
esc_configure() {
  local want=$1 have
  have=$(esc_configured_tests)
  [ "$have" = "$want" ] && return 0
  rm -f "$ESC_CONFIGURED"
  if [ -e "$ESC_BUILD/CMakeCache.txt" ] && [ ! -f "$ESC_BUILD/Makefile" ]; then
    echo "esc: $ESC_BUILD was left half-made (a CMakeCache.txt but no Makefile: its last configure failed or was stopped); configuring it afresh" >&2
    rm -f "$ESC_BUILD/CMakeCache.txt"
  elif [ -n "$have" ]; then
    echo "esc: configuring $ESC_BUILD again, with ESC_BUILD_TESTS=$want (it was $have)" >&2
  elif [ -f "$ESC_BUILD/Makefile" ]; then
    echo "esc: $ESC_BUILD/CMakeCache.txt changed since esc last configured it (by hand, or by a configure that failed); configuring it again" >&2
  fi
  if ! esc_cmake "$want"; then
    [ -e "$ESC_BUILD/CMakeCache.txt" ] || return 1
    echo "esc: configuring $ESC_BUILD failed with the settings in its CMakeCache.txt; configuring it afresh" >&2
    rm -f "$ESC_BUILD/CMakeCache.txt"
    esc_cmake "$want" || return 1
  fi
  printf 'ESC_BUILD_TESTS=%s\n' "$want" >"$ESC_CONFIGURED"
}

esc_cmake() {
  # shellcheck disable=SC2086
  cmake -S "$ESC_ROOT" -B "$ESC_BUILD" -G "Unix Makefiles" -DCMAKE_BUILD_TYPE=Release \
    -DESC_BUILD_TESTS="$1" ${ESC_CMAKE_ARGS:-} >&2
}

# esc_build ON|OFF|ANY TARGET...: configures when needed (ANY keeps the tests
# if the build directory already has them, else leaves them out), then builds.
esc_build() {
  local want=$1
  shift
  if [ "$want" = ANY ]; then
    want=$(esc_configured_tests)
    [ -n "$want" ] || want=OFF
  fi
  esc_configure "$want" || { echo "esc: cannot configure $ESC_BUILD: see CMake's message above" >&2; exit 1; }
  cmake --build "$ESC_BUILD" -j "$(nproc)" --target "$@" >&2
  # A build that succeeded re-ran any configure it needed successfully.
  touch "$ESC_BUILD/.esc-built" "$ESC_CONFIGURED"
}

# True when esc must be built: no binary yet, a source changed since the last
# build, or the build directory needs configuring again.
esc_stale() {
  [ -x "$ESC_BUILD/esc" ] && [ -f "$ESC_BUILD/.esc-built" ] || return 0
  [ -n "$(esc_configured_tests)" ] || return 0
  [ -n "$(find "$ESC_ROOT/src" "$ESC_ROOT/include" "$ESC_ROOT/CMakeLists.txt" -newer "$ESC_BUILD/.esc-built" -print -quit)" ]
}

# esc_binary: set ESC to the esc to test, building it first unless ESC is
# already set (the tests set it to their own build). For the bench scripts.
esc_binary() {
  if [ -z "${ESC:-}" ]; then
    esc_install_packages "${ESC_PACKAGES[@]}" python3 procps
    esc_build ANY esc
    ESC="$ESC_BUILD/esc"
  fi
}

# esc_bench_store CASES OPEN [MODE]: builds esc and the benchmarks' store
# builder, then prints the path of a store of CASES cases (OPEN of them open)
# made through esc's own code, building it the first time (kept in
# build/bench/). MODE is plain (the default), lived or unmoved
# (bench/make_store.cpp).
esc_bench_store() {
  esc_build ANY esc esc_bench_make_store
  local dir="$ESC_BUILD/bench" mode=${3:-plain} shape
  # The builder's source in the name: a store built by an older builder is
  # not taken for one of today's.
  shape=$(cksum <"$ESC_ROOT/bench/make_store.cpp" | cut -d' ' -f1)
  local db="$dir/store-$1-$2-$shape.db"
  [ "$mode" = plain ] || db="$dir/store-$1-$2-$mode-$shape.db"
  mkdir -p "$dir" && chmod 700 "$dir"
  if [ ! -f "$db" ]; then
    echo "building a $mode store of $1 cases ($2 open) ..." >&2
    "$ESC_BUILD/esc_bench_make_store" "$db.tmp" "$1" "$2" "$mode" >&2
    mv "$db.tmp" "$db"
  fi
  printf '%s\n' "$db"
}
