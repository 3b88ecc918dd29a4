/*
 * hist.c - mergeable histograms: exact sorted values while there are at most
 * HIST_EXACT non-zero ones, then DDSketch-style logarithmic buckets.  See
 * hist.h.
 *
 * Bucket i holds the values in (gamma^(i-1), gamma^i] with
 * gamma = (1 + a) / (1 - a), a = HIST_REL_ERR; it is represented by
 * 2 gamma^i / (gamma + 1), which is within a relative error a of every value
 * in the bucket.  Values below HIST_ZERO count as zeros (kept apart).
 *
 * What a histogram reports depends only on the multiset of values added:
 * exact mode keeps them sorted, bucket mode keeps counts per bucket index,
 * and the switch happens at the same count however values arrive (one by
 * one or merged).  That makes quantiles bit-identical for any merge order or
 * sharding.  The bucket array covers only the indices seen (plus growth
 * slack), so memory follows the value range, never the number of values.
 *
 * The JSON form is one array of numbers:
 *   [mode, n, zeros, sum, min, max, payload...]
 * mode 0: payload = the non-zero values, ascending (n - zeros of them);
 * mode 1: payload = index, count pairs of the non-empty buckets, ascending.
 * Reals must be dumped with JSON_REAL_PRECISION(17) to round-trip exactly.
 */
#include "hist.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Values below this count as zeros (a synchronous replica's RPO). */
#define HIST_ZERO 1e-6

/* The bucket constants for a = 0.001, written out bit for bit so that every
 * build (any optimisation, any libm) computes the same bucket indices and
 * shards written by one binary merge exactly in another. */
#define HIST_GAMMA 0x1.0083340520083p+0       /* (1 + a) / (1 - a) */
#define HIST_LOG_GAMMA 0x1.0624e2e91ecafp-9   /* log(gamma) */
#define HIST_REP_SCALE 0x1.ff7ced916872ap-1   /* 2 / (gamma + 1) */

/* Bucket indices stay well inside this (|log(DBL_MAX) / log(gamma)| ~ 3.6e5). */
#define HIST_MAX_INDEX 1000000

enum { HIST_JSON_EXACT = 0, HIST_JSON_BUCKETS = 1, HIST_JSON_HEADER = 6 };

static int32_t bucket_index(double v)
{
	return (int32_t)ceil(log(v) / HIST_LOG_GAMMA);
}

static double bucket_value(int32_t i)
{
	return exp((double)i * HIST_LOG_GAMMA) * HIST_REP_SCALE;
}

void hist_init(hist *h)
{
	*h = (hist){0};
}

void hist_release(hist *h)
{
	free(h->exact);
	free(h->counts);
	*h = (hist){0};
}

void hist_reset(hist *h)
{
	h->n = 0;
	h->zeros = 0;
	h->sum = h->min = h->max = 0;
	h->n_exact = 0;
	h->bucketed = false;
	if (h->n_counts)
		memset(h->counts, 0, h->n_counts * sizeof(*h->counts));
}

/* Make index i addressable, growing the range by at least half its size in
 * the direction needed so that a widening range costs amortised O(1). */
static void bucket_reserve(hist *h, int32_t i)
{
	if (h->n_counts == 0) {
		h->n_counts = 64;
		h->offset = i - 32;
		h->counts = dr_realloc(h->counts, h->n_counts * sizeof(*h->counts));
		memset(h->counts, 0, h->n_counts * sizeof(*h->counts));
		return;
	}
	if (i < h->offset) {
		size_t extra = (size_t)(h->offset - i);
		if (extra < h->n_counts / 2)
			extra = h->n_counts / 2;
		h->counts = dr_realloc(h->counts, (h->n_counts + extra) * sizeof(*h->counts));
		memmove(h->counts + extra, h->counts, h->n_counts * sizeof(*h->counts));
		memset(h->counts, 0, extra * sizeof(*h->counts));
		h->offset -= (int32_t)extra;
		h->n_counts += extra;
	} else if ((size_t)(i - h->offset) >= h->n_counts) {
		size_t extra = (size_t)(i - h->offset) + 1 - h->n_counts;
		if (extra < h->n_counts / 2)
			extra = h->n_counts / 2;
		h->counts = dr_realloc(h->counts, (h->n_counts + extra) * sizeof(*h->counts));
		memset(h->counts + h->n_counts, 0, extra * sizeof(*h->counts));
		h->n_counts += extra;
	}
}

static void bucket_add(hist *h, int32_t i, uint64_t count)
{
	bucket_reserve(h, i);
	h->counts[i - h->offset] += count;
}

/* Leave exact mode: every kept value goes to its bucket. */
static void to_buckets(hist *h)
{
	for (size_t k = 0; k < h->n_exact; k++)
		bucket_add(h, bucket_index(h->exact[k]), 1);
	h->n_exact = 0;
	h->bucketed = true;
}

