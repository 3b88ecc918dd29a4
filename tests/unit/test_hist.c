/* test_hist.c - histograms: exact order statistics for small n, 0.1 %
 * relative error in bucket mode against a sorted reference, zeros, merge
 * invariance (bit for bit, any order and split), the JSON round trip,
 * mean/min/max, the CDF and bounded memory. */
#include "testutil.h"

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "hist.h"

static const double probes[] = {0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1};
#define N_PROBES (sizeof(probes) / sizeof(probes[0]))

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

/* The nearest-rank order statistic of sorted[0..n). */
static double nearest_rank(const double *sorted, size_t n, double q)
{
	size_t rank = (size_t)ceil(q * (double)n);
	return sorted[(rank < 1 ? 1 : rank) - 1];
}

/* n lognormal values (median e^zeta) in a new array; every 7th is a zero
 * when with_zeros. */
static double *lognormal_values(size_t n, unsigned long seed, double zeta, bool with_zeros)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	double *v = dr_malloc(n * sizeof(*v));
	gsl_rng_set(r, seed);
	for (size_t i = 0; i < n; i++)
		v[i] = with_zeros && i % 7 == 3 ? 0 : gsl_ran_lognormal(r, zeta, 1.5);
	gsl_rng_free(r);
	return v;
}

static void test_empty(void **state)
{
	hist h;
	hist_init(&h);
	assert_near(hist_quantile(&h, 0.5), 0, 0);
	assert_near(hist_mean(&h), 0, 0);
	assert_near(hist_cdf(&h, 10), 0, 0);
	hist_release(&h);
}

/* 1..11 in a scrambled order: nearest-rank gives exact order statistics. */
static void test_exact_small(void **state)
{
	hist h;
	hist_init(&h);
	for (int i = 0; i < 11; i++)
		hist_add(&h, (double)((i * 4) % 11 + 1));
	assert_false(h.bucketed);
	assert_near(hist_quantile(&h, 0), 1, 0);
	assert_near(hist_quantile(&h, 0.1), 2, 0);  /* rank ceil(1.1) = 2 */
	assert_near(hist_quantile(&h, 0.5), 6, 0);  /* rank ceil(5.5) = 6 */
	assert_near(hist_quantile(&h, 0.9), 10, 0); /* rank ceil(9.9) = 10 */
	assert_near(hist_quantile(&h, 1), 11, 0);
	assert_near(hist_mean(&h), 6, 0);
	assert_near(h.min, 1, 0);
	assert_near(h.max, 11, 0);
	hist_release(&h);
}

/* Exact mode up to HIST_EXACT values: every quantile is the order statistic. */
static void test_exact_full(void **state)
{
	double *v = lognormal_values(HIST_EXACT, 11, 3, false);
	hist h;
	hist_init(&h);
	for (size_t i = 0; i < HIST_EXACT; i++)
		hist_add(&h, v[i]);
	assert_false(h.bucketed);
	qsort(v, HIST_EXACT, sizeof(*v), cmp_double);
	for (int k = 0; k <= 1000; k++) {
		double q = k / 1000.0;
		assert_near(hist_quantile(&h, q), nearest_rank(v, HIST_EXACT, q), 0);
	}
	hist_add(&h, 1.0);
	assert_true(h.bucketed);
	assert_int_equal(h.n_exact, 0);
	free(v);
	hist_release(&h);
}

/* 1e6 lognormal values: within 0.1 % of the sorted reference. */
static void test_relative_error(void **state)
{
	enum { N = 1000000 };
	static const double qs[] = {0.5, 0.9, 0.95, 0.99, 0.999};
	double *v = lognormal_values(N, 5, log(120), false);
	hist h;
	hist_init(&h);
	for (size_t i = 0; i < N; i++)
		hist_add(&h, v[i]);
	assert_true(h.bucketed);
	qsort(v, N, sizeof(*v), cmp_double);
	for (size_t k = 0; k < sizeof(qs) / sizeof(qs[0]); k++) {
		double want = nearest_rank(v, N, qs[k]);
		assert_near(hist_quantile(&h, qs[k]), want, HIST_REL_ERR * want * (1 + 1e-9));
	}
	for (int k = 0; k <= 200; k++) {
		double q = k / 200.0, want = nearest_rank(v, N, q);
		assert_near(hist_quantile(&h, q), want, HIST_REL_ERR * want * (1 + 1e-9));
	}
	assert_near(hist_quantile(&h, 0), v[0], 0); /* clamped to the extremes */
	assert_near(hist_quantile(&h, 1), v[N - 1], 0);
	free(v);
	hist_release(&h);
}

