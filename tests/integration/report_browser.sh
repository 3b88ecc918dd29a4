#!/usr/bin/env bash
# report_browser.sh - render the result fixtures (and a history page) to
# HTML with drsim, open each in headless Chromium, and check: no console
# message or failed load, every <svg> chart present with a non-zero size and
# its role/title/desc, and a screenshot saved under $BUILD/screenshots/.
# The check script is injected into a copy; the report itself has none.
set -u
cd "$(dirname "$0")/../.."
DRSIM=${DRSIM:-$PWD/drsim}
BUILD=${BUILD:-$PWD/build}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
out=$BUILD/report-browser
shots=$BUILD/screenshots
rm -rf "$out"; mkdir -p "$out" "$shots"
n=0
tap() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }

if [ ! -x "$CHROMIUM" ]; then
  echo "ok 1 - # SKIP chromium not installed (scripts/deps.sh installs it)"
  exit 0
fi

browser() {
  local profile; profile=$(mktemp -d)
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" "$@"
  local rc=$?
  rm -rf "$profile"
  return $rc
}

check='<script>(function(){var s=document.querySelectorAll("svg"),bad=[];
for(var i=0;i<s.length;i++){var r=s[i].getBoundingClientRect();
if(!(r.width>0&&r.height>0))bad.push(s[i].id+":size");
if(s[i].getAttribute("role")!=="img"||!s[i].querySelector("title")||!s[i].querySelector("desc"))bad.push(s[i].id+":a11y");}
var p=document.createElement("pre");p.id="drsim-verdict";
p.textContent="DRSIM-CHARTS "+s.length+" BAD "+(bad.length?bad.join(","):"none")+" TITLE "+(document.title?"yes":"no");
document.body.appendChild(p);})();</script>'

pages=()
for f in tests/data/results/*.json; do
  name=$(basename "$f" .json)
  "$DRSIM" report "$f" --format html -o "$out" >/dev/null 2>"$out/$name.err"
  rc=$?
  [ "$rc" -le 1 ] && [ -s "$out/$name.html" ]
  tap $? "drsim report $name.json --format html (exit $rc)"
  pages+=("$name")
done
mkdir -p "$out/history-in"
cp tests/data/results/*.json "$out/history-in/"
"$DRSIM" history "$out/history-in" -o "$out" >/dev/null 2>"$out/history.err"
tap $? "drsim history -o writes history.html"
pages+=("history")

for name in "${pages[@]}"; do
  page=$out/$name.html
  [ -s "$page" ] || { tap 1 "$name.html exists"; continue; }
  want=$(grep -o '<svg ' "$page" | wc -l)
  probe=$out/$name.probe.html
  CHECK=$check python3 -c 'import os, sys; sys.stdout.write(open(sys.argv[1]).read().replace("</body>", os.environ["CHECK"] + "</body>"))' "$page" >"$probe"
  browser --enable-logging=stderr --v=0 --dump-dom "file://$probe" >"$out/$name.dom" 2>"$out/$name.log"
  verdict=$(grep -o 'DRSIM-CHARTS [0-9]* BAD [^ <]* TITLE [a-z]*' "$out/$name.dom")
  echo "# $name: $verdict (expected $want charts)"
  [ "$verdict" = "DRSIM-CHARTS $want BAD none TITLE yes" ] && [ "$want" -gt 0 ]
  tap $? "$name: all $want charts render with non-zero size, role, title and desc"
  if grep -E 'CONSOLE|Failed to load|ERR_FILE_NOT_FOUND|net::ERR' "$out/$name.log" >"$out/$name.console"; then
    sed 's/^/# /' "$out/$name.console" | head -n 5
    tap 1 "$name: no console messages or failed loads"
  else
    tap 0 "$name: no console messages or failed loads"
  fi
  browser --screenshot="$shots/$name.png" --window-size=1200,2400 --hide-scrollbars "file://$page" \
    >/dev/null 2>&1
  [ -s "$shots/$name.png" ]
  tap $? "$name: screenshot saved to $shots/$name.png"
done
