/* test_lint.c - every posture rule fires on a scenario built to trip it and
 * stays silent on a near-identical one that avoids the pitfall; plus the rule
 * table, positions, and the text and JSON renderings. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint.h"

/* The parts of a scenario a test may replace; NULL keeps the clean default,
 * which trips no rule at all. */
typedef struct {
	const char *objectives, *sites, *databases, *protection, *strategy, *disasters, *runbooks, *extra;
} parts;

#define CLEAN_RUNBOOK(kind)                                                              \
	"  " kind ":\n"                                                                      \
	"    - { step: restore, model: 30m, action: { driver: db, op: restore-pitr } }\n"   \
	"    - { step: verify, model: 5m, action: { driver: db, op: verify } }\n"

static const parts clean = {
	.objectives = "{ rpo: 15m, rto: 4h, percentile: 95 }",
	.sites = "  primary: { region: us-east-1, account: prod }\n"
		 "  dr: { region: us-west-2, account: vault }\n"
		 "  standby: { region: us-east-1, az: us-east-1b }\n",
	.databases = "  - { name: app, size: 100GiB, platform: rds }\n",
	.protection = "  automated_backups: { retention: 14d, log_upload: 5m }\n"
		      "  copies:\n"
		      "    - { of: automated-backups, to: dr, kms_key: customer-managed }\n"
		      "    - { of: logs, to: dr, delay: 1m }\n",
	.strategy = "backup-restore",
	.disasters = "  - { kind: region-outage, rate: 1/10y, detect: 10m }\n"
		     "  - { kind: logical-corruption, rate: 1/y, detect: 1h }\n",
	.runbooks = CLEAN_RUNBOOK("region-outage") CLEAN_RUNBOOK("logical-corruption"),
	.extra = "drill: { driver: dry-run }\n",
};

static char *compose(parts p)
{
#define D(f) (p.f ? p.f : clean.f)
	dr_buf b = {0};
	dr_buf_printf(&b,
		      "drsim: 1\nname: lint test\nobjectives: %s\nsites:\n%sdatabases:\n%sprotection:\n%s"
		      "strategy: %s\ndisasters:\n%srunbooks:\n%s%s",
		      D(objectives), D(sites), D(databases), D(protection), D(strategy), D(disasters), D(runbooks),
		      D(extra));
#undef D
	return dr_buf_take(&b);
}

/* Load p (the test fails when it is not valid) and lint it. */
static scenario *lint(parts p, scn_lint_findings *f)
{
	char *yaml = compose(p);
	dr_diags d = {0};
	scenario *s = NULL;
	dr_err err = scn_load_buffer("t.yaml", yaml, strlen(yaml), &s, &d);
	if (err != DR_OK) {
		dr_diags_print(&d, stderr);
		fprintf(stderr, "%s", yaml);
		fail_msg("test scenario does not load");
	}
	dr_diags_release(&d);
	free(yaml);
	scn_lint_run(s, f);
	return s;
}

static bool fires(const char *id, parts p)
{
	scn_lint_findings f = {0};
	scenario *s = lint(p, &f);
	bool hit = scn_lint_has(&f, id);
	scn_lint_findings_release(&f);
	scn_free(s);
	return hit;
}

/* The finding of rule id, which must exist; its position is returned. */
static dr_pos finding_pos(const char *id, parts p, char *msg, size_t n)
{
	scn_lint_findings f = {0};
	scenario *s = lint(p, &f);
	dr_pos pos = {0};
	bool found = false;
	for (size_t i = 0; i < f.n; i++) {
		if (!strcmp(f.v[i].id, id) && !found) {
			pos = f.v[i].pos;
			snprintf(msg, n, "%s", f.v[i].msg);
			found = true;
		}
	}
	scn_lint_findings_release(&f);
	scn_free(s);
	if (!found)
		fail_msg("rule %s did not fire", id);
	pos.file = NULL; /* borrowed from the freed scenario */
	return pos;
}