static void test_zeros(void **state)
{
	hist h;
	hist_init(&h);
	for (int i = 0; i < 30; i++)
		hist_add(&h, i % 2 ? 0 : 5e-7); /* below a microsecond is a zero */
	for (int i = 1; i <= 70; i++)
		hist_add(&h, (double)i);
	assert_int_equal(h.n, 100);
	assert_int_equal(h.zeros, 30);
	assert_near(hist_quantile(&h, 0.3), 0, 0);
	assert_near(hist_quantile(&h, 0.31), 1, 0);
	assert_near(hist_quantile(&h, 1), 70, 0);
	assert_near(hist_cdf(&h, 0), 0.3, 1e-15);
	assert_near(hist_mean(&h), (15 * 5e-7 + 70 * 71 / 2.0) / 100, 1e-12);
	assert_near(h.min, 0, 0);
	/* Zeros do not count towards the exact limit. */
	hist_reset(&h);
	for (int i = 0; i < 3 * HIST_EXACT; i++)
		hist_add(&h, 0);
	for (int i = 0; i < HIST_EXACT; i++)
		hist_add(&h, 2.5);
	assert_false(h.bucketed);
	assert_near(hist_quantile(&h, 0.75), 0, 0);
	assert_near(hist_quantile(&h, 0.76), 2.5, 0);
	hist_release(&h);
}

static void assert_same(const hist *a, const hist *b)
{
	assert_int_equal(a->n, b->n);
	assert_int_equal(a->zeros, b->zeros);
	assert_int_equal(a->bucketed, b->bucketed);
	assert_true(a->min == b->min && a->max == b->max);
	for (int k = 0; k <= 1000; k++) {
		double qa = hist_quantile(a, k / 1000.0), qb = hist_quantile(b, k / 1000.0);
		assert_memory_equal(&qa, &qb, sizeof(qa));
	}
	static const double xs[] = {0, 0.5, 3, 20, 100, 1e3, 1e4};
	for (size_t k = 0; k < sizeof(xs) / sizeof(xs[0]); k++)
		assert_true(hist_cdf(a, xs[k]) == hist_cdf(b, xs[k]));
}

/* Values [from, to) of v in a fresh histogram. */
static void fill(hist *h, const double *v, size_t from, size_t to)
{
	hist_init(h);
	for (size_t i = from; i < to; i++)
		hist_add(h, v[i]);
}

/* Split v at cut points, merge the parts in forward and reverse order and
 * pairwise, and compare with adding everything to one histogram. */
static void check_merge(const double *v, size_t n, const size_t *cuts, size_t n_cuts)
{
	hist all, fwd, rev, parts[8];
	size_t bounds[10] = {0};
	assert_true(n_cuts + 1 <= 8);
	for (size_t i = 0; i < n_cuts; i++)
		bounds[i + 1] = cuts[i];
	bounds[n_cuts + 1] = n;
	fill(&all, v, 0, n);
	for (size_t i = 0; i <= n_cuts; i++)
		fill(&parts[i], v, bounds[i], bounds[i + 1]);
	hist_init(&fwd);
	hist_init(&rev);
	for (size_t i = 0; i <= n_cuts; i++) {
		hist_merge(&fwd, &parts[i]);
		hist_merge(&rev, &parts[n_cuts - i]);
	}
	assert_same(&all, &fwd);
	assert_same(&all, &rev);
	/* A tree: merge the last part into the first, then the rest into it. */
	for (size_t i = 1; i <= n_cuts; i++)
		hist_merge(&parts[0], &parts[i]);
	assert_same(&all, &parts[0]);
	for (size_t i = 0; i <= n_cuts; i++)
		hist_release(&parts[i]);
	hist_release(&all);
	hist_release(&fwd);
	hist_release(&rev);
}

