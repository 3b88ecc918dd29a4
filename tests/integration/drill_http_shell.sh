#!/usr/bin/env bash
# drill_http_shell.sh - a drill whose runbook has a shell step and an http
# wait-healthy step against a local HTTP server this test starts on
# 127.0.0.1 (late, so the wait is real), then a drill whose URL never
# answers (the step times out: exit 3).  Dry-run driver, no database.
set -u
DRSIM=${DRSIM:-$PWD/drsim}
T=$(mktemp -d /tmp/drsim-http-XXXXXX)
srv=
trap '[ -n "$srv" ] && kill "$srv" 2>/dev/null; rm -rf "$T"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$T/www" && echo ok >"$T/www/health"

scenario() { # $1 = url, $2 = http step timeout
cat <<YAML
drsim: 1
name: http and shell
objectives: { rpo: 10s, rto: 1m, percentile: 95 }
sites:
  primary: { region: a }
  dr: { region: b }
databases:
  - { name: app, engine: postgres, size: 16MiB, write_rate: 64KiB/s }
protection:
  automated_backups: { retention: 1d, log_upload: 5s }
strategy: backup-restore
disasters:
  - { kind: instance-failure, rate: 1/10y, detect: 0s }
runbooks:
  instance-failure:
    - { step: restore, model: "uniform(10ms, 1s)", action: { driver: db, op: restore } }
    - { step: scale-app, model: "uniform(10ms, 1s)", action: { driver: shell, run: "echo scaled PGPASSWORD=hunter2 >&2" } }
    - { step: cutover, model: "uniform(100ms, 5s)", timeout: $2, action: { driver: http, op: wait-healthy, url: "$1" } }
drill: { driver: dry-run, cleanup: always, params: { step_time: 10ms } }
YAML
}

scenario "http://127.0.0.1:$port/health" 20s >"$T/ok.yaml"
(sleep 1; cd "$T/www" && exec python3 -m http.server --bind 127.0.0.1 "$port" >/dev/null 2>&1) &
srv=$!
"$DRSIM" drill --format json "$T/ok.yaml" >"$T/ok.json" 2>"$T/ok.err"
rc=$?
check "drill ran to the end (exit 0 or 1, not 3)" '[ $rc -eq 0 ] || [ $rc -eq 1 ]'
check "result is a drill" 'python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert r[\"mode\"]==\"drill\"" "$T/ok.json"'
check "http step measured, waited for the late server" 'python3 - "$T/ok.json" <<PY
import json, sys
r = json.load(open(sys.argv[1]))
st = {s["name"]: s for s in r["disasters"][0]["steps"]}
c = st["cutover"]
assert c["source"] == "measured" and 0.5 <= c["measured_s"] < 15, c
assert "GET http://127.0.0.1" in c["detail"] and ": 200" in c["detail"], c
sh = st["scale-app"]
assert sh["source"] == "measured" and "exit 0" in sh["detail"], sh
assert r["measured"]["technical_rto_s"] >= c["measured_s"]
PY'
check "secrets redacted in the report and progress" '! grep -q hunter2 "$T/ok.json" "$T/ok.err"'
check "progress shows steps on stderr" 'grep -q "cutover .*done in" "$T/ok.err"'

dead=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
scenario "http://127.0.0.1:$dead/health" 1s >"$T/dead.yaml"
"$DRSIM" drill --format json "$T/dead.yaml" >"$T/dead.json" 2>"$T/dead.err"
rc=$?
check "unanswered health URL: exit 3" '[ $rc -eq 3 ]'
check "unanswered health URL: step error recorded" 'python3 -c "import json,sys; r=json.load(open(sys.argv[1])); s=[x for x in r[\"disasters\"][0][\"steps\"] if x[\"name\"]==\"cutover\"][0]; assert s[\"error\"]" "$T/dead.json"'
check "unanswered health URL: clean-up still ran" 'grep -q "cleanup .*done" "$T/dead.err"'
echo "1..$n"
