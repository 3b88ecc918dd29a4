#!/usr/bin/env bash
# aws_drills.sh - whole `drsim drill` runs of the aws-rds driver against
# tests/fake_rds.py, one per shipped RDS/Aurora scenario (scenarios/aws/):
# backup and restore from a cross-region snapshot copy, PITR to before the
# event, replica promotion (pilot light, warm standby, multi-site), Aurora
# global failover, an Aurora copy-on-write clone for corruption triage.
# Each asserts measured RPO/RTO present and sane and clean-up verified
# through the fake; throttling is injected and survived; an account outside
# drill.allow_accounts is refused before any mutation; `drsim cleanup
# JOURNAL` removes what a --keep drill left; `drsim plan` prints the API
# calls in order with modeled durations and refuses to share a snapshot
# encrypted with the default KMS key; no artifact holds a secret.
set -u
. "$(dirname "$0")/../aws_common.sh"
DRSIM=${DRSIM:-$ROOT/drsim}
export TMPDIR=$WORK
check() { if eval "$2"; then tap 0 "$1"; else tap 1 "$1"; fi; }

start_fake --latency snapshot=0.4 --latency copy=0.6 --latency restore=0.6 --latency replica=0.4 \
	--latency promote=0.3 --latency cluster=0.4 --latency failover=0.3 --latency delete=0.2 \
	--fault CreateDBSnapshot:Throttling:2 --fault RestoreDBInstanceFromDBSnapshot:Throttling:1 \
	--fault FailoverGlobalCluster:500:1
state() { "$PY" -c 'import json, sys, urllib.request; json.dump(json.load(urllib.request.urlopen(sys.argv[1] + "/__state")), sys.stdout)' "$AWS_ENDPOINT_URL"; }

# fast(FILE): the scenario with a 100 ms waiter delay (the fake's latencies are < 1 s)
fast() { sed 's/poll: 30s/poll: 100ms/' "$ROOT/scenarios/aws/$1" >"$WORK/$1"; echo "$WORK/$1"; }

# drill NAME FILE [ARGS]: run it, keep stdout/stderr/result, print the exit status
drill() {
	local name=$1 file=$2
	shift 2
	"$DRSIM" drill --format json,text -o "$WORK/out-$name" "$@" "$file" >"$WORK/$name.out" 2>"$WORK/$name.err"
	echo $?
}

# sane NAME MIN_RPO MAX_RPO: result of drill NAME has RPO in [MIN, MAX], a
# measured RTO under 60 s, the timestamp finding and clean-up ok
sane() {
	"$PY" - "$WORK/out-$1" "$2" "$3" <<'PY'
import glob, json, sys
r = json.load(open(glob.glob(sys.argv[1] + "/*.json")[0]))
m = r["measured"]
lo, hi = float(sys.argv[2]), float(sys.argv[3])
assert m["rpo_s"] is not None and lo <= m["rpo_s"] <= hi, m["rpo_s"]
assert 0 < m["technical_rto_s"] < 60, m["technical_rto_s"]
assert m["rto_s"] >= m["technical_rto_s"]
assert m["cleanup_ok"] is True
assert m["driver"] == "aws-rds"
f = [x for x in r["findings"] if x["id"] == "DRILL-RPO-SOURCE"]
assert f and "from the recovered data's own timestamps" in f[0]["message"], r["findings"]
steps = {s["name"]: s for s in r["disasters"][0]["steps"]}
assert all(s["error"] is None for s in steps.values()), steps
assert steps["verify"]["source"] == "measured"
PY
}

# nothing of run-tagged resources left in the fake, every signature good
clean_fake() {
	state | "$PY" -c '
import json, sys
s = json.load(sys.stdin)
left = [(k, r.get("DBInstanceIdentifier") or r.get("DBClusterIdentifier") or r.get("DBSnapshotIdentifier") or r.get("GlobalClusterIdentifier"))
        for k in ("instance", "cluster", "snapshot", "global") for r in s[k]
        if any(t["Key"] == "drsim-run" for t in r["Tags"])]
bad = [c["action"] for c in s["calls"] if not c["ok_sig"]]
print(left, bad, file=sys.stderr)
sys.exit(1 if left or bad else 0)' 2>>"$WORK/clean.log"
}

# 1. backup and restore from a cross-region snapshot copy (throttled twice, retried)
f=$(fast rds-backup-restore.yaml)
rc=$(drill rds-br "$f")
check "rds backup-restore drill ran to the end (exit $rc)" '[ "$rc" = 0 ] || [ "$rc" = 1 ]'
check "rds backup-restore: RPO from the copy's SnapshotCreateTime, RTO measured" 'sane rds-br 0.01 30'
check "rds backup-restore: copied across regions with a presigned URL and a KMS key" \
	'state | "$PY" -c "import json,sys; c=[x for x in json.load(sys.stdin)[\"calls\"] if x[\"action\"]==\"CopyDBSnapshot\"]; assert c and c[-1][\"region\"]==\"us-west-2\" and c[-1][\"params\"][\"PreSignedUrl\"] and c[-1][\"params\"][\"KmsKeyId\"]"'
