#!/usr/bin/env python3
"""fake_rds.py - a local stand-in for the AWS RDS/Aurora control plane (and
STS GetCallerIdentity) for drsim's tests, on 127.0.0.1.

The real control plane cannot run here, so this fake keeps to the RDS API
model shipped in Debian's python3-botocore
(/usr/lib/python3/dist-packages/botocore/data/rds/2014-10-31/service-2.json):
request parameters are checked against each operation's input shape
(unknown or missing required parameters are refused), replies are
serialised from the operation's output shape (element names, list member
names, result wrappers), and every fault returned is one the model lists
for that operation (or a common one: Throttling, InternalFailure,
InvalidParameterValue, MissingParameter, SignatureDoesNotMatch).
Every request's SigV4 signature is checked with botocore (tests/aws_sig.py);
so is the PreSignedUrl of a cross-region CopyDBSnapshot.

State machines (durations from --latency, seconds):
  snapshot   creating (PercentProgress rising) -> available
  copy       pending -> copying (PercentProgress rising) -> available
  restore    creating -> backing-up -> available
  replica    creating -> available;  promote: modifying -> available
  cluster    creating -> available;  global failover: failing-over -> available
  global     creating -> available (CreateGlobalCluster around a cluster;
             CreateDBCluster with GlobalClusterIdentifier adds a secondary;
             RemoveFromGlobalCluster detaches; DeleteGlobalCluster needs no member)
  member     CreateDBInstance in an Aurora cluster: creating -> available
  (DeleteDBCluster refuses a global member or a cluster with instances)
  delete     deleting -> gone
LatestRestorableTime trails the clock by --lrt-lag seconds.

Faults (--fault ACTION:KIND:COUNT, repeatable): KIND is Throttling, 500,
slow (the reply waits --slow seconds) or InsufficientDBInstanceCapacity;
the next COUNT calls of ACTION get it.

Seed (always present): account --account; us-east-1 instance "prod-db"
(postgres, encrypted with a customer-managed key), its cross-region read
replica "prod-db-replica" in us-west-2, Aurora clusters "prod-aurora"
(us-east-1, writer) and "prod-aurora-dr" (us-west-2) in global cluster
"prod-global".

GET /__state (unsigned) returns the state as JSON for tests.
Usage: fake_rds.py --port-file F --access-key K --secret S [options]
"""
import argparse
import datetime
import json
import os
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import aws_sig  # noqa: E402

MODEL = "/usr/lib/python3/dist-packages/botocore/data/rds/2014-10-31/service-2.json"
NS = "http://rds.amazonaws.com/doc/2014-10-31/"
COMMON = {"Throttling": 400, "InternalFailure": 500, "InvalidParameterValue": 400,
          "MissingParameter": 400, "SignatureDoesNotMatch": 403, "InvalidAction": 400}


class Fault(Exception):
    def __init__(self, code, message, status=None):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


