#!/usr/bin/env bash
# shellcheck disable=SC2016  # the scripts for the chroot are in single quotes
# Fresh-machine test: does the README's quick start work on a minimal Debian 12,
# and does the Debian package it makes install and run on another one?
#
#   bench/fresh-machine.sh [--root DIR] [--keep] [--only-setup] [--verbose]
#
#   --root DIR    make the first Debian system (where esc is built) in DIR (it
#                 must not exist or be empty); also ESC_FRESH_ROOT=DIR. Default:
#                 a new mktemp -d in /var/tmp. The second system (where the
#                 package is installed) and the temporary files (the snapshot,
#                 the .deb) are always in new mktemp -d directories in /var/tmp.
#   --keep        keep both Debian systems afterwards (they are unmounted all
#                 the same; the snapshot is removed)
#   --only-setup  make the first system, snapshot, mount, clone, check the
#                 chroot works and show the quick-start commands, then make the
#                 second system from the snapshot and check it too, then stop
#                 (a test of this script)
#   --verbose     copy every step's output to stderr as well as to its log
#
# What it does, as root:
#   1. debootstrap --variant=minbase bookworm: no compiler, no git, no sudo.
#      At once, before anything is mounted in it or installed, a pristine copy
#      of it (tar --one-file-system --numeric-owner --xattrs, with the list of
#      its packages) in a temporary directory, for step 6: debootstrap runs once.
#      Then apt sources for bookworm, bookworm-updates and bookworm-security;
#      the host's resolv.conf; proc, sysfs, /dev, /dev/pts and a tmpfs on
#      /dev/shm (chromium needs it) mounted inside; a policy-rc.d so no service
#      starts.
#   2. git clone of this checkout's committed HEAD into /root/esc in it.
#      Uncommitted changes are NOT included: commit first to test them.
#   3. In the chroot, in the clone, each line of the first ```sh block under
#      README.md's "## Quick start" heading, run as the README gives it.
#   4. Between the first and the second line: a configure that must fail
#      (cmake -S . -B build -DESC_BUILD_TESTS=ON before catch2 is installed),
#      then the first line again: the scripts must recover by themselves.
#   5. After the last line, in that first system: cpack -G DEB; the .deb is
#      copied out to the temporary directory; lintian on it.
#   6. A second system from the pristine copy (it must have the same packages),
#      set up as the first (apt sources, resolv.conf, policy-rc.d, the same
#      mounts): it never saw the source, a compiler or the build and test
#      packages. In it: apt-get update && apt-get install -y ./esc_VERSION_ARCH.deb,
#      so the runtime libraries come from the archive through the package's
#      Depends alone; then no -dev package, no gcc, g++ or cmake must have come
#      with it; its Depends line; esc --version and esc policy list (plain esc,
#      from /, a clean environment); its manual page (man-db installed, then
#      man -w esc and man esc); its shell completions and /usr/share/doc/esc.
#   7. A summary table on stdout (each step's result, exit status, seconds and
#      last line of output); exits non-zero when a step failed. Progress goes
#      to stderr; every step's output is kept in a log directory (printed).
# At the end, on failure or interruption too, both systems are unmounted and
# removed (a directory with anything still mounted in it is never removed) and
# so is the temporary directory; the logs stay.
#
# Takes some 20 minutes on 2 cores: debootstrap 1 to 2, the first command
# about 10 (its packages and the first build), scripts/test about 6 (the test
# packages, chromium among them, the tests' build and the run), the rest (the
# second system included) a minute or two. Needs root, network access to the
# Debian archive (ESC_FRESH_MIRROR and ESC_FRESH_SECURITY_MIRROR change where
# from) and debootstrap, which it installs with apt-get when it is missing; a
# few GB free in /var/tmp. Not run by CI.
set -euo pipefail

