/*
 * expr.h - duration models: typed arithmetic expressions over quantities,
 * scenario variables and probability distributions.
 *
 *   "90s"                                  a constant
 *   "triangular(5m, 10m, 30m)"             a distribution
 *   "lognormal(median=2m, p95=10m)"        lognormal by median and a percentile
 *   "10m + size/250MiB/s + replay/100MiB/s" typed arithmetic with variables
 *
 * Grammar (recursive descent):
 *   expr   := term (('+'|'-') term)*
 *   term   := unary (('*'|'/') unary)*
 *   unary  := '-' unary | atom
 *   atom   := quantity | IDENT | IDENT '(' args ')' | '(' expr ')'
 *   args   := arg (',' arg)* ; arg := [IDENT '='] expr
 * "size/250MiB/s" is read as size / (250 MiB/s): a quantity literal takes
 * a "/s" (or /m /h) unit suffix greedily, so throughputs read naturally.
 *
 * Distributions (all parameters are quantities of one dimension, which is
 * the dimension of the result; samples below zero are clamped to zero only
 * for "normal", which is truncated at 0):
 *   constant(x)                        uniform(a, b)
 *   triangular(min, mode, max)         pert(min, mode, max)
 *   normal(mean, sd)                   lognormal(median=M, pNN=Q) (NN in (50,100))
 *   exponential(mean)                  weibull(shape=k, scale=λ)  (shape is a number)
 *   empirical(x1, x2, ...)             (uniform draw among the samples)
 *   min(a, b), max(a, b)               (functions, not distributions)
 * Parameters may be named (uniform(min=1m, max=2m)) or positional.
 *
 * Parse errors carry a 1-based column within the source string; the loader
 * adds the scenario position.
 */
#ifndef DR_EXPR_H
#define DR_EXPR_H

#include <gsl/gsl_rng.h>

#include "units.h"

/* Variables an expression may name: the caller's table, index = slot in the
 * values array passed to evaluation. */
typedef struct {
	const char *name;
	dr_dim dim;
	const char *help;
} dr_var;

typedef struct dr_expr dr_expr; /* opaque */

typedef struct {
	int col;        /* 1-based column in the source */
	char msg[160];  /* lowercase message, subject quoted */
} dr_expr_error;

/* Parse src.  vars/n_vars list the names allowed.  On success *out is a new
 * expression (caller frees with dr_expr_free).  Errors: DR_PARSE (syntax,
 * unknown name, bad parameters), DR_UNIT (dimension mismatch), DR_RANGE
 * (e.g. uniform(5m, 1m), negative sd). */
dr_err dr_expr_parse(const char *src, const dr_var *vars, size_t n_vars, dr_expr **out,
		     dr_expr_error *err) DR_WUR;
void dr_expr_free(dr_expr *e);
dr_expr *dr_expr_const(dr_qty q); /* a constant expression */

dr_dim dr_expr_dim(const dr_expr *e);
/* True when the expression contains no distribution (a fixed value given the
 * variables). */
bool dr_expr_is_fixed(const dr_expr *e);
/* True when the expression names the variable with this index. */
bool dr_expr_uses_var(const dr_expr *e, size_t var_index);
/* The source text, normalised (e.g. for reports). */
const char *dr_expr_text(const dr_expr *e);

/* Draw one value (base units) with vars[i] the value of variable i.  Never
 * returns NaN; distributions of durations and sizes never return < 0. */
double dr_expr_sample(const dr_expr *e, const double *vars, gsl_rng *r);
/* Expected value: exact where closed form exists, else sampled. */
double dr_expr_mean(const dr_expr *e, const double *vars);
/* Quantile p in (0,1): exact for a lone distribution or constant, else
 * estimated from 20000 samples with a fixed seed (deterministic). */
double dr_expr_quantile(const dr_expr *e, const double *vars, double p);
/* Lower and upper bounds of the support (upper may be INFINITY). */
void dr_expr_bounds(const dr_expr *e, const double *vars, double *lo, double *hi);

/* The per-trial random stream: GSL's taus2 seeded from (seed, stream). */
gsl_rng *dr_rng_new(uint64_t seed, uint64_t stream);
void dr_rng_reseed(gsl_rng *r, uint64_t seed, uint64_t stream);

#endif