class Model:
    def __init__(self, path):
        m = json.load(open(path))
        self.ops, self.shapes = m["operations"], m["shapes"]
        self.codes = {}  # error code -> (shape, http status)
        for name, s in self.shapes.items():
            if s.get("exception"):
                e = s.get("error", {})
                self.codes[e.get("code", name)] = (name, e.get("httpStatusCode", 400))

    def fault_status(self, action, code):
        """HTTP status for code, which must be modeled for action (or common)."""
        if code in COMMON:
            return COMMON[code]
        shape, status = self.codes[code]
        listed = [e["shape"] for e in self.ops[action].get("errors", [])]
        assert shape in listed, f"{code} is not a modeled fault of {action}"
        return status

    def check_input(self, action, params):
        shape = self.shapes[self.ops[action]["input"]["shape"]]
        members = shape.get("members", {})
        for key in params:
            top = key.split(".")[0]
            if top not in members:
                raise Fault("InvalidParameterValue", f"unknown parameter {top} for {action}")
        for req in shape.get("required", []):
            if not any(k == req or k.startswith(req + ".") for k in params):
                raise Fault("MissingParameter", f"{action} requires {req}")

    def xml(self, shape_name, value, tag):
        s = self.shapes[shape_name]
        t = s["type"]
        if value is None:
            return ""
        if t == "structure":
            inner = "".join(self.xml(m["shape"], value.get(n), m.get("locationName", n))
                            for n, m in s["members"].items() if n in value)
            return f"<{tag}>{inner}</{tag}>"
        if t == "list":
            m = s["member"]
            name = m.get("locationName", "member")
            return f"<{tag}>" + "".join(self.xml(m["shape"], v, name) for v in value) + f"</{tag}>"
        if t == "timestamp":
            v = datetime.datetime.fromtimestamp(value, datetime.timezone.utc)
            return f"<{tag}>{v.strftime('%Y-%m-%dT%H:%M:%S.')}{v.microsecond // 1000:03d}Z</{tag}>"
        if t == "boolean":
            return f"<{tag}>{'true' if value else 'false'}</{tag}>"
        text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f"<{tag}>{text}</{tag}>"

    def reply(self, action, result):
        out = self.ops[action].get("output")
        rid = uuid.uuid4()
        body = ""
        if out:
            body = self.xml(out["shape"], result or {}, out["resultWrapper"])
        return (f'<{action}Response xmlns="{NS}">{body}<ResponseMetadata><RequestId>{rid}'
                f"</RequestId></ResponseMetadata></{action}Response>")


def flat(params, prefix):
    """Values of a flattened Query list: prefix.X.1, prefix.X.2 ..."""
    items = sorted(((k, v) for k, v in params.items() if k.startswith(prefix + ".")),
                   key=lambda kv: int(kv[0].split(".")[2]))
    return [v for _, v in items]


def tags_of(params):
    keys = {k.split(".")[2]: v for k, v in params.items() if k.startswith("Tags.Tag.") and k.endswith(".Key")}
    return [{"Key": keys[n], "Value": params.get(f"Tags.Tag.{n}.Value", "")} for n in sorted(keys)]


