#!/usr/bin/env bash
# pg_existing.sh - the "postgres" driver against a real "existing" cluster.
# Builds one here (initdb as the unprivileged user, WAL archiving on, a
# password for TCP logins, tables with rows, a plain and a tar base backup,
# writes after the backups so the archive matters), then drills it:
#   A  plain backup, opt-in marker: RPO from this run's marker row
#   B  tar backup, no marker: RPO from the last replayed commit
#   C  killed with SIGKILL mid-restore, then `drsim cleanup JOURNAL`
# and asserts: drills met their objectives with RPO and RTO measured, row
# counts verified, the source untouched (table checksums, object list,
# postmaster pid) apart from the marker table, no scratch process, port or
# directory left, and the password never in any output, journal or report.
# Prints TAP lines; skips when no PostgreSQL server is installed.
set -u
cd "$(dirname "$0")/../.."
DRSIM=${DRSIM:-$PWD/drsim}
n=0
tap() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }
check() { local name=$1; shift; if "$@"; then tap 0 "$name"; else tap 1 "$name"; fi; }

if ! "$DRSIM" drivers 2>/dev/null | grep -Eq '^postgres +[^ ]+ +yes'; then
  echo "ok 1 - postgres driver # SKIP not usable here"
  exit 0
fi

bindir=${DRSIM_PG_BINDIR:-$(pg_config --bindir 2>/dev/null)}
[ -x "$bindir/initdb" ] || bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PW=S3cretPw-7f2a
T=$(mktemp -d /tmp/pgexist.XXXXXX)
chmod 755 "$T"
as_user() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  id drsim >/dev/null 2>&1 || useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin drsim
  chown drsim: "$T"
  as_user() { runuser -u drsim -- env PATH="$bindir:$PATH" "$@"; }
fi
export PATH="$bindir:$PATH"
SRC=$T/src
cleanup_all() {
  as_user pg_ctl -D "$SRC" -m immediate -w stop >/dev/null 2>&1
  rm -rf "$T"
}
trap cleanup_all EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf '%s\n' "$PW" >"$T/pw"
chmod 644 "$T/pw"
as_user mkdir -p "$T/archive" "$T/srcsock"
as_user initdb -D "$SRC" -U owner --pwfile="$T/pw" --auth-local=trust --auth-host=scram-sha-256 \
  -E UTF8 --locale=C --no-sync >"$T/initdb.log" 2>&1 || { echo "not ok 1 - initdb"; cat "$T/initdb.log"; exit 1; }
cat >>"$SRC/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$T/srcsock'
wal_level = replica
fsync = off
archive_mode = on
archive_command = 'test ! -f $T/archive/%f && cp %p $T/archive/%f'
archive_timeout = 1s
EOF
as_user pg_ctl -D "$SRC" -l "$T/src.log" -w start >/dev/null || { echo "not ok 1 - source start"; cat "$T/src.log"; exit 1; }
psql_src() { as_user psql -XAtq -v ON_ERROR_STOP=1 -h "$T/srcsock" -p "$port" -U owner "$@"; }
psql_src -d postgres -c "CREATE DATABASE appdb"
psql_src -d appdb <<'SQL'
CREATE TABLE customers (id int PRIMARY KEY, name text);
INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 500) g;
CREATE TABLE orders (id bigint PRIMARY KEY, customer int REFERENCES customers, amount numeric);
INSERT INTO orders SELECT g, 1 + g % 500, g * 1.5 FROM generate_series(1, 10000) g;
CREATE VIEW big_orders AS SELECT * FROM orders WHERE amount > 1000;
SQL
as_user pg_basebackup -h "$T/srcsock" -p "$port" -U owner -D "$T/backup" -F p -X stream -c fast --no-sync
as_user pg_basebackup -h "$T/srcsock" -p "$port" -U owner -D "$T/backup-tar" -F t -z -X stream -c fast --no-sync
# after the backups: only the archive has these
psql_src -d appdb <<'SQL'
INSERT INTO orders SELECT g, 1 + g % 500, g * 1.5 FROM generate_series(10001, 15000) g;
UPDATE customers SET name = name || ' (vip)' WHERE id <= 50;
SELECT pg_sleep(0.3);
SQL
mid=$(psql_src -d appdb -c "SELECT clock_timestamp()::timestamptz(3)")
psql_src -d appdb <<'SQL'
SELECT pg_sleep(0.3);
CREATE TABLE late (id int);
INSERT INTO late SELECT generate_series(1, 77);
CREATE TABLE filler (id int, pad text);
INSERT INTO filler SELECT g, repeat('x', 400) FROM generate_series(1, 300000) g;
SQL
seg=$(psql_src -d appdb -c "SELECT pg_walfile_name(pg_current_wal_lsn())")
psql_src -d appdb -c "SELECT pg_switch_wal()" >/dev/null
for _ in $(seq 1 200); do [ -f "$T/archive/$seg" ] && break; sleep 0.05; done
check "the source archived its WAL after the backups" test -f "$T/archive/$seg"

