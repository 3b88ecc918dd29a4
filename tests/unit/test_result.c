/*
 * test_result.c - the result type and its canonical JSON: JSON -> result ->
 * JSON is byte-identical on every fixture, the golden files under
 * tests/data/results/ match what the fixtures dump to (DRSIM_UPDATE_GOLDEN=1
 * rewrites them), the strict reader names the bad path, and the Wilson
 * interval matches known values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixtures.h"
#include "testutil.h"

/* Dump, parse, dump again: both texts must be identical. */
static void assert_roundtrip(const res_result *r)
{
	char *a = res_dump(r);
	json_error_t je;
	json_t *j = json_loads(a, 0, &je);
	assert_non_null(j);
	char err[256] = "";
	res_result *back = res_from_json(j, err, sizeof err);
	if (!back)
		fail_msg("res_from_json: %s", err);
	char *b = res_dump(back);
	assert_string_equal(a, b);
	assert_int_equal(a[strlen(a) - 1], '\n');
	json_decref(j);
	free(a);
	free(b);
	res_free(back);
}

static void test_roundtrip_simulate(void **state)
{
	res_result *r = fx_simulate();
	assert_roundtrip(r);
	res_free(r);
}

static void test_roundtrip_compare(void **state)
{
	res_result *r = fx_compare();
	assert_roundtrip(r);
	res_free(r);
}

static void test_roundtrip_drill(void **state)
{
	res_result *r = fx_drill();
	assert_roundtrip(r);
	res_free(r);
}

/* Awkward values: NaN, -0, huge seeds, NULL strings, escapes, tiny and huge doubles. */
static void test_roundtrip_edges(void **state)
{
	res_result *r = res_new(RES_MODE_DRILL);
	r->seed = UINT64_MAX;
	r->trials = (uint64_t)INT64_MAX;
	r->horizon_s = -0.0;
	r->scenario_name = dr_strdup("tab\there \"quoted\" \\ back\x01 ünïcode");
	res_disaster *d = res_add_disaster(r);
	d->rpo_s.mean = NAN;
	d->rpo_s.p50 = 1e-300;
	d->rpo_s.p90 = 1.7976931348623157e308;
	d->rpo_s.p95 = 0.1 + 0.2;
	d->rto_s.p99 = 1.0 / 3.0;
	d->percentile = 99.9;
	assert_roundtrip(r);
	char *text = res_dump(r);
	assert_non_null(strstr(text, "\"seed\": \"18446744073709551615\""));
	assert_non_null(strstr(text, "\"trials\": 9223372036854775807"));
	assert_non_null(strstr(text, "\"mean\": null"));
	assert_non_null(strstr(text, "\"p95\": 0.30000000000000004"));
	assert_non_null(strstr(text, "\"horizon_s\": 0,"));
	assert_non_null(strstr(text, "\\u0001"));
	json_t *j = json_loads(text, 0, NULL);
	char err[256];
	res_result *back = res_from_json(j, err, sizeof err);
	assert_non_null(back);
	assert_true(back->seed == UINT64_MAX);
	assert_true(isnan(back->disasters[0].rpo_s.mean));
	assert_true(back->disasters[0].rto_s.p99 == 1.0 / 3.0);
	assert_null(back->run_id);
	assert_string_equal(back->scenario_name, r->scenario_name);
	res_free(back);
	json_decref(j);
	free(text);
	res_free(r);
}

static const struct {
	const char *file;
	res_result *(*make)(void);
} goldens[] = {
	{"tests/data/results/simulate.json", fx_simulate},
	{"tests/data/results/compare.json", fx_compare},
	{"tests/data/results/drill.json", fx_drill},
};

/* The checked-in fixture files are exactly what the fixtures dump to, and
 * reading each file back and dumping it gives the file's bytes. */
static void test_golden_files(void **state)
{
	bool update = getenv("DRSIM_UPDATE_GOLDEN") != NULL;
	for (size_t i = 0; i < sizeof goldens / sizeof goldens[0]; i++) {
		res_result *r = goldens[i].make();
		char *want = res_dump(r);
		if (update)
			assert_int_equal(res_save(r, goldens[i].file), DR_OK);
		size_t len;
		char *have = dr_read_file(goldens[i].file, &len);
		if (!have)
			fail_msg("cannot read '%s' (run with DRSIM_UPDATE_GOLDEN=1)", goldens[i].file);
		assert_string_equal(have, want);
		char err[256];
		res_result *back = res_load(goldens[i].file, err, sizeof err);
		if (!back)
			fail_msg("%s", err);
		char *again = res_dump(back);
		assert_int_equal(strlen(again), len);
		assert_memory_equal(again, have, len);
		free(again);
		res_free(back);
		free(have);
		free(want);
		res_free(r);
	}
}

