/* test_drill.c - the drill executor with the dry-run driver: a whole drill,
 * a failing step (fault injection) with clean-up, the plan, and preflight
 * refusals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "drill.h"

static const char *const yaml =
	"drsim: 1\n"
	"name: t\n"
	"objectives: { rpo: 10s, rto: 1m, percentile: 95 }\n"
	"sites:\n  primary: { region: a }\n  dr: { region: b }\n"
	"databases:\n  - { name: app, engine: postgres, size: 16MiB, write_rate: 64KiB/s }\n"
	"protection:\n  automated_backups: { retention: 1d, log_upload: 5s }\n"
	"strategy: backup-restore\n"
	"disasters:\n  - { kind: instance-failure, rate: 1/10y, detect: 0s }\n"
	"runbooks:\n  instance-failure:\n"
	"    - { step: restore, model: \"uniform(1ms, 2s)\", action: { driver: db, op: restore } }\n"
	"    - { step: check, model: \"uniform(1ms, 2s)\", action: { driver: shell, run: \"true\" } }\n"
	"drill: { driver: dry-run, cleanup: always, params: { step_time: 30ms } }\n";

static scenario *load(void)
{
	dr_diags d = {0};
	scenario *s = NULL;
	dr_err err = scn_load_buffer("t.yaml", yaml, strlen(yaml), &s, &d);
	dr_diags_print(&d, stderr);
	dr_diags_release(&d);
	assert_int_equal(err, DR_OK);
	return s;
}

static void test_whole_drill(void **state)
{
	(void)state;
	scenario *s = load();
	char wd[] = "/tmp/drsim-test-drill-XXXXXX";
	assert_non_null(mkdtemp(wd));
	char *work = dr_asprintf("%s/w", wd), *jpath = dr_asprintf("%s/j", wd);
	sim_drill_opts o = {.workdir = work, .journal = jpath};
	res_result *r = NULL;
	assert_int_equal(drv_fault_set(NULL), DR_OK);
	assert_int_equal(sim_drill_run(s, &o, &r), DR_OK);
	assert_non_null(r);
	assert_int_equal(r->mode, RES_MODE_DRILL);
	const res_disaster *d = &r->disasters[0];
	/* detect (declared) + two measured steps */
	assert_int_equal(d->n_steps, 3);
	assert_int_equal(d->steps[1].source, RES_MEASURED);
	assert_true(d->steps[1].measured_s >= 0.03);
	assert_true(d->steps[1].modeled.p95 > d->steps[1].modeled.p50);
	assert_true(r->measured->technical_rto_s >= 0.03);
	assert_true(r->measured->technical_rto_s < 5);
	assert_true(r->measured->data_verified);
	assert_true(r->measured->cleanup_ok);
	assert_true(isnan(r->measured->rpo_s)); /* no canary endpoint: not measured */
	assert_false(r->met);
	assert_int_not_equal(access(work, F_OK), 0);
	res_free(r);
	unlink(jpath);
	rmdir(wd);
	free(work);
	free(jpath);
	scn_free(s);
}

static void test_failing_step_cleans_up(void **state)
{
	(void)state;
	scenario *s = load();
	char wd[] = "/tmp/drsim-test-drill-XXXXXX";
	assert_non_null(mkdtemp(wd));
	char *work = dr_asprintf("%s/w", wd), *jpath = dr_asprintf("%s/j", wd);
	sim_drill_opts o = {.workdir = work, .journal = jpath};
	res_result *r = NULL;
	assert_int_equal(drv_fault_set("drv:shell:step:1"), DR_OK);
	assert_int_equal(sim_drill_run(s, &o, &r), DR_DRIVER);
	assert_non_null(r);
	assert_non_null(r->disasters[0].steps[2].error);
	assert_true(r->measured->cleanup_ok);
	assert_false(r->met);
	assert_int_not_equal(access(work, F_OK), 0);
	size_t left = 9;
	assert_int_equal(sim_cleanup_journal(jpath, &left, NULL), DR_OK);
	assert_int_equal(left, 0);
	assert_int_equal(drv_fault_set(NULL), DR_OK);
	res_free(r);
	unlink(jpath);
	rmdir(wd);
	free(work);
	free(jpath);
	scn_free(s);
}

static void test_preflight_and_plan(void **state)
{
	(void)state;
	scenario *s = load();
	res_result *r = NULL;
	sim_drill_opts o = {.disaster = "region-outage"};
	assert_int_equal(sim_drill_run(s, &o, &r), DR_USAGE);
	assert_null(r);
	char wd[] = "/tmp/drsim-test-drill-XXXXXX";
	assert_non_null(mkdtemp(wd));
	sim_drill_opts existing = {.workdir = wd};
	assert_int_equal(sim_drill_run(s, &existing, &r), DR_GUARD);
	assert_null(r);
	rmdir(wd);
	dr_buf b = {0};
	assert_int_equal(sim_plan(s, NULL, &b), DR_OK);
	assert_non_null(strstr(b.s, "run kill -KILL"));
	assert_non_null(strstr(b.s, "run /bin/sh -c 'true'"));
	assert_non_null(strstr(b.s, "step 1: restore"));
	assert_true(strstr(b.s, "set-up") < strstr(b.s, "injection"));
	assert_true(strstr(b.s, "injection") < strstr(b.s, "clean-up"));
	dr_buf_release(&b);
	scn_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_drill),
		cmocka_unit_test(test_failing_step_cleans_up),
		cmocka_unit_test(test_preflight_and_plan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
