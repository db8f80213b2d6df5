# cmake --install puts esc, its policies, manual pages and completion where
# each belongs, and an installed esc finds its policies without the source tree.
. "$(dirname "$0")/lib.sh"
prefix="$E2E_TMP/prefix"
cmake --install "$(dirname "$ESC")" --prefix "$prefix" >/dev/null 2>&1 || fail "cmake --install failed"
for f in bin/esc share/esc/policies/stoke-on-trent.toml share/man/man1/esc.1 share/man/man1/esc-raise.1 \
         share/man/man5/esc-policy.5 share/bash-completion/completions/esc; do
  E2E_COUNT=$((E2E_COUNT + 1))
  [ -e "$prefix/$f" ] || fail "not installed: $f"
done
unset ESC_POLICY_PATH
out=$("$prefix/bin/esc" policy list 2>&1) && rc=0 || rc=$?
expect_rc 0 "the installed esc lists its policies"
for id in stoke-on-trent generic warrington birmingham sefton; do
  expect_out "$prefix/share/esc/policies/$id.toml" "installed policy $id"
done
finish
