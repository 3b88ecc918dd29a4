/* test_expr.c - the expression parser: values, typed arithmetic, variables,
 * normalised text, every error with its message and column, and hostile
 * input (deep nesting, huge numbers, garbage bytes, random token soup). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"

#define GIB 1073741824.0
#define MIB 1048576.0

static const dr_var vars[] = {
	{"size", {1, 0}, "database size"},
	{"replay", {1, 0}, "log volume to replay"},
	{"count", {0, 0}, "number of databases"},
	{"x", {0, 0}, "a number"},
};
#define N_VARS (sizeof(vars) / sizeof(vars[0]))

static dr_expr *parse_ok(const char *src)
{
	dr_expr *e = NULL;
	dr_expr_error err = {0};
	dr_err rc = dr_expr_parse(src, vars, N_VARS, &e, &err);
	if (rc != DR_OK)
		fail_msg("\"%s\": %s at column %d: %s", src, dr_strerror(rc), err.col, err.msg);
	assert_non_null(e);
	return e;
}

/* Parse a fixed expression and return its value with the given vars. */
static double value_of(const char *src, const double *values, dr_dim want)
{
	dr_expr *e = parse_ok(src);
	if (!dr_dim_eq(dr_expr_dim(e), want))
		fail_msg("\"%s\": dimension %s, expected %s", src, dr_dim_name(dr_expr_dim(e)), dr_dim_name(want));
	assert_true(dr_expr_is_fixed(e));
	double v = dr_expr_sample(e, values, NULL);
	dr_expr_free(e);
	return v;
}

static void expect_error(const char *src, dr_err code, int col, const char *msg)
{
	dr_expr *e = (dr_expr *)&e;
	dr_expr_error err = {0};
	dr_err rc = dr_expr_parse(src, vars, N_VARS, &e, &err);
	if (rc != code)
		fail_msg("\"%s\": got %s (%s), expected %s", src, dr_strerror(rc), err.msg, dr_strerror(code));
	assert_null(e);
	assert_string_equal(err.msg, msg);
	if (err.col != col)
		fail_msg("\"%s\": column %d, expected %d (%s)", src, err.col, col, err.msg);
}

static void expect_text(const char *src, const char *text)
{
	dr_expr *e = parse_ok(src);
	assert_string_equal(dr_expr_text(e), text);
	/* normalised text parses to the same text */
	dr_expr *again = parse_ok(text);
	assert_string_equal(dr_expr_text(again), text);
	dr_expr_free(again);
	dr_expr_free(e);
}

static void test_constants(void **state)
{
	assert_near(value_of("90s", NULL, DR_DIM_TIME), 90, 0);
	assert_near(value_of("1h + 30m", NULL, DR_DIM_TIME), 5400, 0);
	assert_near(value_of("2*3m", NULL, DR_DIM_TIME), 360, 0);
	assert_near(value_of("-5m", NULL, DR_DIM_TIME), -300, 0);
	assert_near(value_of("--5m", NULL, DR_DIM_TIME), 300, 0);
	assert_near(value_of("(1h - 10m) / 2", NULL, DR_DIM_TIME), 1500, 0);
	assert_near(value_of("2 + 3 * 4", NULL, DR_DIM_NUMBER), 14, 0);
	assert_near(value_of("(2 + 3) * 4", NULL, DR_DIM_NUMBER), 20, 0);
	assert_near(value_of("10 - 4 - 3", NULL, DR_DIM_NUMBER), 3, 0);
	assert_near(value_of("64 / 4 / 2", NULL, DR_DIM_NUMBER), 8, 0);
	assert_near(value_of("2/y", NULL, DR_DIM_RATE), 2 / DR_YEAR_S, 1e-20);
	assert_near(value_of("1/10y", NULL, DR_DIM_RATE), 1 / (10 * DR_YEAR_S), 1e-22);
	assert_near(value_of("3 / d", NULL, DR_DIM_RATE), 3 / 86400.0, 1e-18);
	assert_near(value_of("1TiB/200MiB/s", NULL, DR_DIM_TIME), 1024 * 1024 / 200.0, 1e-9);
	assert_near(value_of("200MiB/s * 1m", NULL, DR_DIM_SIZE), 200 * MIB * 60, 1e-3);
	assert_near(value_of("1GiB / 10s", NULL, DR_DIM_THROUGHPUT), GIB / 10, 1e-6);
	assert_near(value_of("min(5m, 2m, 3m)", NULL, DR_DIM_TIME), 120, 0);
	assert_near(value_of("max(5m, 2m)", NULL, DR_DIM_TIME), 300, 0);
	assert_near(value_of("constant(45s)", NULL, DR_DIM_TIME), 45, 0);
	assert_near(value_of("uniform(2m, 2m)", NULL, DR_DIM_TIME), 120, 0); /* zero width */
	assert_near(value_of("empirical(3m, 3m)", NULL, DR_DIM_TIME), 180, 0);
	assert_near(value_of("normal(-1m, 0)", NULL, DR_DIM_TIME), 0, 0); /* truncated at 0 */
	dr_expr *e = parse_ok("uniform(0, 5m)"); /* a plain 0 takes the others' dimension */
	assert_true(dr_dim_eq(dr_expr_dim(e), DR_DIM_TIME));
	assert_false(dr_expr_is_fixed(e));
	dr_expr_free(e);
	assert_near(value_of("uniform(0, 0)", NULL, DR_DIM_NUMBER), 0, 0);
	assert_near(value_of("exponential(0)", NULL, DR_DIM_NUMBER), 0, 0);
}

