#!/usr/bin/env bash
# evidence.sh - evidence bundles through the CLI: keygen, report --evidence,
# verify (with the bundle's key and a pinned one), and that a changed byte
# in any file, a removed file, an added file and a wrong key each make
# verify exit 1 naming the problem.  history reads bundles.  TAP output.
set -u
cd "$(dirname "$0")/../.."
DRSIM=${DRSIM:-$PWD/drsim}
BUILD=${BUILD:-$PWD/build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0
tap() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }

printf 'drsim: 1\nname: payments\n' >"$work/scenario.yaml"
printf '{"op":"create","id":"sandbox-1"}\n' >"$work/journal.jsonl"
"$DRSIM" keygen --out "$work/key" >/dev/null
tap $? "keygen writes a key pair"
[ "$(stat -c %a "$work/key.pem")" = 600 ] && [ -s "$work/key.pub.pem" ]
tap $? "private key is mode 0600"
"$DRSIM" keygen --out "$work/other" >/dev/null

"$DRSIM" report tests/data/results/drill.json --format text -o "$work/r" --evidence "$work/bundles/drill" \
  --scenario "$work/scenario.yaml" --journal "$work/journal.jsonl" --key "$work/key.pem" >/dev/null
tap $? "report --evidence writes a bundle"
DRSIM_SIGNING_KEY=$work/key.pem "$DRSIM" report tests/data/results/simulate.json --format json -o "$work/r" \
  --evidence "$work/bundles/sim" --scenario "$work/scenario.yaml" >/dev/null
[ $? = 1 ] && [ -f "$work/bundles/sim/manifest.sig" ]
tap $? "DRSIM_SIGNING_KEY signs; exit 1 for missed objectives"
ls "$work/bundles" | grep -q tmp
tap $((! $?)) "no temporary directory left beside the bundles"

out=$("$DRSIM" verify "$work/bundles/drill" --pubkey "$work/key.pub.pem" 2>&1)
tap $? "verify with the pinned key: $out"
(cd "$work/bundles/drill" && sha256sum --quiet -c manifest.sha256)
tap $? "manifest is sha256sum-compatible"

b=$work/bundles/drill
for f in $(ls "$b"); do
  cp "$b/$f" "$work/saved"
  python3 -c 'import sys; p=sys.argv[1]; d=bytearray(open(p,"rb").read()); d[len(d)//2]^=1; open(p,"wb").write(d)' "$b/$f"
  out=$("$DRSIM" verify "$b" --pubkey "$work/key.pub.pem" 2>&1)
  rc=$?
  cp "$work/saved" "$b/$f"
  [ $rc = 1 ] && printf '%s' "$out" | grep -qE "'$f'|'manifest.sig'"
  tap $? "one changed byte in $f is detected: ${out#*: }"
done
mv "$b/report.md" "$work/saved"
out=$("$DRSIM" verify "$b" --pubkey "$work/key.pub.pem" 2>&1)
[ $? = 1 ] && printf '%s' "$out" | grep -q "'report.md' is listed in the manifest but missing"
tap $? "a removed file is detected"
mv "$work/saved" "$b/report.md"
echo extra >"$b/extra.txt"
out=$("$DRSIM" verify "$b" --pubkey "$work/key.pub.pem" 2>&1)
[ $? = 1 ] && printf '%s' "$out" | grep -q "'extra.txt' is not listed in the manifest"
tap $? "an added file is detected"
rm "$b/extra.txt"
out=$("$DRSIM" verify "$b" --pubkey "$work/other.pub.pem" 2>&1)
[ $? = 1 ] && printf '%s' "$out" | grep -q "does not match 'manifest.sha256'"
tap $? "a wrong key is detected"
"$DRSIM" verify "$b" >/dev/null 2>&1
tap $? "the bundle still verifies after the checks"

out=$("$DRSIM" history "$work/bundles" 2>&1)
printf '%s' "$out" | grep -q "logical-corruption \[backup-and-restore\] (1 run)" &&
  printf '%s' "$out" | grep -q "region-outage \[warm-standby\] (1 run)"
tap $? "history reads bundles"
