/*
 * bench_engine.c - throughput of the event engine and the histogram, and
 * the process's peak memory.  Prints one figure per line, asserts nothing.
 *
 * The engine runs the classic hold model: a constant number of pending
 * events; each event, when it runs, schedules one more at now plus an
 * exponential delay.  hist_add is timed on lognormal values (bucket mode,
 * the steady state of a long Monte Carlo run).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "engine.h"
#include "hist.h"

#define RUNS 5

/* xorshift64*: cheap enough not to hide the engine's own cost. */
static inline double uniform01(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (double)((*s * 0x2545f4914f6cdd1dull) >> 11) * 0x1.0p-53;
}

static inline double exponential(uint64_t *s)
{
	return -log1p(-uniform01(s));
}

typedef struct {
	uint64_t rng;
	uint64_t left;
} hold_state;

static void hold(eng *e, void *ctx, uint64_t arg)
{
	hold_state *h = ctx;
	if (--h->left == 0) {
		eng_stop(e);
		return;
	}
	eng_after(e, exponential(&h->rng), hold, h, arg);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

/* Events per second of the hold model with `pending` events in the heap. */
static double hold_rate(eng *e, size_t pending, uint64_t events, uint64_t seed)
{
	hold_state h = {.rng = seed | 1, .left = events};
	eng_reset(e);
	for (size_t i = 0; i < pending; i++)
		eng_at(e, exponential(&h.rng), hold, &h, i);
	double t0 = dr_now_mono();
	eng_run(e, INFINITY);
	double dt = dr_now_mono() - t0;
	return (double)e->processed / dt;
}

static void bench_engine(void)
{
	static const size_t pendings[] = {10, 1000, 100000};
	eng e;
	eng_init(&e);
	for (size_t p = 0; p < sizeof(pendings) / sizeof(pendings[0]); p++) {
		double rates[RUNS];
		hold_rate(&e, pendings[p], 200000, 99); /* warm up: grow the heap */
		for (int r = 0; r < RUNS; r++)
			rates[r] = hold_rate(&e, pendings[p], 5000000, (uint64_t)r + 1);
		printf("engine.events_per_s pending=%zu median_of_%d=%.3g\n", pendings[p], RUNS,
		       median(rates, RUNS));
	}
	eng_release(&e);
}

static void bench_hist(void)
{
	enum { N_VALUES = 1000000, PASSES = 10 };
	double *values = dr_malloc(N_VALUES * sizeof(*values));
	double rates[RUNS];
	uint64_t rng = 12345;
	for (size_t i = 0; i < N_VALUES; i++) {
		/* Box-Muller: lognormal with median 2 min and sigma 1.5 */
		double u = uniform01(&rng), w = uniform01(&rng);
		double z = sqrt(-2 * log1p(-u)) * cos(2 * M_PI * w);
		values[i] = 120 * exp(1.5 * z);
	}
	hist h;
	hist_init(&h);
	for (int r = 0; r < RUNS; r++) {
		hist_reset(&h);
		double t0 = dr_now_mono();
		for (int pass = 0; pass < PASSES; pass++)
			for (size_t i = 0; i < N_VALUES; i++)
				hist_add(&h, values[i]);
		rates[r] = (double)h.n / (dr_now_mono() - t0);
	}
	printf("hist.add_per_s values=%d median_of_%d=%.3g\n", N_VALUES * PASSES, RUNS,
	       median(rates, RUNS));
	printf("hist.buckets values=%d count=%zu\n", N_VALUES * PASSES, h.n_counts);
	hist_release(&h);
	free(values);
}

int main(void)
{
	struct rusage ru;
	bench_engine();
	bench_hist();
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		printf("bench_engine.peak_rss_kib value=%ld\n", ru.ru_maxrss);
	return 0;
}