static void test_clean_has_no_findings(void **state)
{
	scn_lint_findings f = {0};
	scenario *s = lint((parts){0}, &f);
	for (size_t i = 0; i < f.n; i++)
		fprintf(stderr, "unexpected %s: %s\n", f.v[i].id, f.v[i].msg);
	assert_int_equal(f.n, 0);
	scn_lint_findings_release(&f);
	scn_free(s);
}

static void test_rule_table(void **state)
{
	assert_true(scn_lint_n_rules >= 12);
	for (size_t i = 0; i < scn_lint_n_rules; i++) {
		const scn_lint_rule *r = &scn_lint_rules[i];
		assert_int_equal(strlen(r->id), 5);
		assert_true(r->title[0] && r->explanation[0] && r->fix[0] && r->check);
		assert_ptr_equal(scn_lint_rule_find(r->id), r);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(scn_lint_rules[j].id, r->id);
	}
	assert_null(scn_lint_rule_find("DR999"));
}

static void test_dr001_rds_backups_off(void **state)
{
	parts off = {.protection = "  automated_backups: { retention: 0 }\n"
				   "  snapshots: { every: 24h }\n"
				   "  copies:\n    - { of: snapshots, to: dr, kms_key: customer-managed }\n"
				   "    - { of: logs, to: dr, delay: 1m }\n"};
	assert_true(fires("DR001", off));
	assert_false(fires("DR001", (parts){0}));
	/* the same on a self-managed database is a choice, not an RDS pitfall */
	off.databases = "  - { name: app, size: 100GiB }\n";
	assert_false(fires("DR001", off));
}

static void test_dr002_aurora_retention_zero(void **state)
{
	parts p = {.databases = "  - { name: app, size: 100GiB, engine: aurora-postgresql }\n",
		   .protection = "  automated_backups: { retention: 0 }\n"
				 "  snapshots: { every: 24h }\n"
				 "  copies:\n    - { of: snapshots, to: dr, kms_key: customer-managed }\n"};
	assert_true(fires("DR002", p));
	assert_false(fires("DR001", p));
	p.protection = NULL;
	assert_false(fires("DR002", p));
}

static void test_dr003_single_region(void **state)
{
	parts p = {.sites = "  primary: { region: us-east-1, account: prod }\n"
			    "  dr: { region: us-east-1, account: vault }\n"};
	char msg[256];
	dr_pos pos = finding_pos("DR003", p, msg, sizeof msg);
	assert_int_equal(pos.line, 5); /* the primary site */
	assert_int_equal(pos.col, 3);
	assert_non_null(strstr(msg, "\"us-east-1\""));
	assert_false(fires("DR003", (parts){0}));
}

static void test_dr004_snapshot_copy_interval(void **state)
{
	parts p = {.protection = "  automated_backups: { retention: 14d }\n"
				 "  copies:\n    - { of: automated-backups, to: dr, every: 24h, kms_key: customer-managed }\n"};
	assert_true(fires("DR004", p));
	p.protection = "  automated_backups: { retention: 14d }\n"
		       "  copies:\n    - { of: automated-backups, to: dr, every: 10m, kms_key: customer-managed }\n";
	assert_false(fires("DR004", p));
	assert_false(fires("DR004", (parts){0})); /* logs reach the DR region */
}

static void test_dr005_log_copy_delay(void **state)
{
	parts p = {.protection = "  automated_backups: { retention: 14d }\n"
				 "  copies:\n    - { of: automated-backups, to: dr, kms_key: customer-managed }\n"
				 "    - { of: logs, to: dr, delay: \"lognormal(median=20m, p95=1h)\" }\n"};
	char msg[256];
	dr_pos pos = finding_pos("DR005", p, msg, sizeof msg);
	assert_int_equal(pos.line, 14); /* the log copy */
	assert_int_equal(pos.col, 7);
	assert_false(fires("DR005", (parts){0}));
}