/* The design's restore model, evaluated with variables. */
static void test_variables(void **state)
{
	double values[N_VARS] = {800 * GIB, 50 * GIB, 40, 2};
	const char *src = "10m + size/250MiB/s + replay/100MiB/s";
	double want = 600 + 800 * 1024 / 250.0 + 50 * 1024 / 100.0;
	assert_near(value_of(src, values, DR_DIM_TIME), want, 1e-9);
	dr_expr *e = parse_ok(src);
	assert_true(dr_expr_uses_var(e, 0));
	assert_true(dr_expr_uses_var(e, 1));
	assert_false(dr_expr_uses_var(e, 2));
	assert_near(dr_expr_mean(e, values), want, 1e-9);
	assert_near(dr_expr_quantile(e, values, 0.9), want, 1e-9);
	double lo, hi;
	dr_expr_bounds(e, values, &lo, &hi);
	assert_near(lo, want, 1e-9);
	assert_near(hi, want, 1e-9);
	values[0] = 0;
	assert_near(dr_expr_sample(e, values, NULL), 600 + 512, 1e-9);
	dr_expr_free(e);

	assert_near(value_of("size * count / 1GiB", values, DR_DIM_NUMBER), 0, 0);
	values[0] = 2 * GIB;
	assert_near(value_of("size * count / 1GiB", values, DR_DIM_NUMBER), 80, 1e-12);
	assert_near(value_of("-x * 3", values, DR_DIM_NUMBER), -6, 0);
	assert_near(value_of("max(size, replay) / 1GiB", values, DR_DIM_NUMBER), 50, 1e-12);
	/* 0/0 at run time is reported as 0, never NaN */
	values[0] = 0, values[2] = 0;
	assert_near(value_of("size / count", values, (dr_dim){1, 0}), 0, 0);
}

static void test_text(void **state)
{
	expect_text("10m+size / 250 MiB/s +  replay/100MiB/s", "10m + size/250MiB/s + replay/100MiB/s");
	expect_text("lognormal( median = 2m , p95=10m )", "lognormal(median=2m, p95=10m)");
	expect_text("- 5 m", "-5m");
	expect_text("max( 1m,size/1GiB/s )", "max(1m, size/1GiB/s)");
	expect_text("2 / y", "2/y");
	expect_text("(1h-x*2m)", "(1h - x*2m)");
	expect_text("triangular(5m,10m,30m)", "triangular(5m, 10m, 30m)");
	dr_expr *e = dr_expr_const((dr_qty){300, DR_DIM_TIME});
	assert_string_equal(dr_expr_text(e), "5m");
	assert_true(dr_expr_is_fixed(e));
	assert_near(dr_expr_sample(e, NULL, NULL), 300, 0);
	dr_expr_free(e);
	const struct {
		dr_qty q;
		const char *text;
	} consts[] = {
		{{1.5 * GIB, DR_DIM_SIZE}, "1536MiB"},   {{90, DR_DIM_TIME}, "90s"},
		{{0.25, DR_DIM_TIME}, "0.25s"},         {{7 * 86400, DR_DIM_TIME}, "1w"},
		{{200 * MIB, DR_DIM_THROUGHPUT}, "200MiB/s"}, {{2e9, DR_DIM_SIZE}, "2GB"},
		{{2 / DR_YEAR_S, DR_DIM_RATE}, "2/y"},   {{0.95, DR_DIM_NUMBER}, "0.95"},
	};
	for (size_t i = 0; i < sizeof(consts) / sizeof(consts[0]); i++) {
		e = dr_expr_const(consts[i].q);
		assert_string_equal(dr_expr_text(e), consts[i].text);
		/* and the text reads back as the same quantity */
		dr_expr *back = parse_ok(consts[i].text);
		assert_true(dr_dim_eq(dr_expr_dim(back), consts[i].q.dim));
		assert_near(dr_expr_sample(back, NULL, NULL), consts[i].q.v, fabs(consts[i].q.v) * 1e-12);
		dr_expr_free(back);
		dr_expr_free(e);
	}
	dr_expr_free(NULL);
}

