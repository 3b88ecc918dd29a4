/* test_loader.c - the scenario loader: units resolved to base units,
 * defaults, derived fields, positions, the query helpers, and each kind of
 * error with its position and message. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

static const char full[] =
	"drsim: 1\n"                                                                   /* 1 */
	"name: payments\n"                                                             /* 2 */
	"objectives: { rpo: 1m, rto: 15m }\n"                                          /* 3 */
	"sites:\n"                                                                     /* 4 */
	"  primary: { region: us-east-1, account: prod }\n"                            /* 5 */
	"  dr: { region: us-west-2, account: dr }\n"                                   /* 6 */
	"  az2: { region: us-east-1, az: us-east-1b }\n"                               /* 7 */
	"databases:\n"                                                                 /* 8 */
	"  - { name: payments, size: 800GiB, write_rate: 4MiB/s, platform: rds }\n"    /* 9 */
	"  - { name: shard, count: 40, size: \"uniform(100GiB, 2TiB)\", tier: 2,\n"    /* 10 */
	"      engine: aurora-postgresql }\n"                                          /* 11 */
	"protection:\n"                                                                /* 12 */
	"  automated_backups: { retention: 7d, window: \"23:30-00:30\" }\n"            /* 13 */
	"  copies:\n"                                                                  /* 14 */
	"    - { of: snapshots, to: dr, every: 24h, throughput: 200MiB/s, kms_key: customer-managed }\n" /* 15 */
	"  replicas:\n"                                                                /* 16 */
	"    - { at: dr }\n"                                                           /* 17 */
	"    - { at: az2, mode: sync }\n"                                              /* 18 */
	"strategy: warm-standby\n"                                                     /* 19 */
	"disasters:\n"                                                                 /* 20 */
	"  - { kind: region-outage, rate: 1/10y, detect: \"uniform(2m, 10m)\" }\n"     /* 21 */
	"  - { kind: logical-corruption, rate: 2/y,\n"                                 /* 22 */
	"      objectives: { rpo: 5m, rto: 4h } }\n"                                   /* 23 */
	"runbooks:\n"                                                                  /* 24 */
	"  region:\n"                                                                  /* 25 */
	"    - { step: declare, model: 5m, scope: once, action: { manual: declare DR } }\n" /* 26 */
	"    - { step: promote, model: \"10m + size/250MiB/s\", uses: [slot, operator],\n" /* 27 */
	"        action: { driver: db, op: promote, to: latest } }\n"                  /* 28 */
	"    - { step: verify-rows, model: 1m, action: { driver: db, op: verify } }\n" /* 29 */
	"  logical-corruption:\n"                                                      /* 30 */
	"    - { step: restore, model: 30m, uses: slot, action: restore by hand }\n"   /* 31 */
	"resources: { slot: { capacity: 20 }, operator: { capacity: 3 } }\n"           /* 32 */
	"drill: { driver: postgres-sandbox }\n";                                       /* 33 */

static scenario *load_ok(const char *yaml, dr_diags *d)
{
	scenario *s = NULL;
	dr_err err = scn_load_buffer("s.yaml", yaml, strlen(yaml), &s, d);
	if (err != DR_OK) {
		dr_diags_print(d, stderr);
		fail_msg("scenario does not load");
	}
	assert_non_null(s);
	return s;
}

static void test_units_resolved(void **state)
{
	dr_diags d = {0};
	scenario *s = load_ok(full, &d);
	assert_near(s->objectives.rpo_s, 60, 0);
	assert_near(s->objectives.rto_s, 900, 0);
	double zeros[SCN__NVAR] = {0};
	assert_near(dr_expr_mean(s->dbs[0].size, zeros), 800.0 * 1073741824.0, 1);
	assert_near(dr_expr_mean(s->dbs[0].write_rate, zeros), 4.0 * 1048576.0, 1e-6);
	assert_near(s->protection.automated.retention_s, 7 * 86400.0, 0);
	assert_near(s->protection.automated.window_start_s, 23.5 * 3600, 0);
	assert_near(s->protection.automated.window_len_s, 3600, 0); /* wraps midnight */
	assert_near(s->protection.copies[0].every_s, 86400, 0);
	assert_near(dr_expr_mean(s->protection.copies[0].throughput, zeros), 200.0 * 1048576.0, 1e-6);
	assert_near(s->disasters[0].rate_per_s, 0.1 / DR_YEAR_S, 1e-20);
	assert_near(s->disasters[1].rate_per_s, 2.0 / DR_YEAR_S, 1e-20);
	assert_near(dr_expr_mean(s->disasters[0].detect, zeros), 360, 1e-9);
	/* a step model over the size variable */
	double vars[SCN__NVAR] = {0};
	vars[SCN_VAR_SIZE] = 250.0 * 1048576.0 * 60;
	assert_near(dr_expr_mean(s->runbooks[0].steps[1].model, vars), 600 + 60, 1e-6);
	assert_true(dr_expr_uses_var(s->runbooks[0].steps[1].model, SCN_VAR_SIZE));
	assert_false(dr_expr_is_fixed(s->dbs[1].size));
	scn_free(s);
	dr_diags_release(&d);
}

