/* test_journal.c - the drill journal: lines written and fsync'd, replay of
 * outstanding resources, torn last lines, idempotent clean-up. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "drill.h"
#include "journal.h"

static char *tmp_path(const char *name)
{
	char *dir = strdup("/tmp/drsim-test-journal-XXXXXX");
	assert_non_null(mkdtemp(dir));
	char *p = dr_asprintf("%s/%s", dir, name);
	free(dir);
	return p;
}

static void test_lines_and_read(void **state)
{
	(void)state;
	char *path = tmp_path("j.journal");
	sim_journal *j = NULL;
	assert_int_equal(sim_journal_open(path, "run-1", &j), DR_OK);
	assert_int_equal(sim_journal_log(j, "begin", "create", "dir", "/tmp/x", "dry-run", NULL), DR_OK);
	assert_int_equal(sim_journal_log(j, "done", "create", "dir", "/tmp/x", "dry-run", NULL), DR_OK);
	sim_journal_close(j);
	json_t *entries = NULL;
	char *run = NULL;
	assert_int_equal(sim_journal_read(path, &entries, &run), DR_OK);
	assert_string_equal(run, "run-1");
	assert_int_equal(json_array_size(entries), 2);
	json_t *e = json_array_get(entries, 0);
	assert_string_equal(json_string_value(json_object_get(e, "tag")), "run-1");
	assert_string_equal(json_string_value(json_object_get(e, "phase")), "begin");
	assert_true(json_real_value(json_object_get(e, "t")) > 1e9);
	json_decref(entries);
	free(run);
	/* A torn last line (crash mid-write) is skipped, not fatal. */
	FILE *f = fopen(path, "a");
	fputs("{\"run\":\"run-1\",\"pha", f);
	fclose(f);
	assert_int_equal(sim_journal_read(path, &entries, &run), DR_OK);
	assert_int_equal(json_array_size(entries), 2);
	json_decref(entries);
	free(run);
	free(path);
}

static json_t *entry(const char *run, const char *tag, const char *phase, const char *action, const char *id)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "run", run, "tag", tag, "phase", phase, "action",
			 action, "kind", "dir", "id", id);
}

static void test_outstanding(void **state)
{
	(void)state;
	json_t *a = json_array();
	json_array_append_new(a, entry("r", "r", "begin", "create", "/a"));
	json_array_append_new(a, entry("r", "r", "done", "create", "/a"));
	json_array_append_new(a, entry("r", "r", "begin", "create", "/b"));
	json_array_append_new(a, entry("r", "other", "begin", "create", "/c"));
	json_array_append_new(a, entry("r", "r", "begin", "create", "/d"));
	json_array_append_new(a, entry("r", "r", "begin", "destroy", "/d"));
	json_array_append_new(a, entry("r", "r", "done", "destroy", "/d"));
	json_t *o = sim_journal_outstanding(a, "r");
	assert_int_equal(json_array_size(o), 2);
	/* newest first; /c has another tag; /d was destroyed */
	assert_string_equal(json_string_value(json_object_get(json_array_get(o, 0), "id")), "/b");
	assert_string_equal(json_string_value(json_object_get(json_array_get(o, 1), "id")), "/a");
	json_decref(o);
	json_decref(a);
}

static void test_cleanup_idempotent(void **state)
{
	(void)state;
	char *path = tmp_path("c.journal");
	char *dir = dr_asprintf("%s.d", path);
	char *foreign = dr_asprintf("%s.foreign", path);
	sim_journal *j = NULL;
	assert_int_equal(sim_journal_open(path, "run-c", &j), DR_OK);
	drv_ctx_init init = {.run_id = "run-c", .journal = j, .workdir = dir};
	drv_ctx *c = drv_ctx_new(&drv_dryrun_ops, &init);
	assert_int_equal(drv_mkdir(c, dir, 0700), DR_OK);
	/* A directory journalled as the run's but without the run's tag file:
	 * cleanup must refuse it. */
	assert_int_equal(mkdir(foreign, 0700), 0);
	assert_int_equal(sim_journal_log(j, "begin", "create", "dir", foreign, "dry-run", NULL), DR_OK);
	drv_ctx_free(c);
	sim_journal_close(j);
	size_t left = 99;
	assert_int_equal(sim_cleanup_journal(path, &left, NULL), DR_GUARD);
	assert_int_equal(left, 1);
	assert_int_not_equal(access(dir, F_OK), 0);
	assert_int_equal(access(foreign, F_OK), 0);
	/* Again: the removed directory is not retried, the foreign one still refused. */
	assert_int_equal(sim_cleanup_journal(path, &left, NULL), DR_GUARD);
	assert_int_equal(left, 1);
	assert_int_equal(access(foreign, F_OK), 0);
	rmdir(foreign);
	free(foreign);
	free(dir);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_and_read),
		cmocka_unit_test(test_outstanding),
		cmocka_unit_test(test_cleanup_idempotent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
