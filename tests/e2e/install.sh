# cmake --install puts esc, its policies, every manual page (gzip'd, in the
# section its name ends with), the README, copyright and changelog and the bash, zsh and fish completions where each
# belongs, with --prefix or DESTDIR; an installed esc finds its policies
# beside it (not in the source tree), even when the installed tree is moved;
# its manual renders and its bash completion works.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C
build=$(dirname "$ESC")
prefix="$E2E_TMP/prefix"
out=$(cmake --install "$build" --prefix "$prefix" 2>&1) && rc=0 || rc=$?
expect_rc 0 "cmake --install --prefix"
INSTALLED=(bin/esc share/man/man1/esc.1.gz share/man/man1/esc-raise.1.gz share/man/man5/esc-policy.5.gz
  share/doc/esc/README.md share/doc/esc/copyright share/doc/esc/changelog.gz
  share/bash-completion/completions/esc share/zsh/vendor-completions/_esc
  share/fish/vendor_completions.d/esc.fish)
for id in $POLICIES; do INSTALLED+=("share/esc/policies/$id.toml"); done
for f in "${INSTALLED[@]}"; do
  expect_true "not installed: $f" [ -e "$prefix/$f" ]
done
expect_true "bin/esc is not executable" [ -x "$prefix/bin/esc" ]
# Every manual page, gzip'd, in the section its name ends with, and nothing
# uncompressed beside it.
for page in "$ESC_SOURCE_DIR"/man/*.[15]; do
  name=${page##*/}
  gz="$prefix/share/man/man${name##*.}/$name.gz"
  expect_true "$name is not installed gzip'd in share/man/man${name##*.}" cmp -s "$page" <(gzip -dc "$gz" 2>/dev/null)
  expect_true "$name is installed uncompressed too" [ ! -e "${gz%.gz}" ]
done
expect_true "the installed README is not the source's" cmp -s "$ESC_SOURCE_DIR/README.md" "$prefix/share/doc/esc/README.md"
expect_true "the installed changelog does not start with esc's version line" \
  grep -q '^esc ([0-9.]*) ' <(gzip -dc "$prefix/share/doc/esc/changelog.gz")
# The completions are the scripts in completions/, as they are.
for pair in esc.bash:share/bash-completion/completions/esc _esc:share/zsh/vendor-completions/_esc \
  esc.fish:share/fish/vendor_completions.d/esc.fish; do
  expect_true "${pair#*:} differs from completions/${pair%%:*}" cmp -s "$ESC_SOURCE_DIR/completions/${pair%%:*}" "$prefix/${pair#*:}"
done

# DESTDIR: the same tree under it.
dest="$E2E_TMP/dest"
out=$(DESTDIR="$dest" cmake --install "$build" --prefix /usr/local 2>&1) && rc=0 || rc=$?
expect_rc 0 "cmake --install with DESTDIR"
for f in "${INSTALLED[@]}"; do
  expect_true "not installed under DESTDIR: usr/local/$f" [ -e "$dest/usr/local/$f" ]
done

# The installed esc finds its own policies, not the source tree's; moved
# elsewhere, it finds them in the new place.
unset ESC_POLICY_PATH
check_policies() {  # PREFIX DESCRIPTION
  run_prefix=$1
  out=$("$run_prefix/bin/esc" policy list 2>&1) && rc=0 || rc=$?
  expect_rc 0 "$2: esc policy list"
  for id in $POLICIES; do
    expect_out "$run_prefix/share/esc/policies/$id.toml" "$2: policy $id from its own share/esc/policies"
  done
  E2E_COUNT=$((E2E_COUNT + 1))
  case "$out" in *"$ESC_SOURCE_DIR/policies"*) fail "$2: a policy was found in the source tree" ;; esac
  out=$("$run_prefix/bin/esc" __complete words raise --policy "" | cut -f1 | tr '\n' ' ' | sed 's/ $//')
  expect_eq "$out" "$POLICIES" "$2: completion's policy ids"
}
check_policies "$prefix" "installed"
mv "$prefix" "$E2E_TMP/moved"
check_policies "$E2E_TMP/moved" "installed, then moved"

# The manual renders from where it was installed.
man1="$E2E_TMP/moved/share/man/man1"
if command -v man >/dev/null 2>&1; then
  out=$(MANPAGER=cat MANWIDTH=80 man -l "$man1/esc.1.gz" 2>&1) && rc=0 || rc=$?
  expect_rc 0 "man -l share/man/man1/esc.1.gz"
  expect_out "SHELL COMPLETION" "the installed esc(1) renders"
else
  skip_part "man is not installed (man-db): rendering the installed page is not tested"
fi

# bash, with the installed completion and the installed esc first on PATH:
# esc esc<TAB> is escalate.
out=$(PATH="$E2E_TMP/moved/bin:$PATH" bash -c '. "$1"; COMP_WORDS=(esc esc); COMP_CWORD=1; _esc; echo "${COMPREPLY[*]}"' \
  _ "$E2E_TMP/moved/share/bash-completion/completions/esc" 2>&1)
expect_eq "$out" "escalate" "the installed bash completion: esc esc<TAB>"
finish