static void test_defaults_and_derived(void **state)
{
	dr_diags d = {0};
	scenario *s = load_ok(full, &d);
	assert_int_equal(d.n, 0);
	assert_near(s->objectives.percentile, 95, 0);
	assert_string_equal(s->sites[s->primary].name, "primary");
	assert_string_equal(s->sites[s->dr].name, "dr");
	const scn_database *db = &s->dbs[0];
	assert_string_equal(db->engine, "postgres");
	assert_int_equal(db->platform, SCN_PLATFORM_RDS);
	assert_int_equal(db->count, 1);
	assert_int_equal(db->tier, 1);
	assert_int_equal(db->site, s->primary);
	assert_int_equal(s->dbs[1].platform, SCN_PLATFORM_AURORA); /* from the engine */
	assert_int_equal(s->dbs[1].count, 40);
	assert_int_equal(scn_total_databases(s), 41);
	const scn_protection *p = &s->protection;
	assert_true(p->automated.enabled);
	assert_near(p->automated.log_upload_s, 300, 0);
	assert_true(p->copies[0].cross_region);
	assert_true(p->copies[0].cross_account);
	assert_int_equal(p->copies[0].kms, SCN_KMS_CUSTOMER);
	double zeros[SCN__NVAR] = {0};
	assert_near(dr_expr_mean(p->copies[0].delay, zeros), 0, 0);
	assert_int_equal(p->replicas[0].mode, SCN_REPL_ASYNC);
	assert_near(dr_expr_mean(p->replicas[0].lag, zeros), 1, 1e-12);
	assert_false(p->replicas[0].same_region);
	assert_int_equal(p->replicas[1].mode, SCN_REPL_SYNC);
	assert_null(p->replicas[1].lag);
	assert_true(p->replicas[1].same_region);
	assert_int_equal(s->strategy, SCN_WARM_STANDBY);
	/* runbook aliases, steps, resources, actions */
	const scn_runbook *rb = scn_runbook_for(s, SCN_DIS_REGION);
	assert_non_null(rb);
	assert_int_equal(rb->n_steps, 3);
	assert_true(rb->steps[0].once);
	assert_false(rb->steps[1].once);
	assert_false(rb->steps[0].verify);
	assert_true(rb->steps[2].verify); /* named verify* */
	assert_int_equal(rb->steps[1].n_uses, 2);
	assert_string_equal(s->resources[rb->steps[1].uses[0]].name, "slot");
	assert_int_equal(s->resources[rb->steps[1].uses[1]].capacity, 3);
	assert_string_equal(rb->steps[0].action.manual, "declare DR");
	assert_string_equal(rb->steps[1].action.driver, "db");
	assert_string_equal(rb->steps[1].action.op, "promote");
	assert_string_equal(scn_action_param(&rb->steps[1].action, "to"), "latest");
	assert_null(scn_action_param(&rb->steps[1].action, "url"));
	assert_string_equal(scn_runbook_for(s, SCN_DIS_CORRUPTION)->steps[0].action.manual, "restore by hand");
	assert_null(scn_runbook_for(s, SCN_DIS_AZ));
	/* objectives: per-kind override, else the scenario's */
	assert_near(scn_objectives_for(s, SCN_DIS_CORRUPTION)->rpo_s, 300, 0);
	assert_near(scn_objectives_for(s, SCN_DIS_CORRUPTION)->percentile, 95, 0);
	assert_near(scn_objectives_for(s, SCN_DIS_REGION)->rpo_s, 60, 0);
	assert_int_equal(scn_disaster_index(s, SCN_DIS_CORRUPTION), 1);
	assert_int_equal(scn_disaster_index(s, SCN_DIS_RANSOMWARE), -1);
	/* costs and drill defaults */
	assert_string_equal(s->costs.currency, "USD");
	assert_true(s->drill.set);
	assert_string_equal(s->drill.cleanup, "always");
	assert_near(s->drill.canary_interval_s, 0.05, 1e-12);
	assert_near(s->drill.size, 16.0 * 1048576.0, 0);
	assert_non_null(s->sha256);
	assert_int_equal(strlen(s->sha256), 64);
	scn_free(s);
	dr_diags_release(&d);
}

