# cpack -G DEB makes esc's Debian package: named esc, at the project's
# version, depending on the Debian runtime libraries esc links to, holding
# what cmake --install installs, under /usr. Unpacked with dpkg -x into a
# scratch root, its esc runs and finds its policies there; lintian reports
# no error on it. Without dpkg-dev or lintian the test is Skipped.
#
# The package is made with the build directory's CPack configuration into a
# scratch directory (cpack -B), so nothing is left in the build directory but
# CMake's install manifest. One difference from a plain 'cpack -G DEB': cpack
# would first build the build's preinstall target, rebuilding anything out of
# date while other tests run the binary. So the test installs the build into
# a scratch tree itself, as cpack would (stripped, under the packaging
# prefix), and has cpack package that tree.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C
build=$(dirname "$ESC")
for tool in cpack dpkg-deb dpkg-shlibdeps lintian; do
  command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed (dpkg-dev, lintian): the Debian package is not tested"
done
expect_true "no CPackConfig.cmake in $build" [ -f "$build/CPackConfig.cmake" ] || finish

pkg="$E2E_TMP/pkg" stage="$E2E_TMP/stage"
packaging_prefix=$(sed -nE 's/^set\(CPACK_PACKAGING_INSTALL_PREFIX "([^"]*)"\)/\1/p' "$build/CPackConfig.cmake")
expect_eq "$packaging_prefix" "/usr" "the package installs under /usr"
out=$(DESTDIR="$stage" cmake --install "$build" --prefix "$packaging_prefix" --strip 2>&1) && rc=0 || rc=$?
expect_rc 0 "install into the staging tree"
out=$(cpack --config "$build/CPackConfig.cmake" -G DEB -B "$pkg" \
  -D CPACK_INSTALL_CMAKE_PROJECTS= -D "CPACK_INSTALLED_DIRECTORIES=$stage;." 2>&1) && rc=0 || rc=$?
expect_rc 0 "cpack -G DEB"
version=$(sed -nE 's/^project\(esc VERSION ([0-9]+\.[0-9]+\.[0-9]+).*/\1/p' "$ESC_SOURCE_DIR/CMakeLists.txt")
arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
deb="$pkg/esc_${version}_${arch}.deb"
expect_true "no package $deb: $(ls "$pkg" 2>&1)" [ -f "$deb" ] || finish

# The control fields.
field() { dpkg-deb -f "$deb" "$1"; }
expect_eq "$(field Package)" "esc" "Package"
expect_eq "$(field Version)" "$version" "Version: the project version"
expect_eq "$(field Architecture)" "$arch" "Architecture"
expect_eq "$(field Section)" "utils" "Section"
out=$(field Maintainer)
expect_out "@" "Maintainer has an address"
out=$(field Description)
expect_out "Escalation tracker" "Description: the summary"
expect_eq "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" "$(printf '%s\n' "$out" | grep -c .)" "Description has no empty line"
expect_true "Description has no long description" [ "$(printf '%s\n' "$out" | wc -l)" -ge 2 ]
# Depends: the Debian runtime packages of the shared libraries esc links to,
# as dpkg -S names their owners here, and no -dev package.
depends=$(field Depends)
out=$depends
expect_out "libc6 (>= " "Depends on libc6, with a version"
expect_out "libsqlite3-0" "Depends on SQLite's runtime library"
E2E_COUNT=$((E2E_COUNT + 1))
case "$depends" in *-dev*) fail "Depends on a -dev package: $depends" ;; esac
for so in $(ldd "$ESC" | awk '$3 ~ /^\// {print $3}'); do
  owner=$(dpkg -S "$so" 2>/dev/null | head -1 | cut -d: -f1)
  [ -n "$owner" ] || owner=$(dpkg -S "$(readlink -f "$so")" 2>/dev/null | head -1 | cut -d: -f1)
  expect_true "no Debian package owns $so, which esc links to" [ -n "$owner" ] || continue
  case ", $depends," in
    *", $owner "* | *", $owner,"*) ;;
    *) fail "esc links $so from $owner, which Depends lacks: $depends" ;;
  esac
done

# The contents: under /usr, what cmake --install installs.
contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/bin/esc ./usr/share/man/man1/esc.1.gz ./usr/share/man/man5/esc-policy.5.gz \
  ./usr/share/doc/esc/copyright ./usr/share/doc/esc/changelog.gz ./usr/share/doc/esc/README.md \
  ./usr/share/bash-completion/completions/esc ./usr/share/zsh/vendor-completions/_esc \
  ./usr/share/fish/vendor_completions.d/esc.fish ./usr/share/esc/policies/stoke-on-trent.toml; do
  expect_true "the package lacks $f" grep -qxF "$f" <<<"$contents"
done
for page in "$ESC_SOURCE_DIR"/man/*.[15]; do
  name=${page##*/}
  expect_true "the package lacks the page $name" grep -qxF "./usr/share/man/man${name##*.}/$name.gz" <<<"$contents"
done
outside=$(printf '%s\n' "$contents" | grep -v '^\./usr/' | grep -vx '\./')
expect_true "files outside /usr: $outside" [ -z "$outside" ]

# Debian's own checker: no errors. Its warnings and notes are shown in the
# log (README: "A Debian package" says which are kept and why).
tags=$(lintian --tag-display-limit 0 "$deb" 2>/dev/null) && rc=0 || rc=$?
[ -z "$tags" ] || printf 'lintian:\n%s\n' "$tags"
errors=$(printf '%s\n' "$tags" | grep -c '^E: ' || true)
expect_eq "$errors" "0" "lintian errors on the package"
expect_true "lintian could not check the package (exit $rc)" [ "$rc" -eq 0 ] || [ "$errors" -gt 0 ]

# Unpacked into a scratch root, esc runs from there and finds its policies there.
root="$E2E_TMP/root"
out=$(dpkg -x "$deb" "$root" 2>&1) && rc=0 || rc=$?
expect_rc 0 "dpkg -x"
unset ESC_POLICY_PATH
out=$("$root/usr/bin/esc" --version 2>&1) && rc=0 || rc=$?
expect_rc 0 "the packaged esc --version"
expect_out "esc $version (store schema " "the packaged esc's version"
out=$("$root/usr/bin/esc" policy list 2>&1) && rc=0 || rc=$?
expect_rc 0 "the packaged esc policy list"
for id in $POLICIES; do
  expect_out "$root/usr/share/esc/policies/$id.toml" "the packaged esc finds policy $id in the package"
done
expect_true "a .deb was left in the build directory" [ -z "$(ls -A "$build"/*.deb 2>/dev/null)" ]
finish
