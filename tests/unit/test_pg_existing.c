/* test_pg_existing.c - the "postgres" driver without a server: registered
 * without a canary, the plan (read-only session, the marker only when
 * opted in, no password), set-up refusals before any connection, and the
 * clean-up guards of drsim cleanup.  tests/integration/pg_existing.sh
 * drills a real cluster. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "drill.h"

#define PASSWORD "hunter2-secret"

static scenario *load(const char *drill)
{
	char *yaml = dr_asprintf(
	    "drsim: 1\nname: t\n"
	    "objectives: { rpo: 10s, rto: 1m, percentile: 95 }\n"
	    "sites:\n  primary: { region: a }\n  dr: { region: b }\n"
	    "databases:\n  - { name: app, engine: postgres, size: 16MiB, write_rate: 64KiB/s }\n"
	    "protection:\n  automated_backups: { retention: 1d, log_upload: 5s }\n"
	    "strategy: backup-restore\n"
	    "disasters:\n  - { kind: instance-failure, rate: 1/10y, detect: 0s }\n"
	    "runbooks:\n  instance-failure:\n"
	    "    - { step: restore, model: 1s, action: { driver: db, op: restore-base-backup } }\n"
	    "    - { step: replay, model: 1s, action: { driver: db, op: replay-wal, to: latest } }\n"
	    "    - { step: verify, model: 1s, action: { driver: db, op: verify } }\n"
	    "drill: %s\n",
	    drill);
	dr_diags d = {0};
	scenario *s = NULL;
	dr_err err = scn_load_buffer("t.yaml", yaml, strlen(yaml), &s, &d);
	dr_diags_print(&d, stderr);
	dr_diags_release(&d);
	free(yaml);
	assert_int_equal(err, DR_OK);
	return s;
}

static void test_registered(void **state)
{
	(void)state;
	char why[256] = "";
	const drv_ops *ops = drv_find("postgres");
	assert_ptr_equal(ops, &drv_pg_existing_ops);
	assert_true(drv_ops_valid(ops, why, sizeof why));
	/* no canary: it would write to the source */
	assert_false(ops->caps & DRV_CAP_CANARY);
	assert_true(ops->caps & DRV_CAP_INJECT);
}

static void test_plan(void **state)
{
	(void)state;
	scenario *s = load("{ driver: postgres, conninfo: \"host=db port=5432 user=u password=" PASSWORD
			   " dbname=app\", backup_dir: /nonexistent/base, wal_archive: /nonexistent/wal, "
			   "tables: [orders], checks: [\"SELECT true\"], params: { marker: true } }");
	dr_buf out = {0};
	assert_int_equal(sim_plan(s, NULL, &out), DR_OK);
	assert_non_null(strstr(out.s, "default_transaction_read_only=on"));
	assert_non_null(strstr(out.s, "INSERT INTO drsim_marker"));
	assert_non_null(strstr(out.s, "SELECT count(*) FROM orders"));
	assert_non_null(strstr(out.s, "restore_command='cp /nonexistent/wal/%f %p'"));
	assert_non_null(strstr(out.s, "SELECT true -- must be true"));
	assert_null(strstr(out.s, PASSWORD));
	dr_buf_release(&out);
	scn_free(s);

	s = load("{ driver: postgres, conninfo: \"host=db dbname=app\", backup_dir: /nonexistent/base }");
	assert_int_equal(sim_plan(s, NULL, &out), DR_OK);
	assert_null(strstr(out.s, "drsim_marker ("));
	assert_null(strstr(out.s, "BEGIN READ WRITE"));
	assert_non_null(strstr(out.s, "the backup's own WAL only"));
	dr_buf_release(&out);
	scn_free(s);
}

/* drv_setup on s: the error, with nothing connected or created. */
static dr_err setup_of(const char *drill)
{
	scenario *s = load(drill);
	drv_ctx_init init = {.run_id = "run-t", .scn = s, .disaster = SCN_DIS_INSTANCE};
	drv_ctx *c = drv_ctx_new(&drv_pg_existing_ops, &init);
	dr_err err = drv_setup(c);
	assert_int_equal(drv_cleanup(c), DR_OK);
	drv_ctx_free(c);
	scn_free(s);
	return err;
}

static void test_setup_refusals(void **state)
{
	(void)state;
	char dir[] = "/tmp/drsim-test-pgx-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *drill;
	/* an injection through a table name never reaches the source */
	drill = dr_asprintf("{ driver: postgres, conninfo: \"host=127.0.0.1 port=1\", backup_dir: %s, "
			    "tables: [\"orders; DROP TABLE orders\"] }", dir);
	assert_int_equal(setup_of(drill), DR_USAGE);
	free(drill);
	drill = dr_asprintf("{ driver: postgres, backup_dir: %s }", dir);
	assert_int_equal(setup_of(drill), DR_USAGE);
	free(drill);
	assert_int_equal(setup_of("{ driver: postgres, conninfo: \"host=127.0.0.1 port=1\", "
				  "backup_dir: /nonexistent/base }"),
			 DR_USAGE);
	drill = dr_asprintf("{ driver: postgres, conninfo: \"host=127.0.0.1 port=1\", backup_dir: %s, "
			    "wal_archive: /nonexistent/wal }", dir);
	assert_int_equal(setup_of(drill), DR_USAGE);
	free(drill);
	rmdir(dir);
}

static json_t *dir_entry(const char *path, const char *tag)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "phase", "begin", "action", "create", "kind", "dir",
			 "id", path, "tag", tag, "run", tag);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_cleanup_guards(void **state)
{
	(void)state;
	char dir[] = "/tmp/drsim-test-pgx-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *tag = dr_asprintf("%s/%s", dir, DRV_TAG_FILE), *pid = dr_asprintf("%s/postmaster.pid", dir);
	struct stat st;
	/* untagged: refused, kept */
	json_t *e = dir_entry(dir, "run-a");
	assert_int_equal(drv_cleanup_entry(&drv_pg_existing_ops, e, "run-a"), DR_GUARD);
	assert_int_equal(stat(dir, &st), 0);
	/* tagged for another run: refused */
	write_text(tag, "run-b\n");
	assert_int_equal(drv_cleanup_entry(&drv_pg_existing_ops, e, "run-a"), DR_GUARD);
	assert_int_equal(stat(dir, &st), 0);
	/* the run's own, but a live server that is not the run's runs in it */
	write_text(tag, "run-a\n");
	char *text = dr_asprintf("%d\n%s\n", (int)getpid(), dir);
	write_text(pid, text);
	free(text);
	assert_int_equal(drv_cleanup_entry(&drv_pg_existing_ops, e, "run-a"), DR_GUARD);
	assert_int_equal(stat(dir, &st), 0);
	/* the run's own and nothing runs in it: removed, and again is fine */
	unlink(pid);
	assert_int_equal(drv_cleanup_entry(&drv_pg_existing_ops, e, "run-a"), DR_OK);
	assert_int_not_equal(stat(dir, &st), 0);
	assert_int_equal(drv_cleanup_entry(&drv_pg_existing_ops, e, "run-a"), DR_OK);
	json_decref(e);
	free(tag);
	free(pid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registered),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_setup_refusals),
		cmocka_unit_test(test_cleanup_guards),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
