/* test_units.c - quantity literals: every unit, rates, throughputs, errors
 * with their messages, dimension names, formatting and the scanner used by
 * the expression tokenizer. */
#include "testutil.h"

#include <string.h>

#include "units.h"

static dr_qty parse_ok(const char *s)
{
	dr_qty q = {-1, {9, 9}};
	const char *msg = "unset";
	dr_err err = dr_qty_parse(s, &q, &msg);
	if (err != DR_OK)
		fail_msg("dr_qty_parse(\"%s\") failed: %s", s, msg);
	assert_null(msg);
	return q;
}

static void expect(const char *s, double v, dr_dim dim)
{
	dr_qty q = parse_ok(s);
	if (!dr_dim_eq(q.dim, dim))
		fail_msg("\"%s\": dimension %s, expected %s", s, dr_dim_name(q.dim), dr_dim_name(dim));
	assert_near(q.v, v, fabs(v) * 1e-12);
}

static void expect_error(const char *s, dr_err want, const char *want_msg)
{
	dr_qty q = {42, DR_DIM_SIZE};
	const char *msg = NULL;
	dr_err err = dr_qty_parse(s, &q, &msg);
	if (err != want)
		fail_msg("\"%s\": got %s, expected %s", s, dr_strerror(err), dr_strerror(want));
	assert_non_null(msg);
	assert_string_equal(msg, want_msg);
	/* out is untouched on failure */
	assert_true(q.v == 42 && dr_dim_eq(q.dim, DR_DIM_SIZE));
}

static void test_durations(void **state)
{
	expect("450ms", 0.45, DR_DIM_TIME);
	expect("90s", 90, DR_DIM_TIME);
	expect("5m", 300, DR_DIM_TIME);
	expect("1.5h", 5400, DR_DIM_TIME);
	expect("7d", 7 * 86400, DR_DIM_TIME);
	expect("1w", 7 * 86400, DR_DIM_TIME);
	expect("2w", 14 * 86400, DR_DIM_TIME);
	expect("1y", 365 * 86400, DR_DIM_TIME);
	expect("10y", 3650.0 * 86400, DR_DIM_TIME);
	expect("  5 m  ", 300, DR_DIM_TIME);
	expect("\t30s", 30, DR_DIM_TIME);
	expect(".5h", 1800, DR_DIM_TIME);
	expect("1e3ms", 1, DR_DIM_TIME);
	expect("-5m", -300, DR_DIM_TIME);
	expect("+2h", 7200, DR_DIM_TIME);
}

static void test_sizes(void **state)
{
	expect("1B", 1, DR_DIM_SIZE);
	expect("1KB", 1e3, DR_DIM_SIZE);
	expect("1MB", 1e6, DR_DIM_SIZE);
	expect("2GB", 2e9, DR_DIM_SIZE);
	expect("2TB", 2e12, DR_DIM_SIZE);
	expect("1KiB", 1024, DR_DIM_SIZE);
	expect("512MiB", 512.0 * 1048576, DR_DIM_SIZE);
	expect("800GiB", 800.0 * 1073741824, DR_DIM_SIZE);
	expect("2TiB", 2.0 * 1099511627776, DR_DIM_SIZE);
	expect("1.5 GiB", 1.5 * 1073741824, DR_DIM_SIZE);
}

static void test_throughputs(void **state)
{
	expect("200MiB/s", 200.0 * 1048576, DR_DIM_THROUGHPUT);
	expect("60MB/m", 1e6, DR_DIM_THROUGHPUT);
	expect("3.6GB/h", 1e6, DR_DIM_THROUGHPUT);
	expect("4 MiB/s", 4.0 * 1048576, DR_DIM_THROUGHPUT);
	expect("1KB/s", 1000, DR_DIM_THROUGHPUT);
}

static void test_rates(void **state)
{
	expect("2/y", 2 / DR_YEAR_S, DR_DIM_RATE);
	expect("1/10y", 1 / (10 * DR_YEAR_S), DR_DIM_RATE);
	expect("3/d", 3 / 86400.0, DR_DIM_RATE);
	expect("1/h", 1 / 3600.0, DR_DIM_RATE);
	expect("2 / 10 y", 2 / (10 * DR_YEAR_S), DR_DIM_RATE);
	expect("0.5/w", 0.5 / (7 * 86400.0), DR_DIM_RATE);
}

