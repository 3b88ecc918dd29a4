/* test_dist.c - every distribution against its closed form: exact means,
 * quantile functions and support, then 200k samples whose mean and
 * empirical CDF must agree within sampling error; plus the seeded random
 * streams (determinism, distinct streams, the stable seed mapping). */
#include "testutil.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"

#define N_SAMPLES 200000
#define SIGMAS 5.0 /* tolerance in standard errors */

static const double probs[] = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};
#define N_PROBS (sizeof(probs) / sizeof(probs[0]))

/* Closed forms, written independently of expr.c. */
static double q_uniform(double p) { return 60 + 120 * p; }
static double q_tri(double p)
{
	double a = 300, c = 600, b = 1800;
	return p < (c - a) / (b - a) ? a + sqrt(p * (b - a) * (c - a)) : b - sqrt((1 - p) * (b - a) * (b - c));
}
static double q_tri_left(double p) { return 600 * (1 - sqrt(1 - p)); }
static double q_pert_sym(double p) { return 600 * gsl_cdf_beta_Pinv(p, 3, 3); }
static double q_pert_skew(double p) { return 600 * (1 - pow(1 - p, 0.2)); } /* Beta(1, 5) */
/* Normal(mu, sd) conditioned on >= 0, by inversion of the conditional
 * survival function Q(x) / Q(-mu/sd) (the CDF form loses the far tail). */
static double tnorm_q(double mu, double sd, double p)
{
	double tail = gsl_cdf_ugaussian_Q(-mu / sd);
	return mu + sd * gsl_cdf_ugaussian_Qinv((1 - p) * tail);
}
static double tnorm_mean(double mu, double sd)
{
	double a = -mu / sd;
	return mu + sd * gsl_ran_ugaussian_pdf(a) / gsl_cdf_ugaussian_Q(a);
}
static double q_norm(double p) { return tnorm_q(600, 120, p); }
static double q_halfnorm(double p) { return 60 * gsl_cdf_ugaussian_Pinv((1 + p) / 2); }
static double q_norm_neg(double p) { return tnorm_q(-60, 60, p); }
static double q_norm_far(double p) { return tnorm_q(-600, 60, p); }
static double ln_sigma(double median, double q, double pct) { return log(q / median) / gsl_cdf_ugaussian_Pinv(pct); }
static double q_lognorm(double p) { return 120 * exp(ln_sigma(120, 600, 0.95) * gsl_cdf_ugaussian_Pinv(p)); }
static double q_lognorm_ms(double p) { return 0.3 * exp(ln_sigma(0.3, 2, 0.99) * gsl_cdf_ugaussian_Pinv(p)); }
static double q_exp(double p) { return -600 * log(1 - p); }
static double q_weibull(double p) { return 3600 * sqrt(-log(1 - p)); }
static double q_weibull_07(double p) { return 600 * pow(-log(1 - p), 1 / 0.7); }

typedef struct {
	const char *src;
	double mean;
	double (*quantile)(double p);
	double lo, hi;
} dist_case;

