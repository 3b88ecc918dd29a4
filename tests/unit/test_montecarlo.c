/*
 * test_montecarlo.c - reproducibility (same seed, same bytes for any
 * thread count; shards merged through their JSON = the unsharded result),
 * quantile accuracy against a closed form, and the four strategies under
 * compare ordered as AWS's DR guidance has them.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "simulate.h"

static const char fleet_yaml[] =
	"drsim: 1\nname: mc\nstrategy: backup-restore\nobjectives: { rpo: 30m, rto: 6h, percentile: 90 }\n"
	"sites:\n  primary: { region: r1, account: \"1\" }\n  dr: { region: r2, account: \"1\" }\n"
	"databases:\n  - { name: core, count: 4, size: lognormal(median=100GiB, p95=1TiB), write_rate: 2MiB/s, tier: 1 }\n"
	"  - { name: shard, count: 9, size: lognormal(median=50GiB, p95=500GiB), write_rate: 1MiB/s, tier: 2 }\n"
	"protection:\n  automated_backups: { retention: 7d, window: \"03:00-03:30\", log_upload: 5m }\n"
	"  copies:\n    - { of: automated-backups, to: dr, throughput: 150MiB/s, delay: lognormal(median=3m, p95=10m) }\n"
	"disasters:\n  - { kind: region-outage, rate: 1/10y, detect: uniform(5m, 30m) }\n"
	"  - { kind: logical-corruption, rate: 2/y, detect: lognormal(median=30m, p95=6h) }\n"
	"runbooks:\n  region-outage:\n"
	"    - { step: declare, model: triangular(10m, 20m, 60m), scope: once, uses: operator, action: { manual: x } }\n"
	"    - { step: restore, model: 10m + size/250MiB/s, uses: restore-slot, action: { manual: x } }\n"
	"    - { step: replay, model: replay/80MiB/s, action: { manual: x } }\n"
	"  logical-corruption:\n"
	"    - { step: restore, model: 10m + size/250MiB/s + replay/100MiB/s, uses: restore-slot, action: { manual: x } }\n"
	"resources: { restore-slot: { capacity: 3 }, operator: { capacity: 1 } }\n"
	"costs: { currency: USD, storage_gb_month: 0.095, transfer_gb: 0.02, standby_hour: 1, instance_hour: 2 }\n";

static scenario *load(const char *yaml)
{
	scenario *s = NULL;
	dr_diags d = {0};
	if (scn_load_buffer("mc.yaml", yaml, strlen(yaml), &s, &d) != DR_OK) {
		dr_diags_print(&d, stderr);
		fail_msg("scenario does not load");
	}
	dr_diags_release(&d);
	return s;
}

static sim_opts opts(uint64_t trials, int threads)
{
	sim_opts o;
	sim_opts_init(&o);
	o.trials = trials;
	o.seed = 7;
	o.threads = threads;
	return o;
}

static char *dump_run(const scenario *s, const sim_opts *o)
{
	res_result *r = NULL;
	assert_int_equal(sim_run(s, o, &r), DR_OK);
	char *text = res_dump(r);
	res_free(r);
	return text;
}

static void test_threads_byte_identical(void **state)
{
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	scenario *s = load(fleet_yaml);
	sim_opts o1 = opts(6000, 1), o3 = opts(6000, 3), o2 = opts(6000, 2);
	char *a = dump_run(s, &o1), *b = dump_run(s, &o3), *c = dump_run(s, &o2);
	assert_string_equal(a, b);
	assert_string_equal(a, c);
	o2.seed = 8;
	char *d = dump_run(s, &o2);
	assert_true(strcmp(a, d) != 0);
	free(a);
	free(b);
	free(c);
	free(d);
	scn_free(s);
}

/* Each shard goes through its JSON text, as drsim merge reads it. */
static sim_state *shard_roundtrip(const scenario *s, const sim_opts *o)
{
	sim_state *st = NULL, *back = NULL;
	const char *file, *sha;
	char err[256];
	assert_int_equal(sim_run_state(s, o, &st), DR_OK);
	json_t *j = sim_state_to_json(st, s);
	char *text = json_dumps(j, 0);
	json_decref(j);
	sim_state_free(st);
	json_t *k = json_loads(text, 0, NULL);
	free(text);
	assert_non_null(k);
	assert_int_equal(sim_state_from_json(k, &back, &file, &sha, err, sizeof err), DR_OK);
	assert_string_equal(sha, s->sha256);
	assert_int_equal(sim_state_bind(back, s, k, err, sizeof err), DR_OK);
	json_decref(k);
	return back;
}

static void test_shards_merge_exactly(void **state)
{
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	scenario *s = load(fleet_yaml);
	sim_opts whole = opts(9001, 2);
	char *expect = dump_run(s, &whole);
	uint64_t n = 4;
	sim_state *merged = NULL;
	for (uint64_t i = 0; i < n; i++) {
		sim_opts o = opts(9001, 1 + (int)i % 2);
		o.shard_index = (n - 1) - i; /* merge in reverse order */
		o.shard_count = n;
		sim_state *sh = shard_roundtrip(s, &o);
		if (!merged) {
			merged = sh;
			continue;
		}
		assert_int_equal(sim_state_merge(merged, sh), DR_OK);
		sim_state_free(sh);
	}
	merged->opts.shard_index = 0;
	merged->opts.shard_count = 1;
	res_result *r = sim_result(s, merged);
	char *got = res_dump(r);
	assert_string_equal(got, expect);
	res_free(r);
	free(got);
	free(expect);
	sim_state_free(merged);
	scn_free(s);
}