static void test_dr006_kms_default_shared(void **state)
{
	parts p = {.protection = "  automated_backups: { retention: 14d }\n"
				 "  copies:\n    - { of: automated-backups, to: dr, kms_key: default }\n"
				 "    - { of: logs, to: dr, delay: 1m }\n"};
	char msg[256];
	dr_pos pos = finding_pos("DR006", p, msg, sizeof msg);
	assert_int_equal(pos.line, 13); /* the copy */
	assert_int_equal(pos.col, 7);
	/* the same key within one account is fine */
	p.sites = "  primary: { region: us-east-1 }\n  dr: { region: us-west-2 }\n";
	assert_false(fires("DR006", p));
	assert_false(fires("DR006", (parts){0}));
}

static void test_dr007_replicas_only(void **state)
{
	parts p = {.protection = "  replicas:\n    - { at: dr, lag: 1s }\n", .strategy = "warm-standby"};
	assert_true(fires("DR007", p));
	p.disasters = "  - { kind: region-outage, rate: 1/10y, detect: 10m }\n";
	p.runbooks = CLEAN_RUNBOOK("region-outage");
	assert_false(fires("DR007", p)); /* no corruption listed */
	assert_false(fires("DR007", (parts){0}));
}

static void test_dr008_retention_vs_detect(void **state)
{
	parts p = {.disasters = "  - { kind: region-outage, rate: 1/10y, detect: 10m }\n"
				"  - { kind: logical-corruption, rate: 1/y, detect: \"uniform(20d, 30d)\" }\n"};
	assert_true(fires("DR008", p));
	/* manual snapshots kept until deleted reach back far enough */
	p.protection = "  automated_backups: { retention: 14d }\n  snapshots: { every: 7d }\n"
		       "  copies:\n    - { of: automated-backups, to: dr, kms_key: customer-managed }\n"
		       "    - { of: logs, to: dr, delay: 1m }\n";
	assert_false(fires("DR008", p));
	assert_false(fires("DR008", (parts){0}));
}

static void test_dr009_sync_cross_region(void **state)
{
	parts p = {.protection = "  automated_backups: { retention: 14d }\n"
				 "  copies:\n    - { of: automated-backups, to: dr, kms_key: customer-managed }\n"
				 "    - { of: logs, to: dr, delay: 1m }\n"
				 "  replicas:\n    - { at: dr, mode: sync }\n"};
	assert_true(fires("DR009", p));
	p.protection = "  automated_backups: { retention: 14d }\n"
		       "  copies:\n    - { of: automated-backups, to: dr, kms_key: customer-managed }\n"
		       "    - { of: logs, to: dr, delay: 1m }\n"
		       "  replicas:\n    - { at: standby, mode: sync }\n";
	assert_false(fires("DR009", p));
}

static void test_dr010_no_verify(void **state)
{
	parts p = {.runbooks = CLEAN_RUNBOOK("logical-corruption") "  region-outage:\n"
			       "    - { step: restore, model: 30m, action: { driver: db, op: restore } }\n"};
	char msg[256];
	dr_pos pos = finding_pos("DR010", p, msg, sizeof msg);
	assert_int_equal(pos.line, 23); /* the runbook's key */
	assert_int_equal(pos.col, 3);
	assert_non_null(strstr(msg, "\"region-outage\""));
	/* "verify: true" counts as well as the name */
	p.runbooks = CLEAN_RUNBOOK("logical-corruption") "  region-outage:\n"
		     "    - { step: restore, model: 30m, action: { driver: db, op: restore } }\n"
		     "    - { step: smoke, model: 1m, verify: true, action: { driver: http, op: wait-healthy } }\n";
	assert_false(fires("DR010", p));
}