static void check_case(const dist_case *c)
{
	dr_expr *e = NULL;
	dr_expr_error err;
	if (dr_expr_parse(c->src, NULL, 0, &e, &err) != DR_OK)
		fail_msg("\"%s\": %s", c->src, err.msg);
	assert_false(dr_expr_is_fixed(e));
	assert_true(dr_dim_eq(dr_expr_dim(e), DR_DIM_TIME));

	/* exact functions */
	assert_near(dr_expr_mean(e, NULL), c->mean, fabs(c->mean) * 1e-9 + 1e-12);
	double lo, hi;
	dr_expr_bounds(e, NULL, &lo, &hi);
	assert_near(lo, c->lo, 0);
	if (isinf(c->hi))
		assert_true(isinf(hi) && hi > 0);
	else
		assert_near(hi, c->hi, 0);
	for (size_t i = 0; i < N_PROBS; i++) {
		double want = c->quantile(probs[i]);
		assert_true(isfinite(want));
		assert_near(dr_expr_quantile(e, NULL, probs[i]), want, fabs(want) * 1e-7 + 1e-9);
	}
	assert_near(dr_expr_quantile(e, NULL, 0), c->lo, 0);

	/* sampling agrees with the closed forms */
	gsl_rng *r = dr_rng_new(2024, 1);
	double *s = malloc(N_SAMPLES * sizeof(*s)), sum = 0, sum2 = 0;
	for (size_t i = 0; i < N_SAMPLES; i++) {
		s[i] = dr_expr_sample(e, NULL, r);
		if (!(s[i] >= c->lo && s[i] <= c->hi))
			fail_msg("\"%s\": sample %.9g outside [%g, %g]", c->src, s[i], c->lo, c->hi);
		sum += s[i];
	}
	double mean = sum / N_SAMPLES;
	for (size_t i = 0; i < N_SAMPLES; i++)
		sum2 += (s[i] - mean) * (s[i] - mean);
	double se = sqrt(sum2 / (N_SAMPLES - 1) / N_SAMPLES);
	assert_near(mean, c->mean, SIGMAS * se);
	for (size_t i = 0; i < N_PROBS; i++) {
		double q = c->quantile(probs[i]);
		size_t below = 0;
		for (size_t j = 0; j < N_SAMPLES; j++)
			below += s[j] <= q;
		double p = probs[i], frac = (double)below / N_SAMPLES;
		if (fabs(frac - p) > SIGMAS * sqrt(p * (1 - p) / N_SAMPLES))
			fail_msg("\"%s\": %.5f of samples <= q(%g) = %.9g", c->src, frac, p, q);
	}
	free(s);
	gsl_rng_free(r);
	dr_expr_free(e);
}

