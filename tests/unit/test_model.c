/*
 * test_model.c - the simulator against closed forms, within sampling error
 * (issue 3, item 7), and the shipped scenarios against published figures
 * (item 8).  Scenarios are written inline in YAML and loaded with the real
 * loader.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simulate.h"

#define HEAD(st)                                                                                     \
	"drsim: 1\nname: t\nstrategy: " st "\nobjectives: { rpo: 15m, rto: 8h, percentile: 95 }\n"                    \
	"sites:\n  primary: { region: r1, account: \"1\" }\n  dr: { region: r2, account: \"1\" }\n"

static scenario *load(const char *yaml)
{
	scenario *s = NULL;
	dr_diags d = {0};
	if (scn_load_buffer("test.yaml", yaml, strlen(yaml), &s, &d) != DR_OK) {
		dr_diags_print(&d, stderr);
		fail_msg("scenario does not load");
	}
	dr_diags_release(&d);
	return s;
}

static res_result *run(const scenario *s, uint64_t trials, int kind)
{
	sim_opts o;
	sim_opts_init(&o);
	o.trials = trials;
	o.seed = 42;
	o.disaster = kind;
	res_result *r = NULL;
	assert_int_equal(sim_run(s, &o, &r), DR_OK);
	assert_non_null(r);
	assert_int_equal(r->n_disasters, 1);
	return r;
}

/* Log shipping every L = 5 min with a fixed 2 min copy delay: RPO is
 * uniform on [D, L + D]. */
static void test_log_shipping_uniform(void **state)
{
	scenario *s = load(HEAD("backup-restore") "databases:\n  - { name: a, size: 10GiB, write_rate: 1MiB/s }\n"
				"protection:\n  automated_backups: { retention: 7d, window: \"03:00-03:30\", log_upload: 5m }\n"
				"  copies:\n    - { of: snapshots, to: dr, throughput: 10MiB/s }\n"
				"    - { of: logs, to: dr, delay: 2m }\n"
				"disasters:\n  - { kind: region-outage, rate: 1/10y, detect: 0s }\n"
				"runbooks:\n  region-outage:\n    - { step: restore, model: 1h, action: { manual: x } }\n");
	uint64_t n = 20000;
	res_result *r = run(s, n, SCN_DIS_REGION);
	const res_disaster *d = &r->disasters[0];
	double L = 300, D = 120, sd = L / sqrt(12.0);
	assert_int_equal(d->unrecoverable, 0);
	assert_near(d->rpo_s.mean, D + L / 2, 4 * sd / sqrt((double)n));
	assert_near(d->rpo_s.p50, D + L / 2, 0.02 * L);
	assert_near(d->rpo_s.p90, D + 0.9 * L, 0.02 * L);
	assert_true(d->rpo_cdf.x[0] >= D - 1e-6);
	assert_true(d->rpo_cdf.n == 61 && d->rpo_cdf.p[60] == 1.0);
	assert_true(d->rpo_s.max <= D + L + 1e-6);
	res_free(r);
	scn_free(s);
}

/* A daily cross-region snapshot copy without log copies: RPO is uniform on
 * [X, 24h + X] with X = size / throughput the copy time. */
static void test_daily_snapshot_copy(void **state)
{
	scenario *s = load(HEAD("backup-restore") "databases:\n  - { name: a, size: 360000MB, write_rate: 1MiB/s }\n"
				"protection:\n  automated_backups: { retention: 7d, window: \"03:00-03:30\" }\n"
				"  copies:\n    - { of: snapshots, to: dr, every: 24h, throughput: 100MB/s }\n"
				"disasters:\n  - { kind: region-outage, rate: 1/10y, detect: 5m }\n"
				"runbooks:\n  region-outage:\n    - { step: restore, model: 1h, action: { manual: x } }\n");
	uint64_t n = 20000;
	res_result *r = run(s, n, SCN_DIS_REGION);
	const res_disaster *d = &r->disasters[0];
	double P = 86400, X = 3600, sd = P / sqrt(12.0);
	assert_near(d->rpo_s.mean, X + P / 2, 4 * sd / sqrt((double)n));
	assert_near(d->rpo_s.p50, X + P / 2, 0.02 * P);
	assert_true(d->rpo_cdf.x[0] >= X - 1e-6);
	assert_true(d->rpo_s.max <= X + P + 1e-6);
	/* RTO = detection + the fixed restore */
	assert_near(d->rto_s.p50, 300 + 3600, 1e-6);
	res_free(r);
	scn_free(s);
}

