/*
 * bench_expr.c - speed of the simulator's hot path, dr_expr_sample, on
 * typical duration models, and of parsing.  Prints one figure per line
 * (median of RUNS runs), asserts nothing.
 */
#include <stdio.h>
#include <stdlib.h>

#include "expr.h"

#define RUNS 5
#define DRAWS 2000000

static const dr_var vars[] = {
	{"size", {1, 0}, "database size"},
	{"replay", {1, 0}, "log volume to replay"},
};

static const char *const models[] = {
	"90s",
	"uniform(30s, 2m)",
	"triangular(5m, 10m, 30m)",
	"pert(5m, 10m, 30m)",
	"normal(10m, 2m)",
	"lognormal(median=2m, p95=10m)",
	"weibull(shape=1.5, scale=1h)",
	"10m + size/250MiB/s + replay/100MiB/s",
	"lognormal(median=4m, p95=8m) + size/uniform(100MiB/s, 250MiB/s)",
};

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

int main(void)
{
	double values[] = {800.0 * 1073741824, 50.0 * 1073741824};
	gsl_rng *r = dr_rng_new(1, 0);
	for (size_t m = 0; m < sizeof(models) / sizeof(models[0]); m++) {
		dr_expr *e = NULL;
		dr_expr_error err;
		if (dr_expr_parse(models[m], vars, 2, &e, &err) != DR_OK) {
			fprintf(stderr, "bench_expr: \"%s\": %s\n", models[m], err.msg);
			return 1;
		}
		double rate[RUNS], sink = 0;
		for (int k = 0; k < RUNS; k++) {
			double t0 = dr_now_mono();
			for (int i = 0; i < DRAWS; i++)
				sink += dr_expr_sample(e, values, r);
			rate[k] = DRAWS / (dr_now_mono() - t0);
		}
		printf("expr.samples_per_s model=\"%s\" median_of_%d=%.3g (checksum %.3g)\n", models[m], RUNS,
		       median(rate, RUNS), sink);
		dr_expr_free(e);
	}
	double rate[RUNS];
	for (int k = 0; k < RUNS; k++) {
		double t0 = dr_now_mono();
		for (int i = 0; i < 20000; i++) {
			dr_expr *e = NULL;
			dr_expr_error err;
			if (dr_expr_parse(models[i % 9], vars, 2, &e, &err) == DR_OK)
				dr_expr_free(e);
		}
		rate[k] = 20000 / (dr_now_mono() - t0);
	}
	printf("expr.parses_per_s median_of_%d=%.3g\n", RUNS, median(rate, RUNS));
	gsl_rng_free(r);
	return 0;
}
