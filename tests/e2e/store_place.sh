# The store's place: only a regular file of the user running esc, private
# to them, in a directory others cannot write to (or a sticky one), is
# opened. A directory, a FIFO, a device, a link, another user's file, or a
# -wal or -shm file that is not private is refused, with the problem named
# and what to do, and nothing is written to it.
. "$(dirname "$0")/lib.sh"

raise_one() {
  ESC_NOW=2026-11-02T10:00 run "$@" raise --policy stoke-on-trent --category childs-plan --summary "Plan" \
    --raiser "Mo Invent" --raiser-agency-type school --counterpart "Ned Fiction" --counterpart-agency-type health \
    --child-ref C-7001 -q
}
refused() {  # refused WHAT EXPECTED-MESSAGE-PART: the last command was refused with exit 65 and the message
  expect_rc 65 "$1 is refused"
  expect_err "$2" "$1: the message says what is wrong"
}

mkdir -m 700 "$E2E_TMP/s"
good="$E2E_TMP/s/esc.db"
raise_one --db "$good"
expect_rc 0 "a store of one's own"

# A directory: named as one, with no advice to chmod 600 it.
mkdir -m 700 "$E2E_TMP/s/dir"
for cmd in list raise; do
  if [ "$cmd" = raise ]; then raise_one --db "$E2E_TMP/s/dir"; else run --db "$E2E_TMP/s/dir" list; fi
  refused "a directory as the store ($cmd)" "is a directory, not a store"
  expect_true "a directory: no chmod 600 advice ($cmd)" test -z "$(printf '%s' "$err" | grep 'chmod 600')"
done

# A FIFO: refused without being opened (a read of it would wait for ever).
mkfifo "$E2E_TMP/s/fifo"
out=$(timeout 10 "$ESC" --db "$E2E_TMP/s/fifo" list 2>"$E2E_TMP/stderr") && rc=0 || rc=$?
err=$(cat "$E2E_TMP/stderr")
refused "a FIFO as the store" "is a FIFO"

# A character device (/dev/null), and no -wal or -shm made beside it.
run --db /dev/null list
refused "/dev/null as the store" "is a character device"
expect_true "nothing made in /dev" test ! -e /dev/null-wal -a ! -e /dev/null-shm

# A block device (of a major number no driver holds, 240: for local use):
# refused before anything is written to it.
if mknod "$E2E_TMP/s/blk" b 240 0 2>/dev/null; then
  chmod 600 "$E2E_TMP/s/blk"
  raise_one --db "$E2E_TMP/s/blk"
  refused "a block device as the store" "is a block device"
  expect_true "no -wal made beside the device" test ! -e "$E2E_TMP/s/blk-wal"
else
  skip_part "making a block device node needs root"
fi

# A symbolic link to a good store, and a dangling one (which a raise would
# have created the store through).
ln -s "$good" "$E2E_TMP/s/link.db"
run --db "$E2E_TMP/s/link.db" list --ids
refused "a link to a store" "is a symbolic link"
ln -s "$E2E_TMP/s/nowhere.db" "$E2E_TMP/s/dangling.db"
raise_one --db "$E2E_TMP/s/dangling.db"
refused "a dangling link as a new store" "is a symbolic link"
expect_true "nothing created through the link" test ! -e "$E2E_TMP/s/nowhere.db"

# A -wal or -shm file readable by others, or not a regular file.
run --db "$good" list --ids
expect_rc 0 "the good store still opens"
touch "$good-wal" && chmod 644 "$good-wal"
run --db "$good" list --ids
refused "a -wal file readable by others" "can be read by other users"
rm -f "$good-wal"
mkdir "$good-shm"
run --db "$good" list --ids
refused "a directory in the -shm file's place" "esc.db-shm is a directory"
rmdir "$good-shm"
run --db "$good" list --ids
expect_rc 0 "put right, the store opens again"

# A directory others can write to: refused unless it is sticky (as /tmp is).
mkdir -m 700 "$E2E_TMP/shared"
cp "$good" "$E2E_TMP/shared/esc.db"
chmod 777 "$E2E_TMP/shared"
run --db "$E2E_TMP/shared/esc.db" list --ids
refused "a store in a directory anyone can write to" "can be written by other users"
expect_err "chmod 700" "the message says how to make the directory private"
raise_one --db "$E2E_TMP/shared/new.db"
refused "a new store in that directory" "can be written by other users"
expect_true "no new store made there" test ! -e "$E2E_TMP/shared/new.db"
chmod 1777 "$E2E_TMP/shared"
run --db "$E2E_TMP/shared/esc.db" list --ids
expect_rc 0 "a sticky directory (as /tmp) is fine"

# Another user's store: refused, even to root, with whose it is.
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
  theirs="$E2E_TMP/s/theirs.db"
  cp "$good" "$theirs"
  chown nobody "$theirs"
  raise_one --db "$theirs"
  refused "another user's store" "is owned by uid $(id -u nobody), not by you"
  expect_eq "$(sqlite3 "$theirs" 'SELECT count(*) FROM cases' 2>/dev/null || echo 1)" "1" \
    "nothing was added to their store"
  cp "$good" "$E2E_TMP/s/mine.db"
  touch "$E2E_TMP/s/mine.db-shm" && chmod 600 "$E2E_TMP/s/mine.db-shm" && chown nobody "$E2E_TMP/s/mine.db-shm"
  run --db "$E2E_TMP/s/mine.db" list --ids
  refused "a -shm file of another user" "mine.db-shm is owned by uid"
else
  skip_part "giving a file to another user needs root and a user 'nobody'"
fi

finish