static void test_positions(void **state)
{
	dr_diags d = {0};
	scenario *s = load_ok(full, &d);
	assert_string_equal(s->dbs[1].pos.file, "s.yaml");
	assert_int_equal(s->dbs[1].pos.line, 10);
	assert_int_equal(s->dbs[1].pos.col, 5);
	assert_int_equal(s->sites[1].pos.line, 6);
	assert_int_equal(s->sites[1].pos.col, 3);
	assert_int_equal(s->protection.copies[0].pos.line, 15);
	assert_int_equal(s->protection.replicas[1].pos.line, 18);
	assert_int_equal(s->strategy_pos.line, 19);
	assert_int_equal(s->strategy_pos.col, 11);
	assert_int_equal(s->disasters[1].objectives.pos.line, 23);
	assert_int_equal(s->runbooks[0].pos.line, 25);
	assert_int_equal(s->runbooks[0].steps[1].pos.line, 27);
	assert_int_equal(s->runbooks[0].steps[1].action.pos.line, 28);
	assert_int_equal(s->resources[1].pos.line, 32);
	scn_free(s);
	dr_diags_release(&d);
}

static void test_queries(void **state)
{
	assert_int_equal(scn_disaster_kind_parse("region-outage"), SCN_DIS_REGION);
	assert_int_equal(scn_disaster_kind_parse("corruption"), SCN_DIS_CORRUPTION);
	assert_int_equal(scn_disaster_kind_parse("account-compromise"), SCN_DIS_RANSOMWARE);
	assert_int_equal(scn_disaster_kind_parse("meteor"), -1);
	assert_int_equal(scn_strategy_parse("pilot-light"), SCN_PILOT_LIGHT);
	assert_int_equal(scn_strategy_parse("hope"), -1);
}

/* One broken variant of a small valid scenario per error kind. */
static const char small[] = "drsim: 1\n"
			    "name: t\n"
			    "objectives: { rpo: 15m, rto: 4h }\n"
			    "sites: { primary: { region: a }, dr: { region: b } }\n"
			    "databases: [ { name: db, size: 1GiB } ]\n"
			    "protection: { automated_backups: { retention: 7d } }\n"
			    "strategy: backup-restore\n"
			    "disasters: [ { kind: region-outage, rate: 1/10y } ]\n"
			    "runbooks: { region-outage: [ { step: restore, model: 1h, action: { manual: go } } ] }\n";

static char *edit(const char *from, const char *to)
{
	const char *at = strstr(small, from);
	if (!at)
		fail_msg("\"%s\" not in the test scenario", from);
	return dr_asprintf("%.*s%s%s", (int)(at - small), small, to, at + strlen(from));
}

/* Load len bytes of yaml, which must fail with a diagnostic "want" at line:col. */
static void expect_error_len(const char *yaml, size_t len, int line, int col, const char *want)
{
	dr_diags d = {0};
	scenario *s = (scenario *)1;
	char *name = dr_strdup("bad.yaml");
	dr_err err = scn_load_buffer(name, yaml, len, &s, &d);
	if (err != DR_PARSE)
		fail_msg("loaded, expected \"%s\"", want);
	assert_null(s);
	assert_true(d.n_errors > 0);
	bool found = false;
	for (size_t i = 0; i < d.n; i++) {
		/* diagnostics name the caller's file, which outlives the failed scenario */
		assert_ptr_equal(d.v[i].pos.file, name);
		if (d.v[i].sev == DR_SEV_ERROR && d.v[i].pos.line == line && d.v[i].pos.col == col &&
		    !strcmp(d.v[i].msg, want))
			found = true;
	}
	if (!found) {
		dr_diags_print(&d, stderr);
		fail_msg("no error %d:%d: %s", line, col, want);
	}
	dr_diags_release(&d);
	free(name);
}

static void expect_error(const char *yaml, int line, int col, const char *want)
{
	expect_error_len(yaml, strlen(yaml), line, col, want);
}

static void expect_edit(const char *from, const char *to, int line, int col, const char *want)
{
	char *yaml = edit(from, to);
	expect_error(yaml, line, col, want);
	free(yaml);
}

static void test_small_is_valid(void **state)
{
	dr_diags d = {0};
	scenario *s = load_ok(small, &d);
	assert_int_equal(d.n, 0);
	scn_free(s);
	dr_diags_release(&d);
}