# fingerprint of the source: every table's contents and the object list
fingerprint() {
  psql_src -d appdb -c "SELECT n.nspname || '.' || c.relname || ':' || c.relkind::text FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND c.relname NOT LIKE 'drsim_marker%'
      ORDER BY 1"
  for t in customers orders late filler; do
    psql_src -d appdb -c "SELECT '$t ' || count(*) || ' ' || md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) FROM $t x"
  done
}
fingerprint >"$T/before.txt"
pm_pid=$(head -n 1 "$SRC/postmaster.pid")

# scenario NAME MARKER BACKUP [TO CHECKS]: a drill scenario under $T
scenario() {
  local to=${4:-latest}
  local checks=${5:-'"SELECT count(*) = 77 FROM late", "SELECT max(id) = 15000 FROM orders", "SELECT count(*) = 50 FROM customers WHERE name LIKE '"'%(vip)'"'"'}
  local steps="    - { step: wait-archive, model: 3s, action: { driver: shell, run: 'sleep 3' } }"
  [ "$2" = true ] || steps=""
  cat >"$T/$1.yaml" <<EOF
# pg_existing.sh drill $1 (generated)
drsim: 1
name: existing cluster $1
objectives: { rpo: 5m, rto: 2m, percentile: 95 }
sites:
  primary: { region: local-a }
  dr:      { region: local-b }
databases:
  - { name: appdb, engine: postgres, size: 200MiB, write_rate: 64KiB/s }
protection:
  automated_backups: { retention: 1d, log_upload: 1s }
strategy: backup-restore
disasters:
  - { kind: region-outage, rate: 1/10y, detect: 0s }
runbooks:
  region-outage:
$steps
    - { step: restore-base-backup, model: "2s + size/200MiB/s", timeout: 2m, action: { driver: db, op: restore-base-backup } }
    - { step: replay-wal, model: uniform(1s, 10s), timeout: 2m, action: { driver: db, op: replay-wal, to: "$to" } }
    - { step: verify, model: uniform(100ms, 1s), action: { driver: db, op: verify } }
drill:
  driver: postgres
  conninfo: "host=127.0.0.1 port=$port user=owner password=$PW dbname=appdb"
  backup_dir: $3
  wal_archive: $T/archive
  workdir: $T/work-$1
  tables: [orders, customers, late, filler]
  checks: [$checks]
  params: { marker: $2 }
EOF
}

field() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); m=r['measured']; print($2)" "$1"; }

# journal_left JOURNAL...: journalled dirs, live processes and listening ports of the runs
journal_left() {
  python3 - "$@" <<'PY'
import json, os, sys
left = []
listening = set()
for f in ("/proc/net/tcp", "/proc/net/tcp6"):
    try:
        for line in open(f).readlines()[1:]:
            p = line.split()
            if p[3] == "0A":
                listening.add(int(p[1].rsplit(":", 1)[1], 16))
    except OSError:
        pass
runs = set()
for path in sys.argv[1:]:
    for line in open(path):
        e = json.loads(line)
        runs.add(e.get("run"))
        if e.get("action") != "create" or e.get("phase") != "done":
            continue
        if e.get("kind") == "dir" and os.path.exists(e["id"]):
            left.append(e["id"])
        if e.get("kind") == "port" and int(e["id"]) in listening:
            left.append("port " + e["id"])
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        env = open("/proc/%s/environ" % pid, "rb").read().split(b"\0")
    except OSError:
        continue
    for r in runs:
        if ("DRSIM_RUN=%s" % r).encode() in env:
            left.append("pid %s" % pid)
print("# left behind: %s" % (", ".join(left) or "nothing"))
sys.exit(1 if left else 0)
PY
}