static void test_dr011_capacity(void **state)
{
	parts p = {.databases = "  - { name: shard, count: 40, size: 100GiB, platform: rds }\n",
		   .runbooks = CLEAN_RUNBOOK("logical-corruption") "  region-outage:\n"
			       "    - { step: restore, model: \"30m + size/1GiB/s\", uses: restore-slot,"
			       " action: { driver: db, op: restore } }\n"
			       "    - { step: verify, model: 5m, action: { driver: db, op: verify } }\n",
		   .extra = "drill: { driver: dry-run }\nresources: { restore-slot: { capacity: 2 } }\n"};
	/* 20 waves of at least 30m + 100 s each: far beyond 4h */
	char msg[256];
	dr_pos pos = finding_pos("DR011", p, msg, sizeof msg);
	assert_int_equal(pos.line, 24); /* the restore step */
	assert_non_null(strstr(msg, "20 waves"));
	p.extra = "drill: { driver: dry-run }\nresources: { restore-slot: { capacity: 20 } }\n";
	assert_false(fires("DR011", p)); /* 2 waves: about 1h15m */
}

static void test_dr012_ransomware_account(void **state)
{
	parts p = {.sites = "  primary: { region: us-east-1 }\n  dr: { region: us-west-2 }\n",
		   .disasters = "  - { kind: region-outage, rate: 1/10y }\n  - { kind: logical-corruption, rate: 1/y }\n"
				"  - { kind: ransomware, rate: 1/20y }\n",
		   .runbooks = CLEAN_RUNBOOK("region-outage") CLEAN_RUNBOOK("logical-corruption")
			   CLEAN_RUNBOOK("ransomware")};
	assert_true(fires("DR012", p));
	p.sites = NULL; /* dr is in the vault account */
	assert_false(fires("DR012", p));
	/* a copy under the default KMS key never reaches the vault */
	p.protection = "  automated_backups: { retention: 14d }\n"
		       "  copies:\n    - { of: automated-backups, to: dr, kms_key: default }\n"
		       "    - { of: logs, to: dr, delay: 1m }\n";
	assert_true(fires("DR012", p));
}

static void test_dr013_log_upload(void **state)
{
	parts p = {.protection = "  automated_backups: { retention: 14d, log_upload: 30m }\n"
				 "  copies:\n    - { of: automated-backups, to: dr, kms_key: customer-managed }\n"
				 "    - { of: logs, to: dr, delay: 1m }\n"};
	assert_true(fires("DR013", p));
	p.objectives = "{ rpo: 1h, rto: 4h }";
	assert_false(fires("DR013", p));
}

static void test_dr014_no_drill(void **state)
{
	char msg[256];
	dr_pos pos = finding_pos("DR014", (parts){.extra = ""}, msg, sizeof msg);
	assert_int_equal(pos.line, 1);
	assert_false(fires("DR014", (parts){0}));
}

static void test_dr015_manual_only(void **state)
{
	parts p = {.runbooks = CLEAN_RUNBOOK("logical-corruption") "  region-outage:\n"
			       "    - { step: restore, model: 30m, action: { manual: restore the snapshot } }\n"
			       "    - { step: verify, model: 5m, action: check the application }\n"};
	assert_true(fires("DR015", p));
	assert_false(fires("DR015", (parts){0}));
}

static void test_dr016_percentile(void **state)
{
	assert_true(fires("DR016", (parts){.objectives = "{ rpo: 15m, rto: 4h, percentile: 80 }"}));
	parts p = {.disasters = "  - { kind: region-outage, rate: 1/10y, objectives: { rpo: 1h, rto: 8h, percentile: 50 } }\n"
				"  - { kind: logical-corruption, rate: 1/y, detect: 1h }\n"};
	char msg[256];
	dr_pos pos = finding_pos("DR016", p, msg, sizeof msg);
	assert_int_equal(pos.line, 17); /* the override */
	assert_non_null(strstr(msg, "p50"));
	assert_false(fires("DR016", (parts){.objectives = "{ rpo: 15m, rto: 4h, percentile: 90 }"}));
}

static void test_dr017_zero_rpo(void **state)
{
	parts p = {.objectives = "{ rpo: 0, rto: 4h }"};
	assert_true(fires("DR017", p));
	/* a synchronous replica makes RPO 0 possible for a region outage, never for corruption */
	p.disasters = "  - { kind: region-outage, rate: 1/10y }\n";
	p.runbooks = CLEAN_RUNBOOK("region-outage");
	p.protection = "  automated_backups: { retention: 14d }\n"
		       "  copies:\n    - { of: automated-backups, to: dr, kms_key: customer-managed }\n"
		       "  replicas:\n    - { at: standby, mode: sync }\n";
	assert_false(fires("DR017", p));
	p.disasters = "  - { kind: region-outage, rate: 1/10y }\n  - { kind: logical-corruption, rate: 1/y }\n";
	p.runbooks = NULL;
	assert_true(fires("DR017", p));
}

