/*
 * hist.h - a mergeable histogram of non-negative values (seconds) for
 * quantiles with bounded relative error, so memory does not grow with the
 * number of trials.
 *
 * Values are kept exactly while there are at most HIST_EXACT of them (so
 * small runs report exact quantiles); beyond that they go into logarithmic
 * buckets of ratio gamma = (1 + a) / (1 - a) with a = 0.001, giving a
 * relative error of at most 0.1 % for every quantile (DDSketch-style).
 * Zeros are counted apart (a synchronous replica's RPO is exactly 0).
 * Merging is exact: merge(A, B) gives the same quantiles as adding all of
 * A's and B's values to one histogram, in any order (so shards merge).
 */
#ifndef DR_HIST_H
#define DR_HIST_H

#include "dr.h"

#define HIST_EXACT 4096
#define HIST_REL_ERR 0.001

typedef struct {
	uint64_t n;        /* values added */
	uint64_t zeros;    /* values == 0 (or below 1 microsecond) */
	double sum, min, max;
	/* exact mode: n - zeros <= HIST_EXACT, values kept in exact[] */
	double *exact;
	size_t n_exact, cap_exact;
	bool bucketed;
	/* bucket mode: counts[i] for bucket index (offset + i) */
	uint64_t *counts;
	int32_t offset;
	size_t n_counts;
} hist;

void hist_init(hist *h);
void hist_release(hist *h);
void hist_reset(hist *h);
/* Add a value (negative values are a BUG; NaN is a BUG). */
void hist_add(hist *h, double v);
/* Merge src into dst (src unchanged). */
void hist_merge(hist *dst, const hist *src);
/* Quantile q in [0,1] (nearest-rank on the sorted values); 0 when empty. */
double hist_quantile(const hist *h, double q);
double hist_mean(const hist *h);
/* Fraction of values <= x (exact mode exact; bucket mode within one bucket). */
double hist_cdf(const hist *h, double x);
/* Serialise for shard merging: a JSON-safe array of numbers (exact values or
 * bucket index/count pairs) and back.  Returns a new jansson array (json_t *)
 * as void * to keep jansson out of this header. */
void *hist_to_json(const hist *h);
int hist_from_json(hist *h, const void *json) DR_WUR;

#endif