class Fake:
    def __init__(self, args):
        self.args = args
        self.model = Model(MODEL)
        self.lock = threading.Lock()
        self.res = {"instance": {}, "cluster": {}, "snapshot": {}, "global": {}}
        self.tags = {}
        self.faults = []
        for f in args.fault:
            action, kind, count = f.split(":")
            self.faults.append([action, kind, int(count)])
        self.lat = {"snapshot": 1.0, "copy": 1.5, "restore": 1.5, "replica": 1.0, "promote": 0.5,
                    "cluster": 1.0, "failover": 0.5, "delete": 0.5}
        for kv in args.latency:
            k, v = kv.split("=")
            self.lat[k] = float(v)
        self.calls = []
        self.seed()

    def arn(self, region, kind, ident):
        return f"arn:aws:rds:{region}:{self.args.account}:{kind}:{ident}"

    def phases(self, steps):
        """[(status, seconds)...] -> absolute schedule from now."""
        t, out = time.time(), []
        for status, d in steps:
            out.append((status, t))
            t += d
        return out

    def status(self, r):
        now, cur = time.time(), r["_schedule"][0][0]
        for status, t in r["_schedule"]:
            if now >= t:
                cur = status
        return cur

    def add(self, kind, region, ident, body, steps, tags=()):
        r = dict(body)
        r["_region"], r["_schedule"] = region, self.phases(steps)
        arn_kind = {"instance": "db", "cluster": "cluster", "snapshot": "snapshot", "global": "global"}[kind]
        arn = self.arn(region, arn_kind, ident)
        r["_arn"] = arn
        self.res[kind][(region, ident)] = r
        self.tags[arn] = list(tags)
        return r

    def seed(self):
        key = self.arn("us-east-1", "key", "customer-key")
        now = time.time()
        self.add("instance", "us-east-1", "prod-db", {"DBInstanceIdentifier": "prod-db", "Engine": "postgres",
                 "DBInstanceClass": "db.r6g.large", "StorageEncrypted": True, "KmsKeyId": key,
                 "InstanceCreateTime": now - 86400 * 30, "BackupRetentionPeriod": 7}, [("available", 0)])
        self.add("instance", "us-west-2", "prod-db-replica", {"DBInstanceIdentifier": "prod-db-replica",
                 "Engine": "postgres", "DBInstanceClass": "db.r6g.large", "StorageEncrypted": True,
                 "ReadReplicaSourceDBInstanceIdentifier": self.arn("us-east-1", "db", "prod-db"),
                 "InstanceCreateTime": now - 86400 * 30}, [("available", 0)])
        gl = {"GlobalClusterIdentifier": "prod-global", "Engine": "aurora-postgresql", "GlobalClusterMembers": []}
        self.add("global", "us-east-1", "prod-global", gl, [("available", 0)])
        for region, ident, writer in (("us-east-1", "prod-aurora", True), ("us-west-2", "prod-aurora-dr", False)):
            self.add("cluster", region, ident, {"DBClusterIdentifier": ident, "Engine": "aurora-postgresql",
                     "StorageEncrypted": True, "ClusterCreateTime": now - 86400 * 30,
                     "GlobalWriteForwardingStatus": "disabled"}, [("available", 0)])
            gl["GlobalClusterMembers"].append({"DBClusterArn": self.arn(region, "cluster", ident),
                                               "IsWriter": writer})
            self.res["cluster"][(region, ident)]["_global"] = "prod-global"

    # -- views ---------------------------------------------------------
    def view(self, kind, r):
        v = {k: val for k, val in r.items() if not k.startswith("_")}
        st = self.status(r)
        region = r["_region"]
        if kind == "instance":
            v["DBInstanceStatus"], v["DBInstanceArn"] = st, r["_arn"]
            v["Endpoint"] = {"Address": f"{v['DBInstanceIdentifier']}.fake.{region}.rds.amazonaws.com",
                             "Port": 5432}
            if st == "available" and "ReadReplicaSourceDBInstanceIdentifier" not in v:
                v["LatestRestorableTime"] = time.time() - self.args.lrt_lag
        elif kind == "cluster":
            v["Status"], v["DBClusterArn"] = st, r["_arn"]
            v["Endpoint"] = f"{v['DBClusterIdentifier']}.cluster-fake.{region}.rds.amazonaws.com"
            v["Port"] = 5432
            v["LatestRestorableTime"] = time.time() - self.args.lrt_lag
        elif kind == "snapshot":
            v["Status"], v["DBSnapshotArn"] = st, r["_arn"]
            sched = r["_schedule"]
            t0, t1 = sched[0][1], sched[-1][1]
            done = 1.0 if t1 <= t0 else min(1.0, max(0.0, (time.time() - t0) / (t1 - t0)))
            v["PercentProgress"] = 100 if st == "available" else int(done * 99)
        elif kind == "global":
            v["Status"], v["GlobalClusterArn"] = st, r["_arn"]
        return v

    def get(self, kind, region, ident, code):
        if ident.startswith("arn:"):
            parts = ident.split(":")
            region, ident = parts[3], parts[-1]
        r = self.res[kind].get((region, ident))
        if r is None or self.status(r) == "gone":
            raise Fault(code, f"{ident} not found in {region}")
        return r

    def exists(self, kind, region, ident):
        r = self.res[kind].get((region, ident))
        return r is not None and self.status(r) != "gone"

    # -- actions -------------------------------------------------------
    def act(self, region, action, p):
        fn = getattr(self, "op_" + action, None)
        if fn is None:
            raise Fault("InvalidAction", f"{action} is not implemented by the fake")
        self.model.check_input(action, p)
        return fn(region, p)

    def op_DescribeDBInstances(self, region, p):
        ident = p.get("DBInstanceIdentifier")
        if ident:
            return {"DBInstances": [self.view("instance", self.get("instance", region, ident, "DBInstanceNotFound"))]}
        return {"DBInstances": [self.view("instance", r) for (rg, _), r in self.res["instance"].items()
                                if rg == region and self.status(r) != "gone"]}

    def op_DescribeDBClusters(self, region, p):
        ident = p.get("DBClusterIdentifier")
        if ident:
            return {"DBClusters": [self.view("cluster", self.get("cluster", region, ident, "DBClusterNotFoundFault"))]}
        return {"DBClusters": [self.view("cluster", r) for (rg, _), r in self.res["cluster"].items()
                               if rg == region and self.status(r) != "gone"]}

    def op_DescribeDBSnapshots(self, region, p):
        ident = p.get("DBSnapshotIdentifier")
        if ident:
            return {"DBSnapshots": [self.view("snapshot", self.get("snapshot", region, ident, "DBSnapshotNotFound"))]}
        src = p.get("DBInstanceIdentifier")
        return {"DBSnapshots": [self.view("snapshot", r) for (rg, _), r in self.res["snapshot"].items()
                                if rg == region and self.status(r) != "gone"
                                and (not src or r.get("DBInstanceIdentifier") == src)]}

    def op_DescribeGlobalClusters(self, region, p):
        g = self.get("global", "us-east-1", p.get("GlobalClusterIdentifier", "prod-global"), "GlobalClusterNotFoundFault")
        return {"GlobalClusters": [self.view("global", g)]}

    def op_CreateDBSnapshot(self, region, p):
        sid, iid = p["DBSnapshotIdentifier"], p["DBInstanceIdentifier"]
        inst = self.get("instance", region, iid, "DBInstanceNotFound")
        if self.status(inst) != "available":
            raise Fault("InvalidDBInstanceState", f"{iid} is not available")
        if self.exists("snapshot", region, sid):
            raise Fault("DBSnapshotAlreadyExists", f"{sid} already exists")
        r = self.add("snapshot", region, sid, {"DBSnapshotIdentifier": sid, "DBInstanceIdentifier": iid,
                     "SnapshotCreateTime": time.time(), "Engine": inst.get("Engine"), "SnapshotType": "manual",
                     "Encrypted": bool(inst.get("StorageEncrypted")), "KmsKeyId": inst.get("KmsKeyId")},
                     [("creating", self.lat["snapshot"]), ("available", 0)], tags_of(p))
        return {"DBSnapshot": self.view("snapshot", r)}

    def op_CopyDBSnapshot(self, region, p):
        src, tid = p["SourceDBSnapshotIdentifier"], p["TargetDBSnapshotIdentifier"]
        snap = self.get("snapshot", region, src, "DBSnapshotNotFound")
        cross = snap["_region"] != region
        if cross:
            url = p.get("PreSignedUrl")
            if not url:
                raise Fault("InvalidParameterValue", "PreSignedUrl is required for a cross-region copy")
            ok, why, q = aws_sig.verify_presigned("GET", url, self.args.secrets)
            if not ok or q.get("Action") != "CopyDBSnapshot" or q.get("region") != snap["_region"] \
                    or q.get("SourceDBSnapshotIdentifier") != src or q.get("DestinationRegion") != region:
                raise Fault("InvalidParameterValue", f"PreSignedUrl rejected: {why or 'parameters differ'}")
            if snap.get("Encrypted") and not p.get("KmsKeyId"):
                raise Fault("InvalidParameterValue", "KmsKeyId is required to copy an encrypted snapshot across regions")
        if self.exists("snapshot", region, tid):
            raise Fault("DBSnapshotAlreadyExists", f"{tid} already exists")
        body = {k: v for k, v in snap.items() if not k.startswith("_")}
        body.update({"DBSnapshotIdentifier": tid, "SourceDBSnapshotIdentifier": snap["_arn"],
                     "SourceRegion": snap["_region"], "KmsKeyId": p.get("KmsKeyId", snap.get("KmsKeyId"))})
        lat = self.lat["copy"] if cross else self.lat["snapshot"]
        r = self.add("snapshot", region, tid, body, [("pending", lat * 0.2), ("copying", lat * 0.8),
                                                     ("available", 0)], tags_of(p))
        return {"DBSnapshot": self.view("snapshot", r)}

    def op_ModifyDBSnapshotAttribute(self, region, p):
        snap = self.get("snapshot", region, p["DBSnapshotIdentifier"], "DBSnapshotNotFound")
        add = flat(p, "ValuesToAdd")
        if add and snap.get("Encrypted") and str(snap.get("KmsKeyId", "")).endswith("alias/aws/rds"):
            raise Fault("InvalidDBSnapshotState",
                        "a snapshot encrypted with the default KMS key cannot be shared")
        shared = snap.setdefault("_shared", [])
        shared.extend(a for a in add if a not in shared)
        return {"DBSnapshotAttributesResult": {"DBSnapshotIdentifier": snap["DBSnapshotIdentifier"],
                "DBSnapshotAttributes": [{"AttributeName": "restore", "AttributeValues": shared}]}}

    def capacity(self, action):
        for f in self.faults:
            if f[0] == action and f[1] == "InsufficientDBInstanceCapacity" and f[2] > 0:
                f[2] -= 1
                raise Fault("InsufficientDBInstanceCapacity", "no capacity for the requested class")

    def new_instance(self, region, iid, like, p, steps, extra=None):
        if self.exists("instance", region, iid):
            raise Fault("DBInstanceAlreadyExists", f"{iid} already exists")
        body = {"DBInstanceIdentifier": iid, "Engine": like.get("Engine", "postgres"),
                "DBInstanceClass": p.get("DBInstanceClass", like.get("DBInstanceClass", "db.r6g.large")),
                "StorageEncrypted": bool(like.get("StorageEncrypted", like.get("Encrypted"))),
                "InstanceCreateTime": time.time(), "BackupRetentionPeriod": 7}
        body.update(extra or {})
        r = self.add("instance", region, iid, body, steps, tags_of(p))
        return {"DBInstance": self.view("instance", r)}

    def op_RestoreDBInstanceFromDBSnapshot(self, region, p):
        self.capacity("RestoreDBInstanceFromDBSnapshot")
        snap = self.get("snapshot", region, p["DBSnapshotIdentifier"], "DBSnapshotNotFound")
        if self.status(snap) != "available":
            raise Fault("InvalidDBSnapshotState", "snapshot is not available")
        L = self.lat["restore"]
        return self.new_instance(region, p["DBInstanceIdentifier"], snap, p,
                                 [("creating", L * 0.7), ("backing-up", L * 0.3), ("available", 0)])

    def op_RestoreDBInstanceToPointInTime(self, region, p):
        self.capacity("RestoreDBInstanceToPointInTime")
        src = self.get("instance", region, p.get("SourceDBInstanceIdentifier", ""), "DBInstanceNotFound")
        lrt = time.time() - self.args.lrt_lag
        if p.get("UseLatestRestorableTime") == "true":
            if "RestoreTime" in p:
                raise Fault("InvalidParameterValue", "RestoreTime and UseLatestRestorableTime are exclusive")
        else:
            t = datetime.datetime.strptime(p.get("RestoreTime", ""), "%Y-%m-%dT%H:%M:%SZ")
            if t.replace(tzinfo=datetime.timezone.utc).timestamp() > lrt:
                raise Fault("InvalidRestoreFault", "RestoreTime is after LatestRestorableTime")
        L = self.lat["restore"]
        return self.new_instance(region, p["TargetDBInstanceIdentifier"], src, p,
                                 [("creating", L * 0.7), ("backing-up", L * 0.3), ("available", 0)])

    def op_CreateDBInstanceReadReplica(self, region, p):
        src = self.get("instance", region, p["SourceDBInstanceIdentifier"], "DBInstanceNotFound")
        return self.new_instance(region, p["DBInstanceIdentifier"], src, p,
                                 [("creating", self.lat["replica"]), ("available", 0)],
                                 {"ReadReplicaSourceDBInstanceIdentifier": src["_arn"]})

    def op_PromoteReadReplica(self, region, p):
        r = self.get("instance", region, p["DBInstanceIdentifier"], "DBInstanceNotFound")
        if "ReadReplicaSourceDBInstanceIdentifier" not in r or self.status(r) != "available":
            raise Fault("InvalidDBInstanceState", "not an available read replica")
        del r["ReadReplicaSourceDBInstanceIdentifier"]
        r["_schedule"] = self.phases([("modifying", self.lat["promote"]), ("available", 0)])
        return {"DBInstance": self.view("instance", r)}

    def op_RestoreDBClusterToPointInTime(self, region, p):
        src = self.get("cluster", region, p["SourceDBClusterIdentifier"], "DBClusterNotFoundFault")
        cid = p["DBClusterIdentifier"]
        if self.exists("cluster", region, cid):
            raise Fault("DBClusterAlreadyExistsFault", f"{cid} already exists")
        if p.get("UseLatestRestorableTime") != "true" and "RestoreToTime" not in p:
            raise Fault("InvalidParameterValue", "RestoreToTime or UseLatestRestorableTime is required")
        body = {"DBClusterIdentifier": cid, "Engine": src.get("Engine"), "StorageEncrypted": True,
                "ClusterCreateTime": time.time(), "CloneGroupId": src["_arn"] if p.get("RestoreType") == "copy-on-write" else None}
        body = {k: v for k, v in body.items() if v is not None}
        r = self.add("cluster", region, cid, body, [("creating", self.lat["cluster"]), ("available", 0)], tags_of(p))
        return {"DBCluster": self.view("cluster", r)}

    def op_FailoverGlobalCluster(self, region, p):
        g = self.get("global", "us-east-1", p["GlobalClusterIdentifier"], "GlobalClusterNotFoundFault")
        target = p["TargetDbClusterIdentifier"]
        members = g["GlobalClusterMembers"]
        if target not in [m["DBClusterArn"] for m in members]:
            raise Fault("DBClusterNotFoundFault", f"{target} is not a member")
        for m in members:
            m["IsWriter"] = m["DBClusterArn"] == target
        g["_schedule"] = self.phases([("failing-over", self.lat["failover"]), ("available", 0)])
        return {"GlobalCluster": self.view("global", g)}

    def op_CreateGlobalCluster(self, region, p):
        gid = p.get("GlobalClusterIdentifier", "")
        if self.exists("global", "us-east-1", gid):
            raise Fault("GlobalClusterAlreadyExistsFault", f"{gid} already exists")
        src = self.get("cluster", region, p.get("SourceDBClusterIdentifier", ""), "DBClusterNotFoundFault")
        if src.get("_global"):
            raise Fault("InvalidDBClusterStateFault", "the cluster is already in a global cluster")
        src["_global"] = gid
        g = {"GlobalClusterIdentifier": gid, "Engine": src.get("Engine"), "StorageEncrypted": True,
             "GlobalClusterMembers": [{"DBClusterArn": src["_arn"], "IsWriter": True}]}
        r = self.add("global", "us-east-1", gid, g, [("creating", self.lat["cluster"] * 0.5), ("available", 0)])
        return {"GlobalCluster": self.view("global", r)}

    def op_CreateDBCluster(self, region, p):
        cid = p["DBClusterIdentifier"]
        if self.exists("cluster", region, cid):
            raise Fault("DBClusterAlreadyExistsFault", f"{cid} already exists")
        body = {"DBClusterIdentifier": cid, "Engine": p["Engine"], "StorageEncrypted": "KmsKeyId" in p,
                "ClusterCreateTime": time.time()}
        gid = p.get("GlobalClusterIdentifier")
        g = self.get("global", "us-east-1", gid, "GlobalClusterNotFoundFault") if gid else None
        if g is not None and self.status(g) != "available":
            raise Fault("InvalidGlobalClusterStateFault", f"{gid} is not available")
        r = self.add("cluster", region, cid, body, [("creating", self.lat["cluster"]), ("available", 0)], tags_of(p))
        if g is not None:
            r["_global"] = gid
            g["GlobalClusterMembers"].append({"DBClusterArn": r["_arn"], "IsWriter": False})
        return {"DBCluster": self.view("cluster", r)}

    def op_CreateDBInstance(self, region, p):
        self.capacity("CreateDBInstance")
        cid = p.get("DBClusterIdentifier")
        if not cid:
            raise Fault("InvalidParameterValue", "the fake only creates instances in an Aurora cluster")
        cluster = self.get("cluster", region, cid, "DBClusterNotFoundFault")
        if self.status(cluster) != "available":
            raise Fault("InvalidDBClusterStateFault", f"{cid} is not available")
        return self.new_instance(region, p["DBInstanceIdentifier"], cluster, p,
                                 [("creating", self.lat["replica"]), ("available", 0)],
                                 {"DBClusterIdentifier": cid, "Engine": p["Engine"]})

    def op_RemoveFromGlobalCluster(self, region, p):
        gid = p.get("GlobalClusterIdentifier", "")
        g = self.get("global", "us-east-1", gid, "GlobalClusterNotFoundFault")
        arn = p.get("DbClusterIdentifier", "")
        members = g["GlobalClusterMembers"]
        if arn not in [m["DBClusterArn"] for m in members]:
            raise Fault("DBClusterNotFoundFault", f"{arn} is not a member of {gid}")
        g["GlobalClusterMembers"] = [m for m in members if m["DBClusterArn"] != arn]
        c = self.get("cluster", region, arn, "DBClusterNotFoundFault")
        c.pop("_global", None)
        return {"GlobalCluster": self.view("global", g)}

    def op_DeleteGlobalCluster(self, region, p):
        gid = p["GlobalClusterIdentifier"]
        g = self.get("global", "us-east-1", gid, "GlobalClusterNotFoundFault")
        if g["GlobalClusterMembers"]:
            raise Fault("InvalidGlobalClusterStateFault", f"{gid} still has members")
        return {"GlobalCluster": self.delete("global", g)}

    def delete(self, kind, r):
        r["_schedule"] = self.phases([("deleting", self.lat["delete"]), ("gone", 0)])
        return self.view(kind, r)

    def op_DeleteDBInstance(self, region, p):
        r = self.get("instance", region, p["DBInstanceIdentifier"], "DBInstanceNotFound")
        if p.get("SkipFinalSnapshot") != "true" and "FinalDBSnapshotIdentifier" not in p:
            raise Fault("InvalidParameterValue", "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot")
        if self.status(r) == "deleting":
            raise Fault("InvalidDBInstanceState", "already being deleted")
        return {"DBInstance": self.delete("instance", r)}

    def op_DeleteDBCluster(self, region, p):
        r = self.get("cluster", region, p["DBClusterIdentifier"], "DBClusterNotFoundFault")
        if r.get("_global"):
            raise Fault("InvalidDBClusterStateFault", "the cluster is a member of a global cluster: remove it first")
        live = [i for (rg, _), i in self.res["instance"].items() if rg == r["_region"]
                and i.get("DBClusterIdentifier") == r["DBClusterIdentifier"] and self.status(i) != "gone"]
        if live:
            raise Fault("InvalidDBClusterStateFault", "the cluster still contains DB instances")
        if p.get("SkipFinalSnapshot") != "true" and "FinalDBSnapshotIdentifier" not in p:
            raise Fault("InvalidParameterValue", "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot")
        return {"DBCluster": self.delete("cluster", r)}

    def op_DeleteDBSnapshot(self, region, p):
        r = self.get("snapshot", region, p["DBSnapshotIdentifier"], "DBSnapshotNotFound")
        if self.status(r) not in ("available", "failed"):
            raise Fault("InvalidDBSnapshotState", "snapshot is not available")
        v = self.view("snapshot", r)
        r["_schedule"] = self.phases([("deleted", 0.05), ("gone", 0)])
        v["Status"] = "deleted"
        return {"DBSnapshot": v}

    def tag_target(self, arn):
        if arn not in self.tags:
            raise Fault("DBInstanceNotFound" if ":db:" in arn else
                        "DBSnapshotNotFound" if ":snapshot:" in arn else "DBClusterNotFoundFault",
                        f"{arn} not found")
        return self.tags[arn]

    def op_AddTagsToResource(self, region, p):
        tags = self.tag_target(p["ResourceName"])
        for t in tags_of(p):
            tags[:] = [x for x in tags if x["Key"] != t["Key"]] + [t]
        return None

    def op_ListTagsForResource(self, region, p):
        return {"TagList": list(self.tag_target(p["ResourceName"]))}

    # -- HTTP ------------------------------------------------------------
    def state(self):
        out = {}
        for kind, items in self.res.items():
            out[kind] = [dict(self.view(kind, r), Region=rg, Tags=self.tags.get(r["_arn"], []))
                         for (rg, _), r in items.items() if self.status(r) != "gone"]
        out["calls"] = self.calls
        return out


