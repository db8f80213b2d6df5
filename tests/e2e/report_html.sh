# The HTML reports are self-contained (no URL, nothing fetched) and render:
# both pages are screenshotted in headless Chromium, and the rendered DOM of
# the partnership return holds its three SVG charts. Without a chromium on
# the PATH (a developer machine) the rendering check is skipped, saying so;
# scripts/test installs Debian's chromium, so CI runs it.
. "$(dirname "$0")/lib.sh"
export ESC_DB="$E2E_TMP/esc.db"

ESC_NOW=2027-02-01T09:00 run raise --policy stoke-on-trent --category childs-plan --summary "Invented <b>summary</b> & more" \
  --raiser "Ann Example" --raiser-agency "Hillside Primary" --raiser-agency-type school \
  --counterpart "Bob Sample" --counterpart-agency-type social-care --child-ref C-1 -q
a=$out
ESC_NOW=2027-02-01T15:00 run record "$a" --kind conversation --summary "Spoke"
ESC_NOW=2027-02-02T10:00 run escalate "$a" --reason "Invented reason"
ESC_NOW=2027-02-04T10:00 run resolve "$a" --outcome "Invented outcome"
ESC_NOW=2027-02-03T09:00 run raise --policy stoke-on-trent --category information-sharing --summary "Invented" \
  --raiser "Cy Example" --raiser-agency-type health --counterpart "Di Sample" --counterpart-agency-type police --child-ref C-2 -q
ESC_NOW=2027-02-03T09:00 run raise --policy sefton --category other --summary "Invented" \
  --raiser "Ed Example" --raiser-agency-type school --counterpart "Flo Sample" --counterpart-agency-type health --child-ref C-3 -q
expect_rc 0 "three invented cases"

export ESC_NOW=2027-02-10T12:00
run report --format html
expect_rc 0 "the return as HTML"
printf '%s\n' "$out" >"$E2E_TMP/return.html"
return_html=$out
run report "$a" --format html
expect_rc 0 "the case report as HTML"
printf '%s\n' "$out" >"$E2E_TMP/case.html"
case_html=$out
run report "$a" --form pcrno --format html
expect_rc 0 "a form as HTML"
printf '%s\n' "$out" >"$E2E_TMP/form.html"

for page in return case form; do
  text=$(cat "$E2E_TMP/$page.html")
  for bad in "http://" "https://" "src=" "href=" "url(" "@import" "<script" "<link" "<iframe" "<img"; do
    E2E_COUNT=$((E2E_COUNT + 1))
    case "$text" in *"$bad"*) fail "the $page page is not self-contained: it has '$bad'" ;; esac
  done
  for good in "<!DOCTYPE html>" "<meta charset=\"utf-8\">" "default-src 'none'" "@media print" "</html>"; do
    E2E_COUNT=$((E2E_COUNT + 1))
    case "$text" in *"$good"*) ;; *) fail "the $page page lacks '$good'" ;; esac
  done
done
out=$return_html
expect_out '<svg id="chart-categories"' "a bar chart of cases by category"
expect_out '<svg id="chart-stages"' "a bar chart of cases by highest stage"
expect_out '<svg id="chart-resolution"' "a chart of time to resolution"
expect_eq "$(printf '%s\n' "$out" | grep -o '<svg ' | wc -l | tr -d ' ')" "3" "three charts"
out=$case_html
expect_out "Invented &lt;b&gt;summary&lt;/b&gt; &amp; more" "stored text is escaped"

if ! command -v chromium >/dev/null 2>&1; then
  skip "chromium is not installed: the pages are not rendered (scripts/test installs it)"
fi

# chromium FILE ARGS...: headless, no network or profile of its own.
render() {
  local page=$1
  shift
  timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$(mktemp -d "$E2E_TMP/profile.XXXXXX")" \
    "$@" "file://$E2E_TMP/$page.html" 2>>"$E2E_TMP/chromium.log"
}

for page in return case form; do
  render "$page" --screenshot="$E2E_TMP/$page.png" --window-size=1200,1600 >/dev/null
  E2E_COUNT=$((E2E_COUNT + 1))
  if [ ! -s "$E2E_TMP/$page.png" ]; then
    out="" err=$(tail -5 "$E2E_TMP/chromium.log")
    fail "no screenshot of the $page page"
    continue
  fi
  E2E_COUNT=$((E2E_COUNT + 1))
  [ "$(head -c 8 "$E2E_TMP/$page.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] ||
    fail "the $page screenshot is not a PNG"
  # A blank 1200x1600 page compresses to a few kilobytes; a rendered one with
  # text, tables and charts is far larger.
  size=$(stat -c %s "$E2E_TMP/$page.png")
  E2E_COUNT=$((E2E_COUNT + 1))
  [ "$size" -gt 30000 ] || fail "the $page screenshot is only $size bytes: did it render?"
done

out=$(render return --dump-dom) && rc=0 || rc=$?
err=$(tail -5 "$E2E_TMP/chromium.log")
expect_rc 0 "chromium dumps the rendered DOM"
expect_out '<svg id="chart-categories"' "the category chart is in the rendered DOM"
expect_out '<svg id="chart-stages"' "the stage chart is in the rendered DOM"
expect_out '<svg id="chart-resolution"' "the time-to-resolution chart is in the rendered DOM"
expect_out '<rect class="bar"' "the charts have bars"
expect_out '<table>' "the tables are in the rendered DOM"
out=$(render case --dump-dom) && rc=0 || rc=$?
expect_rc 0 "chromium dumps the case page"
expect_out "Escalation record: case $a" "the case page rendered"
finish