/* Parse text after replacing the first `from` with `to`; return the error. */
static char *load_mutated(const char *from, const char *to)
{
	res_result *r = fx_drill();
	char *text = res_dump(r);
	res_free(r);
	char *at = strstr(text, from);
	assert_non_null(at);
	dr_buf b = {0};
	dr_buf_add(&b, text, (size_t)(at - text));
	dr_buf_puts(&b, to);
	dr_buf_puts(&b, at + strlen(from));
	free(text);
	json_t *j = json_loads(b.s, 0, NULL);
	dr_buf_release(&b);
	assert_non_null(j);
	char err[256] = "";
	res_result *bad = res_from_json(j, err, sizeof err);
	json_decref(j);
	assert_null(bad);
	return dr_strdup(err);
}

static void test_reader_errors(void **state)
{
	static const struct {
		const char *from, *to, *want;
	} cases[] = {
		{"\"schema_version\": 1", "\"schema_version\": 2", "'schema_version' is 2; this drsim reads version 1"},
		{"\"mode\": \"drill\"", "\"mode\": \"dril\"", "'mode' has unknown value 'dril'; did you mean 'drill'?"},
		{"\"p99\"", "\"p999\"", "'disasters[0].rpo_s.p999' is not a known key; did you mean 'p99'?"},
		{"\"flagged\": false", "\"flagged\": 0", "'disasters[0].steps[0].flagged' must be true or false"},
		{"\"acked_writes\": 1234", "\"acked_writes\": -3", "'measured.acked_writes' must be a non-negative integer"},
		{"\"host\": \"ci-runner-7\",", "", "'host' is missing"},
		{"\"source\": \"declared\"", "\"source\": \"guessed\"", "'disasters[0].steps[0].source' must be one of 'measured', 'modeled', 'declared'"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *err = load_mutated(cases[i].from, cases[i].to);
		assert_string_equal(err, cases[i].want);
		free(err);
	}
	char err[128];
	json_t *arr = json_array();
	assert_null(res_from_json(arr, err, sizeof err));
	assert_string_equal(err, "result must be a JSON object");
	json_decref(arr);
}

static void test_load_errors(void **state)
{
	char dir[] = "/tmp/drsim-test-result-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = dr_asprintf("%s/r.json", dir);
	char err[256];
	assert_null(res_load(path, err, sizeof err));
	assert_non_null(strstr(err, "cannot read"));
	assert_int_equal(dr_write_atomic(path, "{\n  \"a\": 1,\n  \"a\": 2\n}\n", 24), DR_OK);
	assert_null(res_load(path, err, sizeof err));
	assert_non_null(strstr(err, "r.json:3:"));
	res_result *r = fx_simulate();
	assert_int_equal(res_save(r, path), DR_OK);
	res_result *back = res_load(path, err, sizeof err);
	assert_non_null(back);
	assert_string_equal(back->disasters[2].kind, "logical-corruption");
	assert_int_equal(back->cost.n_items, 3);
	assert_near(back->cost.per_month, 2708.65, 1e-9);
	res_free(back);
	res_free(r);
	unlink(path);
	rmdir(dir);
	free(path);
}

static void test_wilson(void **state)
{
	res_prob p = res_wilson(0, 0);
	assert_near(p.lo, 0, 0);
	assert_near(p.hi, 1, 0);
	p = res_wilson(81, 263); /* reference values from the closed form */
	assert_near(p.p, 0.307985, 1e-6);
	assert_near(p.lo, 0.255289, 1e-6);
	assert_near(p.hi, 0.366210, 1e-6);
	p = res_wilson(10, 10);
	assert_near(p.hi, 1, 1e-12);
	assert_near(p.lo, 0.722467, 1e-6);
	p = res_wilson(0, 50);
	assert_near(p.lo, 0, 1e-12);
	assert_near(p.hi, 0.071348, 1e-6);
}

static void test_helpers(void **state)
{
	res_result *r = res_new(RES_MODE_SIMULATE);
	assert_int_equal(r->schema_version, RES_SCHEMA_VERSION);
	assert_string_equal(r->tool_version, DR_VERSION);
	assert_null(r->measured);
	res_disaster *d = res_add_disaster(r);
	assert_int_equal(d->source, RES_MODELED);
	res_step *s = res_add_step(d);
	assert_true(s->measured_s < 0);
	res_cost_add(&r->cost, "a", 1.5);
	res_cost_add(&r->cost, "b", 2.25);
	assert_near(r->cost.per_month, 3.75, 0);
	res_add_finding(r, "X", "low", "m");
	assert_string_equal(r->findings[0].severity, "low");
	res_free(r);
	r = res_new(RES_MODE_DRILL);
	assert_non_null(r->measured);
	assert_int_equal(res_add_disaster(r)->source, RES_MEASURED);
	res_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_simulate), cmocka_unit_test(test_roundtrip_compare),
		cmocka_unit_test(test_roundtrip_drill),    cmocka_unit_test(test_roundtrip_edges),
		cmocka_unit_test(test_golden_files),       cmocka_unit_test(test_reader_errors),
		cmocka_unit_test(test_load_errors),        cmocka_unit_test(test_wilson),
		cmocka_unit_test(test_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