static void test_merge_invariance(void **state)
{
	enum { N = 30000 };
	double *v = lognormal_values(N, 9, log(60), true);
	/* both exact and small; exact + exact past the limit; exact into
	 * buckets; buckets into exact; many uneven parts. */
	check_merge(v, 1000, (size_t[]){400}, 1);
	check_merge(v, 7000, (size_t[]){3500}, 1);
	check_merge(v, 7000, (size_t[]){4800}, 1);
	check_merge(v, 9000, (size_t[]){200, 8000}, 2);
	check_merge(v, N, (size_t[]){1, 2, 4000, 4100, 17000, 29999}, 6);
	uint64_t rng = 77;
	for (int round = 0; round < 5; round++) {
		size_t cuts[3];
		for (int i = 0; i < 3; i++)
			cuts[i] = (size_t)(dr_mix64(rng++) % N);
		qsort(cuts, 3, sizeof(cuts[0]), cmp_size);
		check_merge(v, N, cuts, 3);
	}
	free(v);
	/* Exactly at the exact limit, and one past it. */
	double *w = lognormal_values(HIST_EXACT + 1, 10, 0, false);
	check_merge(w, HIST_EXACT, (size_t[]){1000}, 1);
	check_merge(w, HIST_EXACT + 1, (size_t[]){2048}, 1);
	free(w);
}

static void test_json_round_trip(void **state)
{
	double *v = lognormal_values(20000, 13, log(30), true);
	static const size_t sizes[] = {0, 1, 50, HIST_EXACT + HIST_EXACT / 6, 20000};
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		hist a, b;
		fill(&a, v, 0, sizes[s]);
		json_t *j = hist_to_json(&a);
		char *text = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(17));
		json_t *back = json_loads(text, 0, NULL);
		assert_non_null(back);
		hist_init(&b);
		hist_add(&b, 42); /* replaced by the load */
		assert_int_equal(hist_from_json(&b, back), DR_OK);
		assert_same(&a, &b);
		assert_true(a.sum == b.sum);
		assert_true(hist_mean(&a) == hist_mean(&b));
		/* Dumping again gives the same text. */
		json_t *j2 = hist_to_json(&b);
		char *text2 = json_dumps(j2, JSON_COMPACT | JSON_REAL_PRECISION(17));
		assert_string_equal(text, text2);
		free(text);
		free(text2);
		json_decref(j);
		json_decref(j2);
		json_decref(back);
		hist_release(&a);
		hist_release(&b);
	}
	free(v);
}

static void test_json_rejects(void **state)
{
	static const char *const bad[] = {
		"{}", "[]", "[0, 1, 0, 1.0, 1.0]", "[2, 0, 0, 0, 0, 0]",
		"[0, 2, 0, 3.0, 1.0, 2.0, 2.0, 1.0]",      /* not ascending */
		"[0, 2, 0, 3.0, 1.0, 2.0, 1.0]",           /* too few values */
		"[0, 1, 2, 0.0, 0.0, 0.0]",                /* zeros > n */
		"[0, 1, 0, -1.0, 1.0, 1.0, 1.0]",          /* negative sum */
		"[1, 5000, 0, 1.0, 1.0, 1.0, 0, 2500, 0, 2500]", /* repeated index */
		"[1, 5000, 0, 1.0, 1.0, 1.0, 0, 4999]",    /* counts short of n */
		"[1, 10, 0, 1.0, 1.0, 1.0, 0, 10]",        /* few enough to be exact */
		"[1, 5000, 0, 1.0, 1.0, 1.0, 0]",          /* odd pair list */
		"[1, 5000, 0, 1.0, 1.0, 1.0, 9999999, 5000]", /* index out of range */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		hist h;
		json_t *j = json_loads(bad[i], 0, NULL);
		assert_non_null(j);
		hist_init(&h);
		hist_add(&h, 3);
		if (hist_from_json(&h, j) != DR_PARSE)
			fail_msg("accepted %s", bad[i]);
		assert_int_equal(h.n, 0);
		json_decref(j);
		hist_release(&h);
	}
}

static void test_mean_min_max(void **state)
{
	double *v = lognormal_values(50000, 21, 2, false);
	double sum = 0, lo = INFINITY, hi = 0;
	hist h;
	hist_init(&h);
	for (size_t i = 0; i < 50000; i++) {
		hist_add(&h, v[i]);
		sum += v[i];
		lo = fmin(lo, v[i]);
		hi = fmax(hi, v[i]);
	}
	assert_true(h.bucketed);
	assert_near(hist_mean(&h), sum / 50000, 0);
	assert_near(h.min, lo, 0);
	assert_near(h.max, hi, 0);
	free(v);
	hist_release(&h);
}

