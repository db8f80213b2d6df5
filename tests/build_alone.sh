#!/usr/bin/env bash
# Building esc needs only what esc needs: proved on a clean clone with every
# package only the tests use hidden from CMake, so the packages already on
# this machine cannot hide a missing install step. .ci/run runs this first,
# before scripts/test.
#
# In a clean clone of this repository's HEAD (uncommitted changes are not in
# it), with CMAKE_DISABLE_FIND_PACKAGE_<P>=ON for each CMake package only the
# tests use (scripts/lib.sh: ESC_TEST_CMAKE_PACKAGES):
#  1. a configure that fails (the tests asked for, Catch2 hidden) leaves a
#     half-made build/ behind, as on a machine without Catch2;
#  2. the README's first command then recovers, says so, builds esc and runs;
#  3. a configure by hand that fails on the built tree is recovered too;
#  4. scripts/test's configuration (tests on) is taken without hiding, and
#     scripts/esc keeps it instead of configuring again;
#  5. as a user who is not root and has no sudo, a missing package gives the
#     exact 'sudo apt-get install' line to run.
# Closing line: 'N passed, N failed'. Takes a few minutes (one build of esc).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/scripts/lib.sh"
esc_install_packages "${ESC_PACKAGES[@]}" git

passed=0 failed=0
check() {  # DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "ok: $what"
  else
    failed=$((failed + 1))
    echo "FAILED: $what" >&2
  fi
}
contains() { case "$1" in *"$2"*) return 0 ;; *) echo "  in: $1" >&2; return 1 ;; esac; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone --quiet --no-local "$here" "$work/esc"
clone="$work/esc"
hide=""
for p in "${ESC_TEST_CMAKE_PACKAGES[@]}"; do hide="$hide -DCMAKE_DISABLE_FIND_PACKAGE_$p=ON"; done
# The README's first command, as the README gives it, in the clone, with a
# bare environment and the test-only CMake packages hidden.
first=$(awk '/^## Quick start/ {q=1} q && /^```sh$/ {getline; print; exit}' "$clone/README.md")
check "the README's quick start starts with scripts/esc" contains "$first" "scripts/esc "
readme_first() {
  (cd "$clone" && env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME="$work" \
    ESC_CMAKE_ARGS="$hide" bash -c "$first") >"$work/out" 2>"$work/err" && rc=0 || rc=$?
  out=$(cat "$work/out") err=$(cat "$work/err")
}

# 1. A configure that fails before it generates anything.
cmake -S "$clone" -B "$clone/build" -DESC_BUILD_TESTS=ON $hide >"$work/cmake.log" 2>&1 && rc=0 || rc=$?
check "a configure with the tests on and Catch2 hidden fails (exit $rc)" [ "$rc" -ne 0 ]
check "it says to install catch2" grep -q "apt-get install catch2" "$work/cmake.log"
check "it leaves a CMakeCache.txt and no Makefile" [ -f "$clone/build/CMakeCache.txt" -a ! -f "$clone/build/Makefile" ]

# 2. The README's first command recovers and works.
start=$(date +%s)
readme_first
echo "the README's first command took $(($(date +%s) - start)) s"
check "the README's first command exits 0 (exit $rc)" [ "$rc" -eq 0 ]
check "it says the build directory was half-made" contains "$err" "was left half-made"
for id in birmingham generic sefton stoke-on-trent warrington; do
  check "esc policy list lists $id" contains "$out" "$id"
done
check "esc calendar prints bank holidays" contains "$out" "Christmas Day"
check "esc was configured without the tests" grep -qx "ESC_BUILD_TESTS:BOOL=OFF" "$clone/build/CMakeCache.txt"
check "the build has no test program" [ ! -e "$clone/build/esc_tests" ]
check "Catch2 was not looked for" [ -z "$(grep '^Catch2_DIR:' "$clone/build/CMakeCache.txt")" ]

# 3. A configure by hand that fails on the built tree.
cmake -S "$clone" -B "$clone/build" -DESC_BUILD_TESTS=ON $hide >"$work/cmake.log" 2>&1 && rc=0 || rc=$?
check "a second failing configure fails (exit $rc)" [ "$rc" -ne 0 ]
readme_first
check "the README's first command after it exits 0 (exit $rc)" [ "$rc" -eq 0 ]
check "it says the cache changed" contains "$err" "changed since esc last configured it"
check "it lists the policies" contains "$out" "stoke-on-trent"
readme_first
check "run again, it exits 0 (exit $rc)" [ "$rc" -eq 0 ]
check "and neither configures nor builds (stderr: $err)" [ -z "$err" ]

# 4. scripts/test's configuration, then scripts/esc: kept, not switched back.
(cd "$clone" && bash -c '. scripts/lib.sh && esc_configure ON') >"$work/cmake.log" 2>&1 && rc=0 || rc=$?
check "configuring with the tests on (Catch2 not hidden) works (exit $rc)" [ "$rc" -eq 0 ]
check "it says it switches" grep -q "again, with ESC_BUILD_TESTS=ON (it was OFF)" "$work/cmake.log"
hide="" readme_first
check "the README's first command on the tests' configuration exits 0 (exit $rc)" [ "$rc" -eq 0 ]
check "it keeps the tests' configuration" grep -qx "ESC_BUILD_TESTS=ON" "$clone/build/.esc-configured"

# 5. Not root, no sudo: the exact line to run.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
  chmod 755 "$work"
  out=$(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin setpriv --reuid=65534 --regid=65534 --clear-groups \
    bash -c '. "$1/scripts/lib.sh"; esc_install_packages g++ esc-no-such-package' _ "$clone" 2>&1) && rc=0 || rc=$?
  check "a user without sudo is stopped (exit $rc)" [ "$rc" -eq 1 ]
  check "and told the exact line" contains "$out" \
    "install them with: sudo apt-get update && sudo apt-get install -y esc-no-such-package"
else
  echo "skipped: the check as a user without sudo needs root and setpriv"
fi

echo "build_alone: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
