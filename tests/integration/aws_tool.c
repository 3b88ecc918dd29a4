/*
 * aws_tool.c - drives drsim's AWS clients (drivers/rds.c, drivers/s3.c)
 * against local endpoints for the integration tests, printing TAP lines.
 * Built by the integration scripts (tests/aws_common.sh) against $BUILD/libdrsim.a.
 *
 *   aws_tool rds RUN ACCOUNT   RDS flow against tests/fake_rds.py
 *   aws_tool s3 RUN BUCKET     S3 flow against s3rver
 *   aws_tool send SERVICE      one RDS and one S3 request (sigv4 cross-check)
 * Credentials and endpoints come from the environment like drsim's.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws_config.h"
#include "aws_http.h"
#include "rds.h"
#include "s3.h"

static int n_test;
static int n_failed;

static void tap(bool ok, const char *fmt, ...) DR_PRINTF(2, 3);
static void tap(bool ok, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("%sok %d - ", ok ? "" : "not ", ++n_test);
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	va_end(ap);
	if (!ok) n_failed++;
}

static drv_aws *client(void)
{
	drv_aws_config cfg;
	if (drv_aws_config_load(NULL, &cfg) != DR_OK) exit(3);
	drv_aws *a = drv_aws_new(&cfg);
	drv_aws_set_log(a, stderr);
	const char *fixed = getenv("DRSIM_AWS_FIXED_TIME");
	if (fixed) drv_aws_set_fixed_time(a, (time_t)atoll(fixed));
	return a;
}

static int rds_flow(const char *run, const char *account)
{
	drv_aws *a = client();
	drv_rds r;
	drv_rds_init(&r, a, run);
	r.poll_s = 0.2;
	r.max_polls = 100;
	char *acct = NULL;
	tap(drv_rds_account_id(&r, &acct) == DR_OK && acct && !strcmp(acct, account), "account id from sts");
	free(acct);

	char *snap = dr_asprintf("drsim-%s-snap", run), *copy = dr_asprintf("drsim-%s-copy", run);
	char *restored = dr_asprintf("drsim-%s-restore", run), *pitr = dr_asprintf("drsim-%s-pitr", run);
	drv_rds_param sp[] = {{"DBSnapshotIdentifier", snap}, {"DBInstanceIdentifier", "prod-db"}};
	tap(drv_rds_create(&r, "us-east-1", "CreateDBSnapshot", DRV_RDS_SNAPSHOT, snap, sp, 2) == DR_OK,
	    "CreateDBSnapshot (throttled first, retried)");
	tap(drv_aws_retries(a) >= 1 && drv_aws_retry_quota(a) < DRV_AWS_RETRY_QUOTA + 1, "throttling retried (%u retries)",
	    drv_aws_retries(a));
	tap(drv_rds_create(&r, "us-east-1", "CreateDBSnapshot", DRV_RDS_SNAPSHOT, snap, sp, 2) == DR_OK,
	    "repeated create of this run's snapshot is success, no duplicate");
	drv_rds_resource src;
	tap(drv_rds_wait_available(&r, "us-east-1", DRV_RDS_SNAPSHOT, snap, &src) == DR_OK, "snapshot available");

	char *url = drv_rds_copy_presigned_url(&r, "us-east-1", "us-west-2", src.arn, copy,
					       "arn:aws:kms:us-west-2:123456789012:key/dr");
	drv_rds_param cp[] = {{"SourceDBSnapshotIdentifier", src.arn},
			      {"TargetDBSnapshotIdentifier", copy},
			      {"KmsKeyId", "arn:aws:kms:us-west-2:123456789012:key/dr"},
			      {"PreSignedUrl", url}};
	tap(drv_rds_create(&r, "us-west-2", "CopyDBSnapshot", DRV_RDS_SNAPSHOT, copy, cp, 4) == DR_OK,
	    "CopyDBSnapshot across regions with PreSignedUrl");
	free(url);
	drv_rds_resource cres;
	tap(drv_rds_wait_available(&r, "us-west-2", DRV_RDS_SNAPSHOT, copy, &cres) == DR_OK && cres.percent == 100,
	    "copy available in us-west-2");

	drv_rds_param rp[] = {{"DBInstanceIdentifier", restored}, {"DBSnapshotIdentifier", copy}};
	double t0 = dr_now_mono();
	dr_err err = drv_rds_create(&r, "us-west-2", "RestoreDBInstanceFromDBSnapshot", DRV_RDS_INSTANCE, restored, rp, 2);
	tap(err == DR_REMOTE && !strcmp(r.last_error, "InsufficientDBInstanceCapacity"),
	    "InsufficientDBInstanceCapacity mapped to a remote error");
	err = drv_rds_create(&r, "us-west-2", "RestoreDBInstanceFromDBSnapshot", DRV_RDS_INSTANCE, restored, rp, 2);
	drv_rds_resource inst;
	memset(&inst, 0, sizeof(inst));
	tap(err == DR_OK && drv_rds_wait_available(&r, "us-west-2", DRV_RDS_INSTANCE, restored, &inst) == DR_OK,
	    "RestoreDBInstanceFromDBSnapshot available");
	double rto = dr_now_mono() - t0;
	tap(inst.address && inst.port == 5432, "restored endpoint %s:%d (restore took %.2f s, RPO point %.3f)",
	    inst.address ? inst.address : "?", inst.port, rto, cres.created);

	drv_rds_resource prod;
	memset(&prod, 0, sizeof(prod));
	err = drv_rds_describe(&r, "us-east-1", DRV_RDS_INSTANCE, "prod-db", &prod);
	double behind = dr_now_real() - prod.latest_restorable;
	tap(err == DR_OK && prod.latest_restorable > 0 && behind >= 0 && behind < 60,
	    "LatestRestorableTime read (%.3f s behind the clock)", behind);
	drv_rds_param pp[] = {{"SourceDBInstanceIdentifier", "prod-db"}, {"TargetDBInstanceIdentifier", pitr},
			      {"UseLatestRestorableTime", "true"}};
	tap(drv_rds_create(&r, "us-east-1", "RestoreDBInstanceToPointInTime", DRV_RDS_INSTANCE, pitr, pp, 3) == DR_OK &&
		    drv_rds_wait_available(&r, "us-east-1", DRV_RDS_INSTANCE, pitr, NULL) == DR_OK,
	    "RestoreDBInstanceToPointInTime (latest)");

	tap(drv_rds_delete(&r, "us-east-1", DRV_RDS_INSTANCE, "prod-db") == DR_GUARD,
	    "deleting the untagged source is refused");
	bool ok = drv_rds_delete(&r, "us-west-2", DRV_RDS_INSTANCE, restored) == DR_OK &&
		  drv_rds_delete(&r, "us-east-1", DRV_RDS_INSTANCE, pitr) == DR_OK &&
		  drv_rds_delete(&r, "us-west-2", DRV_RDS_SNAPSHOT, copy) == DR_OK &&
		  drv_rds_delete(&r, "us-east-1", DRV_RDS_SNAPSHOT, snap) == DR_OK &&
		  drv_rds_wait_deleted(&r, "us-west-2", DRV_RDS_INSTANCE, restored) == DR_OK &&
		  drv_rds_wait_deleted(&r, "us-east-1", DRV_RDS_INSTANCE, pitr) == DR_OK &&
		  drv_rds_wait_deleted(&r, "us-west-2", DRV_RDS_SNAPSHOT, copy) == DR_OK &&
		  drv_rds_wait_deleted(&r, "us-east-1", DRV_RDS_SNAPSHOT, snap) == DR_OK;
	tap(ok, "every created resource deleted (SkipFinalSnapshot, DeleteAutomatedBackups)");
	tap(drv_rds_delete(&r, "us-east-1", DRV_RDS_SNAPSHOT, snap) == DR_OK, "deleting again is a no-op");

	drv_rds_resource_release(&src);
	drv_rds_resource_release(&cres);
	drv_rds_resource_release(&inst);
	drv_rds_resource_release(&prod);
	free(snap);
	free(copy);
	free(restored);
	free(pitr);
	drv_aws_free(a);
	return n_failed ? 1 : 0;
}

static int s3_flow(const char *run, const char *bucket)
{
	drv_aws *a = client();
	drv_s3 s;
	drv_s3_init(&s, a, bucket);
	char *key = dr_asprintf("drsim/%s/evidence/result 1.json", run);
	const char *doc = "{\"met\": true}\n";
	tap(drv_s3_put(&s, key, doc, strlen(doc)) == DR_OK, "PUT object");
	drv_s3_object_info info;
	dr_err err = drv_s3_head(&s, key, &info);
	long long size = info.size;
	tap(err == DR_OK && size == (long long)strlen(doc), "HEAD object (%lld bytes)", size);
	drv_s3_object_info_release(&info);
	dr_buf got = {0};
	tap(drv_s3_get(&s, key, &got) == DR_OK && got.s && !strcmp(got.s, doc), "GET object round trip");
	dr_buf_release(&got);

	size_t big = 11u * 1024 * 1024 + 123;
	char *data = dr_malloc(big);
	for (size_t i = 0; i < big; i++) data[i] = (char)('a' + (i * 7919) % 26);
	char *bkey = dr_asprintf("drsim/%s/backup/base.tar", run);
	tap(drv_s3_put_multipart(&s, bkey, data, big, 5u * 1024 * 1024) == DR_OK, "multipart upload (3 parts)");
	tap(drv_s3_get(&s, bkey, &got) == DR_OK && got.len == big && !memcmp(got.s, data, big),
	    "multipart object reads back byte for byte");
	dr_buf_release(&got);
	free(data);

	char **keys = NULL;
	size_t n = 0;
	char *prefix = dr_asprintf("drsim/%s/", run);
	tap(drv_s3_list(&s, prefix, &keys, &n) == DR_OK && n == 2, "LIST prefix finds 2 objects");
	for (size_t i = 0; i < n; i++) free(keys[i]);
	free(keys);
	tap(drv_s3_delete(&s, key) == DR_OK && drv_s3_delete(&s, bkey) == DR_OK, "DELETE objects");
	tap(drv_s3_head(&s, key, &info) == DR_NOTFOUND, "HEAD after DELETE is not found");
	tap(drv_s3_list(&s, prefix, &keys, &n) == DR_OK && n == 0, "LIST is empty after clean-up");
	free(keys);
	free(prefix);
	free(key);
	free(bkey);
	drv_aws_free(a);
	return n_failed ? 1 : 0;
}

/* One RDS request and one S3 PUT, for the botocore cross-check. */
static int send_once(void)
{
	drv_aws *a = client();
	drv_rds r;
	drv_rds_init(&r, a, "xcheck");
	drv_rds_param p[] = {{"DBSnapshotIdentifier", "drsim-xcheck-snap"}, {"DBInstanceIdentifier", "prod-db"}};
	dr_err e1 = drv_rds_create(&r, NULL, "CreateDBSnapshot", DRV_RDS_SNAPSHOT, "drsim-xcheck-snap", p, 2);
	drv_s3 s;
	drv_s3_init(&s, a, "drsim-evidence");
	dr_err e2 = drv_s3_put(&s, "runs/xcheck/result.json", "{}", 2);
	drv_aws_free(a);
	return e1 || e2 ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "rds")) return rds_flow(argv[2], argv[3]);
	if (argc >= 4 && !strcmp(argv[1], "s3")) return s3_flow(argv[2], argv[3]);
	if (argc >= 2 && !strcmp(argv[1], "send")) return send_once();
	fprintf(stderr, "usage: aws_tool rds RUN ACCOUNT | s3 RUN BUCKET | send\n");
	return 2;
}