/* An async replica's lag reproduces its own lognormal quantiles. */
static void test_replica_lag_quantiles(void **state)
{
	scenario *s = load(HEAD("warm-standby") "databases:\n  - { name: a, size: 10GiB }\n"
				"protection:\n  replicas:\n    - { at: dr, mode: async, lag: \"lognormal(median=300ms, p95=2s)\" }\n"
				"disasters:\n  - { kind: region-outage, rate: 1/10y, detect: 1m }\n"
				"runbooks:\n  region-outage:\n    - { step: promote, model: 1m, action: { manual: x } }\n");
	res_result *r = run(s, 40000, SCN_DIS_REGION);
	const res_disaster *d = &r->disasters[0];
	assert_near(d->rpo_s.p50, 0.3, 0.3 * 0.03);
	assert_near(d->rpo_s.p95, 2.0, 2.0 * 0.05);
	res_free(r);
	scn_free(s);
}

/* A synchronous replica loses nothing, ever. */
static void test_sync_replica_zero(void **state)
{
	scenario *s = load(HEAD("warm-standby") "databases:\n  - { name: a, size: 10GiB }\n"
				"protection:\n  replicas:\n    - { at: dr, mode: sync }\n"
				"disasters:\n  - { kind: region-outage, rate: 1/10y, detect: \"uniform(10s, 30s)\" }\n"
				"runbooks:\n  region-outage:\n    - { step: promote, model: 1m, action: { manual: x } }\n");
	res_result *r = run(s, 5000, SCN_DIS_REGION);
	const res_disaster *d = &r->disasters[0];
	assert_true(d->rpo_s.max == 0.0);
	assert_true(d->rpo_s.mean == 0.0);
	assert_true(d->p_meet_rpo.p == 1.0);
	res_free(r);
	scn_free(s);
}

/* N fixed restores of R through k slots: the last finishes ceil(N/k) * R
 * after they start; tier 1 is served first. */
static void test_restore_slots(void **state)
{
	scenario *s = load(HEAD("warm-standby") "databases:\n  - { name: a, count: 4, size: 10GiB, tier: 1 }\n"
				"  - { name: b, count: 6, size: 10GiB, tier: 2 }\n"
				"protection:\n  replicas:\n    - { at: dr, mode: sync }\n"
				"disasters:\n  - { kind: region-outage, rate: 1/10y, detect: 10m }\n"
				"runbooks:\n  region-outage:\n    - { step: restore, model: 1h, uses: restore-slot, action: { manual: x } }\n"
				"resources: { restore-slot: { capacity: 3 } }\n");
	res_result *r = run(s, 200, SCN_DIS_REGION);
	const res_disaster *d = &r->disasters[0];
	double R = 3600, start = 600;
	assert_near(d->rto_s.p50, start + 4 * R, 1e-6); /* ceil(10/3) = 4 */
	assert_near(d->rto_s.max, start + 4 * R, 1e-6);
	assert_int_equal(d->n_fleet, 3); /* all, tier 1, tier 2 */
	assert_int_equal(d->fleet[0].databases, 10);
	assert_near(d->fleet[0].t50_s.p50, start + 2 * R, 1e-6);
	assert_near(d->fleet[0].t100_s.p50, start + 4 * R, 1e-6);
	/* tier 1 (4 databases): 3 in the first round, 1 in the second */
	assert_int_equal(d->fleet[1].tier, 1);
	assert_near(d->fleet[1].t100_s.p50, start + 2 * R, 1e-6);
	/* waterfall: detection then the restore on the critical path */
	assert_int_equal(d->n_steps, 2);
	assert_near(d->steps[0].share, start / (start + 4 * R), 1e-9);
	assert_near(d->steps[1].share, 4 * R / (start + 4 * R), 1e-9);
	res_free(r);
	scn_free(s);
}

/* Once steps run once per disaster and are barriers; per-database steps
 * chain per database. */