# the scratch servers' user must pass through the drills' work directories
for d in A B C; do mkdir -m 755 "$T/work-$d"; done
for d in A B; do
  if [ $d = A ]; then scenario A true "$T/backup"; else scenario B false "$T/backup-tar"; fi
  "$DRSIM" drill -f json,text -o "$T/out-$d" --journal "$T/$d.journal" "$T/$d.yaml" >"$T/$d.log" 2>&1
  rc=$?
  res=$(ls "$T/out-$d"/*.json 2>/dev/null | head -n 1)
  tap $([ "$rc" = 0 ] && [ -n "$res" ] && echo 0 || echo 1) "$d: drill met its objectives (exit $rc)"
  [ "$rc" = 0 ] || tail -n 25 "$T/$d.log" | sed 's/^/# /'
  [ -n "$res" ] || continue
  echo "# $d: $(field "$res" "'RPO %.3f s, RTO %.3f s (technical %.3f s)' % (m['rpo_s'], m['rto_s'], m['technical_rto_s'])")"
  echo "# $d: $(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print([f['message'] for f in r['findings'] if f['id']=='DRILL-RPO-SOURCE'])" "$res")"
  echo "# $d: steps: $(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(', '.join('%s %.3f s' % (s['name'], s['measured_s']) for s in r['disasters'][0]['steps']))" "$res")"
  check "$d: RPO and RTO measured" test "$(field "$res" "0 if m['rpo_s'] is not None and 0 <= m['rpo_s'] < 300 and m['rto_s'] > 0 else 1")" = 0
  check "$d: data verified" test "$(field "$res" "m['data_verified']")" = True
  check "$d: row counts equal the source's" grep -q 'table orders: 15000 rows, source 15000 at the event' "$res"
  check "$d: cleanup left nothing" test "$(field "$res" "m['cleanup_ok']")" = True
  check "$d: no scratch process, port or directory left" journal_left "$T/$d.journal"
  check "$d: work directory gone" test ! -e "$T/work-$d/$(field "$res" "json.load(open(sys.argv[1]))['run_id']" 2>/dev/null)"
done
resA=$(ls "$T"/out-A/*.json 2>/dev/null | head -n 1)
resB=$(ls "$T"/out-B/*.json 2>/dev/null | head -n 1)
check "A: RPO from this run's marker row, within 2 s" test "$( [ -n "$resA" ] && python3 -c "
import json,sys; r=json.load(open(sys.argv[1]))
ok = r['measured']['rpo_s'] < 2 and any(\"this run's marker row is present\" in f['message'] for f in r['findings'])
print(0 if ok else 1)" "$resA")" = 0
check "B: tar backup extracted, RPO from the last replayed commit" test "$( [ -n "$resB" ] && python3 -c "
import json,sys; r=json.load(open(sys.argv[1])); s=json.dumps(r)
print(0 if 'extracted' in s and 'the last replayed commit' in s else 1)" "$resB")" = 0

# D: point in time, after the orders and before the late table
mkdir -m 755 "$T/work-D"
scenario D false "$T/backup" "$mid" '"SELECT to_regclass('"'late'"') IS NULL", "SELECT max(id) = 15000 FROM orders"'
"$DRSIM" drill -f json -o "$T/out-D" --journal "$T/D.journal" "$T/D.yaml" >"$T/D.log" 2>&1
rc=$?
tap $([ "$rc" = 0 ] && echo 0 || echo 1) "D: restore to $mid met its objectives: orders there, late table not yet (exit $rc)"
[ "$rc" = 0 ] || tail -n 25 "$T/D.log" | sed 's/^/# /'
check "D: no scratch process, port or directory left" journal_left "$T/D.journal"

# C: SIGKILL mid-restore (the scratch server runs, replaying), then cleanup
scenario C false "$T/backup"
"$DRSIM" drill --journal "$T/C.journal" "$T/C.yaml" >"$T/C.log" 2>&1 &
drill_pid=$!
scratch=""
for _ in $(seq 1 600); do
  scratch=$(python3 -c "
import json,sys
for l in open(sys.argv[1]):
    e=json.loads(l)
    if e.get('kind')=='process' and e.get('phase')=='begin' and e.get('what')=='postgres': print(e['pid'])" "$T/C.journal" 2>/dev/null)
  [ -n "$scratch" ] && break
  sleep 0.02
done
kill -KILL "$drill_pid" 2>/dev/null
wait "$drill_pid" 2>/dev/null
check "C: killed while the scratch server ran" test -n "$scratch" -a -d "/proc/${scratch:-0}"
"$DRSIM" cleanup "$T/C.journal" >"$T/C-cleanup.log" 2>&1
crc=$?
check "C: drsim cleanup JOURNAL succeeded (exit $crc)" test "$crc" = 0
[ "$crc" = 0 ] || sed 's/^/# /' "$T/C-cleanup.log"
check "C: no scratch process, port or directory left after cleanup" journal_left "$T/C.journal"
"$DRSIM" cleanup "$T/C.journal" >/dev/null 2>&1
check "C: a second cleanup finds nothing left" test $? = 0

# the source: untouched apart from the opt-in marker table
fingerprint >"$T/after.txt"
check "source: table contents and objects unchanged" cmp -s "$T/before.txt" "$T/after.txt"
check "source: same postmaster still running" test "$(head -n 1 "$SRC/postmaster.pid")" = "$pm_pid" -a -d "/proc/$pm_pid"
check "source: exactly one marker row, from drill A" test "$(psql_src -d appdb -c "SELECT count(*) FROM drsim_marker")" = 1

# the password: nowhere
"$DRSIM" plan "$T/A.yaml" >"$T/plan.txt" 2>&1
check "plan of A runs without a server" grep -q 'sql INSERT INTO drsim_marker' "$T/plan.txt"
check "the password is in no output, journal or report" test -z "$(grep -rl -- "$PW" "$T"/*.log "$T"/*.journal "$T"/out-* "$T/plan.txt" 2>/dev/null)"