/* Number of kept exact values <= x (they are sorted). */
static size_t exact_upper_bound(const hist *h, double x)
{
	size_t lo = 0, hi = h->n_exact;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (h->exact[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void exact_insert(hist *h, double v)
{
	DR_GROW(h->exact, h->n_exact, h->cap_exact);
	size_t at = exact_upper_bound(h, v);
	memmove(h->exact + at + 1, h->exact + at, (h->n_exact - at) * sizeof(*h->exact));
	h->exact[at] = v;
	h->n_exact++;
}

/* Widen min and max to take in [lo, hi]; call before n is counted. */
static void note_extremes(hist *h, double lo, double hi)
{
	if (h->n == 0) {
		h->min = lo;
		h->max = hi;
		return;
	}
	if (lo < h->min)
		h->min = lo;
	if (hi > h->max)
		h->max = hi;
}

void hist_add(hist *h, double v)
{
	if (!(v >= 0) || isinf(v))
		DR_BUG("histogram value %g is negative, infinite or NaN", v);
	note_extremes(h, v, v);
	h->n++;
	h->sum += v;
	if (v < HIST_ZERO) {
		h->zeros++;
		return;
	}
	if (!h->bucketed && h->n_exact == HIST_EXACT)
		to_buckets(h);
	if (h->bucketed)
		bucket_add(h, bucket_index(v), 1);
	else
		exact_insert(h, v);
}

/* dst's exact values and src's, both sorted, merged in place from the back. */
static void exact_merge(hist *dst, const hist *src)
{
	size_t total = dst->n_exact + src->n_exact;
	if (total == 0)
		return;
	DR_GROW(dst->exact, total - 1, dst->cap_exact);
	size_t a = dst->n_exact, b = src->n_exact, out = total;
	while (b > 0) {
		if (a > 0 && dst->exact[a - 1] > src->exact[b - 1])
			dst->exact[--out] = dst->exact[--a];
		else
			dst->exact[--out] = src->exact[--b];
	}
	dst->n_exact = total;
}

void hist_merge(hist *dst, const hist *src)
{
	if (dst == src)
		DR_BUG("histogram merged into itself");
	if (src->n == 0)
		return;
	note_extremes(dst, src->min, src->max);
	dst->n += src->n;
	dst->zeros += src->zeros;
	dst->sum += src->sum;
	if (!dst->bucketed && !src->bucketed && dst->n_exact + src->n_exact <= HIST_EXACT) {
		exact_merge(dst, src);
		return;
	}
	if (!dst->bucketed)
		to_buckets(dst);
	if (!src->bucketed) {
		for (size_t k = 0; k < src->n_exact; k++)
			bucket_add(dst, bucket_index(src->exact[k]), 1);
		return;
	}
	size_t first = 0, last = src->n_counts;
	while (first < last && src->counts[first] == 0)
		first++;
	while (last > first && src->counts[last - 1] == 0)
		last--;
	if (first == last)
		return;
	bucket_reserve(dst, src->offset + (int32_t)first);
	bucket_reserve(dst, src->offset + (int32_t)(last - 1));
	for (size_t k = first; k < last; k++)
		dst->counts[src->offset + (int32_t)k - dst->offset] += src->counts[k];
}

double hist_quantile(const hist *h, double q)
{
	if (!(q >= 0 && q <= 1))
		DR_BUG("quantile %g outside [0, 1]", q);
	if (h->n == 0)
		return 0;
	double r = ceil(q * (double)h->n);
	uint64_t rank = r < 1 ? 1 : r > (double)h->n ? h->n : (uint64_t)r;
	if (rank <= h->zeros)
		return 0;
	rank -= h->zeros;
	if (!h->bucketed)
		return h->exact[rank - 1];
	/* The extremes are known exactly. */
	if (rank == h->n - h->zeros)
		return h->max;
	if (rank == 1 && h->zeros == 0)
		return h->min;
	uint64_t seen = 0;
	size_t k = 0;
	while (k < h->n_counts) {
		seen += h->counts[k];
		if (seen >= rank)
			break;
		k++;
	}
	if (k == h->n_counts)
		DR_BUG("histogram counts do not add up to n");
	/* The true value lies within [min, max]: clamping only moves closer. */
	double v = bucket_value(h->offset + (int32_t)k);
	return v < h->min ? h->min : v > h->max ? h->max : v;
}

double hist_mean(const hist *h)
{
	return h->n ? h->sum / (double)h->n : 0;
}

double hist_cdf(const hist *h, double x)
{
	if (h->n == 0 || isnan(x) || x < 0)
		return 0;
	uint64_t below = h->zeros;
	if (x >= HIST_ZERO) {
		if (!h->bucketed) {
			below += exact_upper_bound(h, x);
		} else if (x >= h->max) {
			below = h->n;
		} else {
			int32_t last = bucket_index(x);
			for (size_t k = 0; k < h->n_counts && h->offset + (int32_t)k <= last; k++)
				below += h->counts[k];
		}
	}
	return (double)below / (double)h->n;
}

/* jansson returns NULL only on allocation failure (values are finite). */
static void append(json_t *a, json_t *v)
{
	if (!v || json_array_append_new(a, v) != 0)
		DR_BUG("cannot build histogram json");
}

void *hist_to_json(const hist *h)
{
	json_t *a = json_array();
	if (!a)
		DR_BUG("cannot build histogram json");
	append(a, json_integer(h->bucketed ? HIST_JSON_BUCKETS : HIST_JSON_EXACT));
	append(a, json_integer((json_int_t)h->n));
	append(a, json_integer((json_int_t)h->zeros));
	append(a, json_real(h->sum));
	append(a, json_real(h->min));
	append(a, json_real(h->max));
	if (!h->bucketed) {
		for (size_t k = 0; k < h->n_exact; k++)
			append(a, json_real(h->exact[k]));
		return a;
	}
	for (size_t k = 0; k < h->n_counts; k++) {
		if (h->counts[k] == 0)
			continue;
		append(a, json_integer(h->offset + (json_int_t)k));
		append(a, json_integer((json_int_t)h->counts[k]));
	}
	return a;
}

/* Report a malformed histogram and return DR_PARSE. */
static dr_err DR_PRINTF(1, 2) bad_json(const char *fmt, ...)
{
	dr_buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	dr_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	dr_error("histogram json: %s", b.s);
	dr_buf_release(&b);
	return DR_PARSE;
}

static bool json_count(const json_t *v, uint64_t *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return false;
	*out = (uint64_t)json_integer_value(v);
	return true;
}

static bool json_finite(const json_t *v, double *out)
{
	if (!json_is_number(v))
		return false;
	*out = json_number_value(v);
	return isfinite(*out) && *out >= 0;
}

/* Exact payload: n - zeros values, each a non-zero, ascending. */
static dr_err exact_from_json(hist *h, const json_t *a, uint64_t nonzero)
{
	size_t len = json_array_size(a) - HIST_JSON_HEADER;
	if (nonzero > HIST_EXACT || len != nonzero)
		return bad_json("%zu exact values for %llu non-zero ones (at most %d)",
		                len, (unsigned long long)nonzero, HIST_EXACT);
	for (size_t k = 0; k < len; k++) {
		double v;
		if (!json_finite(json_array_get(a, HIST_JSON_HEADER + k), &v) || v < HIST_ZERO ||
		    (k > 0 && v < h->exact[k - 1]))
			return bad_json("exact value %zu is not positive or not ascending", k);
		DR_GROW(h->exact, k, h->cap_exact);
		h->exact[k] = v;
		h->n_exact = k + 1;
	}
	return DR_OK;
}

/* Bucket payload: index/count pairs, indices ascending, counts adding up. */
static dr_err buckets_from_json(hist *h, const json_t *a, uint64_t nonzero)
{
	size_t len = json_array_size(a) - HIST_JSON_HEADER;
	uint64_t total = 0;
	json_int_t prev = 0;
	if (len % 2 != 0)
		return bad_json("bucket list has an odd length");
	h->bucketed = true;
	for (size_t k = 0; k < len; k += 2) {
		const json_t *idx = json_array_get(a, HIST_JSON_HEADER + k);
		uint64_t count;
		const json_t *cnt = json_array_get(a, HIST_JSON_HEADER + k + 1);
		if (!json_is_integer(idx) || !json_count(cnt, &count) || count == 0 ||
		    count > nonzero - total)
			return bad_json("bucket %zu is not an index and a positive count", k / 2);
		json_int_t i = json_integer_value(idx);
		if (i < -HIST_MAX_INDEX || i > HIST_MAX_INDEX || (k > 0 && i <= prev))
			return bad_json("bucket index %lld out of range or order", (long long)i);
		prev = i;
		total += count;
		bucket_add(h, (int32_t)i, count);
	}
	if (nonzero <= HIST_EXACT)
		return bad_json("%llu non-zero values belong in exact mode",
		                (unsigned long long)nonzero);
	if (total != nonzero)
		return bad_json("bucket counts add up to %llu, want %llu",
		                (unsigned long long)total, (unsigned long long)nonzero);
	return DR_OK;
}

int hist_from_json(hist *h, const void *json)
{
	const json_t *a = json;
	dr_err err = DR_PARSE;
	uint64_t mode, n, zeros;
	hist_reset(h);
	if (!json_is_array(a) || json_array_size(a) < HIST_JSON_HEADER ||
	    !json_count(json_array_get(a, 0), &mode) || mode > HIST_JSON_BUCKETS ||
	    !json_count(json_array_get(a, 1), &n) || !json_count(json_array_get(a, 2), &zeros) ||
	    zeros > n || !json_finite(json_array_get(a, 3), &h->sum) ||
	    !json_finite(json_array_get(a, 4), &h->min) || !json_finite(json_array_get(a, 5), &h->max) ||
	    h->min > h->max) {
		bad_json("want [mode, n, zeros, sum, min, max, ...]");
		goto out;
	}
	h->n = n;
	h->zeros = zeros;
	err = mode == HIST_JSON_EXACT ? exact_from_json(h, a, n - zeros)
	                              : buckets_from_json(h, a, n - zeros);
out:
	if (err != DR_OK)
		hist_reset(h);
	return err;
}
