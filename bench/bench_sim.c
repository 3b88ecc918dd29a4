/*
 * bench_sim.c - simulator throughput: trials/s and database-recoveries/s
 * for a reference fleet (100 databases, region outage, restores through
 * restore slots by tier) at 1 and 2 threads; run time at 1 and 10 years of
 * horizon; peak RSS of the process after 1e5 trials and after 1e7 trials
 * (the 1e7 run uses a 1-database fleet to stay within minutes).  Prints
 * figures, asserts nothing.  BENCH_SIM_QUICK=1 shrinks every run 10x.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "simulate.h"

static const char fleet_yaml[] =
	"drsim: 1\nname: bench fleet\nstrategy: backup-restore\nobjectives: { rpo: 30m, rto: 12h, percentile: 90 }\n"
	"sites:\n  primary: { region: r1, account: \"1\" }\n  dr: { region: r2, account: \"1\" }\n"
	"databases:\n  - { name: core, count: %d, size: lognormal(median=300GiB, p95=1TiB), write_rate: 3MiB/s, tier: 1 }\n"
	"%s"
	"protection:\n  automated_backups: { retention: 7d, window: \"05:00-05:30\", log_upload: 5m }\n"
	"  copies:\n    - { of: automated-backups, to: dr, throughput: 200MiB/s, delay: lognormal(median=5m, p95=20m) }\n"
	"disasters:\n  - { kind: region-outage, rate: 1/20y, detect: uniform(10m, 40m) }\n"
	"runbooks:\n  region-outage:\n"
	"    - { step: declare, model: triangular(10m, 20m, 45m), scope: once, uses: operator, action: { manual: x } }\n"
	"    - { step: restore, model: 10m + size/250MiB/s, uses: restore-slot, action: { manual: x } }\n"
	"    - { step: replay-logs, model: replay/80MiB/s, action: { manual: x } }\n"
	"    - { step: verify, model: uniform(3m, 10m), uses: operator, action: { manual: x } }\n"
	"resources: { restore-slot: { capacity: 10 }, operator: { capacity: 2 } }\n";

static scenario *fleet(int n)
{
	char yaml[4096], shards[160] = "";
	int core = n >= 5 ? n / 5 : n;
	if (n > core)
		snprintf(shards, sizeof shards,
			 "  - { name: shard, count: %d, size: lognormal(median=200GiB, p95=2TiB), write_rate: 1MiB/s, tier: 2 }\n",
			 n - core);
	snprintf(yaml, sizeof yaml, fleet_yaml, core, shards);
	scenario *s = NULL;
	dr_diags d = {0};
	if (scn_load_buffer("bench.yaml", yaml, strlen(yaml), &s, &d) != DR_OK) {
		dr_diags_print(&d, stderr);
		exit(1);
	}
	dr_diags_release(&d);
	return s;
}

static double run(const scenario *s, uint64_t trials, int threads, double horizon, uint64_t *recoveries)
{
	sim_opts o;
	sim_opts_init(&o);
	o.trials = trials;
	o.threads = threads;
	o.horizon_s = horizon;
	sim_state *st = NULL;
	double t0 = dr_now_mono();
	if (sim_run_state(s, &o, &st) != DR_OK)
		exit(1);
	double dt = dr_now_mono() - t0;
	*recoveries = st->db_recoveries;
	sim_state_free(st);
	return dt;
}

static long peak_rss_kib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

int main(void)
{
	bool quick = getenv("BENCH_SIM_QUICK") != NULL;
	uint64_t trials = quick ? 10000 : 100000, rec;
	scenario *s = fleet(100);
	double t1 = run(s, trials, 1, DR_YEAR_S, &rec);
	printf("sim.fleet100 threads=1 trials=%llu seconds=%.3f trials_per_s=%.0f db_recoveries_per_s=%.3g\n",
	       (unsigned long long)trials, t1, trials / t1, rec / t1);
	double t2 = run(s, trials, 2, DR_YEAR_S, &rec);
	printf("sim.fleet100 threads=2 trials=%llu seconds=%.3f trials_per_s=%.0f db_recoveries_per_s=%.3g speedup=%.2f\n",
	       (unsigned long long)trials, t2, trials / t2, rec / t2, t1 / t2);
	double h1 = run(s, trials / 10, 1, DR_YEAR_S, &rec);
	double h10 = run(s, trials / 10, 1, 10 * DR_YEAR_S, &rec);
	printf("sim.horizon trials=%llu seconds_1y=%.3f seconds_10y=%.3f ratio=%.2f\n",
	       (unsigned long long)(trials / 10), h1, h10, h10 / h1);
	printf("sim.memory fleet=100 trials=%llu peak_rss_kib=%ld\n", (unsigned long long)trials, peak_rss_kib());
	scn_free(s);
	scenario *one = fleet(1);
	uint64_t big = quick ? 1000000 : 10000000;
	double tb = run(one, big, 2, DR_YEAR_S, &rec);
	printf("sim.memory fleet=1 trials=%llu seconds=%.2f peak_rss_kib=%ld (fleet reduced to 1 database)\n",
	       (unsigned long long)big, tb, peak_rss_kib());
	scn_free(one);
	return 0;
}
