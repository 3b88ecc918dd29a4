/*
 * test_evidence.c - evidence bundles: a signed bundle verifies; a single
 * changed byte in any file, a removed file, an added file, a wrong key and
 * a missing signature are each detected and named; evidence.json carries
 * the required fields; rewriting a bundle replaces it whole and leaves no
 * temporary directory behind.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evidence.h"
#include "fixtures.h"
#include "testutil.h"

typedef struct {
	char root[64];
	char *bundle, *scenario, *key, *pub, *other_pub;
} fx;

static void rm_tree(const char *path)
{
	DIR *d = opendir(path);
	if (!d) {
		unlink(path);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *p = dr_asprintf("%s/%s", path, e->d_name);
		rm_tree(p);
		free(p);
	}
	closedir(d);
	rmdir(path);
}

static int setup(void **state)
{
	fx *f = dr_calloc(1, sizeof(*f));
	snprintf(f->root, sizeof f->root, "/tmp/drsim-test-evidence-XXXXXX");
	if (!mkdtemp(f->root))
		return -1;
	f->bundle = dr_asprintf("%s/bundles/run1", f->root);
	f->scenario = dr_asprintf("%s/payments.yaml", f->root);
	const char *yaml = "drsim: 1\nname: payments\n";
	if (dr_write_atomic(f->scenario, yaml, strlen(yaml)) != DR_OK)
		return -1;
	char *prefix = dr_asprintf("%s/key", f->root), *other = dr_asprintf("%s/other", f->root);
	if (rpt_keygen(prefix) != DR_OK || rpt_keygen(other) != DR_OK)
		return -1;
	f->key = dr_asprintf("%s.pem", prefix);
	f->pub = dr_asprintf("%s.pub.pem", prefix);
	f->other_pub = dr_asprintf("%s.pub.pem", other);
	free(prefix);
	free(other);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	rm_tree(f->root);
	free(f->bundle);
	free(f->scenario);
	free(f->key);
	free(f->pub);
	free(f->other_pub);
	free(f);
	return 0;
}

static void write_bundle(fx *f, res_result *(*make)(void), const char *journal)
{
	res_result *r = make();
	assert_int_equal(rpt_evidence_write(f->bundle, f->scenario, r, journal, f->key), DR_OK);
	res_free(r);
}

static dr_err verify(fx *f, const char *pub, char *problem)
{
	return rpt_evidence_verify(f->bundle, pub, problem, 512);
}

static char **bundle_files(fx *f, size_t *n)
{
	DIR *d = opendir(f->bundle);
	assert_non_null(d);
	char **v = dr_calloc(64, sizeof(char *));
	*n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && *n < 64)
			v[(*n)++] = dr_strdup(e->d_name);
	closedir(d);
	return v;
}

static void test_signed_bundle_verifies(void **state)
{
	fx *f = *state;
	char *journal = dr_asprintf("%s/j.jsonl", f->root);
	const char *lines = "{\"op\":\"create\",\"what\":\"sandbox\"}\n{\"guard\":\"target on allowlist\",\"outcome\":\"passed\"}\n";
	assert_int_equal(dr_write_atomic(journal, lines, strlen(lines)), DR_OK);
	write_bundle(f, fx_drill, journal);
	free(journal);
	char problem[512];
	assert_int_equal(verify(f, f->pub, problem), DR_OK);
	assert_int_equal(verify(f, NULL, problem), DR_OK);
	size_t n;
	char **files = bundle_files(f, &n);
	const char *want[] = {"scenario.yaml", "result.json", "report.txt", "report.md", "report.html",
			      "report.junit.xml", "report.prom", "journal.jsonl", "environment.json", "evidence.json",
			      RPT_MANIFEST, RPT_SIGNATURE, RPT_PUBKEY};
	assert_int_equal(n, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		bool found = false;
		for (size_t k = 0; k < n && !found; k++)
			found = strcmp(files[k], want[i]) == 0;
		if (!found)
			fail_msg("bundle lacks '%s'", want[i]);
	}
	for (size_t k = 0; k < n; k++)
		free(files[k]);
	free(files);
	char *path = dr_asprintf("%s/evidence.json", f->bundle);
	json_t *ev = json_load_file(path, 0, NULL);
	free(path);
	assert_non_null(ev);
	const char *sections[] = {"identity", "scope", "test_design", "schedule", "objectives", "measurements",
				  "data_integrity", "findings", "cleanup", "safety_guards", "people", "integrity",
				  "retention"};
	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
		if (!json_object_get(ev, sections[i]))
			fail_msg("evidence.json lacks '%s'", sections[i]);
	assert_string_equal(json_string_value(json_object_get(json_object_get(ev, "identity"), "run_id")),
			    "20260115T100000Z-3f2a");
	assert_string_equal(json_string_value(json_object_get(json_object_get(ev, "schedule"), "next_test_due")),
			    "2026-04-15T10:00:00.000Z");
	json_t *controls = json_object_get(json_object_get(ev, "scope"), "controls");
	char *dump = json_dumps(controls, 0);
	const char *ids[] = {"A1.3", "A.5.30", "A.8.13", "Art. 11", "Art. 12", "164.308(a)(7)(ii)(D)", "12.10.2"};
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
		assert_non_null(strstr(dump, ids[i]));
	free(dump);
	dump = json_dumps(json_object_get(ev, "safety_guards"), 0);
	assert_non_null(strstr(dump, "target on allowlist"));
	free(dump);
	assert_true(json_is_true(json_object_get(json_object_get(ev, "data_integrity"), "data_verified")));
	json_decref(ev);
}

/* Flip one byte of every file in turn: verify must fail and name it. */
static void test_any_changed_byte_detected(void **state)
{
	fx *f = *state;
	write_bundle(f, fx_simulate, NULL);
	size_t n;
	char **files = bundle_files(f, &n);
	for (size_t i = 0; i < n; i++) {
		char *p = dr_asprintf("%s/%s", f->bundle, files[i]);
		size_t len;
		char *data = dr_read_file(p, &len);
		assert_non_null(data);
		size_t at = len / 2;
		data[at] ^= 0x01;
		assert_int_equal(dr_write_atomic(p, data, len), DR_OK);
		char problem[512];
		dr_err e = verify(f, f->pub, problem);
		if (e != DR_VERIFY)
			fail_msg("a changed byte in '%s' went unnoticed", files[i]);
		bool named = strstr(problem, files[i]) || strstr(problem, RPT_SIGNATURE);
		if (!named)
			fail_msg("problem for '%s' does not name it: %s", files[i], problem);
		data[at] ^= 0x01;
		assert_int_equal(dr_write_atomic(p, data, len), DR_OK);
		assert_int_equal(verify(f, f->pub, problem), DR_OK);
		free(data);
		free(p);
		free(files[i]);
	}
	free(files);
}

