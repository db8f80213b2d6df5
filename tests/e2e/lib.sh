# Sourced by every end-to-end test: runs the real binary in a scratch
# directory with a fixed clock and no personal environment.
set -u
: "${ESC:?ESC must name the esc binary}"
: "${ESC_SOURCE_DIR:?ESC_SOURCE_DIR must name the source tree}"
E2E_TMP=$(mktemp -d)
trap 'rm -rf "$E2E_TMP"' EXIT
export HOME="$E2E_TMP/home" XDG_DATA_HOME="$E2E_TMP/data" XDG_CONFIG_HOME="$E2E_TMP/config"
export ESC_POLICY_PATH="$ESC_SOURCE_DIR/policies" NO_COLOR=1
mkdir -p "$HOME"
unset ESC_DB ESC_NOW
E2E_FAILED=0
E2E_COUNT=0

# run ARGS...: runs esc, leaving $out, $err and $rc.
run() {
  out=$("$ESC" "$@" 2>"$E2E_TMP/stderr") && rc=0 || rc=$?
  err=$(cat "$E2E_TMP/stderr")
}

fail() {
  echo "FAIL: $*" >&2
  echo "  stdout: $out" >&2
  echo "  stderr: $err" >&2
  E2E_FAILED=$((E2E_FAILED + 1))
}

# expect_rc N DESCRIPTION
expect_rc() {
  E2E_COUNT=$((E2E_COUNT + 1))
  [ "$rc" -eq "$1" ] || fail "$2: exit $rc, expected $1"
}
# expect_out TEXT DESCRIPTION: stdout contains TEXT
expect_out() {
  E2E_COUNT=$((E2E_COUNT + 1))
  case "$out" in *"$1"*) ;; *) fail "$2: stdout lacks '$1'" ;; esac
}
# expect_err TEXT DESCRIPTION: stderr contains TEXT
expect_err() {
  E2E_COUNT=$((E2E_COUNT + 1))
  case "$err" in *"$1"*) ;; *) fail "$2: stderr lacks '$1'" ;; esac
}
expect_eq() {
  E2E_COUNT=$((E2E_COUNT + 1))
  [ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"
}

finish() {
  if [ "$E2E_FAILED" -ne 0 ]; then
    echo "$E2E_FAILED of $E2E_COUNT checks failed" >&2
    exit 1
  fi
  echo "$E2E_COUNT checks passed"
  exit 0
}