static void test_once_steps(void **state)
{
	scenario *s = load(HEAD("warm-standby") "databases:\n  - { name: a, count: 5, size: 10GiB }\n"
				"protection:\n  replicas:\n    - { at: dr, mode: sync }\n"
				"disasters:\n  - { kind: region-outage, rate: 1/10y, detect: 0s }\n"
				"runbooks:\n  region-outage:\n"
				"    - { step: declare, model: 10m, scope: once, uses: operator, action: { manual: x } }\n"
				"    - { step: promote, model: 2m, uses: operator, action: { manual: x } }\n"
				"    - { step: check, model: 1m, action: { manual: x } }\n"
				"    - { step: cutover, model: 5m, scope: once, action: { manual: x } }\n"
				"resources: { operator: { capacity: 2 } }\n");
	res_result *r = run(s, 50, SCN_DIS_REGION);
	const res_disaster *d = &r->disasters[0];
	/* declare 10m; promotes 2 at a time: 3 rounds of 2m, the last db's check
	 * ends at 10 + 6 + 1 = 17m; cutover 5m: 22m */
	assert_near(d->rto_s.max, 22 * 60, 1e-6);
	assert_near(d->rto_s.p50, 22 * 60, 1e-6);
	assert_near(d->fleet[0].t100_s.p50, 17 * 60, 1e-6);
	res_free(r);
	scn_free(s);
}

/* Corruption: PITR from backups recovers to just before the event;
 * replicas alone copy the damage. */
static void test_corruption_pitr_vs_replicas(void **state)
{
	scenario *pitr = load(HEAD("backup-restore") "databases:\n  - { name: a, size: 10GiB, write_rate: 1MiB/s }\n"
				   "protection:\n  automated_backups: { retention: 7d, window: \"03:00-03:30\", log_upload: 5m }\n"
				   "  replicas:\n    - { at: dr, mode: async, lag: 1s }\n"
				   "disasters:\n  - { kind: logical-corruption, rate: 1/y, detect: 1h }\n"
				   "runbooks:\n  logical-corruption:\n    - { step: restore, model: \"10m + replay/100MiB/s\", action: { manual: x } }\n");
	res_result *r = run(pitr, 2000, SCN_DIS_CORRUPTION);
	const res_disaster *d = &r->disasters[0];
	assert_int_equal(d->unrecoverable, 0);
	assert_true(d->rpo_s.max == 0.0); /* logs up to the event were uploaded before detection */
	/* replay: the log since the last daily snapshot, on average half a day */
	assert_true(d->rto_s.mean > 3600 + 600);
	res_free(r);
	scn_free(pitr);

	scenario *rep = load(HEAD("warm-standby") "databases:\n  - { name: a, size: 10GiB }\n"
				  "protection:\n  replicas:\n    - { at: dr, mode: async, lag: 1s }\n"
				  "disasters:\n  - { kind: logical-corruption, rate: 1/y, detect: 1h }\n"
				  "runbooks:\n  logical-corruption:\n    - { step: restore, model: 10m, action: { manual: x } }\n");
	r = run(rep, 500, SCN_DIS_CORRUPTION);
	d = &r->disasters[0];
	assert_int_equal(d->unrecoverable, 500);
	assert_string_equal(d->unrecoverable_reason, sim_unrec_names[SIM_UNREC_REPLICAS_ONLY]);
	assert_true(d->p_meet_rpo.p == 0.0);
	assert_false(d->met);
	assert_int_equal(d->rpo_s.n, 0);
	res_free(r);
	scn_free(rep);
}

/* Retention shorter than the detection delay: unrecoverable, with why. */
static void test_retention_shorter_than_detection(void **state)
{
	scenario *s = load(HEAD("backup-restore") "databases:\n  - { name: a, size: 10GiB, write_rate: 1MiB/s }\n"
				"protection:\n  automated_backups: { retention: 1d, window: \"03:00-03:30\", log_upload: 5m }\n"
				"disasters:\n  - { kind: logical-corruption, rate: 1/y, detect: 2d }\n"
				"runbooks:\n  logical-corruption:\n    - { step: restore, model: 1h, action: { manual: x } }\n");
	res_result *r = run(s, 500, SCN_DIS_CORRUPTION);
	const res_disaster *d = &r->disasters[0];
	assert_int_equal(d->unrecoverable, 500);
	assert_string_equal(d->unrecoverable_reason, sim_unrec_names[SIM_UNREC_RETENTION]);
	assert_true(r->n_findings >= 1);
	res_free(r);
	scn_free(s);
}