static void test_closed_forms(void **state)
{
	const double sig_ln = ln_sigma(120, 600, 0.95), sig_ms = ln_sigma(0.3, 2, 0.99);
	const dist_case cases[] = {
		{"uniform(1m, 3m)", 120, q_uniform, 60, 180},
		{"uniform(min=1m, max=3m)", 120, q_uniform, 60, 180},
		{"triangular(5m, 10m, 30m)", 900, q_tri, 300, 1800},
		{"triangular(min=0, mode=0, max=10m)", 200, q_tri_left, 0, 600},
		{"pert(0, 5m, 10m)", 300, q_pert_sym, 0, 600},
		{"pert(0, 0, 10m)", 100, q_pert_skew, 0, 600},
		{"normal(10m, 2m)", tnorm_mean(600, 120), q_norm, 0, INFINITY},
		{"normal(0, 1m)", 60 * sqrt(2 / M_PI), q_halfnorm, 0, INFINITY},
		{"normal(mean=-1m, sd=1m)", tnorm_mean(-60, 60), q_norm_neg, 0, INFINITY},
		{"normal(-10m, 1m)", tnorm_mean(-600, 60), q_norm_far, 0, INFINITY},
		{"lognormal(median=2m, p95=10m)", 120 * exp(sig_ln * sig_ln / 2), q_lognorm, 0, INFINITY},
		{"lognormal(p99=2s, median=300ms)", 0.3 * exp(sig_ms * sig_ms / 2), q_lognorm_ms, 0, INFINITY},
		{"exponential(10m)", 600, q_exp, 0, INFINITY},
		{"weibull(shape=2, scale=1h)", 3600 * sqrt(M_PI) / 2, q_weibull, 0, INFINITY},
		{"weibull(0.7, 10m)", 600 * tgamma(1 + 1 / 0.7), q_weibull_07, 0, INFINITY},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(&cases[i]);
}

static double quantile_of(const char *src, double p)
{
	dr_expr *e = NULL;
	dr_expr_error err;
	if (dr_expr_parse(src, NULL, 0, &e, &err) != DR_OK)
		fail_msg("\"%s\": %s", src, err.msg);
	double q = dr_expr_quantile(e, NULL, p);
	dr_expr_free(e);
	return q;
}

/* Quantiles against numbers worked out by hand. */
static void test_known_values(void **state)
{
	assert_near(quantile_of("lognormal(median=2m, p95=10m)", 0.5), 120, 1e-9);
	assert_near(quantile_of("lognormal(median=2m, p95=10m)", 0.95), 600, 1e-9);
	assert_near(quantile_of("lognormal(median=30m, p90=6h)", 0.9), 21600, 1e-7);
	assert_near(quantile_of("exponential(10m)", 0.5), 415.888308336, 1e-6);
	assert_near(quantile_of("weibull(shape=2, scale=1h)", 0.5), 2997.1966, 1e-3);
	assert_near(quantile_of("normal(0, 1m)", 0.5), 40.46938501, 1e-6);
	assert_near(quantile_of("normal(10m, 2m)", 0.975), 835.1956782, 1e-4);
	assert_near(quantile_of("triangular(5m, 10m, 30m)", 0.2), 600, 1e-9);
	assert_near(quantile_of("triangular(5m, 10m, 30m)", 0.5), 851.3167019, 1e-6);
	assert_near(quantile_of("pert(0, 0, 10m)", 0.5), 77.6696622, 1e-6);
	assert_near(quantile_of("pert(0, 5m, 10m)", 0.5), 300, 1e-9);
	assert_near(quantile_of("uniform(1m, 3m)", 0.25), 90, 1e-12);
	assert_near(quantile_of("uniform(1m, 3m)", 1), 180, 0);
	assert_true(isinf(quantile_of("exponential(10m)", 1)));
	/* far truncation: the tail above 0 underflows, the law is ~exponential */
	assert_near(quantile_of("normal(-50m, 1m)", 0.5), 3600.0 / 3000 * log(2.0), 1e-3);
}

static void test_empirical(void **state)
{
	dr_expr *e = NULL;
	dr_expr_error err;
	assert_int_equal(dr_expr_parse("empirical(4m, 1m, 3m, 2m)", NULL, 0, &e, &err), DR_OK);
	assert_string_equal(dr_expr_text(e), "empirical(4m, 1m, 3m, 2m)");
	assert_near(dr_expr_mean(e, NULL), 150, 1e-12);
	assert_near(dr_expr_quantile(e, NULL, 0.25), 60, 0);
	assert_near(dr_expr_quantile(e, NULL, 0.26), 120, 0);
	assert_near(dr_expr_quantile(e, NULL, 0.5), 120, 0);
	assert_near(dr_expr_quantile(e, NULL, 0.51), 180, 0);
	assert_near(dr_expr_quantile(e, NULL, 0.99), 240, 0);
	double lo, hi;
	dr_expr_bounds(e, NULL, &lo, &hi);
	assert_near(lo, 60, 0);
	assert_near(hi, 240, 0);
	gsl_rng *r = dr_rng_new(5, 5);
	size_t count[4] = {0};
	for (size_t i = 0; i < N_SAMPLES; i++) {
		double x = dr_expr_sample(e, NULL, r);
		assert_true(x == 60 || x == 120 || x == 180 || x == 240);
		count[(int)(x / 60) - 1]++;
	}
	for (int k = 0; k < 4; k++)
		assert_near((double)count[k] / N_SAMPLES, 0.25, SIGMAS * sqrt(0.25 * 0.75 / N_SAMPLES));
	gsl_rng_free(r);
	dr_expr_free(e);
}

/* Truncated normal: never negative, whatever the mean. */
static void test_normal_never_negative(void **state)
{
	const char *srcs[] = {"normal(1m, 10m)", "normal(-5m, 1m)", "normal(-50m, 1m)", "normal(0, 1s)",
			      "normal(-1, 3)"};
	gsl_rng *r = dr_rng_new(9, 9);
	for (size_t i = 0; i < sizeof(srcs) / sizeof(srcs[0]); i++) {
		dr_expr *e = NULL;
		dr_expr_error err;
		assert_int_equal(dr_expr_parse(srcs[i], NULL, 0, &e, &err), DR_OK);
		double min = INFINITY;
		for (int k = 0; k < 100000; k++)
			min = fmin(min, dr_expr_sample(e, NULL, r));
		assert_true(min >= 0);
		assert_true(dr_expr_quantile(e, NULL, 1e-9) >= 0);
		dr_expr_free(e);
	}
	gsl_rng_free(r);
}

static void test_stream_determinism(void **state)
{
	gsl_rng *a = dr_rng_new(42, 7), *b = dr_rng_new(42, 7), *c = dr_rng_new(42, 8), *d = dr_rng_new(43, 7);
	unsigned long first[1000];
	size_t same_c = 0, same_d = 0;
	for (int i = 0; i < 1000; i++) {
		first[i] = gsl_rng_get(a);
		assert_true(first[i] == gsl_rng_get(b));
		same_c += first[i] == gsl_rng_get(c);
		same_d += first[i] == gsl_rng_get(d);
	}
	assert_true(same_c < 5 && same_d < 5);
	/* reseeding replays the stream */
	dr_rng_reseed(c, 42, 7);
	for (int i = 0; i < 1000; i++)
		assert_true(gsl_rng_get(c) == first[i]);
	/* sampled expressions are reproducible too */
	dr_expr *e = NULL;
	dr_expr_error err;
	assert_int_equal(dr_expr_parse("10m + lognormal(median=2m, p95=10m) * uniform(1, 2)", NULL, 0, &e, &err), DR_OK);
	dr_rng_reseed(a, 1, 1);
	dr_rng_reseed(b, 1, 1);
	for (int i = 0; i < 1000; i++)
		assert_true(dr_expr_sample(e, NULL, a) == dr_expr_sample(e, NULL, b));
	dr_expr_free(e);
	gsl_rng_free(a);
	gsl_rng_free(b);
	gsl_rng_free(c);
	gsl_rng_free(d);
}

/* The seed mapping is a promise: taus2 seeded with the 32-bit fold of
 * mix64(seed ^ mix64(stream + 1)).  Checked against an independent
 * computation and against values recorded when the mapping was fixed. */
static void test_seed_mapping(void **state)
{
	for (uint64_t stream = 0; stream < 50; stream++) {
		uint64_t x = dr_mix64(12345 ^ dr_mix64(stream + 1));
		gsl_rng *want = gsl_rng_alloc(gsl_rng_taus2);
		gsl_rng_set(want, (uint32_t)(x ^ (x >> 32)));
		gsl_rng *got = dr_rng_new(12345, stream);
		for (int i = 0; i < 10; i++)
			assert_true(gsl_rng_get(got) == gsl_rng_get(want));
		gsl_rng_free(want);
		gsl_rng_free(got);
	}
	gsl_rng *r = dr_rng_new(1, 0);
	assert_int_equal(gsl_rng_get(r), 1829218262UL);
	assert_int_equal(gsl_rng_get(r), 4091296554UL);
	gsl_rng_free(r);
}

/* Adjacent trial streams are uncorrelated: the first uniform of stream s
 * against that of stream s + 1. */
static void test_adjacent_streams(void **state)
{
	const int n = 20000;
	gsl_rng *r = dr_rng_new(7, 0);
	double prev = gsl_rng_uniform(r), sxy = 0, sx = 0, sxx = 0;
	for (int s = 1; s <= n; s++) {
		dr_rng_reseed(r, 7, (uint64_t)s);
		double u = gsl_rng_uniform(r);
		sxy += (prev - 0.5) * (u - 0.5);
		sx += u;
		sxx += (u - 0.5) * (u - 0.5);
		prev = u;
	}
	assert_near(sx / n, 0.5, SIGMAS * sqrt(1.0 / 12 / n));
	assert_near(sxx / n, 1.0 / 12, 0.005);
	assert_near(sxy / n / (1.0 / 12), 0, SIGMAS / sqrt(n)); /* correlation */
	gsl_rng_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_closed_forms),     cmocka_unit_test(test_known_values),
		cmocka_unit_test(test_empirical),        cmocka_unit_test(test_normal_never_negative),
		cmocka_unit_test(test_stream_determinism), cmocka_unit_test(test_seed_mapping),
		cmocka_unit_test(test_adjacent_streams),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