static void test_unit_errors(void **state)
{
	expect_error("10m + size", DR_UNIT, 5, "cannot add a size to a duration");
	expect_error("size - 5m", DR_UNIT, 6, "cannot subtract a duration from a size");
	expect_error("10m + size/250MiB", DR_UNIT, 5, "cannot add a number to a duration");
	expect_error("1h + 2/y", DR_UNIT, 4, "cannot add a rate to a duration");
	expect_error("size*size + 1m", DR_UNIT, 11, "cannot add a duration to a size^2");
	expect_error("min(1m, 1GiB)", DR_UNIT, 9, "cannot take the min of a duration and a size");
	expect_error("uniform(1m, 1GiB)", DR_UNIT, 13, "parameters of 'uniform' mix a duration and a size");
	expect_error("lognormal(median=2m, p95=10)", DR_UNIT, 26,
		     "parameters of 'lognormal' mix a duration and a number");
	expect_error("weibull(shape=2m, scale=1h)", DR_UNIT, 15, "'weibull' shape must be a number, not a duration");
	expect_error("size*size*size*size*size*size*size*size*size", DR_UNIT, 40,
		     "units too complex (more than 8 factors)");
	expect_error("1m*1m*1m*1m*1m*1m*1m*1m*1m", DR_UNIT, 24, "units too complex (more than 8 factors)");
}

static void test_syntax_errors(void **state)
{
	expect_error("", DR_PARSE, 1, "empty expression");
	expect_error("  \t ", DR_PARSE, 1, "empty expression");
	expect_error("sise/1GiB/s", DR_PARSE, 1, "unknown name 'sise'; did you mean 'size'?");
	expect_error("10m + bogus", DR_PARSE, 7, "unknown name 'bogus'");
	expect_error("10m + unifrom(1m, 2m)", DR_PARSE, 7, "unknown function 'unifrom'; did you mean 'uniform'?");
	expect_error("frobnicate(1)", DR_PARSE, 1, "unknown function 'frobnicate'");
	expect_error("5mins", DR_PARSE, 2, "unknown unit 'mins'; did you mean 'm'?");
	expect_error("1m + 5 mins", DR_PARSE, 8, "unknown unit 'mins'; did you mean 'm'?");
	expect_error("5 furlongs", DR_PARSE, 3, "unknown unit 'furlongs'");
	expect_error("5m3", DR_PARSE, 2, "unknown unit 'm3'");
	expect_error("size/250MiB/sec", DR_PARSE, 13, "unknown name 'sec'");
	expect_error("10m +", DR_PARSE, 6, "expected a value, got end of expression");
	expect_error("10m + * 2", DR_PARSE, 7, "expected a value, got '*'");
	expect_error("(10m", DR_PARSE, 5, "missing ')' to close '(' at column 1");
	expect_error("(10m 5m)", DR_PARSE, 6, "expected ')', got '5m'");
	expect_error("10m)", DR_PARSE, 4, "unexpected ')'");
	expect_error("10m 5m", DR_PARSE, 5, "unexpected '5m'");
	expect_error("10m # 5", DR_PARSE, 5, "unexpected '#'");
	expect_error("\xff", DR_PARSE, 1, "expected a value, got byte 0xff");
	expect_error("1m\x01", DR_PARSE, 3, "unexpected byte 0x01");
	expect_error("2 size", DR_PARSE, 3, "missing operator before 'size'");
	expect_error("uniform", DR_PARSE, 1, "'uniform' needs its parameters in parentheses");
	expect_error("size(1)", DR_PARSE, 1, "unknown function 'size'");
	expect_error("uniform(1m 2m)", DR_PARSE, 12, "expected ',' or ')' in 'uniform(', got '2m'");
	expect_error("uniform(1m, 2m", DR_PARSE, 15, "missing ')' to close 'uniform(' at column 8");
	expect_error("triangular(1m, 2m)", DR_PARSE, 1, "'triangular' needs 'max'");
	expect_error("uniform()", DR_PARSE, 1, "'uniform' needs 'min'");
	expect_error("uniform(1m, 2m, 3m)", DR_PARSE, 17, "'uniform' takes 2 parameters");
	expect_error("exponential(1m, 2m)", DR_PARSE, 17, "'exponential' takes 1 parameter");
	expect_error("uniform(min=1m, mx=2m)", DR_PARSE, 17, "unknown parameter 'mx' for 'uniform'; did you mean 'max'?");
	expect_error("uniform(min=1m, 2m)", DR_PARSE, 17, "positional parameter after a named one in 'uniform'");
	expect_error("uniform(1m, min=2m)", DR_PARSE, 17, "parameter 'min' of 'uniform' given twice");
	expect_error("lognormal(2m, 10m)", DR_PARSE, 11,
		     "'lognormal' takes named parameters: median= and a percentile such as p95=");
	expect_error("lognormal(median=2m)", DR_PARSE, 1, "'lognormal' needs a percentile such as p95=");
	expect_error("uniform(size, 2GiB)", DR_PARSE, 9,
		     "parameters of 'uniform' must be constants (no variables or distributions)");
	expect_error("normal(uniform(1m, 2m), 1m)", DR_PARSE, 8,
		     "parameters of 'normal' must be constants (no variables or distributions)");
	expect_error("empirical(a=1)", DR_PARSE, 13, "'empirical' takes samples, not named parameters");
	expect_error("max(1m)", DR_PARSE, 1, "'max' needs at least 2 arguments");
	expect_error("min()", DR_PARSE, 1, "'min' needs at least 2 arguments");
	expect_error("1m + +1m", DR_PARSE, 6, "expected a value, got '+'");
}