static void test_numbers(void **state)
{
	expect("0.95", 0.95, DR_DIM_NUMBER);
	expect("1e3", 1000, DR_DIM_NUMBER);
	expect("2.5E-2", 0.025, DR_DIM_NUMBER);
	expect("42", 42, DR_DIM_NUMBER);
	expect("-3", -3, DR_DIM_NUMBER);
	expect("0", 0, DR_DIM_NUMBER);
	expect("1e-400", 0, DR_DIM_NUMBER); /* underflow is zero, not an error */
}

static void test_errors(void **state)
{
	expect_error("", DR_PARSE, "empty value");
	expect_error("   ", DR_PARSE, "empty value");
	expect_error("5mins", DR_PARSE, "unknown unit 'mins'; did you mean 'm'?");
	expect_error("5 mins", DR_PARSE, "unknown unit 'mins'; did you mean 'm'?");
	expect_error("5 furlongs", DR_PARSE, "unknown unit 'furlongs'");
	expect_error("3gb", DR_PARSE, "unknown unit 'gb'; did you mean 'GB'?");
	expect_error("5m3", DR_PARSE, "unknown unit 'm3'");
	expect_error("abc", DR_PARSE, "expected a number, got 'abc'");
	expect_error("5m x", DR_PARSE, "unexpected text 'x'");
	expect_error("5m 30s", DR_PARSE, "unexpected text '30s'");
	expect_error("1/", DR_PARSE, "expected a time unit after '/' (as in 2/y or 1/10y)");
	expect_error("1/10GB", DR_PARSE, "a rate needs a time unit, not 'GB'");
	expect_error("1/10yr", DR_PARSE, "unknown unit 'yr'; did you mean 'y'?");
	expect_error("5MiB/sec", DR_PARSE, "unknown unit 'sec'; did you mean 's'?");
	expect_error("5MiB/d", DR_PARSE, "a throughput is a size per s, m or h (as in 200MiB/s)");
	expect_error("nan", DR_PARSE, "expected a number, got 'nan'");
	expect_error("inf", DR_PARSE, "expected a number, got 'inf'");
	expect_error("0x10", DR_PARSE, "unknown unit 'x10'");
	expect_error("1e400", DR_RANGE, "value out of range");
	expect_error("1e300TiB", DR_RANGE, "value out of range");
	expect_error("1/0y", DR_RANGE, "value out of range");
	expect_error("\xff\xfe", DR_PARSE, "expected a number, got '\xff\xfe'");
	/* errmsg may be NULL */
	dr_qty q;
	assert_int_equal(dr_qty_parse("5 parsecs", &q, NULL), DR_PARSE);
	assert_int_equal(dr_qty_parse(NULL, &q, NULL), DR_PARSE);
}

static void test_dim_names(void **state)
{
	assert_string_equal(dr_dim_name(DR_DIM_NUMBER), "number");
	assert_string_equal(dr_dim_name(DR_DIM_TIME), "duration");
	assert_string_equal(dr_dim_name(DR_DIM_SIZE), "size");
	assert_string_equal(dr_dim_name(DR_DIM_THROUGHPUT), "throughput");
	assert_string_equal(dr_dim_name(DR_DIM_RATE), "rate");
	assert_string_equal(dr_dim_name((dr_dim){2, -1}), "size^2/time");
	assert_string_equal(dr_dim_name((dr_dim){1, 1}), "size*time");
	assert_string_equal(dr_dim_name((dr_dim){0, -2}), "1/time^2");
	assert_string_equal(dr_dim_name((dr_dim){-1, 1}), "time/size");
	/* two names in one call stay distinct */
	const char *a = dr_dim_name((dr_dim){2, 0}), *b = dr_dim_name((dr_dim){0, 2});
	assert_string_equal(a, "size^2");
	assert_string_equal(b, "time^2");
	assert_true(dr_dim_eq(DR_DIM_TIME, (dr_dim){0, 1}));
	assert_false(dr_dim_eq(DR_DIM_TIME, DR_DIM_RATE));
}

static void fmt_is(dr_qty q, const char *want)
{
	char out[64];
	dr_qty_format(q, out, sizeof(out));
	assert_string_equal(out, want);
}

static void dur_is(double s, const char *want)
{
	char out[64];
	dr_fmt_duration(s, out, sizeof(out));
	assert_string_equal(out, want);
}