MIRROR=${ESC_FRESH_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${ESC_FRESH_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
SUITE=bookworm
CHROOT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CLONE=/root/esc                       # the clone, as seen inside the chroot

usage() { sed -n '3,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }

ROOT=${ESC_FRESH_ROOT:-}
KEEP=0
ONLY_SETUP=0
VERBOSE=0
while [ $# -gt 0 ]; do
  case $1 in
    --root) [ $# -ge 2 ] || { echo "fresh-machine: --root needs a directory" >&2; exit 2; }
            ROOT=$2; shift 2 ;;
    --root=*) ROOT=${1#--root=}; shift ;;
    --keep) KEEP=1; shift ;;
    --only-setup) ONLY_SETUP=1; shift ;;
    --verbose|-v) VERBOSE=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "fresh-machine: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

progress() { printf '%s\n' "$*" >&2; }
die() { progress "fresh-machine: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run it as root (it runs debootstrap, mount and chroot)"
SOURCE=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
START=${EPOCHREALTIME//[!0-9]/}

# ---------------------------------------------------------------- the steps
# Every step runs one command, its output in its own log; the results go into
# these arrays for the summary.
STEP_NAMES=() STEP_RESULTS=() STEP_CODES=() STEP_SECS=() STEP_LASTS=()
LOGS=""   # made once the root is chosen
LAST_LOG=""

# The last non-empty line of a log, without carriage returns or colours.
last_line() {
  tr -d '\r' <"$1" | sed 's/\x1b\[[0-9;]*[A-Za-z]//g' | grep -v '^[[:space:]]*$' | tail -n 1 | cut -c1-160 || true
}

# Seconds (one decimal) since a start taken as ${EPOCHREALTIME//[!0-9]/}.
seconds_since() {
  local d=$(( ${EPOCHREALTIME//[!0-9]/} - $1 ))
  printf '%d.%d' $((d / 1000000)) $((d / 100000 % 10))
}

record() {  # NAME RESULT CODE SECS LAST
  STEP_NAMES+=("$1") STEP_RESULTS+=("$2") STEP_CODES+=("$3") STEP_SECS+=("$4") STEP_LASTS+=("$5")
  progress "$2: $1 (exit $3, $4 s): $5"
}

# run_step NAME EXPECT COMMAND...: run COMMAND, output to a new log. EXPECT is
# "ok" when it must exit 0, "fail" when it must exit non-zero. Sets STATUS.
STATUS=0
run_step() {
  local name=$1 expect=$2; shift 2
  local n slug start rc=0 result last
  n=$(printf '%02d' $(( ${#STEP_NAMES[@]} + 1 )))
  slug=$(printf '%s' "$name" | tr -c 'A-Za-z0-9' '-' | tr -s '-' | cut -c1-50)
  LAST_LOG=$LOGS/$n-${slug%-}.log
  progress ""
  progress "==> $name"
  start=${EPOCHREALTIME//[!0-9]/}
  if [ "$VERBOSE" = 1 ]; then
    { "$@"; } 2>&1 </dev/null | tee "$LAST_LOG" >&2 || rc=$?
  else
    "$@" >"$LAST_LOG" 2>&1 </dev/null || rc=$?
  fi
  if { [ "$expect" = ok ] && [ "$rc" -eq 0 ]; } || { [ "$expect" = fail ] && [ "$rc" -ne 0 ]; }; then
    result=ok
  else
    result=FAILED
  fi
  last=$(last_line "$LAST_LOG")
  record "$name" "$result" "$rc" "$(seconds_since "$start")" "$last"
  STATUS=$rc
}

# Print the last step's output, indented, on stderr.
show_log() { [ "$VERBOSE" = 1 ] || sed 's/^/    /' "$LAST_LOG" >&2; }

# in_root DIR SCRIPT [ARGS...]: run a bash script in the chroot DIR with a
# clean environment, as a fresh root login would have it.
in_root() {
  local root=$1 script=$2; shift 2
  chroot "$root" env -i HOME=/root PATH="$CHROOT_PATH" TERM=dumb LANG=C.UTF-8 \
    bash -c "$script" bash "$@"
}
in_chroot() { in_root "$ROOT" "$@"; }           # the first system: the build
in_install_root() { in_root "$ROOT2" "$@"; }    # the second: the package only

# -------------------------------------------------------- mounts and cleanup
# Mount points at or under DIR, the most recent first (/proc/self/mountinfo
# lists them in mount order).
mounts_under() {  # DIR
  awk -v r="$1" '{ m = $5; gsub(/\\040/, " ", m) } m == r || index(m, r "/") == 1 { print m }' \
    /proc/self/mountinfo | tac
}

# End what still runs inside the chroot DIR (a browser left by a test, say):
# only processes whose root is DIR, so only processes this script started.
stop_chroot_processes() {  # DIR
  local r=$1 sig p pids
  for sig in TERM KILL; do
    pids=()
    for p in /proc/[0-9]*; do
      [ "$(readlink "$p/root" 2>/dev/null)" = "$r" ] && pids+=("${p#/proc/}")
    done
    [ ${#pids[@]} -eq 0 ] && return 0
    progress "fresh-machine: stopping ${#pids[@]} process(es) left in the chroot $r (SIG$sig)"
    kill -s "$sig" "${pids[@]}" 2>/dev/null || true
    sleep 2
  done
}

unmount_all() {  # DIR: true when nothing is mounted at or under DIR any more
  local r=$1 m list
  [ -n "$r" ] && [ -d "$r" ] || return 0
  stop_chroot_processes "$r"
  mapfile -t list < <(mounts_under "$r")
  for m in "${list[@]}"; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
  if [ -n "$(mounts_under "$r")" ]; then
    umount -R -l "$r" 2>/dev/null || true
  fi
  [ -z "$(mounts_under "$r")" ]
}

# A directory bound onto itself and made private: nothing mounted under it
# propagates anywhere else, whatever the host's mount propagation.
bind_self() { mount --bind "$1" "$1" && mount --make-private "$1"; }

# Each mount is made private at once: a bind mount of a shared /dev would
# otherwise carry the tmpfs on dev/shm (and its unmount) back to the host.
mount_private() { mount "$@" && mount --make-private "${@: -1}"; }

# setup_root DIR: what each system gets after debootstrap's packages: apt
# sources, the host's resolv.conf, an /etc/hosts, a policy-rc.d, then the
# mounts. Every failure is returned: it also runs where set -e does not act.
setup_root() {
  local r=$1
  printf 'deb %s %s main\n' "$MIRROR" "$SUITE" "$MIRROR" "$SUITE-updates" \
    "$SECURITY_MIRROR" "$SUITE-security" >"$r/etc/apt/sources.list" || return
  rm -f "$r/etc/resolv.conf" || return
  cat /etc/resolv.conf >"$r/etc/resolv.conf" || return
  if [ ! -s "$r/etc/hosts" ]; then   # what a new installation has
    printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$r/etc/hosts" || return
  fi
  printf '#!/bin/sh\n# No service starts in this chroot.\nexit 101\n' >"$r/usr/sbin/policy-rc.d" || return
  chmod 755 "$r/usr/sbin/policy-rc.d" || return
  mount_private -t proc proc "$r/proc" || return
  mount_private -t sysfs sysfs "$r/sys" || return
  mount_private --bind /dev "$r/dev" || return
  mount_private --bind /dev/pts "$r/dev/pts" || return
  mount_private -t tmpfs -o mode=1777,nosuid,nodev shm "$r/dev/shm"
}

ROOTS=()    # the systems made, for cleanup: unmounted, then removed
ROOT2=""    # the second system, once made
TMP=""      # the temporary directory: the snapshot and the .deb
cleanup() {
  local rc=$? r stuck=0
  set +e
  trap - EXIT INT TERM
  for r in "${ROOTS[@]}"; do
    if ! unmount_all "$r"; then
      progress "fresh-machine: could not unmount everything under $r; NOT removing it:"
      mounts_under "$r" >&2
      stuck=1
    elif [ "$KEEP" = 1 ]; then
      progress "fresh-machine: kept the Debian system in $r (unmounted)"
    else
      rm -rf --one-file-system "$r"
    fi
  done
  if [ -n "$TMP" ] && [ -d "$TMP" ]; then
    if [ -z "$(mounts_under "$TMP")" ]; then
      rm -rf --one-file-system "$TMP"
    else
      progress "fresh-machine: something is mounted under $TMP; NOT removing it"
      stuck=1
    fi
  fi
  [ -z "$LOGS" ] || progress "fresh-machine: logs in $LOGS"
  [ "$stuck" = 0 ] || exit 1
  exit "$rc"
}
trap cleanup EXIT
trap 'progress "fresh-machine: interrupted"; exit 130' INT
trap 'progress "fresh-machine: terminated"; exit 143' TERM

# ---------------------------------------------------- 1. a minimal Debian 12
if ! command -v debootstrap >/dev/null 2>&1; then
  progress "fresh-machine: installing debootstrap ..."
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap debian-archive-keyring >&2
fi

if [ -n "$ROOT" ]; then
  case $ROOT in *[[:space:]\\]*) die "--root: a directory without spaces or backslashes, please" ;; esac
  mkdir -p "$ROOT"
  ROOT=$(realpath "$ROOT")
  [ "$ROOT" != / ] || die "--root: not /"
  [ -z "$(ls -A "$ROOT")" ] || die "--root: $ROOT is not empty"
  [ -z "$(mounts_under "$ROOT")" ] || die "--root: something is mounted under $ROOT"
else
  ROOT=$(mktemp -d /var/tmp/esc-fresh-root.XXXXXX)
fi
ROOTS+=("$ROOT")
LOGS=$(mktemp -d /var/tmp/esc-fresh-logs.XXXXXX)
TMP=$(mktemp -d /var/tmp/esc-fresh-tmp.XXXXXX)
SNAPSHOT=$TMP/minbase.tar
chmod 755 "$ROOT"   # mktemp -d makes it 0700: apt's _apt user and man's could not reach /
progress "fresh-machine: Debian $SUITE in $ROOT, logs in $LOGS, temporary files in $TMP"

bind_self "$ROOT"

run_step "debootstrap --variant=minbase $SUITE" ok \
  debootstrap --variant=minbase "$SUITE" "$ROOT" "$MIRROR"
[ "$STATUS" -eq 0 ] || die "debootstrap failed; see $LAST_LOG"

# The pristine minimal system, for the second system (step 6): nothing is
# mounted in it yet but itself, and --one-file-system would leave out more.
snapshot() {  # (run in an || context, where set -e does not stop it)
  if [ "$(mounts_under "$ROOT")" != "$ROOT" ]; then
    echo "something is mounted under $ROOT:"; mounts_under "$ROOT"; return 1
  fi
  dpkg-query --admindir="$ROOT/var/lib/dpkg" -W -f='${binary:Package} ${Version}\n' \
    | sort >"$SNAPSHOT.packages" || return
  tar --create --file "$SNAPSHOT" --directory "$ROOT" --one-file-system \
    --numeric-owner --xattrs --xattrs-include='*' . || return
  printf '%s: %s, %d packages\n' "$SNAPSHOT" "$(du -h "$SNAPSHOT" | cut -f1)" \
    "$(wc -l <"$SNAPSHOT.packages")"
}
run_step "snapshot of the minimal system (tar)" ok snapshot
[ "$STATUS" -eq 0 ] || die "the snapshot failed; see $LAST_LOG"

setup_root "$ROOT" || die "could not set up $ROOT"

# The second system, from the snapshot: made here, in this shell, so that
# cleanup knows it; filled and set up by a step. Sets HAVE_ROOT2.
HAVE_ROOT2=0
setup_second_root() {  # (run in an || context, where set -e does not stop it)
  local now
  bind_self "$ROOT2" || return
  tar --extract --file "$SNAPSHOT" --directory "$ROOT2" --numeric-owner \
    --same-owner --same-permissions --xattrs --xattrs-include='*' || return
  now=$(dpkg-query --admindir="$ROOT2/var/lib/dpkg" -W -f='${binary:Package} ${Version}\n' | sort) || return
  if [ "$now" != "$(cat "$SNAPSHOT.packages")" ]; then
    echo "not the packages of the snapshot:"
    diff <(printf '%s\n' "$now") "$SNAPSHOT.packages"
    return 1
  fi
  setup_root "$ROOT2" || return
  in_install_root 'echo "Debian $(cat /etc/debian_version), $(dpkg-query -W | wc -l) packages, as the snapshot"'
}
make_second_root() {
  ROOT2=$(mktemp -d /var/tmp/esc-fresh-install-root.XXXXXX)
  ROOTS+=("$ROOT2")
  chmod 755 "$ROOT2"
  progress "fresh-machine: the second Debian $SUITE, from the snapshot, in $ROOT2"
  run_step "second system: tar -x of the snapshot, set up as the first" ok setup_second_root
  if [ "$STATUS" -eq 0 ]; then HAVE_ROOT2=1; else show_log; fi
}

# ------------------------------------------------------ 2. a clean clone
# The committed HEAD of this checkout; uncommitted changes are not included.
if [ -n "$(git -C "$SOURCE" status --porcelain --untracked-files=no)" ]; then
  progress "fresh-machine: note: this checkout has uncommitted changes; they are not tested (only HEAD is)"
fi
clone() {  # (run in an || context, where set -e does not stop it)
  git clone --quiet --no-hardlinks "$SOURCE" "$ROOT$CLONE" || return
  # Leave no trace of where it came from: no remote, no reflog.
  git -C "$ROOT$CLONE" remote remove origin || return
  rm -rf "$ROOT$CLONE/.git/logs" || return
  git -C "$ROOT$CLONE" log -1 --format='HEAD is %h %s' | cut -c1-100
}
run_step "git clone --quiet (the committed HEAD)" ok clone
[ "$STATUS" -eq 0 ] || die "git clone failed; see $LAST_LOG"

# The quick start: the first ```sh block under the "## Quick start" heading,
# one command a line (blank lines and comments left out). Headings are only
# looked for outside fenced blocks.
quick_start=$(tr -d '\r' <"$ROOT$CLONE/README.md" | awk '
  /^```/ && !fence { fence = 1; if (section && $0 ~ /^```sh[[:space:]]*$/) block = 1; next }
  /^```/ && fence  { if (block) { done = 1; exit } fence = 0; next }
  block            { if ($0 !~ /^[[:space:]]*(#|$)/) print; next }
  fence            { next }
  /^##? /          { section = ($0 ~ /^## Quick start/) }
  END              { exit !done }') || quick_start=""
[ -n "$quick_start" ] ||
  die "no \`\`\`sh block with commands under \"## Quick start\" in the clone's README.md"
mapfile -t COMMANDS <<<"$quick_start"
progress "fresh-machine: the quick start has ${#COMMANDS[@]} command(s):"
printf '    %s\n' "${COMMANDS[@]}" >&2

readme_step() {  # NAME COMMAND
  run_step "$1" ok in_chroot 'cd "$1" && eval "$2"' "$CLONE" "$2"
}

if [ "$ONLY_SETUP" = 1 ]; then
  run_step "the chroot works" ok in_chroot '
    set -e
    echo "Debian $(cat /etc/debian_version), $(dpkg-query -W -f="\${binary:Package}\n" | wc -l) packages"
    for t in proc sysfs devpts; do grep -q " $t " /proc/mounts || { echo "no $t"; exit 1; }; done
    grep -q " /dev/shm tmpfs " /proc/mounts || { echo "no tmpfs on /dev/shm"; exit 1; }
    for c in g++ git sudo cmake; do ! command -v "$c" >/dev/null || { echo "$c is there"; exit 1; }; done
    test -f "$1/README.md" && test -x "$1/scripts/esc"
    test ! -e "$1/build"
    apt-get update -qq && apt-cache policy catch2 | grep Candidate
    echo "a clean minimal system, the clone in $1"' "$CLONE"
  show_log
  make_second_root
  if [ "$HAVE_ROOT2" = 1 ]; then
    run_step "the second chroot works" ok in_install_root '
      set -e
      echo "Debian $(cat /etc/debian_version), $(dpkg-query -W -f="\${binary:Package}\n" | wc -l) packages"
      for t in proc sysfs devpts; do grep -q " $t " /proc/mounts || { echo "no $t"; exit 1; }; done
      grep -q " /dev/shm tmpfs " /proc/mounts || { echo "no tmpfs on /dev/shm"; exit 1; }
      for c in g++ git sudo cmake; do ! command -v "$c" >/dev/null || { echo "$c is there"; exit 1; }; done
      test ! -e /root/esc || { echo "/root/esc is there"; exit 1; }
      test -x /usr/sbin/policy-rc.d && grep -q security /etc/apt/sources.list
      apt-get update -qq && apt-cache policy man-db | grep Candidate
      echo "a clean minimal system, no clone"'
    show_log
  fi
else
  # ------------------------------------------- 3 and 4. the quick start
  readme_step "${COMMANDS[0]}" "${COMMANDS[0]}"

  run_step "deliberately failed configure: cmake -S . -B build -DESC_BUILD_TESTS=ON" fail \
    in_chroot 'cd "$1" && cmake -S . -B build -DESC_BUILD_TESTS=ON' "$CLONE"
  if [ "$STATUS" -eq 0 ]; then
    progress "FAILED: the configure succeeded; it needs catch2, which should not be installed yet:"
    in_chroot 'dpkg-query -W -f="\${binary:Package} \${Status}\n" catch2 2>&1 || true' >&2
  else
    # CMake's own last line only points at its log: show its error instead.
    error=$(grep -m1 -A1 '^CMake Error' "$LAST_LOG" | sed -n '2s/^ *//p' | cut -c1-160 || true)
    [ -z "$error" ] || STEP_LASTS[-1]="CMake Error: $error"
  fi

  readme_step "first command after a failed configure: ${COMMANDS[0]}" "${COMMANDS[0]}"

  for ((i = 1; i < ${#COMMANDS[@]}; i++)); do
    readme_step "${COMMANDS[i]}" "${COMMANDS[i]}"
  done

  # ------------------------------------------------- 5. the Debian package
  run_step "cpack -G DEB" ok in_chroot '
    cd "$1/build" && rm -f esc_*.deb && cpack -G DEB && ls esc_*.deb' "$CLONE"
  have_deb=$((STATUS == 0))

  # Out of the first system, to the temporary directory. Sets DEB, its name.
  copy_deb() {  # (run in an || context, where set -e does not stop it)
    local debs=("$ROOT$CLONE"/build/esc_*.deb)
    if [ ${#debs[@]} -ne 1 ] || [ ! -f "${debs[0]}" ]; then
      echo "not exactly one esc_*.deb in $CLONE/build:"; ls -l "$ROOT$CLONE/build"; return 1
    fi
    cp "${debs[0]}" "$TMP/" && ls -l "$TMP/${debs[0]##*/}"
  }
  DEB=""
  if [ "$have_deb" = 1 ]; then
    run_step "copy esc_*.deb out of the first system" ok copy_deb
    for f in "$TMP"/esc_*.deb; do [ -f "$f" ] && DEB=${f##*/}; done
    [ -n "$DEB" ] || have_deb=0
  fi

  LINTIAN_LINES=""
  if [ "$have_deb" = 1 ]; then
    run_step "install lintian" ok in_chroot '
      command -v lintian >/dev/null && echo "lintian is already installed" && exit 0
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends lintian'
    run_step "lintian esc_*.deb" ok in_chroot 'cd "$1/build" && lintian esc_*.deb' "$CLONE"
    # Ok only without errors and warnings: the step's result and last line
    # become that verdict and the two counts.
    LINTIAN_LINES=$(grep -E '^[EW]: ' "$LAST_LOG" || true)
    mapfile -t LINTIAN_LIST <<<"$LINTIAN_LINES"
    errors=$(grep -c '^E: ' "$LAST_LOG" || true)
    warnings=$(grep -c '^W: ' "$LAST_LOG" || true)
    if [ "$STATUS" -eq 0 ] && [ "$errors" -eq 0 ] && [ "$warnings" -eq 0 ]; then
      STEP_RESULTS[-1]=ok
    else
      STEP_RESULTS[-1]=FAILED
    fi
    STEP_LASTS[-1]="$errors E: line(s), $warnings W: line(s)"
    progress "${STEP_RESULTS[-1]}: lintian: ${STEP_LASTS[-1]}"
    [ -z "$LINTIAN_LINES" ] || printf '    %s\n' "${LINTIAN_LIST[@]}" >&2

    # ------------------------- 6. the package alone on a second new system
    make_second_root
  else
    record "lintian, the second system, apt-get install of the package" FAILED - 0 \
      "skipped: no package (cpack or its copy failed)"
  fi

  if [ "$HAVE_ROOT2" = 1 ]; then
    install_deb() {  # (run in an || context, where set -e does not stop it)
      cp "$TMP/$DEB" "$ROOT2/tmp/" && chmod 644 "$ROOT2/tmp/$DEB" || return
      in_install_root '
        cd /tmp && apt-get update -q &&
          DEBIAN_FRONTEND=noninteractive apt-get install -y -q "./$1"' "$DEB"
    }
    run_step "apt-get update && apt-get install -y ./$DEB (second system)" ok install_deb
    run_step "no -dev package, no gcc, g++ or cmake came with it" ok in_install_root '
      if dpkg -l | grep -E "^ii  (g\+\+|gcc|cmake|[^ ]*-dev)( |:)"; then
        echo "build packages are installed: above"; exit 1
      fi
      echo "none: $(dpkg -l | grep -c "^ii ") packages installed, no -dev, gcc, g++ or cmake among them"'
    run_step "the installed esc's Depends" ok in_install_root '
      dpkg-query -W -f="\${Depends}\n" esc'
    show_log
    run_step "esc --version (installed, from /)" ok in_install_root '
      cd / && [ "$(command -v esc)" = /usr/bin/esc ] && esc --version'
    run_step "esc policy list (installed, from /)" ok in_install_root 'cd / && esc policy list'
    run_step "install man-db" ok in_install_root '
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends man-db'
    run_step "man -w esc" ok in_install_root 'cd / && man -w esc'
    run_step "MANPAGER=cat man esc | head -5" ok in_install_root '
      cd / && page=$(MANPAGER=cat man esc) && [ -n "$page" ] && printf "%s\n" "$page" | head -n 5'
    show_log
    for f in /usr/share/bash-completion/completions/esc \
             /usr/share/zsh/vendor-completions/_esc \
             /usr/share/fish/vendor_completions.d/esc.fish; do
      run_step "$f exists" ok in_install_root 'ls -l "$1"' "$f"
    done
    run_step "ls /usr/share/doc/esc" ok in_install_root 'ls -l /usr/share/doc/esc'
    show_log
  elif [ "$have_deb" = 1 ]; then
    record "apt-get install of the package and the installed esc's checks" FAILED - 0 \
      "skipped: no second system"
  fi
fi

# ------------------------------------------------------------- 7. summary
failed=0
width=4
for name in "${STEP_NAMES[@]}"; do [ ${#name} -le "$width" ] || width=${#name}; done
printf '\n%-6s %4s %7s  %-*s  %s\n' result exit seconds "$width" step "last line"
for i in "${!STEP_NAMES[@]}"; do
  [ "${STEP_RESULTS[i]}" = ok ] || failed=$((failed + 1))
  printf '%-6s %4s %7s  %-*s  %s\n' "${STEP_RESULTS[i]}" "${STEP_CODES[i]}" "${STEP_SECS[i]}" \
    "$width" "${STEP_NAMES[i]}" "${STEP_LASTS[i]}"
done
if [ -n "${LINTIAN_LINES:-}" ]; then
  printf '\nlintian:\n'
  printf '  %s\n' "${LINTIAN_LIST[@]}"
fi
printf '\n%d step(s), %d failed, %s s in all; logs in %s\n' \
  "${#STEP_NAMES[@]}" "$failed" "$(seconds_since "$START")" "$LOGS"
[ "$failed" -eq 0 ]