static void test_range_errors(void **state)
{
	expect_error("1e400", DR_RANGE, 1, "number '1e400' out of range");
	expect_error("1e300TiB", DR_RANGE, 1, "number '1e300TiB' out of range");
	expect_error("1e300 * 1e300", DR_RANGE, 7, "value out of range");
	expect_error("5m/0", DR_RANGE, 3, "division by zero");
	expect_error("5m/(1m - 1m)", DR_RANGE, 3, "division by zero");
	expect_error("uniform(5m, 1m)", DR_RANGE, 1, "'uniform' min 5m is above max 1m");
	expect_error("triangular(5m, 40m, 30m)", DR_RANGE, 1, "'triangular' mode 40m is outside [5m, 30m]");
	expect_error("pert(5m, 1m, 30m)", DR_RANGE, 1, "'pert' mode 1m is outside [5m, 30m]");
	expect_error("uniform(-1m, 1m)", DR_RANGE, 1, "'uniform' of a duration cannot go below 0");
	expect_error("empirical(1GiB, -1GiB)", DR_RANGE, 1, "'empirical' of a size cannot go below 0");
	expect_error("normal(10m, -1m)", DR_RANGE, 1, "'normal' sd must not be negative");
	expect_error("lognormal(median=2m, p40=1m)", DR_RANGE, 22, "'lognormal' percentile p40 must be between 50 and 100");
	expect_error("lognormal(median=2m, p100=1h)", DR_RANGE, 22, "'lognormal' percentile p100 must be between 50 and 100");
	expect_error("lognormal(median=2m, p95=1m)", DR_RANGE, 26, "'lognormal' p95 1m must be above the median 2m");
	expect_error("lognormal(median=0, p95=1m)", DR_RANGE, 18, "'lognormal' median must be above 0");
	expect_error("weibull(shape=0, scale=1h)", DR_RANGE, 15, "'weibull' shape must be above 0");
	expect_error("weibull(2, -1h)", DR_RANGE, 12, "'weibull' scale must not be negative");
	expect_error("exponential(-1m)", DR_RANGE, 1, "'exponential' mean must not be negative");
	expect_error("empirical()", DR_RANGE, 1, "'empirical' needs at least one sample");
	/* negative numbers are fine where nothing says they must not be */
	dr_expr *e = parse_ok("uniform(-1, 1)");
	dr_expr_free(e);
}