static void test_dr018_replica_lag(void **state)
{
	parts p = {.protection = "  automated_backups: { retention: 14d }\n"
				 "  copies:\n    - { of: automated-backups, to: dr, kms_key: customer-managed }\n"
				 "  replicas:\n    - { at: dr, lag: \"lognormal(median=20m, p95=1h)\" }\n"};
	assert_true(fires("DR018", p));
	p.protection = "  automated_backups: { retention: 14d }\n"
		       "  copies:\n    - { of: automated-backups, to: dr, kms_key: customer-managed }\n"
		       "  replicas:\n    - { at: dr, lag: \"lognormal(median=300ms, p95=2s)\" }\n";
	assert_false(fires("DR018", p));
}

static void test_renderings(void **state)
{
	scn_lint_findings f = {0};
	scenario *s = lint((parts){.extra = "", .objectives = "{ rpo: 15m, rto: 4h, percentile: 80 }"}, &f);
	assert_int_equal(f.n, 2);
	assert_int_equal(scn_lint_count(&f, SCN_LINT_INFO), 1);
	assert_int_equal(scn_lint_count(&f, SCN_LINT_WARNING), 1);
	assert_int_equal(scn_lint_count(&f, SCN_LINT_ERROR), 0);

	json_t *j = scn_lint_json(&f);
	assert_int_equal(json_array_size(j), 2);
	json_t *first = json_array_get(j, 0);
	assert_string_equal(json_string_value(json_object_get(first, "id")), "DR014");
	assert_string_equal(json_string_value(json_object_get(first, "severity")), "info");
	assert_string_equal(json_string_value(json_object_get(first, "file")), "t.yaml");
	assert_int_equal(json_integer_value(json_object_get(first, "line")), 1);
	assert_int_equal(json_integer_value(json_object_get(first, "col")), 1);
	assert_non_null(json_string_value(json_object_get(first, "message")));
	assert_non_null(json_string_value(json_object_get(first, "fix")));
	json_decref(j);

	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	scn_lint_print_text(&f, mem);
	fclose(mem);
	assert_non_null(strstr(text, "t.yaml:3:13: warning: [DR016] objectives hold at p80 only\n  fix: "));
	assert_non_null(strstr(text, "t.yaml:1:1: info: [DR014] "));
	free(text);
	scn_lint_findings_release(&f);
	scn_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_has_no_findings),
		cmocka_unit_test(test_rule_table),
		cmocka_unit_test(test_dr001_rds_backups_off),
		cmocka_unit_test(test_dr002_aurora_retention_zero),
		cmocka_unit_test(test_dr003_single_region),
		cmocka_unit_test(test_dr004_snapshot_copy_interval),
		cmocka_unit_test(test_dr005_log_copy_delay),
		cmocka_unit_test(test_dr006_kms_default_shared),
		cmocka_unit_test(test_dr007_replicas_only),
		cmocka_unit_test(test_dr008_retention_vs_detect),
		cmocka_unit_test(test_dr009_sync_cross_region),
		cmocka_unit_test(test_dr010_no_verify),
		cmocka_unit_test(test_dr011_capacity),
		cmocka_unit_test(test_dr012_ransomware_account),
		cmocka_unit_test(test_dr013_log_upload),
		cmocka_unit_test(test_dr014_no_drill),
		cmocka_unit_test(test_dr015_manual_only),
		cmocka_unit_test(test_dr016_percentile),
		cmocka_unit_test(test_dr017_zero_rpo),
		cmocka_unit_test(test_dr018_replica_lag),
		cmocka_unit_test(test_renderings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
