#!/usr/bin/env bash
# tests/integration/schema.sh - "drsim schema" is a valid JSON Schema (draft
# 2020-12); every shipped scenario, read by a standard YAML parser (PyYAML)
# and turned into JSON, validates against it; broken scenarios are rejected.
# Editors see the files the way PyYAML does, so this is the editor's view.
# Needs python3-yaml and python3-jsonschema (scripts/deps.sh).  Prints TAP.
set -u
cd "$(dirname "$0")/../.."
DRSIM=${DRSIM:-$PWD/drsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! "$DRSIM" schema >"$tmp/schema.json"; then
  echo "not ok 1 - drsim schema exits 0"
  exit 0
fi
echo "ok 1 - drsim schema exits 0"

python3 - "$tmp/schema.json" <<'PY'
import glob, json, sys

import jsonschema
import yaml

n = 1
def tap(ok, name, detail=""):
    global n
    n += 1
    print(("ok" if ok else "not ok"), n, "-", name)
    if not ok and detail:
        for line in str(detail).splitlines()[:5]:
            print("#", line)

try:
    schema = json.load(open(sys.argv[1]))
    tap(True, "schema output is JSON")
except ValueError as e:
    tap(False, "schema output is JSON", e)
    sys.exit(0)

try:
    jsonschema.Draft202012Validator.check_schema(schema)
    tap(schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema",
        "schema is a valid draft 2020-12 schema", schema.get("$schema"))
except jsonschema.SchemaError as e:
    tap(False, "schema is a valid draft 2020-12 schema", e.message)
v = jsonschema.Draft202012Validator(schema)

def as_json(path):
    # JSON has no dates or odd YAML 1.1 scalars: round-trip as strings
    return json.loads(json.dumps(yaml.safe_load(open(path, "rb")), default=str))

def errors(doc):
    return sorted(v.iter_errors(doc), key=lambda e: list(e.path))

files = sorted(glob.glob("scenarios/**/*.yaml", recursive=True))
tap(len(files) > 0, "there are shipped scenarios")
for f in files:
    try:
        errs = errors(as_json(f))
    except yaml.YAMLError as e:
        tap(False, f + " is YAML", e)
        continue
    tap(not errs, f + " validates against the schema",
        "\n".join("/".join(map(str, e.path)) + ": " + e.message for e in errs))

# Broken scenarios must be rejected: edits of the first shipped one.
base = as_json(files[0]) if files else {}
def broken(name, edit):
    doc = json.loads(json.dumps(base))
    edit(doc)
    tap(bool(errors(doc)), "rejects " + name)
broken("an unknown root key", lambda d: d.update(objective={"rpo": "1m"}))
broken("a missing 'name'", lambda d: d.pop("name", None))
broken("a missing 'objectives.rpo'", lambda d: d["objectives"].pop("rpo", None))
broken("language version 2", lambda d: d.update(drsim=2))
broken("an unknown strategy", lambda d: d.update(strategy="warm-standbye"))
broken("a percentile of 100", lambda d: d["objectives"].update(percentile=100))
broken("a duration with a bad unit", lambda d: d["objectives"].update(rto="4 hours"))
broken("databases given as a mapping", lambda d: d.update(databases={"db": {"size": "1GiB"}}))
broken("a database without a size", lambda d: d["databases"][0].pop("size", None))
broken("an unknown key in a database", lambda d: d["databases"][0].update(sise="1GiB"))
broken("a disaster of unknown kind", lambda d: d["disasters"][0].update(kind="meteor"))
broken("a rate written as a duration", lambda d: d["disasters"][0].update(rate="10y"))
PY