static void test_mixed_models(void **state)
{
	double values[N_VARS] = {100 * GIB, 0, 0, 0};
	double lo, hi;
	/* exact mean through a sum, sampled quantile */
	dr_expr *e = parse_ok("10m + uniform(0, 10m)");
	assert_false(dr_expr_is_fixed(e));
	assert_near(dr_expr_mean(e, NULL), 900, 1e-9);
	assert_near(dr_expr_quantile(e, NULL, 0.5), 900, 10);
	assert_near(dr_expr_quantile(e, NULL, 0.9), 1140, 10);
	assert_true(dr_expr_quantile(e, NULL, 0.9) == dr_expr_quantile(e, NULL, 0.9)); /* deterministic */
	dr_expr_bounds(e, NULL, &lo, &hi);
	assert_near(lo, 600, 0);
	assert_near(hi, 1200, 0);
	assert_near(dr_expr_quantile(e, NULL, 0), 600, 0);
	assert_near(dr_expr_quantile(e, NULL, 1), 1200, 0);
	dr_expr_free(e);

	/* a product of independent draws has the product of the means */
	e = parse_ok("uniform(1m, 2m) * uniform(1, 3)");
	assert_near(dr_expr_mean(e, NULL), 180, 1e-9);
	dr_expr_free(e);

	/* E[size/U] for U ~ uniform(a, b) is size ln(b/a)/(b-a): estimated */
	e = parse_ok("size / uniform(100MiB/s, 200MiB/s)");
	assert_true(dr_dim_eq(dr_expr_dim(e), DR_DIM_TIME));
	double want = 100 * GIB * log(2.0) / (100 * MIB);
	assert_near(dr_expr_mean(e, values), want, want * 0.005);
	dr_expr_bounds(e, values, &lo, &hi);
	assert_near(lo, 512, 1e-9);
	assert_near(hi, 1024, 1e-9);
	/* quantile of size/U is size/(U's 1-p quantile) */
	assert_near(dr_expr_quantile(e, values, 0.25), 100 * GIB / (175 * MIB), 3);
	dr_expr_free(e);

	/* min of a draw and a constant: E = 0.5 * 1.5m + 0.5 * 2m */
	e = parse_ok("min(uniform(1m, 3m), 2m)");
	assert_near(dr_expr_mean(e, NULL), 105, 1);
	dr_expr_bounds(e, NULL, &lo, &hi);
	assert_near(lo, 60, 0);
	assert_near(hi, 120, 0);
	dr_expr_free(e);

	e = parse_ok("-exponential(1m)");
	dr_expr_bounds(e, NULL, &lo, &hi);
	assert_true(isinf(lo) && lo < 0);
	assert_near(hi, 0, 0);
	assert_near(dr_expr_mean(e, NULL), -60, 1e-12);
	dr_expr_free(e);

	e = parse_ok("1GiB / uniform(0, 1GiB/s)");
	dr_expr_bounds(e, NULL, &lo, &hi);
	assert_true(isinf(hi));
	dr_expr_free(e);
}

static void test_limits(void **state)
{
	char buf[8192];
	/* 60 nested parentheses parse; 100 are refused */
	size_t n = 0;
	for (int i = 0; i < 60; i++)
		buf[n++] = '(';
	n += (size_t)sprintf(buf + n, "1m");
	for (int i = 0; i < 60; i++)
		buf[n++] = ')';
	buf[n] = 0;
	assert_near(value_of(buf, NULL, DR_DIM_TIME), 60, 0);
	memset(buf, '(', 100);
	strcpy(buf + 100, "1m");
	expect_error(buf, DR_PARSE, 65, "expression nested too deeply (more than 64 levels)");
	memset(buf, '-', 200);
	strcpy(buf + 200, "1m");
	expect_error(buf, DR_PARSE, 65, "expression nested too deeply (more than 64 levels)");
	n = 0;
	for (int i = 0; i < 100; i++)
		n += (size_t)sprintf(buf + n, "max(1m, ");
	expect_error(buf, DR_PARSE, 63 * 8 + 5, "expression nested too deeply (more than 64 levels)");
	/* long sums of constants fold; of variables they hit the node limit */
	n = 0;
	for (int i = 0; i < 1300; i++)
		n += (size_t)sprintf(buf + n, "1+");
	strcpy(buf + n, "1");
	assert_near(value_of(buf, NULL, DR_DIM_NUMBER), 1301, 0);
	n = 0;
	for (int i = 0; i < 1300; i++)
		n += (size_t)sprintf(buf + n, "x+");
	strcpy(buf + n, "x");
	dr_expr *e = NULL;
	dr_expr_error err;
	assert_int_equal(dr_expr_parse(buf, vars, N_VARS, &e, &err), DR_PARSE);
	assert_string_equal(err.msg, "expression too large (more than 1024 terms)");
	/* 500 variables (999 nodes) still evaluate (no recursion in evaluation) */
	buf[999] = 0;
	double values[N_VARS] = {0, 0, 0, 1};
	assert_near(value_of(buf, values, DR_DIM_NUMBER), 500, 0);
	memset(buf, ' ', 5000);
	strcpy(buf + 5000, "1m");
	expect_error(buf, DR_PARSE, 1, "expression longer than 4096 characters");
	assert_int_equal(dr_expr_parse(NULL, vars, N_VARS, &e, NULL), DR_PARSE);
	assert_null(e);
}