static void test_format(void **state)
{
	dur_is(0, "0s");
	dur_is(0.45, "450ms");
	dur_is(0.0015, "1.5ms");
	dur_is(1.5, "1.5s");
	dur_is(42, "42s");
	dur_is(59.6, "1m");
	dur_is(330, "5m 30s");
	dur_is(305, "5m 05s");
	dur_is(300, "5m");
	dur_is(7500, "2h 05m");
	dur_is(7200, "2h");
	dur_is(3 * 86400 + 4 * 3600, "3d 4h");
	dur_is(7 * 86400, "7d");
	dur_is(400 * 86400, "1y 35d");
	dur_is(-90, "-1m 30s");
	dur_is(1e30, "3.17e+22y");
	fmt_is((dr_qty){1.5 * 1073741824, DR_DIM_SIZE}, "1.5 GiB");
	fmt_is((dr_qty){800.0 * 1073741824, DR_DIM_SIZE}, "800 GiB");
	fmt_is((dr_qty){512, DR_DIM_SIZE}, "512 B");
	fmt_is((dr_qty){2048.0 * 1099511627776, DR_DIM_SIZE}, "2048 TiB");
	fmt_is((dr_qty){200.0 * 1048576, DR_DIM_THROUGHPUT}, "200 MiB/s");
	fmt_is((dr_qty){2 / DR_YEAR_S, DR_DIM_RATE}, "2/y");
	fmt_is((dr_qty){1 / (10 * DR_YEAR_S), DR_DIM_RATE}, "1/10y");
	fmt_is((dr_qty){3 / 86400.0, DR_DIM_RATE}, "3/d");
	fmt_is((dr_qty){0.95, DR_DIM_NUMBER}, "0.95");
	fmt_is((dr_qty){3, (dr_dim){2, 0}}, "3 size^2");
	fmt_is((dr_qty){INFINITY, DR_DIM_TIME}, "inf");
	char tiny[4];
	dr_fmt_duration(7500, tiny, sizeof(tiny)); /* truncated, terminated */
	assert_string_equal(tiny, "2h ");
}

/* Formatting sizes and rates gives text the parser reads back. */
static void test_format_round_trip(void **state)
{
	const char *in[] = {"512MiB", "1.5GiB", "200MiB/s", "2/y", "3/d", "7TiB"};
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		dr_qty a = parse_ok(in[i]), b;
		char out[64];
		dr_qty_format(a, out, sizeof(out));
		b = parse_ok(out);
		assert_true(dr_dim_eq(a.dim, b.dim));
		assert_near(b.v, a.v, a.v * 1e-3);
	}
}

static void test_scan(void **state)
{
	dr_qty q;
	assert_int_equal(dr_qty_scan("250MiB/s + x", &q), 8);
	assert_true(dr_dim_eq(q.dim, DR_DIM_THROUGHPUT));
	assert_near(q.v, 250.0 * 1048576, 1e-3);
	assert_int_equal(dr_qty_scan("10m + size", &q), 3);
	assert_near(q.v, 600, 0);
	assert_int_equal(dr_qty_scan("5 m)", &q), 3);
	assert_int_equal(dr_qty_scan("2/y", &q), 1); /* no rate form */
	assert_true(dr_dim_eq(q.dim, DR_DIM_NUMBER));
	assert_int_equal(dr_qty_scan("5mins", &q), 1); /* unknown unit: number only */
	assert_int_equal(dr_qty_scan("5 max(", &q), 1);
	assert_int_equal(dr_qty_scan("1GiB/sec", &q), 4); /* "/sec" is not a suffix */
	assert_true(dr_dim_eq(q.dim, DR_DIM_SIZE));
	assert_int_equal(dr_qty_scan("3m/s", &q), 2); /* only sizes take a suffix */
	assert_int_equal(dr_qty_scan("size", &q), 0);
	assert_int_equal(dr_qty_scan("-5", &q), 0);
	assert_int_equal(dr_qty_scan("", &q), 0);
	assert_int_equal(dr_qty_scan(".", &q), 0);
	assert_int_equal(dr_qty_scan("1e", &q), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_durations),  cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_throughputs), cmocka_unit_test(test_rates),
		cmocka_unit_test(test_numbers),    cmocka_unit_test(test_errors),
		cmocka_unit_test(test_dim_names),  cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_round_trip), cmocka_unit_test(test_scan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