/* A region outage without anything outside the region. */
static void test_region_nothing_survives(void **state)
{
	scenario *s = load(HEAD("backup-restore") "databases:\n  - { name: a, size: 10GiB }\n"
				"protection:\n  automated_backups: { retention: 7d, window: \"03:00-03:30\" }\n"
				"disasters:\n  - { kind: region-outage, rate: 1/y, detect: 5m }\n"
				"runbooks:\n  region-outage:\n    - { step: restore, model: 1h, action: { manual: x } }\n");
	res_result *r = run(s, 100, SCN_DIS_REGION);
	assert_int_equal(r->disasters[0].unrecoverable, 100);
	assert_string_equal(r->disasters[0].unrecoverable_reason, sim_unrec_names[SIM_UNREC_NO_SURVIVOR]);
	assert_false(r->met);
	res_free(r);
	scn_free(s);
}

/* Ransomware: same-account backups are suspect, cross-account copies
 * survive when still retained at detection. */
static void test_ransomware_cross_account(void **state)
{
	const char *yaml =
		"drsim: 1\nname: t\nstrategy: backup-restore\nobjectives: { rpo: 48h, rto: 8h, percentile: 95 }\n"
		"sites:\n  primary: { region: r1, account: \"1\" }\n  vault: { region: r1, account: \"2\" }\n"
		"databases:\n  - { name: a, size: 100GB }\n"
		"protection:\n  automated_backups: { retention: 7d, window: \"03:00-03:30\" }\n"
		"  copies:\n    - { of: snapshots, to: vault, every: 24h, throughput: 1GB/s, retention: 35d }\n"
		"disasters:\n  - { kind: ransomware, rate: 1/y, detect: 1h }\n"
		"runbooks:\n  ransomware:\n    - { step: restore, model: 1h, action: { manual: x } }\n";
	scenario *s = load(yaml);
	res_result *r = run(s, 4000, SCN_DIS_RANSOMWARE);
	const res_disaster *d = &r->disasters[0];
	assert_int_equal(d->unrecoverable, 0);
	assert_near(d->rpo_s.mean, 100 + 43200, 4 * 86400 / sqrt(12.0) / sqrt(4000.0));
	res_free(r);
	scn_free(s);
}

/* Fleet copy round: snapshots at a uniform time in a 30 min window, then
 * a 1 h copy each.  With one copy slot the third copy ends 3 h after the
 * first snapshot; an outage before that leaves a database with yesterday's
 * copy (RPO > 1 d).  With three slots the copies run side by side. */
static double copy_round_p_meet(int slots)
{
	char yaml[1024];
	snprintf(yaml, sizeof yaml,
		 "drsim: 1\nname: t\nstrategy: backup-restore\nobjectives: { rpo: 1d, rto: 8h, percentile: 95 }\n"
		 "sites:\n  primary: { region: r1, account: \"1\" }\n  dr: { region: r2, account: \"1\" }\n"
		 "databases:\n  - { name: a, count: 3, size: 360GB }\n"
		 "protection:\n  automated_backups: { retention: 7d, window: \"00:00-00:30\" }\n"
		 "  copies:\n    - { of: snapshots, to: dr, throughput: 100MB/s }\n"
		 "disasters:\n  - { kind: region-outage, rate: 1/y, detect: 0s }\n"
		 "runbooks:\n  region-outage:\n    - { step: restore, model: 1h, action: { manual: x } }\n"
		 "resources: { copy-slot: { capacity: %d } }\n",
		 slots);
	scenario *s = load(yaml);
	res_result *r = run(s, 20000, SCN_DIS_REGION);
	double p = r->disasters[0].p_meet_rpo.p;
	res_free(r);
	scn_free(s);
	return p;
}

static void test_copy_slots_in_flight(void **state)
{
	/* E[min of 3 U(0, 30m)] = 7.5 m, E[max] = 22.5 m */
	assert_near(copy_round_p_meet(1), 1 - (3 * 60 + 7.5) / 1440.0, 0.01);
	assert_near(copy_round_p_meet(3), 1 - (60 + 22.5) / 1440.0, 0.01);
}