static void test_error_yaml(void **state)
{
	expect_edit("rto: 4h }", "rto: 4h", 4, 6, "YAML syntax: did not find expected ',' or '}' while parsing a flow mapping");
	expect_error("", 1, 1, "empty file: a scenario needs at least 'drsim', 'name' and 'objectives'");
	expect_error("a: 1\n---\nb: 2\n", 2, 1, "more than one YAML document; a scenario file holds one");
	expect_error_len("a: \"x\0y\"\n", 9, 1, 1, "not a text file (it contains NUL bytes)");
	char deep[300];
	memset(deep, '[', 100);
	memset(deep + 100, ']', 100);
	deep[200] = 0;
	expect_error(deep, 1, 65, "nesting deeper than 64 levels");
}

static void test_error_keys(void **state)
{
	expect_edit("name: t", "nme: t", 2, 1, "unknown key 'nme' in scenario; did you mean 'name'?");
	expect_edit("name: t\n", "", 1, 1, "missing key 'name' in scenario");
	expect_edit("name: t", "name: t\nname: u", 3, 1, "duplicate key 'name' in scenario");
	expect_edit("retention: 7d", "retention: 7d, foo: 1", 6, 51, "unknown key 'foo' in automated_backups");
}

static void test_error_types(void **state)
{
	expect_edit("name: t", "name: [t]", 2, 7, "'name' must be a text, not a list");
	expect_edit("size: 1GiB", "size: 1GiB, count: two", 5, 45, "'count' must be a whole number, got \"two\"");
	expect_edit("databases: [ { name: db, size: 1GiB } ]", "databases: { db: 1 }", 5, 12,
		    "'databases' must be a list, not a mapping");
}

static void test_error_units_and_ranges(void **state)
{
	expect_edit("rpo: 15m", "rpo: 15MiB", 3, 20, "'rpo' must be a duration (e.g. 90s, 5m, 7d), got size \"15MiB\"");
	expect_edit("model: 1h", "model: \"1h + size\"", 9, 58, "'model': cannot add a size to a duration");
	expect_edit("retention: 7d", "retention: 36d", 6, 47, "'retention' is above its maximum 35d, got \"36d\"");
	expect_edit("rto: 4h", "rto: -4h", 3, 30, "'rto' must not be negative, got \"-4h\"");
	expect_edit("rto: 4h", "rto: 4h, percentile: 100", 3, 46,
		    "'percentile' must be between 0 and 100 (exclusive), got \"100\"");
	expect_edit("retention: 7d", "retention: 7d, window: \"3-4\"", 6, 59,
		    "'window' must be a window HH:MM-HH:MM, got \"3-4\"");
}

static void test_error_references(void **state)
{
	expect_edit("size: 1GiB", "size: 1GiB, site: dr2", 5, 44, "undefined site \"dr2\"; did you mean \"dr\"?");
	expect_edit("model: 1h,", "model: 1h, uses: slot,", 9, 64,
		    "undefined resource \"slot\" (declare it under 'resources')");
	expect_edit("region-outage: [", "region-outag: [", 9, 13,
		    "unknown disaster kind \"region-outag\" in 'runbooks'; did you mean \"region-outage\"?");
	expect_edit("strategy: backup-restore", "strategy: warm-standby", 7, 11,
		    "strategy \"warm-standby\" needs a replica under 'protection.replicas'");
	expect_edit("strategy: backup-restore", "strategy: pilot-lite", 7, 11,
		    "'strategy' cannot be \"pilot-lite\"; did you mean \"pilot-light\"?");
}

static void test_warning_keeps_loading(void **state)
{
	char *yaml = edit("size: 1GiB", "size: \"uniform(1GiB, 2GiB)\"");
	dr_diags d = {0};
	scenario *s = load_ok(yaml, &d);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.n_errors, 0);
	assert_int_equal(d.v[0].sev, DR_SEV_WARNING);
	assert_string_equal(d.v[0].msg, "database \"db\" has a size distribution but count 1");
	scn_free(s);
	dr_diags_release(&d);
	free(yaml);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units_resolved),
		cmocka_unit_test(test_defaults_and_derived),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_queries),
		cmocka_unit_test(test_small_is_valid),
		cmocka_unit_test(test_error_yaml),
		cmocka_unit_test(test_error_keys),
		cmocka_unit_test(test_error_types),
		cmocka_unit_test(test_error_units_and_ranges),
		cmocka_unit_test(test_error_references),
		cmocka_unit_test(test_warning_keeps_loading),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