check "throttling injected and survived (CreateDBSnapshot, RestoreDBInstanceFromDBSnapshot)" \
	'grep -q "CreateDBSnapshot -> 400 Throttling" "$WORK/rds-br.err" && grep -q "RestoreDBInstanceFromDBSnapshot -> 400 Throttling" "$WORK/rds-br.err"'
check "rds backup-restore: nothing tagged with the run is left" 'clean_fake'

# 2. PITR to before the event
rc=$(drill rds-pitr "$f" --disaster logical-corruption)
check "rds PITR drill ran to the end (exit $rc)" '[ "$rc" = 0 ] || [ "$rc" = 1 ]'
check "rds PITR: RPO = the event minus pitr_margin (whole seconds)" 'sane rds-pitr 1 2'
check "rds PITR: RestoreTime asked for, not the latest" \
	'state | "$PY" -c "import json,sys; c=[x for x in json.load(sys.stdin)[\"calls\"] if x[\"action\"]==\"RestoreDBInstanceToPointInTime\"]; assert c and \"RestoreTime\" in c[-1][\"params\"]"'

# 3. replica promotion: pilot light, warm standby, multi-site on RDS
for s in pilot-light warm-standby multi-site; do
	rc=$(drill "rds-$s" "$(fast "rds-$s.yaml")")
	check "rds $s drill (replica promotion) ran to the end (exit $rc)" '[ "$rc" = 0 ] || [ "$rc" = 1 ]'
	check "rds $s: RPO 0 (a lower bound, said so), RTO measured" "sane rds-$s 0 0"
	check "rds $s: the drill's own replica was promoted, never the production one" \
		"state | \"\$PY\" -c \"import json,sys; c=[x for x in json.load(sys.stdin)['calls'] if x['action']=='PromoteReadReplica']; assert c and all(x['params']['DBInstanceIdentifier'].startswith('drsim-') for x in c)\""
done
check "prod-db-replica is still a replica of prod-db" \
	'state | "$PY" -c "import json,sys; i=[x for x in json.load(sys.stdin)[\"instance\"] if x[\"DBInstanceIdentifier\"]==\"prod-db-replica\"][0]; assert i[\"ReadReplicaSourceDBInstanceIdentifier\"]"'

# 4. Aurora global failover (multi-site, pilot light, warm standby): the first one meets an HTTP 500
for s in multi-site pilot-light warm-standby; do
	rc=$(drill "aurora-$s" "$(fast "aurora-$s.yaml")")
	check "aurora $s drill (global failover) ran to the end (exit $rc)" '[ "$rc" = 0 ] || [ "$rc" = 1 ]'
	check "aurora $s: RPO 0 (managed failover), RTO measured" "sane aurora-$s 0 0"
done
check "aurora: an HTTP 500 on FailoverGlobalCluster was retried" 'grep -q "FailoverGlobalCluster -> 500" "$WORK/aurora-multi-site.err"'
check "aurora: the production global database kept its writer" \
	'state | "$PY" -c "import json,sys; g=[x for x in json.load(sys.stdin)[\"global\"] if x[\"GlobalClusterIdentifier\"]==\"prod-global\"][0]; w=[m for m in g[\"GlobalClusterMembers\"] if m[\"IsWriter\"]]; assert w[0][\"DBClusterArn\"].endswith(\":prod-aurora\")"'

# 5. copy-on-write clone for corruption triage, then PITR before the event
rc=$(drill aurora-br "$(fast aurora-backup-restore.yaml)")
check "aurora clone + PITR drill ran to the end (exit $rc)" '[ "$rc" = 0 ] || [ "$rc" = 1 ]'
check "aurora clone + PITR: RPO = event minus pitr_margin, RTO measured" 'sane aurora-br 1 2'
check "aurora: a copy-on-write clone was made" \
	'state | "$PY" -c "import json,sys; c=[x for x in json.load(sys.stdin)[\"calls\"] if x[\"action\"]==\"RestoreDBClusterToPointInTime\" and x[\"params\"].get(\"RestoreType\")==\"copy-on-write\"]; assert c"'
check "all drills: nothing tagged with a run is left in the fake" 'clean_fake'

