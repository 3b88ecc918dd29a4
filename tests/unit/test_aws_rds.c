/* test_aws_rds.c - the aws-rds driver without a server: its table, its
 * plan (describe) for each strategy, the plan-time refusal to share a
 * snapshot under the default KMS key, and the KMS default-key test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "driver.h"
#include "rds.h"

static const char base[] =
	"drsim: 1\n"
	"name: t\n"
	"objectives: { rpo: 1h, rto: 4h, percentile: 95 }\n"
	"sites:\n"
	"  primary: { region: us-east-1 }\n"
	"  dr: { region: us-west-2 }\n"
	"databases:\n"
	"  - { name: a, engine: %s, size: 10GiB, write_rate: 1MiB/s }\n"
	"protection:\n"
	"  automated_backups: { retention: 7d }\n"
	"  replicas:\n"
	"    - { at: dr, mode: async, lag: 1s }\n"
	"strategy: %s\n"
	"disasters:\n"
	"  - { kind: region-outage, rate: 1/10y, detect: 1m }\n"
	"runbooks:\n"
	"  region-outage:\n"
	"%s"
	"drill: { driver: aws-rds, allow_accounts: [\"1\"], params: { %s } }\n";

static scenario *load(const char *engine, const char *strategy, const char *steps, const char *params)
{
	char *text = dr_asprintf(base, engine, strategy, steps, params);
	scenario *s = NULL;
	dr_diags d = {0};
	dr_err err = scn_load_buffer("t.yaml", text, strlen(text), &s, &d);
	if (err) dr_diags_print(&d, stderr);
	dr_diags_release(&d);
	free(text);
	assert_int_equal(err, DR_OK);
	return s;
}

/* Describe set-up, every step and clean-up into one text; the error of the
 * first phase that failed in *err. */
static char *plan(const scenario *s, dr_err *err)
{
	drv_ctx_init init = {.run_id = "RUN", .scn = s, .disaster = SCN_DIS_REGION, .dry_run = true};
	drv_ctx *c = drv_ctx_new(&drv_aws_rds_ops, &init);
	dr_buf b = {0};
	*err = drv_describe(c, DRV_PHASE_SETUP, NULL, &b);
	for (size_t i = 0; !*err && i < s->runbooks[0].n_steps; i++)
		*err = drv_describe(c, DRV_PHASE_STEP, &s->runbooks[0].steps[i], &b);
	if (!*err) *err = drv_describe(c, DRV_PHASE_CLEANUP, NULL, &b);
	drv_ctx_free(c);
	return dr_buf_take(&b);
}

/* The actions appear in out in this order. */
static void in_order(const char *out, const char *const *actions, size_t n)
{
	const char *p = out;
	for (size_t i = 0; i < n; i++) {
		const char *q = strstr(p, actions[i]);
		if (!q) fail_msg("'%s' missing or out of order in:\n%s", actions[i], out);
		p = q + strlen(actions[i]);
	}
}

static void test_table(void **state)
{
	(void)state;
	char why[256] = "";
	assert_true(drv_ops_valid(&drv_aws_rds_ops, why, sizeof why));
	assert_ptr_equal(drv_find("aws-rds"), &drv_aws_rds_ops);
}

static void test_kms_default(void **state)
{
	(void)state;
	assert_true(drv_rds_kms_is_default("alias/aws/rds"));
	assert_true(drv_rds_kms_is_default("arn:aws:kms:us-east-1:1:alias/aws/rds"));
	assert_true(drv_rds_kms_is_default("default"));
	assert_false(drv_rds_kms_is_default("arn:aws:kms:us-west-2:1:key/abc"));
	assert_false(drv_rds_kms_is_default(NULL));
}