static void test_shard_mismatch_refused(void **state)
{
	scenario *s = load(fleet_yaml);
	sim_opts a = opts(100, 1), b = opts(100, 1);
	a.shard_count = b.shard_count = 2;
	b.shard_index = 1;
	b.seed = 99;
	sim_state *x = NULL, *y = NULL;
	assert_int_equal(sim_run_state(s, &a, &x), DR_OK);
	assert_int_equal(sim_run_state(s, &b, &y), DR_OK);
	assert_int_equal(sim_state_merge(x, y), DR_RANGE);
	sim_state_free(x);
	sim_state_free(y);
	scn_free(s);
}

/* Quantiles from the histogram within 0.1 % of the closed form once the
 * histogram is bucketed (2e5 trials); statistics memory does not grow. */
static void test_quantile_accuracy_and_memory(void **state)
{
	scenario *s = load("drsim: 1\nname: q\nstrategy: warm-standby\nobjectives: { rpo: 1m, rto: 1h, percentile: 95 }\n"
			   "sites:\n  primary: { region: r1 }\n  dr: { region: r2 }\n"
			   "databases:\n  - { name: a, size: 1GiB }\n"
			   "protection:\n  replicas:\n    - { at: dr, mode: async, lag: uniform(1s, 101s) }\n"
			   "disasters:\n  - { kind: region-outage, rate: 1/y, detect: 0s }\n"
			   "runbooks:\n  region-outage:\n    - { step: promote, model: 1m, action: { manual: x } }\n");
	sim_opts o = opts(200000, 2);
	res_result *r = NULL;
	assert_int_equal(sim_run(s, &o, &r), DR_OK);
	const res_disaster *d = &r->disasters[0];
	/* sampling error of the p-quantile of U(1, 101) at n = 2e5 is ~0.1 s */
	assert_near(d->rpo_s.p50, 51, 0.5);
	assert_near(d->rpo_s.p90, 91, 0.5);
	assert_near(d->rpo_s.p99, 100, 0.5);
	assert_near(d->p_meet_rpo.p, 0.59, 0.01);
	assert_true(d->p_meet_rpo.lo < d->p_meet_rpo.p && d->p_meet_rpo.p < d->p_meet_rpo.hi);
	res_free(r);
	sim_state *st = NULL;
	sim_opts small = opts(20000, 1), big = opts(200000, 1);
	assert_int_equal(sim_run_state(s, &small, &st), DR_OK);
	json_t *j1 = sim_state_to_json(st, s);
	sim_state_free(st);
	assert_int_equal(sim_run_state(s, &big, &st), DR_OK);
	json_t *j2 = sim_state_to_json(st, s);
	sim_state_free(st);
	char *t1 = json_dumps(j1, 0), *t2 = json_dumps(j2, 0);
	/* ten times the trials, about the same state */
	assert_true(strlen(t2) < 2 * strlen(t1));
	free(t1);
	free(t2);
	json_decref(j1);
	json_decref(j2);
	scn_free(s);
}

static const res_disaster *variant(const res_result *r, const char *name)
{
	for (size_t i = 0; i < r->n_variants; i++)
		if (strcmp(r->variants[i].strategy, name) == 0)
			return &r->variants[i].result->disasters[0];
	fail_msg("no variant %s", name);
	return NULL;
}

/* AWS: backup and restore RTO in hours, pilot light tens of minutes, warm
 * standby minutes, multi-site near zero (after detection); RPO from hours
 * or minutes (logs) down to seconds. */
static void test_compare_orders_strategies(void **state)
{
	scenario *s = NULL;
	dr_diags dg = {0};
	assert_int_equal(scn_load("scenarios/warm-standby.yaml", &s, &dg), DR_OK);
	dr_diags_release(&dg);
	sim_opts o = opts(4000, 2);
	o.disaster = SCN_DIS_REGION;
	res_result *r = NULL;
	assert_int_equal(sim_compare(s, &o, &r), DR_OK);
	assert_int_equal(r->n_variants, 4);
	const res_disaster *br = variant(r, "backup-restore"), *pl = variant(r, "pilot-light"),
			   *ws = variant(r, "warm-standby"), *ms = variant(r, "multi-site");
	double after[4];
	const res_disaster *v[4] = {br, pl, ws, ms};
	for (int i = 0; i < 4; i++)
		after[i] = v[i]->rto_s.p50 - v[i]->steps[0].modeled.mean;
	assert_true(after[0] >= 3600);
	assert_true(after[1] >= 10 * 60 && after[1] < 3600);
	assert_true(after[2] < after[1] && after[2] < 30 * 60);
	assert_true(after[3] < 2 * 60);
	assert_true(br->rpo_s.p50 >= 60);
	assert_true(ms->rpo_s.p50 <= 1.0 && ws->rpo_s.p50 < pl->rpo_s.p50 + 1e-9);
	/* the cheapest meeting the objectives, if any, meets them */
	if (r->recommended)
		assert_true(variant(r, r->recommended)->met);
	assert_true(br->rpo_s.p50 > ms->rpo_s.p50);
	res_free(r);
	scn_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads_byte_identical),
		cmocka_unit_test(test_shards_merge_exactly),
		cmocka_unit_test(test_shard_mismatch_refused),
		cmocka_unit_test(test_quantile_accuracy_and_memory),
		cmocka_unit_test(test_compare_orders_strategies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