# 6. an account outside drill.allow_accounts: refused before any mutation
sed 's/allow_accounts: \["123456789012"\]/allow_accounts: ["999999999999"]/' "$f" >"$WORK/other.yaml"
before=$(state | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)["calls"]))')
rc=$(drill other "$WORK/other.yaml")
check "account not in allow_accounts: refused (exit $rc)" '[ "$rc" = 2 ] || [ "$rc" = 3 ]'
check "account not in allow_accounts: named in the error" 'grep -q "123456789012.*not in drill.allow_accounts" "$WORK/other.err"'
check "account not in allow_accounts: no call after GetCallerIdentity" \
	'state | "$PY" -c "import json,sys; c=json.load(sys.stdin)[\"calls\"][$before:]; assert [x[\"action\"] for x in c]==[\"GetCallerIdentity\"], c"'

# 7. drsim cleanup JOURNAL removes what a --keep drill left
rc=$(drill keep "$f" --keep --journal "$WORK/keep.journal")
check "--keep drill left its resources" '! clean_fake 2>/dev/null'
"$DRSIM" cleanup "$WORK/keep.journal" >"$WORK/cleanup.out" 2>"$WORK/cleanup.err"
rc=$?
check "drsim cleanup JOURNAL: exit 0 (exit $rc)" '[ $rc = 0 ]'
check "drsim cleanup JOURNAL: nothing tagged with the run is left" 'clean_fake'

# 8. drsim plan: the API calls in order, with modeled durations, touching nothing
before=$(state | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)["calls"]))')
(unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN; "$DRSIM" plan "$ROOT/scenarios/aws/rds-backup-restore.yaml") >"$WORK/plan.out" 2>"$WORK/plan.err"
rc=$?
check "plan: exit 0 without credentials (exit $rc)" '[ $rc = 0 ]'
check "plan: the API calls in order" '"$PY" - "$WORK/plan.out" <<PY
import sys
t = open(sys.argv[1]).read()
order = ["GetCallerIdentity", "CreateDBSnapshot", "CopyDBSnapshot", "RestoreDBInstanceFromDBSnapshot",
         "DescribeDBInstances DBInstanceIdentifier=drsim-run-restore-snapshot", "DeleteDBInstance", "DeleteDBSnapshot"]
pos = [t.find(x) for x in order]
assert all(p >= 0 for p in pos) and pos == sorted(pos), list(zip(order, pos))
assert "PreSignedUrl=<signed for the source region, never shown>" in t
PY'
check "plan: steps carry modeled durations" 'grep -q "wait-available (aws-rds wait-available.*\[modeled p50 10m" "$WORK/plan.out"'
check "plan: touched nothing" '[ "$(state | "$PY" -c "import json,sys; print(len(json.load(sys.stdin)[\"calls\"]))")" = "$before" ]'
sed -e 's|kms_key: "arn:aws:kms:us-west-2:123456789012:key/drsim-dr"|kms_key: "alias/aws/rds"\n    share_account: "210987654321"|' \
	"$ROOT/scenarios/aws/rds-backup-restore.yaml" >"$WORK/share.yaml"
"$DRSIM" plan "$WORK/share.yaml" >"$WORK/share.out" 2>"$WORK/share.err"
rc=$?
check "plan: sharing a snapshot under the default KMS key is refused (exit $rc)" '[ $rc != 0 ] && grep -q "default KMS key" "$WORK/share.err"'
sed -e 's|    poll: 30s|    share_account: "210987654321"\n    poll: 100ms|' "$ROOT/scenarios/aws/rds-backup-restore.yaml" >"$WORK/share-ok.yaml"
"$DRSIM" plan "$WORK/share-ok.yaml" >"$WORK/share-ok.out" 2>&1
check "plan: sharing a copy under a customer-managed key is planned" 'grep -q "ModifyDBSnapshotAttribute.*ValuesToAdd.AttributeValue.1=210987654321" "$WORK/share-ok.out"'
rc=$(drill share "$WORK/share-ok.yaml")
check "drill with a shared copy ran (exit $rc) and shared it" \
	'([ "$rc" = 0 ] || [ "$rc" = 1 ]) && grep -q "ModifyDBSnapshotAttribute -> 200" "$WORK/share.err"'
check "drill with a shared copy: nothing left" 'clean_fake'

# 9. no secret in any artifact of any drill
check "no access key, secret, token, signature or presigned URL in any artifact" \
	'! grep -rl -e "$AWS_ACCESS_KEY_ID" -e "$AWS_SECRET_ACCESS_KEY" -e "$AWS_SESSION_TOKEN" -e "Signature=" -e "X-Amz-Signature" \
		-e "X-Amz-Credential" -e "X-Amz-Security-Token" -e "PreSignedUrl=http" -e "Action=CopyDBSnapshot" \
		"$WORK"/*.out "$WORK"/*.err "$WORK"/*.journal "$WORK"/out-*'
echo "1..$n"
