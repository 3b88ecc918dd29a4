/*
 * test_pgsb.c - the PostgreSQL sandbox library against real servers that
 * the tests start: initdb/start/stop/kill, WAL archiving and base backups,
 * restores to the end of the archive and to an xid / LSN just before a
 * destructive transaction, async and sync standbys and promotion, failure
 * messages carrying the server log, journal callbacks and the cleanup
 * guards.  Skipped when no PostgreSQL server binaries are installed.
 */
#define _GNU_SOURCE
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pgsb.h"

/* What the track callback saw. */
typedef struct {
	int dirs_created, dirs_removed;
	int procs_started, procs_stopped;
	int failed;
	bool pid_with_ticks; /* every started process came with a start time */
} tally;

static void on_track(void *ctx, const pgsb_event *ev)
{
	tally *t = ctx;
	if (ev->phase == PGSB_FAILED) {
		t->failed++;
		return;
	}
	if (ev->phase != PGSB_DONE)
		return;
	if (ev->kind == PGSB_RES_DIR)
		ev->create ? t->dirs_created++ : t->dirs_removed++;
	else if (ev->create) {
		t->procs_started++;
		if (ev->pid <= 0 || ev->start_ticks == 0)
			t->pid_with_ticks = false;
	} else {
		t->procs_stopped++;
	}
}

typedef struct {
	pgsb_env *env;
	tally t;
	char archive[512];
	char backup[512];
} fixture;

static int setup(void **state)
{
	char why[256];
	if (!pgsb_available(NULL, why, sizeof why)) {
		print_message("skipping: %s\n", why);
		*state = NULL;
		return 0;
	}
	fixture *f = calloc(1, sizeof *f);
	f->t.pid_with_ticks = true;
	pgsb_opts o = {.tag = "test-run", .timeout_s = 60, .track = on_track, .track_ctx = &f->t};
	char msg[512];
	if (pgsb_env_new(&o, &f->env, msg, sizeof msg) != DR_OK) {
		print_error("pgsb_env_new: %s\n", msg);
		free(f);
		return -1;
	}
	snprintf(f->archive, sizeof f->archive, "%s/dr/wal", pgsb_workdir(f->env));
	snprintf(f->backup, sizeof f->backup, "%s/dr/base", pgsb_workdir(f->env));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	if (!f)
		return 0;
	char root[512];
	snprintf(root, sizeof root, "%s", pgsb_workdir(f->env));
	bool ok = pgsb_env_free(f->env);
	bool gone = access(root, F_OK) != 0;
	free(f);
	return ok && gone ? 0 : -1;
}

#define NEED_SERVER(f)            \
	do {                          \
		if (!(f))                 \
			skip();               \
	} while (0)