static void test_deterministic_per_seed(void **state)
{
	scenario *s = load(HEAD("backup-restore") "databases:\n  - { name: a, count: 7, size: \"lognormal(median=10GiB, p95=50GiB)\", write_rate: 1MiB/s, tier: 1 }\n"
				"protection:\n  automated_backups: { retention: 7d, window: \"03:00-03:30\", log_upload: 5m }\n"
				"  copies:\n    - { of: automated-backups, to: dr, throughput: 100MiB/s, delay: \"uniform(1m, 5m)\" }\n"
				"disasters:\n  - { kind: region-outage, rate: 1/10y, detect: \"uniform(5m, 30m)\" }\n"
				"runbooks:\n  region-outage:\n    - { step: restore, model: \"5m + size/200MiB/s\", uses: restore-slot, action: { manual: x } }\n"
				"resources: { restore-slot: { capacity: 2 } }\n");
	sim_model *m = sim_model_new(s, SCN_DIS_REGION, DR_YEAR_S);
	sim_worker *w1 = sim_worker_new(m), *w2 = sim_worker_new(m);
	const sim_outcome *a = sim_trial(w1, 9, 123);
	double rpo = a->rpo_s, rto = a->rto_s;
	sim_trial(w1, 9, 124);
	const sim_outcome *b = sim_trial(w2, 9, 123);
	assert_true(b->rpo_s == rpo && b->rto_s == rto);
	assert_int_equal(b->n_hit, 7);
	sim_worker_free(w1);
	sim_worker_free(w2);
	sim_model_free(m);
	scn_free(s);
}

/* ---- published figures from the shipped scenarios (item 8) ---- */

static scenario *load_file(const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "scenarios/%s", name);
	scenario *s = NULL;
	dr_diags d = {0};
	if (scn_load(path, &s, &d) != DR_OK) {
		dr_diags_print(&d, stderr);
		fail_msg("cannot load %s", path);
	}
	dr_diags_release(&d);
	return s;
}

/* In-region RDS point-in-time recovery: RPO at most 5 minutes. */
static void test_published_rds_pitr(void **state)
{
	scenario *s = load_file("rds-pitr.yaml");
	res_result *r = run(s, 10000, SCN_DIS_INSTANCE);
	assert_true(r->disasters[0].rpo_s.max <= 300 + 1e-6);
	assert_true(r->disasters[0].rpo_s.p50 > 60);
	res_free(r);
	scn_free(s);
}

/* Aurora Global Database: RPO near 1 s, under 1 min RTO after detection. */
static void test_published_aurora_global(void **state)
{
	scenario *s = load_file("multi-site.yaml");
	res_result *r = run(s, 10000, SCN_DIS_REGION);
	const res_disaster *d = &r->disasters[0];
	assert_true(d->rpo_s.p50 >= 0.3 && d->rpo_s.p50 <= 2.0);
	assert_true(d->rpo_s.p95 <= 2.0);
	/* RTO after detection: the mean and the worst case */
	assert_true(d->rto_s.mean - d->steps[0].modeled.mean < 60);
	assert_true(d->rto_s.max <= 120 + 50 + 15 + 1e-6);
	res_free(r);
	scn_free(s);
}

/* Multi-AZ failover: 60-120 s from the failure to the end of the failover
 * (the scenario verifies afterwards). */
static void test_published_multi_az(void **state)
{
	scenario *s = load_file("multi-az.yaml");
	res_result *r = run(s, 10000, SCN_DIS_INSTANCE);
	const res_disaster *d = &r->disasters[0];
	assert_true(d->rpo_s.max == 0.0);
	assert_true(d->rto_s.p50 >= 60 && d->rto_s.p50 <= 120);
	assert_string_equal(d->steps[1].name, "failover");
	assert_true(d->steps[0].modeled.max + d->steps[1].modeled.max <= 120 + 1e-6);
	assert_true(d->steps[0].modeled.mean + d->steps[1].modeled.mean >= 60);
	res_free(r);
	scn_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_shipping_uniform),
		cmocka_unit_test(test_daily_snapshot_copy),
		cmocka_unit_test(test_replica_lag_quantiles),
		cmocka_unit_test(test_sync_replica_zero),
		cmocka_unit_test(test_restore_slots),
		cmocka_unit_test(test_once_steps),
		cmocka_unit_test(test_corruption_pitr_vs_replicas),
		cmocka_unit_test(test_retention_shorter_than_detection),
		cmocka_unit_test(test_region_nothing_survives),
		cmocka_unit_test(test_ransomware_cross_account),
		cmocka_unit_test(test_copy_slots_in_flight),
		cmocka_unit_test(test_deterministic_per_seed),
		cmocka_unit_test(test_published_rds_pitr),
		cmocka_unit_test(test_published_aurora_global),
		cmocka_unit_test(test_published_multi_az),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