/* Deterministic pseudo-random input: every byte, and token soup. */
static uint64_t lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 33;
}

static void check_any(const char *src)
{
	dr_expr *e = NULL;
	dr_expr_error err = {0};
	dr_err rc = dr_expr_parse(src, vars, N_VARS, &e, &err);
	if (rc == DR_OK) {
		double values[N_VARS] = {1 * GIB, 0, 3, -2};
		gsl_rng *r = dr_rng_new(1, 2);
		for (int i = 0; i < 20; i++)
			assert_false(isnan(dr_expr_sample(e, values, r)));
		assert_false(isnan(dr_expr_mean(e, values)));
		double lo, hi;
		dr_expr_bounds(e, values, &lo, &hi);
		assert_false(isnan(lo) || isnan(hi));
		assert_false(isnan(dr_expr_quantile(e, values, 0.5)));
		assert_non_null(dr_expr_text(e));
		gsl_rng_free(r);
		dr_expr_free(e);
		return;
	}
	assert_null(e);
	assert_true(rc == DR_PARSE || rc == DR_UNIT || rc == DR_RANGE);
	assert_true(err.msg[0] != 0);
	assert_true(err.col >= 1 && (size_t)err.col <= strlen(src) + 1);
}

static void test_garbage(void **state)
{
	char s[64];
	for (int c = 1; c < 256; c++) {
		s[0] = (char)c, s[1] = 0;
		check_any(s);
		snprintf(s, sizeof(s), "1m%c2m", c);
		check_any(s);
		snprintf(s, sizeof(s), "uniform(1m%c 2m)", c);
		check_any(s);
	}
	uint64_t seed = 7;
	for (int i = 0; i < 2000; i++) {
		size_t n = lcg(&seed) % 40;
		for (size_t j = 0; j < n; j++)
			s[j] = (char)(1 + lcg(&seed) % 255);
		s[n] = 0;
		check_any(s);
	}
}

static void test_token_soup(void **state)
{
	static const char *const tokens[] = {"(", ")", "1m", "size", "+", "-", "*", "/", "uniform(", ",",
		"=", "p95", "lognormal(", "median", "2/y", "1e400", " ", "0", "x", "min(", "empirical(",
		"normal(", "3", "250MiB/s", "pert(", "weibull(", "shape", "1e308", "0.5", "count"};
	const size_t n_tokens = sizeof(tokens) / sizeof(tokens[0]);
	uint64_t seed = 11;
	char s[512];
	int parsed = 0;
	for (int i = 0; i < 20000; i++) {
		size_t n = 0, k = 1 + lcg(&seed) % 24;
		for (size_t j = 0; j < k; j++)
			n += (size_t)snprintf(s + n, sizeof(s) - n, "%s", tokens[lcg(&seed) % n_tokens]);
		dr_expr *e = NULL;
		dr_expr_error err;
		if (dr_expr_parse(s, vars, N_VARS, &e, &err) == DR_OK) {
			parsed++;
			dr_expr_free(e);
		}
		check_any(s);
	}
	assert_true(parsed > 100); /* the soup does reach the evaluator */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_constants),     cmocka_unit_test(test_variables),
		cmocka_unit_test(test_text),          cmocka_unit_test(test_unit_errors),
		cmocka_unit_test(test_syntax_errors), cmocka_unit_test(test_range_errors),
		cmocka_unit_test(test_mixed_models),  cmocka_unit_test(test_limits),
		cmocka_unit_test(test_garbage),       cmocka_unit_test(test_token_soup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
