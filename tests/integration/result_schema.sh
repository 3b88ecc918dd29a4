#!/usr/bin/env bash
# result_schema.sh - every result fixture validates against
# schema/result.schema.json (JSON Schema draft 2020-12, python3-jsonschema),
# and a result with an unknown key or a wrong type does not.  TAP output.
set -u
cd "$(dirname "$0")/../.."
python3 - schema/result.schema.json tests/data/results/*.json <<'PY'
import copy, json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
n = 0
def tap(ok, name):
    global n
    n += 1
    print(("ok" if ok else "not ok"), n, "-", name)
tap(True, "schema is a valid draft 2020-12 schema")
for path in sys.argv[2:]:
    doc = json.load(open(path))
    errs = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
    for e in errs[:3]:
        print("#", path, list(e.path), e.message)
    tap(not errs, "%s validates" % path)
doc = next(d for d in (json.load(open(p)) for p in sys.argv[2:]) if d["disasters"])
bad = copy.deepcopy(doc); bad["surprise"] = 1
tap(not v.is_valid(bad), "unknown key rejected")
bad = copy.deepcopy(doc); bad["disasters"][0]["met"] = "yes"
tap(not v.is_valid(bad), "wrong type rejected")
bad = copy.deepcopy(doc); bad["schema_version"] = 2
tap(not v.is_valid(bad), "other schema version rejected")
PY
