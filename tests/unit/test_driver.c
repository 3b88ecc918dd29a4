/* test_driver.c - the driver core: registry, wrappers, fault injection
 * ("fail at call N"), ownership guards and redaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "driver.h"

static void test_registry(void **state)
{
	(void)state;
	size_t n;
	const drv_entry *e = drv_registry(&n);
	assert_true(n >= 3);
	for (size_t i = 0; i < n; i++) {
		char why[256] = "";
		if (e[i].ops) {
			assert_true(drv_ops_valid(e[i].ops, why, sizeof why));
			assert_ptr_equal(drv_find(e[i].name), e[i].ops);
		} else {
			assert_non_null(e[i].reason);
			assert_null(drv_find(e[i].name));
		}
	}
	assert_null(drv_find("no-such-driver"));
	drv_ops bad = drv_dryrun_ops;
	bad.abi_version = DRV_ABI_VERSION + 1;
	char why[256];
	assert_false(drv_ops_valid(&bad, why, sizeof why));
	assert_non_null(strstr(why, "interface version"));
	bad = drv_dryrun_ops;
	bad.inject = NULL;
	assert_false(drv_ops_valid(&bad, why, sizeof why));
	assert_non_null(strstr(why, "inject"));
}

static void test_fault_at_call_n(void **state)
{
	(void)state;
	drv_ctx_init init = {.run_id = "run-f"};
	drv_ctx *c = drv_ctx_new(&drv_shell_ops, &init);
	assert_int_equal(drv_fault_set("drv:shell:describe:2"), DR_OK);
	scn_param p = {.key = "run", .value = "true"};
	scn_step st = {.name = "s", .action = {.driver = "shell", .params = &p, .n_params = 1}};
	dr_buf b = {0};
	assert_int_equal(drv_describe(c, DRV_PHASE_STEP, &st, &b), DR_OK);
	assert_int_equal(drv_describe(c, DRV_PHASE_STEP, &st, &b), DR_DRIVER);
	assert_int_equal(drv_describe(c, DRV_PHASE_STEP, &st, &b), DR_OK);
	assert_int_equal(drv_fault_calls("shell", "describe"), 3);
	assert_int_equal(drv_fault_set("drv:shell:describe:2+"), DR_OK);
	assert_int_equal(drv_describe(c, DRV_PHASE_STEP, &st, &b), DR_OK);
	assert_int_equal(drv_describe(c, DRV_PHASE_STEP, &st, &b), DR_DRIVER);
	assert_int_equal(drv_describe(c, DRV_PHASE_STEP, &st, &b), DR_DRIVER);
	assert_int_equal(drv_fault_set("drv:shell:describe"), DR_PARSE);
	assert_int_equal(drv_fault_set("drv:shell:describe:0"), DR_PARSE);
	assert_int_equal(drv_fault_set(NULL), DR_OK);
	assert_int_equal(drv_describe(c, DRV_PHASE_STEP, &st, &b), DR_OK);
	assert_non_null(strstr(b.s, "run /bin/sh -c 'true'"));
	/* A missing operation is reported, not called. */
	double at;
	assert_int_equal(drv_inject(c, SCN_DIS_INSTANCE, &at), DR_UNSUPPORTED);
	dr_buf_release(&b);
	drv_ctx_free(c);
}

static void test_shell_step(void **state)
{
	(void)state;
	drv_ctx_init init = {.run_id = "run-s"};
	drv_ctx *c = drv_ctx_new(&drv_shell_ops, &init);
	scn_param p = {.key = "run", .value = "echo hello; exit 3"};
	scn_step st = {.name = "s", .action = {.driver = "shell", .params = &p, .n_params = 1}};
	drv_step_out out;
	c->deadline_mono = dr_now_mono() + 5;
	assert_int_equal(drv_step(c, &st, &out), DR_DRIVER);
	assert_int_equal(out.exit_status, 3);
	assert_non_null(strstr(out.detail, "hello"));
	p.value = "sleep 5";
	c->deadline_mono = dr_now_mono() + 0.2;
	double t = dr_now_mono();
	assert_int_equal(drv_step(c, &st, &out), DR_TIMEOUT);
	assert_true(dr_now_mono() - t < 3);
	drv_ctx_free(c);
}

static void test_guards(void **state)
{
	(void)state;
	char dir[] = "/tmp/drsim-test-driver-XXXXXX";
	assert_non_null(mkdtemp(dir));
	drv_ctx_init init = {.run_id = "run-g"};
	drv_ctx *c = drv_ctx_new(&drv_dryrun_ops, &init);
	/* An existing directory is never adopted. */
	assert_int_equal(drv_mkdir(c, dir, 0700), DR_GUARD);
	char *mine = dr_asprintf("%s/mine", dir);
	assert_int_equal(drv_mkdir(c, mine, 0700), DR_OK);
	json_t *e = json_pack("{s:s, s:s, s:s, s:s}", "run", "run-g", "tag", "run-g", "kind", "dir", "id", mine);
	char why[256];
	assert_true(drv_owned(e, "run-g", why, sizeof why));
	assert_false(drv_owned(e, "run-other", why, sizeof why));
	assert_int_equal(drv_cleanup_entry(&drv_dryrun_ops, e, "run-other"), DR_GUARD);
	assert_int_equal(access(mine, F_OK), 0);
	assert_int_equal(drv_cleanup_entry(&drv_dryrun_ops, e, "run-g"), DR_OK);
	assert_int_not_equal(access(mine, F_OK), 0);
	assert_int_equal(drv_cleanup_entry(&drv_dryrun_ops, e, "run-g"), DR_OK); /* idempotent */
	json_decref(e);
	/* A live process that is not tagged with the run is never stopped. */
	json_t *p = json_pack("{s:s, s:s, s:s, s:s, s:i, s:I}", "run", "run-g", "tag", "run-g", "kind", "process",
			      "id", "x", "pid", (int)getpid(), "pid_start", (json_int_t)drv_proc_start(getpid()));
	assert_false(drv_owned(p, "run-g", why, sizeof why));
	assert_int_equal(drv_remove_entry(p, "run-g"), DR_GUARD);
	json_decref(p);
	rmdir(dir);
	free(mine);
	drv_ctx_free(c);
}

static void test_redact(void **state)
{
	(void)state;
	const char *cases[][2] = {
		{"host=db password=s3cret user=app", "host=db password=*** user=app"},
		{"postgresql://app:s3cret@db:5432/x", "postgresql://app:***@db:5432/x"},
		{"PGPASSWORD='a b' psql", "PGPASSWORD='***' psql"},
		{"{\"secret_key\":\"abc\"}", "{\"secret_key\":\"***\"}"},
		{"https://b.s3.amazonaws.com/k?X-Amz-Signature=deadbeef&x=1",
		 "https://b.s3.amazonaws.com/k?X-Amz-Signature=***&x=1"},
		{"key AKIAABCDEFGHIJKLMNOP", "key AKIA***"},
		{"http://127.0.0.1:8080/health", "http://127.0.0.1:8080/health"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *r = drv_redact(cases[i][0]);
		assert_string_equal(r, cases[i][1]);
		free(r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_fault_at_call_n),
		cmocka_unit_test(test_shell_step),
		cmocka_unit_test(test_guards),
		cmocka_unit_test(test_redact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