static void test_removed_added_wrong_key(void **state)
{
	fx *f = *state;
	write_bundle(f, fx_compare, NULL);
	char problem[512];
	char *victim = dr_asprintf("%s/report.html", f->bundle);
	size_t len;
	char *keep = dr_read_file(victim, &len);
	unlink(victim);
	assert_int_equal(verify(f, f->pub, problem), DR_VERIFY);
	assert_string_equal(problem, "'report.html' is listed in the manifest but missing");
	assert_int_equal(dr_write_atomic(victim, keep, len), DR_OK);
	free(keep);
	free(victim);
	char *extra = dr_asprintf("%s/notes.txt", f->bundle);
	assert_int_equal(dr_write_atomic(extra, "x", 1), DR_OK);
	assert_int_equal(verify(f, f->pub, problem), DR_VERIFY);
	assert_string_equal(problem, "'notes.txt' is not listed in the manifest");
	unlink(extra);
	free(extra);
	assert_int_equal(verify(f, f->other_pub, problem), DR_VERIFY);
	assert_non_null(strstr(problem, "does not match 'manifest.sha256' with the key"));
	assert_int_equal(verify(f, "/nonexistent/key.pem", problem), DR_NOTFOUND);
	char *sig = dr_asprintf("%s/%s", f->bundle, RPT_SIGNATURE);
	unlink(sig);
	free(sig);
	assert_int_equal(verify(f, f->pub, problem), DR_VERIFY);
	assert_string_equal(problem, "'manifest.sig' is missing: the bundle is not signed");
}

/* Writing over an existing bundle swaps it whole; no temporary is left. */
static void test_rewrite_is_atomic(void **state)
{
	fx *f = *state;
	write_bundle(f, fx_simulate, NULL);
	write_bundle(f, fx_drill, NULL);
	char problem[512];
	assert_int_equal(verify(f, f->pub, problem), DR_OK);
	char *result = dr_asprintf("%s/result.json", f->bundle);
	char err[256];
	res_result *r = res_load(result, err, sizeof err);
	assert_non_null(r);
	assert_int_equal(r->mode, RES_MODE_DRILL);
	res_free(r);
	free(result);
	char *parent = dr_asprintf("%s/bundles", f->root);
	DIR *d = opendir(parent);
	struct dirent *e;
	size_t entries = 0;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			entries++;
			assert_string_equal(e->d_name, "run1");
		}
	closedir(d);
	assert_int_equal(entries, 1);
	free(parent);
	res_result *bad = fx_simulate();
	assert_int_equal(rpt_evidence_write(f->bundle, "/nonexistent.yaml", bad, NULL, f->key), DR_NOTFOUND);
	assert_int_equal(rpt_evidence_write(f->bundle, f->scenario, bad, NULL, f->scenario), DR_PARSE);
	res_free(bad);
	assert_int_equal(verify(f, f->pub, problem), DR_OK);
}

static void test_keygen_modes(void **state)
{
	fx *f = *state;
	struct stat st;
	assert_int_equal(stat(f->key, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	char hex[65];
	rpt_sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_signed_bundle_verifies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_any_changed_byte_detected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_removed_added_wrong_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rewrite_is_atomic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keygen_modes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