def make_handler(fake):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def send(self, status, body, ctype="text/xml"):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
            self.end_headers()
            self.wfile.write(data)

        def fault(self, f, action):
            status = f.status or (fake.model.fault_status(action, f.code) if action in fake.model.ops
                                  else COMMON.get(f.code, 400))
            kind = "Receiver" if status >= 500 else "Sender"
            self.send(status, f'<ErrorResponse xmlns="{NS}"><Error><Type>{kind}</Type><Code>{f.code}</Code>'
                              f"<Message>{f.message}</Message></Error><RequestId>{uuid.uuid4()}</RequestId>"
                              "</ErrorResponse>")

        def do_GET(self):
            if self.path == "/__state":
                with fake.lock:
                    self.send(200, json.dumps(fake.state(), default=str), "application/json")
            else:
                self.send(404, "")

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            host = self.headers.get("Host", "")
            ok, why, info = aws_sig.verify_header_signed("POST", f"http://{host}{self.path}",
                                                         dict(self.headers.items()), body, fake.args.secrets)
            params = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
            action = params.pop("Action", "")
            params.pop("Version", None)
            fake.calls.append({"action": action, "ok_sig": ok, "region": info.get("region"),
                               "params": {k: ("(presigned url)" if k == "PreSignedUrl" else v)
                                          for k, v in params.items()}})
            if not ok:
                return self.fault(Fault("SignatureDoesNotMatch", why, 403), action)
            if info["service"] == "sts" and action == "GetCallerIdentity":
                return self.send(200, '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
                                      f"<GetCallerIdentityResult><Arn>arn:aws:iam::{fake.args.account}:user/drsim"
                                      f"</Arn><UserId>AIDAFAKE</UserId><Account>{fake.args.account}</Account>"
                                      "</GetCallerIdentityResult><ResponseMetadata><RequestId>"
                                      f"{uuid.uuid4()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>")
            if info["service"] != "rds" or action not in fake.model.ops:
                return self.fault(Fault("InvalidAction", f"unknown action {action}"), action)
            for f in fake.faults:
                if f[0] == action and f[2] > 0 and f[1] in ("Throttling", "500", "slow"):
                    f[2] -= 1
                    if f[1] == "Throttling":
                        return self.fault(Fault("Throttling", "Rate exceeded"), action)
                    if f[1] == "500":
                        return self.fault(Fault("InternalFailure", "internal failure", 500), action)
                    time.sleep(fake.args.slow)
            try:
                with fake.lock:
                    result = fake.act(info["region"], action, params)
                    xml = fake.model.reply(action, result)
            except Fault as f:
                return self.fault(f, action)
            self.send(200, xml)

    return Handler


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--access-key", required=True)
    ap.add_argument("--secret", required=True)
    ap.add_argument("--account", default="123456789012")
    ap.add_argument("--lrt-lag", type=float, default=2.0)
    ap.add_argument("--slow", type=float, default=2.0)
    ap.add_argument("--latency", action="append", default=[])
    ap.add_argument("--fault", action="append", default=[])
    args = ap.parse_args()
    args.secrets = {args.access_key: args.secret}
    fake = Fake(args)
    srv = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(fake))
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    main()