#define OK(e, call)                                              \
	do {                                                         \
		dr_err err_ = (call);                                    \
		if (err_ != DR_OK)                                       \
			fail_msg("%s: %s", #call, pgsb_errmsg(e));           \
	} while (0)

static long count(pgsb_env *e, pgsb_node *nd, const char *table)
{
	char sql[128], out[64];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	OK(e, pgsb_query(e, nd, sql, out, sizeof out));
	return strtol(out, NULL, 10);
}

static void value_is(pgsb_env *e, pgsb_node *nd, const char *sql, const char *want)
{
	char out[128];
	OK(e, pgsb_query(e, nd, sql, out, sizeof out));
	assert_string_equal(out, want);
}

static pgsb_node *archived_primary(fixture *f, const char *name)
{
	pgsb_node *p;
	OK(f->env, pgsb_mkdir(f->env, f->archive, "wal archive"));
	pgsb_conf c = {.archive_dir = f->archive, .archive_timeout_s = 1, .fsync = false};
	OK(f->env, pgsb_initdb(f->env, name, &c, &p));
	OK(f->env, pgsb_start(f->env, p));
	return p;
}

static void test_start_stop_kill(void **state)
{
	fixture *f = *state;
	NEED_SERVER(f);
	pgsb_env *e = f->env;
	pgsb_node *p;
	pgsb_conf c = {.fsync = false};
	OK(e, pgsb_initdb(e, "solo", &c, &p));
	assert_false(pgsb_node_running(p));
	OK(e, pgsb_start(e, p));
	assert_true(pgsb_node_pid(p) > 0);
	assert_true(pgsb_proc_start_ticks(pgsb_node_pid(p)) > 0);
	value_is(e, p, "SELECT pg_is_in_recovery()", "f");
	value_is(e, p, "SHOW listen_addresses", "127.0.0.1");
	value_is(e, p, "SELECT current_user", "drsim");
	char port[16];
	snprintf(port, sizeof port, "%d", pgsb_node_port(p));
	value_is(e, p, "SHOW port", port);
	OK(e, pgsb_exec(e, p, "CREATE TABLE t(id int); INSERT INTO t SELECT generate_series(1, 321)"));

	pid_t pid = pgsb_node_pid(p);
	OK(e, pgsb_stop(e, p, false));
	assert_false(pgsb_node_running(p));
	assert_int_equal(pgsb_proc_start_ticks(pid), 0);
	char out[64];
	assert_int_not_equal(pgsb_query(e, p, "SELECT 1", out, sizeof out), DR_OK);

	OK(e, pgsb_start(e, p));
	assert_int_equal(count(e, p, "t"), 321);
	OK(e, pgsb_stop(e, p, true));
	OK(e, pgsb_start(e, p)); /* crash recovery after an immediate stop */
	assert_int_equal(count(e, p, "t"), 321);

	pid = pgsb_node_pid(p);
	OK(e, pgsb_kill(e, p));
	assert_int_equal(pgsb_proc_start_ticks(pid), 0);
	OK(e, pgsb_take_away(e, p));
	struct stat st;
	assert_int_not_equal(stat(pgsb_node_datadir(p), &st), 0);
	assert_int_equal(pgsb_start(e, p), DR_DRIVER); /* no data directory: cannot start */

	OK(e, pgsb_node_destroy(e, p));
	assert_true(f->t.pid_with_ticks);
	assert_true(f->t.procs_started >= 3);
	assert_true(f->t.dirs_created >= 2); /* data directory, then the lost one */
	assert_true(f->t.dirs_removed >= 1);
	char tag[600];
	snprintf(tag, sizeof tag, "%s/.drsim-run", pgsb_workdir(e));
	assert_int_equal(access(tag, F_OK), 0);
}

static void test_restore_end_of_archive(void **state)
{
	fixture *f = *state;
	NEED_SERVER(f);
	pgsb_env *e = f->env;
	pgsb_node *p = archived_primary(f, "primary");
	value_is(e, p, "SHOW archive_mode", "on");
	value_is(e, p, "SHOW archive_timeout", "1s");
	OK(e, pgsb_exec(e, p, "CREATE TABLE t(id int primary key, v text); "
			      "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 1000) g"));
	OK(e, pgsb_basebackup(e, p, f->backup, NULL));
	/* written after the base backup: only the archive has them */
	OK(e, pgsb_exec(e, p, "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1001, 1500) g"));
	char lsn[64];
	OK(e, pgsb_query(e, p, "SELECT pg_current_wal_insert_lsn()", lsn, sizeof lsn));
	OK(e, pgsb_exec(e, p, "SELECT pg_switch_wal()"));
	OK(e, pgsb_wait_archived(e, p, lsn, f->archive, 30));
	OK(e, pgsb_kill(e, p));
	OK(e, pgsb_take_away(e, p));

	pgsb_node *r;
	pgsb_target latest = {.kind = PGSB_TARGET_LATEST};
	OK(e, pgsb_restore(e, "restored", f->backup, f->archive, &latest, &r));
	value_is(e, r, "SELECT pg_is_in_recovery()", "f");
	assert_int_equal(count(e, r, "t"), 1500);
	value_is(e, r, "SHOW archive_mode", "off");
	OK(e, pgsb_exec(e, r, "INSERT INTO t VALUES (1501, 'after')"));

	/* the backup alone (no archive) lacks the rows written after it */
	pgsb_node *b;
	OK(e, pgsb_restore(e, "backup-only", f->backup, NULL, NULL, &b));
	assert_int_equal(count(e, b, "t"), 1000);
}

static void test_pitr_before_destructive_xact(void **state)
{
	fixture *f = *state;
	NEED_SERVER(f);
	pgsb_env *e = f->env;
	pgsb_node *p = archived_primary(f, "primary");
	OK(e, pgsb_exec(e, p, "CREATE TABLE data(id int primary key, v text); "
			      "INSERT INTO data SELECT g, md5(g::text) FROM generate_series(1, 2000) g"));
	OK(e, pgsb_basebackup(e, p, f->backup, NULL));
	OK(e, pgsb_exec(e, p, "INSERT INTO data SELECT g, 'x' FROM generate_series(2001, 2100) g"));
	char xid[32], lsn[64], after[64];
	OK(e, pgsb_exec_xact(e, p, "DELETE FROM data WHERE id % 2 = 0", xid, sizeof xid, lsn, sizeof lsn));
	assert_true(strtoll(xid, NULL, 10) > 0);
	assert_int_equal(count(e, p, "data"), 1050);
	OK(e, pgsb_query(e, p, "SELECT pg_current_wal_insert_lsn()", after, sizeof after));
	OK(e, pgsb_exec(e, p, "SELECT pg_switch_wal()"));
	OK(e, pgsb_wait_archived(e, p, after, f->archive, 30));

	pgsb_node *rx, *rl, *all;
	pgsb_target by_xid = {.kind = PGSB_TARGET_XID, .value = xid, .inclusive = false};
	OK(e, pgsb_restore(e, "pitr-xid", f->backup, f->archive, &by_xid, &rx));
	assert_int_equal(count(e, rx, "data"), 2100);
	value_is(e, rx, "SELECT pg_is_in_recovery()", "f");
	pgsb_target by_lsn = {.kind = PGSB_TARGET_LSN, .value = lsn, .inclusive = false};
	OK(e, pgsb_restore(e, "pitr-lsn", f->backup, f->archive, &by_lsn, &rl));
	assert_int_equal(count(e, rl, "data"), 2100);
	/* replaying to the end of the archive replays the damage too */
	pgsb_target latest = {.kind = PGSB_TARGET_LATEST};
	OK(e, pgsb_restore(e, "pitr-latest", f->backup, f->archive, &latest, &all));
	assert_int_equal(count(e, all, "data"), 1050);
	/* the source keeps running, untouched by the restores */
	assert_int_equal(count(e, p, "data"), 1050);
}

static void test_async_standby_promote(void **state)
{
	fixture *f = *state;
	NEED_SERVER(f);
	pgsb_env *e = f->env;
	pgsb_node *p, *s;
	pgsb_conf c = {.fsync = false};
	OK(e, pgsb_initdb(e, "primary", &c, &p));
	OK(e, pgsb_start(e, p));
	OK(e, pgsb_exec(e, p, "CREATE TABLE t(id int); INSERT INTO t SELECT generate_series(1, 100)"));
	OK(e, pgsb_standby(e, p, "dr", false, &s));
	value_is(e, s, "SELECT pg_is_in_recovery()", "t");
	OK(e, pgsb_exec(e, p, "INSERT INTO t SELECT generate_series(101, 250)"));
	OK(e, pgsb_wait_value(e, s, "SELECT count(*) FROM t", "250", 30));
	assert_int_equal(pgsb_exec(e, s, "INSERT INTO t VALUES (0)"), DR_DRIVER); /* read-only */
	OK(e, pgsb_kill(e, p));
	OK(e, pgsb_promote(e, s));
	value_is(e, s, "SELECT pg_is_in_recovery()", "f");
	OK(e, pgsb_exec(e, s, "INSERT INTO t VALUES (251)"));
	assert_int_equal(count(e, s, "t"), 251);
}

static void test_sync_standby_loses_nothing(void **state)
{
	fixture *f = *state;
	NEED_SERVER(f);
	pgsb_env *e = f->env;
	pgsb_node *p, *s;
	pgsb_conf c = {.fsync = false};
	OK(e, pgsb_initdb(e, "primary", &c, &p));
	OK(e, pgsb_start(e, p));
	OK(e, pgsb_exec(e, p, "CREATE TABLE acked(seq int primary key)"));
	OK(e, pgsb_standby(e, p, "dr-sync", true, &s));
	value_is(e, p, "SHOW synchronous_standby_names", "\"dr-sync\"");
	value_is(e, s, "SHOW synchronous_standby_names", "");
	char sql[64];
	for (int i = 1; i <= 200; i++) { /* each one acknowledged before the next */
		snprintf(sql, sizeof sql, "INSERT INTO acked VALUES (%d)", i);
		OK(e, pgsb_exec(e, p, sql));
	}
	OK(e, pgsb_kill(e, p)); /* no time for anything to trickle over */
	OK(e, pgsb_promote(e, s));
	assert_int_equal(count(e, s, "acked"), 200);
	/* the promoted standby does not wait for a standby of its own */
	OK(e, pgsb_exec(e, s, "INSERT INTO acked VALUES (201)"));
}

static void test_failure_carries_server_log(void **state)
{
	fixture *f = *state;
	NEED_SERVER(f);
	pgsb_env *e = f->env;
	pgsb_node *p;
	pgsb_conf c = {.fsync = false};
	OK(e, pgsb_initdb(e, "broken", &c, &p));
	char *conf = NULL;
	assert_true(asprintf(&conf, "%s/postgresql.conf", pgsb_node_datadir(p)) > 0);
	FILE *fp = fopen(conf, "a");
	assert_non_null(fp);
	fputs("shared_buffers = 'lots'\n", fp);
	fclose(fp);
	free(conf);
	assert_int_equal(pgsb_start(e, p), DR_DRIVER);
	assert_false(pgsb_node_running(p));
	assert_non_null(strstr(pgsb_errmsg(e), "cannot start server \"broken\""));
	assert_non_null(strstr(pgsb_errmsg(e), "shared_buffers"));
	assert_true(f->t.failed >= 1);

	pgsb_node *r;
	pgsb_target bad = {.kind = PGSB_TARGET_XID, .value = "1; DROP"};
	assert_int_equal(pgsb_restore(e, "r", f->backup, f->archive, &bad, &r), DR_USAGE);
	assert_int_equal(pgsb_initdb(e, "broken", &c, &r), DR_USAGE); /* name taken */
	assert_int_equal(pgsb_initdb(e, "../x", &c, &r), DR_USAGE);
}

static void test_spawn_and_guards(void **state)
{
	fixture *f = *state;
	NEED_SERVER(f);
	pgsb_env *e = f->env;
	pgsb_proc app;
	char log[600];
	snprintf(log, sizeof log, "%s/app.log", pgsb_workdir(e));
	const char *argv[] = {"/bin/sh", "-c", "echo started; exec sleep 30", NULL};
	OK(e, pgsb_spawn(e, "app", argv, log, &app));
	assert_true(pgsb_proc_alive(&app));
	pgsb_proc copy = app;
	pgsb_proc_stop(e, &app);
	assert_false(pgsb_proc_alive(&copy));
	assert_int_equal(app.pid, 0);
	/* every directory created carries the run's tag */
	char dir[600];
	snprintf(dir, sizeof dir, "%s/a/b", pgsb_workdir(e));
	OK(e, pgsb_mkdir(e, dir, "nested"));
	char *tag = NULL;
	assert_true(asprintf(&tag, "%s/.drsim-run", dir) > 0);
	char *text = NULL;
	FILE *fp = fopen(tag, "r");
	assert_non_null(fp);
	char line[64] = "";
	assert_non_null(fgets(line, sizeof line, fp));
	fclose(fp);
	free(tag);
	free(text);
	assert_string_equal(line, "test-run\n");

	int port = pgsb_free_port(NULL, 0);
	assert_true(port >= 20000 && port < 40000);
	assert_int_not_equal(pgsb_free_port(&port, 1), port);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_start_stop_kill, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_end_of_archive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pitr_before_destructive_xact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_async_standby_promote, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_standby_loses_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failure_carries_server_log, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spawn_and_guards, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