static void test_plan_backup_restore(void **state)
{
	(void)state;
	scenario *s = load("postgres", "backup-restore",
			   "    - { step: restore, model: 1m, action: { driver: db, op: restore-snapshot } }\n"
			   "    - { step: wait, model: 1m, action: { driver: db, op: wait-available } }\n",
			   "source_instance: prod-db, kms_key: k1");
	dr_err err;
	char *out = plan(s, &err);
	assert_int_equal(err, DR_OK);
	const char *order[] = {"GetCallerIdentity", "CreateDBSnapshot DBSnapshotIdentifier=drsim-run-snap DBInstanceIdentifier=prod-db",
			       "rds.us-west-2 CopyDBSnapshot", "KmsKeyId=k1", "PreSignedUrl=<signed",
			       "rds.us-west-2 RestoreDBInstanceFromDBSnapshot DBInstanceIdentifier=drsim-run-restore DBSnapshotIdentifier=drsim-run-copy",
			       "DescribeDBInstances DBInstanceIdentifier=drsim-run-restore",
			       "remove db-instance drsim-run-restore", "remove db-snapshot drsim-run-copy",
			       "remove db-snapshot drsim-run-snap"};
	in_order(out, order, sizeof order / sizeof *order);
	free(out);
	scn_free(s);
}

static void test_plan_refuses_default_key_share(void **state)
{
	(void)state;
	const char *steps = "    - { step: share, model: 1m, action: { driver: db, op: share-snapshot, account: \"2\" } }\n";
	scenario *s = load("postgres", "backup-restore", steps, "source_instance: prod-db, kms_key: alias/aws/rds");
	dr_err err;
	char *out = plan(s, &err);
	assert_int_equal(err, DR_GUARD);
	free(out);
	scn_free(s);
	s = load("postgres", "backup-restore", steps, "source_instance: prod-db, kms_key: k1");
	out = plan(s, &err);
	assert_int_equal(err, DR_OK);
	assert_non_null(strstr(out, "ModifyDBSnapshotAttribute DBSnapshotIdentifier=drsim-run-copy AttributeName=restore ValuesToAdd.AttributeValue.1=2"));
	free(out);
	scn_free(s);
}

static void test_plan_replica_and_global(void **state)
{
	(void)state;
	const char *steps = "    - { step: promote, model: 1m, action: { driver: db, op: promote-replica } }\n";
	scenario *s = load("postgres", "pilot-light", steps, "source_instance: prod-db");
	dr_err err;
	char *out = plan(s, &err);
	assert_int_equal(err, DR_OK);
	const char *rds[] = {"rds.us-west-2 CreateDBInstanceReadReplica DBInstanceIdentifier=drsim-run-standby",
			     "PromoteReadReplica DBInstanceIdentifier=drsim-run-standby", "remove db-instance drsim-run-standby"};
	in_order(out, rds, sizeof rds / sizeof *rds);
	free(out);
	scn_free(s);
	s = load("aurora-postgresql", "multi-site",
		 "    - { step: failover, model: 1m, action: { driver: db, op: failover-global } }\n",
		 "source_cluster: prod-aurora");
	out = plan(s, &err);
	assert_int_equal(err, DR_OK);
	const char *aurora[] = {"RestoreType=copy-on-write", "CreateGlobalCluster GlobalClusterIdentifier=drsim-run-global",
				"rds.us-west-2 CreateDBCluster DBClusterIdentifier=drsim-run-secondary",
				"FailoverGlobalCluster GlobalClusterIdentifier=drsim-run-global",
				"remove db-instance drsim-run-secondary-1", "remove db-cluster drsim-run-secondary",
				"remove db-global-cluster drsim-run-global", "remove db-cluster drsim-run-primary"};
	in_order(out, aurora, sizeof aurora / sizeof *aurora);
	free(out);
	scn_free(s);
}

static void test_plan_unknown_op(void **state)
{
	(void)state;
	scenario *s = load("postgres", "backup-restore",
			   "    - { step: x, model: 1m, action: { driver: db, op: restore-snapshots } }\n",
			   "source_instance: prod-db");
	dr_err err;
	char *out = plan(s, &err);
	assert_int_equal(err, DR_USAGE);
	free(out);
	scn_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_kms_default),
		cmocka_unit_test(test_plan_backup_restore),
		cmocka_unit_test(test_plan_refuses_default_key_share),
		cmocka_unit_test(test_plan_replica_and_global),
		cmocka_unit_test(test_plan_unknown_op),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