/* Fraction of sorted[0..n) that is <= x. */
static double ref_cdf(const double *sorted, size_t n, double x)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (sorted[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (double)lo / (double)n;
}

static void test_cdf(void **state)
{
	hist h;
	hist_init(&h);
	for (int i = 1; i <= 100; i++)
		hist_add(&h, (double)i);
	assert_near(hist_cdf(&h, -1), 0, 0);
	assert_near(hist_cdf(&h, 0.5), 0, 0);
	assert_near(hist_cdf(&h, 1), 0.01, 1e-15);
	assert_near(hist_cdf(&h, 50), 0.5, 1e-15);
	assert_near(hist_cdf(&h, 50.5), 0.5, 1e-15);
	assert_near(hist_cdf(&h, 100), 1, 0);
	assert_near(hist_cdf(&h, 1e9), 1, 0);
	/* Bucket mode: off by at most the bucket holding x, i.e. between the
	 * true fractions at x and x * gamma. */
	enum { N = 100000 };
	double gamma = (1 + HIST_REL_ERR) / (1 - HIST_REL_ERR);
	double *v = lognormal_values(N, 17, 1, true);
	hist_reset(&h);
	for (size_t i = 0; i < N; i++)
		hist_add(&h, v[i]);
	qsort(v, N, sizeof(*v), cmp_double);
	for (size_t k = 0; k < N_PROBES; k++) {
		double x = nearest_rank(v, N, probes[k]) * 1.0003;
		double c = hist_cdf(&h, x);
		assert_true(c >= ref_cdf(v, N, x));
		assert_true(c <= ref_cdf(v, N, x * gamma));
	}
	assert_near(hist_cdf(&h, 0), ref_cdf(v, N, 0), 1e-15);
	assert_near(hist_cdf(&h, v[N - 1]), 1, 0);
	free(v);
	hist_release(&h);
}

/* Bucket mode: memory follows the value range, not the count. */
static void test_bounded_memory(void **state)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	hist h;
	hist_init(&h);
	for (int i = 0; i < 200000; i++)
		hist_add(&h, 1 + 999 * gsl_rng_uniform(r));
	size_t n_counts = h.n_counts;
	/* log(1000) / log(gamma) ~ 3454 buckets, plus at most half again */
	assert_true(n_counts >= 3454 && n_counts <= 3 * 3454 / 2 + 64);
	for (int i = 0; i < 2000000; i++)
		hist_add(&h, 1 + 999 * gsl_rng_uniform(r));
	assert_int_equal(h.n_counts, n_counts);
	/* The range grows both ways. */
	hist_add(&h, 1e-3);
	hist_add(&h, 1e6);
	assert_true(h.n_counts > n_counts);
	assert_near(hist_quantile(&h, 1), 1e6, 0);
	assert_near(hist_quantile(&h, 0), 1e-3, 0);
	double low = hist_quantile(&h, 1.0 / (double)h.n + 1e-12); /* second value */
	assert_true(low >= 1 - HIST_REL_ERR);
	gsl_rng_free(r);
	hist_release(&h);
}

/* Add v to a fresh histogram in a child; true when it died of SIGABRT. */
static bool add_aborts(double v)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		hist h;
		if (!freopen("/dev/null", "w", stderr))
			_exit(3);
		hist_init(&h);
		hist_add(&h, v);
		_exit(0);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void test_bugs(void **state)
{
	assert_true(add_aborts(-1e-9));
	assert_true(add_aborts(NAN));
	assert_true(add_aborts(INFINITY));
	assert_false(add_aborts(0));
	assert_false(add_aborts(1e300));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_exact_small),
		cmocka_unit_test(test_exact_full),
		cmocka_unit_test(test_relative_error),
		cmocka_unit_test(test_zeros),
		cmocka_unit_test(test_merge_invariance),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_json_rejects),
		cmocka_unit_test(test_mean_min_max),
		cmocka_unit_test(test_cdf),
		cmocka_unit_test(test_bounded_memory),
		cmocka_unit_test(test_bugs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
