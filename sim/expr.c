/*
 * expr.c - duration models: a recursive-descent parser for typed
 * expressions over quantities, variables and distributions (grammar in
 * expr.h), and their evaluation: sampling, means, quantiles and bounds.
 *
 * An expression is a flat array of nodes in post-order (children before
 * their parent, the root last), so sampling is one loop over the array with
 * no recursion, no allocation and no string work.  Constant sub-expressions
 * are folded while parsing, and distribution parameters must fold to
 * constants, so every distribution node carries its derived parameters
 * (e.g. lognormal mu and sigma) ready for the hot path.
 *
 * Hostile input is bounded: the source length (MAX_SRC), the nesting depth
 * (MAX_DEPTH, so the parser's recursion is bounded), the node count
 * (MAX_NODES, which also bounds the evaluation scratch on the stack) and the
 * unit exponents.  Random streams come from GSL's taus2, seeded as described
 * at dr_rng_reseed.
 */
#include "expr.h"

#include <ctype.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SRC 4096
#define MAX_DEPTH 64
#define MAX_NODES 1024
#define MAX_EXPONENT 8
#define EST_SAMPLES 20000
#define EST_SEED 0x6472736d6f64656cULL /* fixed, so estimates are deterministic */

enum {
	OP_CONST,
	OP_VAR,
	OP_NEG,
	OP_ADD,
	OP_SUB,
	OP_MUL,
	OP_DIV,
	OP_MIN,
	OP_MAX,
	OP_UNIFORM,     /* p: min, width */
	OP_TRIANGULAR,  /* p: min, mode, max, F(mode) */
	OP_PERT,        /* p: min, width, alpha, beta */
	OP_NORMAL,      /* p: mean, sd, alpha = -mean/sd, Q(alpha) = P(untruncated >= 0) */
	OP_LOGNORMAL,   /* p: mu, sigma (of the logarithm) */
	OP_EXPONENTIAL, /* p: mean */
	OP_WEIBULL,     /* p: scale, shape */
	OP_EMPIRICAL,   /* a: offset in the sorted pool, b: count */
};

typedef struct {
	uint8_t op;
	bool random; /* this subtree contains a distribution */
	dr_dim dim;
	uint32_t a, b; /* children; OP_VAR: a = variable index; OP_EMPIRICAL: pool slice */
	double p[4];   /* constant value (p[0]) or distribution parameters */
} node;

struct dr_expr {
	node *nodes; /* post-order, root last */
	uint32_t n;
	double *pool; /* empirical samples, each slice sorted */
	char *text;   /* normalised source */
};

/* ---- distributions: sampling, exact mean, quantile and support ---- */

static double tri_inverse(const node *d, double u)
{
	double a = d->p[0], c = d->p[1], b = d->p[2];
	if (u < d->p[3])
		return a + sqrt(u * (b - a) * (c - a));
	return b - sqrt((1 - u) * (b - a) * (b - c));
}

/* Normal(mean, sd) conditioned on >= 0.  When the untruncated tail above
 * 0 underflows (mean below about -37 sd) the conditional law is, to double
 * precision, exponential with rate -mean/sd^2. */
static double tnormal_draw(const node *d, gsl_rng *r)
{
	double mu = d->p[0], sd = d->p[1];
	if (mu >= 0) { /* acceptance >= 1/2: rejection is fastest */
		double x;
		do
			x = mu + gsl_ran_gaussian_ziggurat(r, sd);
		while (x < 0);
		return x;
	}
	if (d->p[3] <= 0)
		return gsl_ran_exponential(r, sd * sd / -mu);
	double x = mu + sd * gsl_cdf_ugaussian_Qinv(gsl_rng_uniform_pos(r) * d->p[3]);
	return x > 0 ? x : 0;
}

static double draw(const node *d, const double *pool, gsl_rng *r)
{
	switch (d->op) {
	case OP_UNIFORM:
		return gsl_ran_flat(r, d->p[0], d->p[0] + d->p[1]);
	case OP_TRIANGULAR:
		return tri_inverse(d, gsl_rng_uniform(r));
	case OP_PERT:
		return d->p[0] + d->p[1] * gsl_ran_beta(r, d->p[2], d->p[3]);
	case OP_NORMAL:
		return tnormal_draw(d, r);
	case OP_LOGNORMAL:
		return gsl_ran_lognormal(r, d->p[0], d->p[1]);
	case OP_EXPONENTIAL:
		return gsl_ran_exponential(r, d->p[0]);
	case OP_WEIBULL:
		return gsl_ran_weibull(r, d->p[0], d->p[1]);
	case OP_EMPIRICAL:
		return pool[d->a + gsl_rng_uniform_int(r, d->b)];
	}
	DR_BUG("node %d is not a distribution", d->op);
}

static double dist_mean(const node *d, const double *pool)
{
	switch (d->op) {
	case OP_UNIFORM:
		return d->p[0] + d->p[1] / 2;
	case OP_TRIANGULAR:
		return (d->p[0] + d->p[1] + d->p[2]) / 3;
	case OP_PERT:
		return d->p[0] + d->p[1] * d->p[2] / (d->p[2] + d->p[3]);
	case OP_NORMAL:
		if (d->p[3] <= 0)
			return d->p[1] * d->p[1] / -d->p[0];
		return d->p[0] + d->p[1] * gsl_ran_ugaussian_pdf(d->p[2]) / d->p[3];
	case OP_LOGNORMAL:
		return exp(d->p[0] + d->p[1] * d->p[1] / 2);
	case OP_EXPONENTIAL:
		return d->p[0];
	case OP_WEIBULL:
		return d->p[0] * exp(lgamma(1 + 1 / d->p[1]));
	case OP_EMPIRICAL: {
		double sum = 0;
		for (uint32_t i = 0; i < d->b; i++)
			sum += pool[d->a + i];
		return sum / d->b;
	}
	}
	DR_BUG("node %d is not a distribution", d->op);
}

static void dist_bounds(const node *d, const double *pool, double *lo, double *hi)
{
	*lo = 0;
	*hi = INFINITY;
	switch (d->op) {
	case OP_UNIFORM:
	case OP_PERT:
		*lo = d->p[0];
		*hi = d->p[0] + d->p[1];
		break;
	case OP_TRIANGULAR:
		*lo = d->p[0];
		*hi = d->p[2];
		break;
	case OP_EMPIRICAL:
		*lo = pool[d->a];
		*hi = pool[d->a + d->b - 1];
		break;
	}
}

/* Exact quantile for p in (0, 1). */
static double dist_quantile(const node *d, const double *pool, double p)
{
	switch (d->op) {
	case OP_UNIFORM:
		return d->p[0] + p * d->p[1];
	case OP_TRIANGULAR:
		return tri_inverse(d, p);
	case OP_PERT:
		return d->p[0] + d->p[1] * gsl_cdf_beta_Pinv(p, d->p[2], d->p[3]);
	case OP_NORMAL:
		if (d->p[3] <= 0)
			return d->p[1] * d->p[1] / -d->p[0] * -log1p(-p);
		return fmax(0, d->p[0] + d->p[1] * gsl_cdf_ugaussian_Qinv((1 - p) * d->p[3]));
	case OP_LOGNORMAL:
		return gsl_cdf_lognormal_Pinv(p, d->p[0], d->p[1]);
	case OP_EXPONENTIAL:
		return gsl_cdf_exponential_Pinv(p, d->p[0]);
	case OP_WEIBULL:
		return gsl_cdf_weibull_Pinv(p, d->p[0], d->p[1]);
	case OP_EMPIRICAL: {
		/* smallest sample x with P(X <= x) >= p */
		double k = ceil(p * d->b) - 1;
		uint32_t i = k < 0 ? 0 : k >= d->b ? d->b - 1 : (uint32_t)k;
		return pool[d->a + i];
	}
	}
	DR_BUG("node %d is not a distribution", d->op);
}

/* ---- evaluation ---- */

static double eval(const dr_expr *e, const double *vars, gsl_rng *r)
{
	double v[MAX_NODES];
	for (uint32_t i = 0; i < e->n; i++) {
		const node *d = &e->nodes[i];
		switch (d->op) {
		case OP_CONST: v[i] = d->p[0]; break;
		case OP_VAR: v[i] = vars[d->a]; break;
		case OP_NEG: v[i] = -v[d->a]; break;
		case OP_ADD: v[i] = v[d->a] + v[d->b]; break;
		case OP_SUB: v[i] = v[d->a] - v[d->b]; break;
		case OP_MUL: v[i] = v[d->a] * v[d->b]; break;
		case OP_DIV: v[i] = v[d->a] / v[d->b]; break;
		case OP_MIN: v[i] = fmin(v[d->a], v[d->b]); break;
		case OP_MAX: v[i] = fmax(v[d->a], v[d->b]); break;
		default: v[i] = draw(d, e->pool, r); break;
		}
	}
	return v[e->n - 1];
}

double dr_expr_sample(const dr_expr *e, const double *vars, gsl_rng *r)
{
	const node *root = &e->nodes[e->n - 1];
	double x;
	if (e->n == 1)
		x = root->op == OP_CONST ? root->p[0] : root->op == OP_VAR ? vars[root->a] : draw(root, e->pool, r);
	else
		x = eval(e, vars, r);
	return isnan(x) ? 0 : x;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* EST_SAMPLES draws from the fixed estimation stream, sorted; caller frees. */
static double *estimate_samples(const dr_expr *e, const double *vars)
{
	double *s = dr_malloc(EST_SAMPLES * sizeof(*s));
	gsl_rng *r = dr_rng_new(EST_SEED, 0);
	for (size_t i = 0; i < EST_SAMPLES; i++)
		s[i] = dr_expr_sample(e, vars, r);
	gsl_rng_free(r);
	qsort(s, EST_SAMPLES, sizeof(*s), cmp_double);
	return s;
}

double dr_expr_mean(const dr_expr *e, const double *vars)
{
	double m[MAX_NODES];
	bool exact[MAX_NODES];
	for (uint32_t i = 0; i < e->n; i++) {
		const node *d = &e->nodes[i];
		uint32_t a = d->a, b = d->b;
		exact[i] = true;
		switch (d->op) {
		case OP_CONST: m[i] = d->p[0]; break;
		case OP_VAR: m[i] = vars[a]; break;
		case OP_NEG: m[i] = -m[a]; exact[i] = exact[a]; break;
		case OP_ADD: m[i] = m[a] + m[b]; exact[i] = exact[a] && exact[b]; break;
		case OP_SUB: m[i] = m[a] - m[b]; exact[i] = exact[a] && exact[b]; break;
		/* sub-trees are independent draws, so E[XY] = E[X] E[Y] */
		case OP_MUL: m[i] = m[a] * m[b]; exact[i] = exact[a] && exact[b]; break;
		case OP_DIV:
			m[i] = m[a] / m[b];
			exact[i] = exact[a] && exact[b] && !e->nodes[b].random;
			break;
		case OP_MIN:
		case OP_MAX:
			m[i] = d->op == OP_MIN ? fmin(m[a], m[b]) : fmax(m[a], m[b]);
			exact[i] = !d->random;
			break;
		default: m[i] = dist_mean(d, e->pool); break;
		}
	}
	if (exact[e->n - 1])
		return isnan(m[e->n - 1]) ? 0 : m[e->n - 1];
	double *s = estimate_samples(e, vars), sum = 0;
	for (size_t i = 0; i < EST_SAMPLES; i++)
		sum += s[i];
	free(s);
	return sum / EST_SAMPLES;
}

double dr_expr_quantile(const dr_expr *e, const double *vars, double p)
{
	const node *root = &e->nodes[e->n - 1];
	if (!root->random)
		return dr_expr_sample(e, vars, NULL);
	if (!(p > 0) || p >= 1) {
		double lo, hi;
		dr_expr_bounds(e, vars, &lo, &hi);
		return p >= 1 ? hi : lo;
	}
	if (e->n == 1)
		return dist_quantile(root, e->pool, p);
	double *s = estimate_samples(e, vars);
	double h = (EST_SAMPLES - 1) * p, f = floor(h);
	size_t k = (size_t)f;
	double q = k + 1 < EST_SAMPLES ? s[k] + (h - f) * (s[k + 1] - s[k]) : s[k];
	free(s);
	return q;
}

/* Interval product where 0 * inf counts as 0 (the bound is reached at 0). */
static double mul0(double x, double y)
{
	return x == 0 || y == 0 ? 0 : x * y;
}

static void interval_mul(double al, double ah, double bl, double bh, double *lo, double *hi)
{
	double c[4] = {mul0(al, bl), mul0(al, bh), mul0(ah, bl), mul0(ah, bh)};
	*lo = *hi = c[0];
	for (int i = 1; i < 4; i++) {
		*lo = fmin(*lo, c[i]);
		*hi = fmax(*hi, c[i]);
	}
}

void dr_expr_bounds(const dr_expr *e, const double *vars, double *lo, double *hi)
{
	double l[MAX_NODES], h[MAX_NODES];
	for (uint32_t i = 0; i < e->n; i++) {
		const node *d = &e->nodes[i];
		uint32_t a = d->a, b = d->b;
		switch (d->op) {
		case OP_CONST: l[i] = h[i] = d->p[0]; break;
		case OP_VAR: l[i] = h[i] = vars[a]; break;
		case OP_NEG: l[i] = -h[a]; h[i] = -l[a]; break;
		case OP_ADD: l[i] = l[a] + l[b]; h[i] = h[a] + h[b]; break;
		case OP_SUB: l[i] = l[a] - h[b]; h[i] = h[a] - l[b]; break;
		case OP_MUL: interval_mul(l[a], h[a], l[b], h[b], &l[i], &h[i]); break;
		case OP_DIV:
			if (l[b] <= 0 && h[b] >= 0) {
				l[i] = -INFINITY;
				h[i] = INFINITY;
			} else {
				interval_mul(l[a], h[a], 1 / h[b], 1 / l[b], &l[i], &h[i]);
			}
			break;
		case OP_MIN: l[i] = fmin(l[a], l[b]); h[i] = fmin(h[a], h[b]); break;
		case OP_MAX: l[i] = fmax(l[a], l[b]); h[i] = fmax(h[a], h[b]); break;
		default: dist_bounds(d, e->pool, &l[i], &h[i]); break;
		}
		if (isnan(l[i]))
			l[i] = -INFINITY;
		if (isnan(h[i]))
			h[i] = INFINITY;
	}
	*lo = l[e->n - 1];
	*hi = h[e->n - 1];
}

/* ---- queries ---- */

dr_dim dr_expr_dim(const dr_expr *e)
{
	return e->nodes[e->n - 1].dim;
}

bool dr_expr_is_fixed(const dr_expr *e)
{
	return !e->nodes[e->n - 1].random;
}

bool dr_expr_uses_var(const dr_expr *e, size_t var_index)
{
	for (uint32_t i = 0; i < e->n; i++)
		if (e->nodes[i].op == OP_VAR && e->nodes[i].a == var_index)
			return true;
	return false;
}

const char *dr_expr_text(const dr_expr *e)
{
	return e->text;
}

void dr_expr_free(dr_expr *e)
{
	if (!e)
		return;
	free(e->nodes);
	free(e->pool);
	free(e->text);
	free(e);
}

/* Text for a constant that the parser reads back: the largest unit that
 * divides the value, else seconds or bytes. */
static char *literal_text(dr_qty q)
{
	static const struct {
		const char *name;
		double f;
	} times[] = {{"y", DR_YEAR_S}, {"w", 604800}, {"d", 86400}, {"h", 3600}, {"m", 60}, {"s", 1}},
	  sizes[] = {{"TiB", 1099511627776.0}, {"TB", 1e12}, {"GiB", 1073741824.0}, {"GB", 1e9},
		     {"MiB", 1048576.0}, {"MB", 1e6},  {"KiB", 1024.0},    {"KB", 1e3}, {"B", 1}};
	double a = fabs(q.v);
	if (dr_dim_eq(q.dim, DR_DIM_TIME) || dr_dim_eq(q.dim, DR_DIM_SIZE) ||
	    dr_dim_eq(q.dim, DR_DIM_THROUGHPUT)) {
		bool t = dr_dim_eq(q.dim, DR_DIM_TIME);
		const char *per = dr_dim_eq(q.dim, DR_DIM_THROUGHPUT) ? "/s" : "";
		size_t n = t ? sizeof(times) / sizeof(times[0]) : sizeof(sizes) / sizeof(sizes[0]);
		for (size_t i = 0; i < n; i++) {
			double f = t ? times[i].f : sizes[i].f;
			if (a >= f && fmod(a, f) == 0)
				return dr_asprintf("%.15g%s%s", q.v / f, t ? times[i].name : sizes[i].name, per);
		}
		return dr_asprintf("%.15g%s%s", q.v, t ? "s" : "B", per);
	}
	if (dr_dim_eq(q.dim, DR_DIM_RATE))
		return dr_asprintf("%.15g/y", q.v * DR_YEAR_S);
	return dr_asprintf("%.15g", q.v);
}

dr_expr *dr_expr_const(dr_qty q)
{
	dr_expr *e = dr_calloc(1, sizeof(*e));
	e->nodes = dr_calloc(1, sizeof(node));
	e->n = 1;
	e->nodes[0] = (node){.op = OP_CONST, .dim = q.dim, .p = {q.v}};
	e->text = literal_text(q);
	return e;
}

/* ---- random streams ---- */

/*
 * The seed mapping is part of drsim's reproducibility promise and must never
 * change: stream s of seed S is taus2 seeded with the 32-bit fold of
 * mix64(S ^ mix64(s + 1)) (1 if that is 0), so adjacent trials get unrelated
 * streams and a result can be reproduced from its seed forever.
 */
void dr_rng_reseed(gsl_rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = dr_mix64(seed ^ dr_mix64(stream + 1));
	uint32_t s = (uint32_t)(x ^ (x >> 32));
	gsl_rng_set(r, s ? s : 1);
}

gsl_rng *dr_rng_new(uint64_t seed, uint64_t stream)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	if (!r)
		DR_BUG("out of memory allocating a random stream");
	dr_rng_reseed(r, seed, stream);
	return r;
}

/* ---- parser ---- */

typedef enum {
	T_END,
	T_NUM,
	T_IDENT,
	T_PLUS,
	T_MINUS,
	T_STAR,
	T_SLASH,
	T_LPAREN,
	T_RPAREN,
	T_COMMA,
	T_EQ,
	T_BAD,
} tok_kind;

typedef struct {
	tok_kind kind;
	size_t at, end; /* byte offsets in the source */
	dr_qty q;       /* T_NUM */
} token;

typedef struct {
	const char *src;
	size_t pos;
	const dr_var *vars;
	size_t n_vars;
	node *nodes;
	size_t n, cap;
	double *pool;
	size_t n_pool, pool_cap;
	dr_buf text;
	int depth;
	dr_expr_error *err;
} parser;

static dr_err fail(parser *p, dr_err code, size_t at, const char *fmt, ...) DR_PRINTF(4, 5);
static dr_err fail(parser *p, dr_err code, size_t at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	va_end(ap);
	p->err->col = (int)at + 1;
	return code;
}

static bool ident_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static size_t skip_blanks(const char *s, size_t i)
{
	while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
		i++;
	return i;
}

/* Why a number is glued to letters ("5mins"): the unit parser's message. */
static dr_err bad_unit(parser *p, size_t at, size_t end)
{
	size_t stop = end;
	while (ident_char(p->src[stop]) || p->src[stop] == '.')
		stop++;
	char *word = dr_strndup(p->src + at, stop - at);
	dr_qty q;
	const char *msg = NULL;
	dr_err err = dr_qty_parse(word, &q, &msg);
	free(word);
	if (err == DR_OK || !msg)
		return fail(p, DR_PARSE, end, "unexpected '%c' after a number", p->src[end]);
	return fail(p, err, end, "%s", msg);
}

/* The token at p->pos, without consuming it. */
static dr_err lex(parser *p, token *t)
{
	const char *s = p->src;
	size_t i = skip_blanks(s, p->pos);
	*t = (token){.kind = T_BAD, .at = i, .end = i + 1};
	char c = s[i];
	if (!c) {
		t->kind = T_END;
		t->end = i;
		return DR_OK;
	}
	size_t n = dr_qty_scan(s + i, &t->q);
	if (n) {
		t->kind = T_NUM;
		t->end = i + n;
		if (ident_char(s[t->end]) || s[t->end] == '.')
			return bad_unit(p, i, t->end);
		if (!isfinite(t->q.v))
			return fail(p, DR_RANGE, i, "number '%.*s' out of range", (int)(n > 32 ? 32 : n), s + i);
		return DR_OK;
	}
	if (ident_start(c)) {
		size_t j = i;
		while (ident_char(s[j]))
			j++;
		t->kind = T_IDENT;
		t->end = j;
		return DR_OK;
	}
	static const char singles[] = "+-*/(),=";
	static const tok_kind kinds[] = {T_PLUS, T_MINUS, T_STAR, T_SLASH, T_LPAREN, T_RPAREN, T_COMMA, T_EQ};
	const char *hit = strchr(singles, c);
	if (hit)
		t->kind = kinds[hit - singles];
	return DR_OK;
}

static dr_err next(parser *p, token *t)
{
	dr_err err = lex(p, t);
	if (!err)
		p->pos = t->end;
	return err;
}

/* "'x'" for a token in a message, or "byte 0xNN" for a non-printing byte. */
static const char *tok_desc(parser *p, const token *t, char out[48])
{
	unsigned char c = (unsigned char)p->src[t->at];
	if (t->kind == T_END)
		snprintf(out, 48, "end of expression");
	else if (t->kind == T_BAD && !isprint(c))
		snprintf(out, 48, "byte 0x%02x", c);
	else
		snprintf(out, 48, "'%.*s'", (int)(t->end - t->at > 32 ? 32 : t->end - t->at), p->src + t->at);
	return out;
}

static dr_err unexpected(parser *p, const token *t, const char *wanted)
{
	char d[48];
	return fail(p, DR_PARSE, t->at, "expected %s, got %s", wanted, tok_desc(p, t, d));
}

static void emit(parser *p, const char *s)
{
	dr_buf_puts(&p->text, s);
}

static dr_err push(parser *p, node d, size_t at, uint32_t *out)
{
	if (p->n >= MAX_NODES)
		return fail(p, DR_PARSE, at, "expression too large (more than %d terms)", MAX_NODES);
	DR_GROW(p->nodes, p->n, p->cap);
	p->nodes[p->n] = d;
	*out = (uint32_t)p->n++;
	return DR_OK;
}

static dr_err push_const(parser *p, dr_qty q, size_t at, uint32_t *out)
{
	return push(p, (node){.op = OP_CONST, .dim = q.dim, .p = {q.v}}, at, out);
}

static bool is_const(const parser *p, uint32_t i)
{
	return p->nodes[i].op == OP_CONST;
}

/* Combine l and r (the two newest sub-trees) with op; typed and folded. */
static dr_err binary(parser *p, uint8_t op, uint32_t l, uint32_t r, size_t at, uint32_t *out)
{
	dr_dim dl = p->nodes[l].dim, dr = p->nodes[r].dim, dim = dl;
	if (op == OP_ADD || op == OP_SUB || op == OP_MIN || op == OP_MAX) {
		if (!dr_dim_eq(dl, dr)) {
			if (op == OP_ADD)
				return fail(p, DR_UNIT, at, "cannot add a %s to a %s", dr_dim_name(dr), dr_dim_name(dl));
			if (op == OP_SUB)
				return fail(p, DR_UNIT, at, "cannot subtract a %s from a %s", dr_dim_name(dr),
					    dr_dim_name(dl));
			return fail(p, DR_UNIT, at, "cannot take the %s of a %s and a %s", op == OP_MIN ? "min" : "max",
				    dr_dim_name(dl), dr_dim_name(dr));
		}
	} else {
		int sign = op == OP_MUL ? 1 : -1;
		int size = dl.size + sign * dr.size, time = dl.time + sign * dr.time;
		if (abs(size) > MAX_EXPONENT || abs(time) > MAX_EXPONENT)
			return fail(p, DR_UNIT, at, "units too complex (more than %d factors)", MAX_EXPONENT);
		dim = (dr_dim){(int8_t)size, (int8_t)time};
	}
	if (is_const(p, l) && is_const(p, r)) {
		double a = p->nodes[l].p[0], b = p->nodes[r].p[0], v;
		switch (op) {
		case OP_ADD: v = a + b; break;
		case OP_SUB: v = a - b; break;
		case OP_MUL: v = a * b; break;
		case OP_DIV: v = a / b; break;
		case OP_MIN: v = fmin(a, b); break;
		default: v = fmax(a, b); break;
		}
		if (op == OP_DIV && b == 0)
			return fail(p, DR_RANGE, at, "division by zero");
		if (!isfinite(v))
			return fail(p, DR_RANGE, at, "value out of range");
		p->n -= 2; /* l and r are the two newest nodes */
		return push_const(p, (dr_qty){v, dim}, at, out);
	}
	node d = {.op = op, .dim = dim, .a = l, .b = r, .random = p->nodes[l].random || p->nodes[r].random};
	return push(p, d, at, out);
}

static dr_err parse_expr(parser *p, uint32_t *out);

/* ---- distributions ---- */

typedef struct {
	const char *name;
	uint8_t op;
	uint8_t n_params; /* 0: a list of samples */
	const char *params[3];
} dist_def;

static const dist_def dists[] = {
	{"constant", OP_CONST, 1, {"value"}},
	{"uniform", OP_UNIFORM, 2, {"min", "max"}},
	{"triangular", OP_TRIANGULAR, 3, {"min", "mode", "max"}},
	{"pert", OP_PERT, 3, {"min", "mode", "max"}},
	{"normal", OP_NORMAL, 2, {"mean", "sd"}},
	{"lognormal", OP_LOGNORMAL, 2, {"median", "pNN"}},
	{"exponential", OP_EXPONENTIAL, 1, {"mean"}},
	{"weibull", OP_WEIBULL, 2, {"shape", "scale"}},
	{"empirical", OP_EMPIRICAL, 0, {NULL}},
};
#define N_DISTS (sizeof(dists) / sizeof(dists[0]))

static const char *const function_names[] = {"constant", "uniform", "triangular", "pert", "normal",
	"lognormal", "exponential", "weibull", "empirical", "min", "max"};
#define N_FUNCTIONS (sizeof(function_names) / sizeof(function_names[0]))

typedef struct {
	dr_qty q;
	size_t at;        /* where the argument starts */
	const char *name; /* NULL when positional */
	size_t name_len, name_at;
} arg;

typedef struct {
	arg *v;
	size_t n, cap;
} arg_list;

/* A quantity in a message: "5m", "1.5 GiB". */
static const char *qty_text(dr_qty q, char out[48])
{
	dr_qty_format(q, out, 48);
	return out;
}

/* The percentile of a "pNN" name, or 0. */
static double percentile_name(const char *s, size_t n)
{
	if (n < 2 || n > 4 || s[0] != 'p')
		return 0;
	double v = 0;
	for (size_t i = 1; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Put the arguments into the distribution's parameter slots. */
static dr_err assign_params(parser *p, const dist_def *def, const arg_list *args, size_t at,
			    const arg *slot[3], double *percentile)
{
	bool named_seen = false;
	size_t positional = 0;
	if (def->op == OP_EMPIRICAL)
		return DR_OK; /* a list of samples, checked by the caller */
	for (size_t i = 0; i < args->n; i++) {
		const arg *g = &args->v[i];
		if (!g->name) {
			if (named_seen)
				return fail(p, DR_PARSE, g->at, "positional parameter after a named one in '%s'",
					    def->name);
			if (def->op == OP_LOGNORMAL)
				return fail(p, DR_PARSE, g->at,
					    "'lognormal' takes named parameters: median= and a percentile such as p95=");
			if (positional >= def->n_params)
				return fail(p, DR_PARSE, g->at, "'%s' takes %d parameter%s", def->name,
					    def->n_params, def->n_params == 1 ? "" : "s");
			slot[positional++] = g;
			continue;
		}
		named_seen = true;
		size_t k = def->n_params;
		for (size_t j = 0; j < def->n_params; j++)
			if (strlen(def->params[j]) == g->name_len && !memcmp(def->params[j], g->name, g->name_len))
				k = j;
		if (def->op == OP_LOGNORMAL && k == def->n_params && percentile_name(g->name, g->name_len) > 0) {
			k = 1;
			*percentile = percentile_name(g->name, g->name_len);
		}
		if (k == def->n_params) {
			char *name = dr_strndup(g->name, g->name_len);
			const char *hint = dr_suggest(name, def->params, def->n_params);
			dr_err err = fail(p, DR_PARSE, g->name_at, "unknown parameter '%.32s' for '%s'%s%s%s",
					  name, def->name, hint ? "; did you mean '" : "", hint ? hint : "",
					  hint ? "'?" : "");
			free(name);
			return err;
		}
		if (slot[k])
			return fail(p, DR_PARSE, g->at, "parameter '%s' of '%s' given twice", def->params[k], def->name);
		slot[k] = g;
	}
	for (size_t j = 0; j < def->n_params; j++) {
		if (slot[j])
			continue;
		if (def->op == OP_LOGNORMAL && j == 1)
			return fail(p, DR_PARSE, at, "'lognormal' needs a percentile such as p95=");
		return fail(p, DR_PARSE, at, "'%s' needs '%s'", def->name, def->params[j]);
	}
	return DR_OK;
}

/* The dimension shared by the parameters; a plain 0 fits any dimension. */
static dr_err param_dim(parser *p, const dist_def *def, const arg *const *v, size_t n, dr_dim *dim)
{
	const arg *first = NULL;
	for (size_t i = 0; i < n; i++) {
		const arg *g = v[i];
		if (dr_dim_eq(g->q.dim, DR_DIM_NUMBER) && g->q.v == 0)
			continue;
		if (!first) {
			first = g;
		} else if (!dr_dim_eq(g->q.dim, first->q.dim)) {
			return fail(p, DR_UNIT, g->at, "parameters of '%s' mix a %s and a %s", def->name,
				    dr_dim_name(first->q.dim), dr_dim_name(g->q.dim));
		}
	}
	*dim = first ? first->q.dim : DR_DIM_NUMBER;
	return DR_OK;
}

static dr_err check_nonnegative(parser *p, const dist_def *def, dr_dim dim, double lo, size_t at)
{
	if (lo < 0 && !dr_dim_eq(dim, DR_DIM_NUMBER))
		return fail(p, DR_RANGE, at, "'%s' of a %s cannot go below 0", def->name, dr_dim_name(dim));
	return DR_OK;
}

static dr_err check_order(parser *p, const dist_def *def, dr_dim dim, double lo, double mode, double hi,
			  size_t at)
{
	char a[48], b[48], c[48];
	if (lo > hi)
		return fail(p, DR_RANGE, at, "'%s' min %s is above max %s", def->name, qty_text((dr_qty){lo, dim}, a),
			    qty_text((dr_qty){hi, dim}, b));
	if (mode < lo || mode > hi)
		return fail(p, DR_RANGE, at, "'%s' mode %s is outside [%s, %s]", def->name,
			    qty_text((dr_qty){mode, dim}, a), qty_text((dr_qty){lo, dim}, b),
			    qty_text((dr_qty){hi, dim}, c));
	return check_nonnegative(p, def, dim, lo, at);
}

/* Build the node of a distribution from its checked parameters.  A
 * distribution of zero width is folded to its constant. */
static dr_err make_dist(parser *p, const dist_def *def, const arg *const *slot, const arg_list *args,
			double percentile, dr_dim dim, size_t at, uint32_t *out)
{
	dr_err err;
	double x = slot[0] ? slot[0]->q.v : 0, y = slot[1] ? slot[1]->q.v : 0, z = slot[2] ? slot[2]->q.v : 0;
	node d = {.op = def->op, .dim = dim, .random = true};
	switch (def->op) {
	case OP_CONST:
		return push_const(p, (dr_qty){x, dim}, at, out);
	case OP_UNIFORM:
		if ((err = check_order(p, def, dim, x, x, y, at)))
			return err;
		if (x == y)
			return push_const(p, (dr_qty){x, dim}, at, out);
		d.p[0] = x;
		d.p[1] = y - x;
		break;
	case OP_TRIANGULAR:
	case OP_PERT:
		if ((err = check_order(p, def, dim, x, y, z, at)))
			return err;
		if (x == z)
			return push_const(p, (dr_qty){x, dim}, at, out);
		if (def->op == OP_TRIANGULAR) {
			d.p[0] = x, d.p[1] = y, d.p[2] = z, d.p[3] = (y - x) / (z - x);
		} else {
			d.p[0] = x, d.p[1] = z - x;
			d.p[2] = 1 + 4 * (y - x) / (z - x);
			d.p[3] = 1 + 4 * (z - y) / (z - x);
		}
		break;
	case OP_NORMAL:
		if (y < 0)
			return fail(p, DR_RANGE, at, "'normal' sd must not be negative");
		if (y == 0)
			return push_const(p, (dr_qty){fmax(x, 0), dim}, at, out);
		d.p[0] = x, d.p[1] = y, d.p[2] = -x / y;
		d.p[3] = gsl_cdf_ugaussian_Q(d.p[2]);
		break;
	case OP_LOGNORMAL: {
		char a[48], b[48];
		if (!(percentile > 50 && percentile < 100))
			return fail(p, DR_RANGE, slot[1]->name_at, "'lognormal' percentile p%g must be between 50 and 100",
				    percentile);
		if (x <= 0)
			return fail(p, DR_RANGE, slot[0]->at, "'lognormal' median must be above 0");
		if (y <= x)
			return fail(p, DR_RANGE, slot[1]->at, "'lognormal' p%g %s must be above the median %s",
				    percentile, qty_text((dr_qty){y, dim}, a), qty_text((dr_qty){x, dim}, b));
		d.p[0] = log(x);
		d.p[1] = log(y / x) / gsl_cdf_ugaussian_Pinv(percentile / 100);
		break;
	}
	case OP_EXPONENTIAL:
		if (x < 0)
			return fail(p, DR_RANGE, at, "'exponential' mean must not be negative");
		if (x == 0)
			return push_const(p, (dr_qty){0, dim}, at, out);
		d.p[0] = x;
		break;
	case OP_WEIBULL:
		if (!dr_dim_eq(slot[0]->q.dim, DR_DIM_NUMBER))
			return fail(p, DR_UNIT, slot[0]->at, "'weibull' shape must be a number, not a %s",
				    dr_dim_name(slot[0]->q.dim));
		if (x <= 0)
			return fail(p, DR_RANGE, slot[0]->at, "'weibull' shape must be above 0");
		if (y < 0)
			return fail(p, DR_RANGE, slot[1]->at, "'weibull' scale must not be negative");
		if (y == 0)
			return push_const(p, (dr_qty){0, dim}, at, out);
		d.p[0] = y, d.p[1] = x;
		break;
	case OP_EMPIRICAL: {
		if (!args->n)
			return fail(p, DR_RANGE, at, "'empirical' needs at least one sample");
		size_t off = p->n_pool;
		for (size_t i = 0; i < args->n; i++) {
			DR_GROW(p->pool, p->n_pool, p->pool_cap);
			p->pool[p->n_pool++] = args->v[i].q.v;
		}
		qsort(p->pool + off, args->n, sizeof(double), cmp_double);
		if ((err = check_nonnegative(p, def, dim, p->pool[off], at)))
			return err;
		if (p->pool[off] == p->pool[p->n_pool - 1]) {
			p->n_pool = off;
			return push_const(p, (dr_qty){p->pool[off], dim}, at, out);
		}
		d.a = (uint32_t)off;
		d.b = (uint32_t)args->n;
		break;
	}
	}
	return push(p, d, at, out);
}

/* One argument: "[name=] expr".  Distribution parameters must fold to a
 * constant, which is taken off the node array into g. */
static dr_err parse_param(parser *p, const char *fname, arg *g)
{
	dr_err err;
	token t, eq;
	if ((err = lex(p, &t)))
		return err;
	*g = (arg){.at = t.at};
	if (t.kind == T_IDENT) {
		size_t save = p->pos;
		p->pos = t.end;
		if ((err = lex(p, &eq)))
			return err;
		if (eq.kind == T_EQ) {
			g->name = p->src + t.at;
			g->name_len = t.end - t.at;
			g->name_at = t.at;
			dr_buf_add(&p->text, g->name, g->name_len);
			emit(p, "=");
			p->pos = eq.end;
			if ((err = lex(p, &t)))
				return err;
			g->at = t.at;
		} else {
			p->pos = save;
		}
	}
	uint32_t v;
	if ((err = parse_expr(p, &v)))
		return err;
	if (!is_const(p, v))
		return fail(p, DR_PARSE, g->at, "parameters of '%s' must be constants (no variables or distributions)",
			    fname);
	g->q = (dr_qty){p->nodes[v].p[0], p->nodes[v].dim};
	p->n--;
	return DR_OK;
}

/* After an argument: ',' (more follow) or ')' (done). */
static dr_err arg_separator(parser *p, const char *fname, size_t open_at, bool *more)
{
	token t;
	dr_err err = next(p, &t);
	if (err)
		return err;
	if (t.kind == T_COMMA) {
		emit(p, ", ");
		*more = true;
		return DR_OK;
	}
	if (t.kind == T_RPAREN) {
		emit(p, ")");
		*more = false;
		return DR_OK;
	}
	if (t.kind == T_END)
		return fail(p, DR_PARSE, t.at, "missing ')' to close '%s(' at column %zu", fname, open_at + 1);
	char d[48];
	return fail(p, DR_PARSE, t.at, "expected ',' or ')' in '%s(', got %s", fname, tok_desc(p, &t, d));
}

/* True when the call has no arguments; consumes the ')'. */
static dr_err empty_call(parser *p, bool *empty)
{
	token t;
	dr_err err = lex(p, &t);
	*empty = !err && t.kind == T_RPAREN;
	if (*empty) {
		p->pos = t.end;
		emit(p, ")");
	}
	return err;
}

static dr_err parse_distribution(parser *p, const dist_def *def, size_t at, size_t open_at, uint32_t *out)
{
	dr_err err;
	arg_list args = {0};
	bool more = true, empty;
	if ((err = empty_call(p, &empty)))
		goto done;
	while (!empty && more) {
		DR_GROW(args.v, args.n, args.cap);
		if ((err = parse_param(p, def->name, &args.v[args.n])))
			goto done;
		if (def->op == OP_EMPIRICAL && args.v[args.n].name) {
			err = fail(p, DR_PARSE, args.v[args.n].at, "'empirical' takes samples, not named parameters");
			goto done;
		}
		args.n++;
		if ((err = arg_separator(p, def->name, open_at, &more)))
			goto done;
	}
	const arg *slot[3] = {NULL, NULL, NULL};
	double percentile = 0;
	if ((err = assign_params(p, def, &args, at, slot, &percentile)))
		goto done;
	dr_dim dim;
	if (def->op == OP_EMPIRICAL) {
		const arg **all = dr_malloc((args.n ? args.n : 1) * sizeof(*all));
		for (size_t i = 0; i < args.n; i++)
			all[i] = &args.v[i];
		err = param_dim(p, def, all, args.n, &dim);
		free(all);
	} else if (def->op == OP_WEIBULL) {
		err = param_dim(p, def, slot + 1, 1, &dim);
	} else {
		err = param_dim(p, def, slot, def->n_params, &dim);
	}
	if (!err)
		err = make_dist(p, def, slot, &args, percentile, dim, at, out);
done:
	free(args.v);
	return err;
}

/* min(a, b, ...) / max(a, b, ...): expressions, folded left to right. */
static dr_err parse_minmax(parser *p, const char *fname, size_t at, size_t open_at, uint32_t *out)
{
	dr_err err;
	uint8_t op = fname[1] == 'i' ? OP_MIN : OP_MAX;
	bool more = true, empty;
	size_t n = 0;
	if ((err = empty_call(p, &empty)))
		return err;
	while (!empty && more) {
		token t;
		if ((err = lex(p, &t)))
			return err;
		uint32_t v;
		if ((err = parse_expr(p, &v)))
			return err;
		if (n++ && (err = binary(p, op, *out, v, t.at, &v)))
			return err;
		*out = v;
		if ((err = arg_separator(p, fname, open_at, &more)))
			return err;
	}
	if (n < 2)
		return fail(p, DR_PARSE, at, "'%s' needs at least 2 arguments", fname);
	return DR_OK;
}

static dr_err parse_call(parser *p, const token *name, const token *open, uint32_t *out)
{
	size_t len = name->end - name->at;
	const char *s = p->src + name->at;
	dr_buf_add(&p->text, s, len);
	emit(p, "(");
	for (size_t i = 0; i < N_DISTS; i++)
		if (strlen(dists[i].name) == len && !memcmp(dists[i].name, s, len))
			return parse_distribution(p, &dists[i], name->at, open->at, out);
	if (len == 3 && (!memcmp(s, "min", 3) || !memcmp(s, "max", 3)))
		return parse_minmax(p, len == 3 && s[1] == 'i' ? "min" : "max", name->at, open->at, out);
	char *word = dr_strndup(s, len);
	const char *hint = dr_suggest(word, function_names, N_FUNCTIONS);
	dr_err err = fail(p, DR_PARSE, name->at, "unknown function '%.32s'%s%s%s", word,
			  hint ? "; did you mean '" : "", hint ? hint : "", hint ? "'?" : "");
	free(word);
	return err;
}

/* ---- atoms ---- */

static bool is_function(const char *s, size_t len)
{
	for (size_t i = 0; i < N_FUNCTIONS; i++)
		if (strlen(function_names[i]) == len && !memcmp(function_names[i], s, len))
			return true;
	return false;
}

static dr_err parse_variable(parser *p, const token *t, uint32_t *out)
{
	size_t len = t->end - t->at;
	const char *s = p->src + t->at;
	for (size_t i = 0; i < p->n_vars; i++) {
		if (strlen(p->vars[i].name) == len && !memcmp(p->vars[i].name, s, len)) {
			dr_buf_add(&p->text, s, len);
			return push(p, (node){.op = OP_VAR, .dim = p->vars[i].dim, .a = (uint32_t)i}, t->at, out);
		}
	}
	if (is_function(s, len))
		return fail(p, DR_PARSE, t->at, "'%.*s' needs its parameters in parentheses", (int)len, s);
	char *word = dr_strndup(s, len);
	const char **names = dr_malloc((p->n_vars ? p->n_vars : 1) * sizeof(*names));
	for (size_t i = 0; i < p->n_vars; i++)
		names[i] = p->vars[i].name;
	const char *hint = dr_suggest(word, names, p->n_vars);
	dr_err err = fail(p, DR_PARSE, t->at, "unknown name '%.32s'%s%s%s", word, hint ? "; did you mean '" : "",
			  hint ? hint : "", hint ? "'?" : "");
	free(names);
	free(word);
	return err;
}

/* After a plain number: "/y" makes a rate literal ("2/y"); a word right
 * after it is a unit we do not know ("5 mins"). */
static dr_err number_suffix(parser *p, token *num)
{
	const char *s = p->src;
	size_t i = skip_blanks(s, p->pos);
	if (s[i] == '/') {
		size_t u = skip_blanks(s, i + 1), e = u;
		while (ident_char(s[e]))
			e++;
		char unit[8];
		dr_qty one;
		if (ident_start(s[u]) && e - u < 4 && snprintf(unit, sizeof(unit), "1%.*s", (int)(e - u), s + u) > 0 &&
		    dr_qty_parse(unit, &one, NULL) == DR_OK && dr_dim_eq(one.dim, DR_DIM_TIME) &&
		    s[skip_blanks(s, e)] != '(') {
			num->q = (dr_qty){num->q.v / one.v, DR_DIM_RATE};
			emit(p, "/");
			dr_buf_add(&p->text, s + u, e - u);
			p->pos = e;
		}
		return DR_OK;
	}
	if (!ident_start(s[i]))
		return DR_OK;
	size_t e = i;
	while (ident_char(s[e]))
		e++;
	bool known = is_function(s + i, e - i);
	for (size_t k = 0; k < p->n_vars && !known; k++)
		known = strlen(p->vars[k].name) == e - i && !memcmp(p->vars[k].name, s + i, e - i);
	if (known)
		return fail(p, DR_PARSE, i, "missing operator before '%.*s'", (int)(e - i > 32 ? 32 : e - i), s + i);
	char *word = dr_asprintf("1 %.*s", (int)(e - i > 32 ? 32 : e - i), s + i);
	const char *msg = NULL;
	dr_qty q;
	dr_err err = dr_qty_parse(word, &q, &msg);
	free(word);
	return fail(p, err ? err : DR_PARSE, i, "%s", msg ? msg : "unexpected word after a number");
}

static dr_err parse_atom(parser *p, uint32_t *out)
{
	dr_err err;
	token t;
	if ((err = next(p, &t)))
		return err;
	switch (t.kind) {
	case T_NUM:
		for (size_t i = t.at; i < t.end; i++)
			if (p->src[i] != ' ' && p->src[i] != '\t')
				dr_buf_add(&p->text, p->src + i, 1);
		if (dr_dim_eq(t.q.dim, DR_DIM_NUMBER) && (err = number_suffix(p, &t)))
			return err;
		if (!isfinite(t.q.v))
			return fail(p, DR_RANGE, t.at, "value out of range");
		return push_const(p, t.q, t.at, out);
	case T_IDENT: {
		token open;
		if ((err = lex(p, &open)))
			return err;
		if (open.kind != T_LPAREN)
			return parse_variable(p, &t, out);
		p->pos = open.end;
		return parse_call(p, &t, &open, out);
	}
	case T_LPAREN: {
		emit(p, "(");
		if ((err = parse_expr(p, out)))
			return err;
		token close;
		if ((err = next(p, &close)))
			return err;
		if (close.kind == T_END)
			return fail(p, DR_PARSE, close.at, "missing ')' to close '(' at column %zu", t.at + 1);
		if (close.kind != T_RPAREN)
			return unexpected(p, &close, "')'");
		emit(p, ")");
		return DR_OK;
	}
	default:
		return unexpected(p, &t, "a value");
	}
}

static dr_err parse_unary(parser *p, uint32_t *out)
{
	dr_err err;
	token t;
	if ((err = lex(p, &t)))
		return err;
	if (++p->depth > MAX_DEPTH) {
		err = fail(p, DR_PARSE, t.at, "expression nested too deeply (more than %d levels)", MAX_DEPTH);
	} else if (t.kind == T_MINUS) {
		p->pos = t.end;
		emit(p, "-");
		uint32_t v;
		err = parse_unary(p, &v);
		if (!err && is_const(p, v)) {
			p->nodes[v].p[0] = -p->nodes[v].p[0];
			*out = v;
		} else if (!err) {
			node d = {.op = OP_NEG, .dim = p->nodes[v].dim, .a = v, .random = p->nodes[v].random};
			err = push(p, d, t.at, out);
		}
	} else {
		err = parse_atom(p, out);
	}
	p->depth--;
	return err;
}

static dr_err parse_term(parser *p, uint32_t *out)
{
	dr_err err = parse_unary(p, out);
	while (!err) {
		token t;
		if ((err = lex(p, &t)) || (t.kind != T_STAR && t.kind != T_SLASH))
			break;
		p->pos = t.end;
		emit(p, t.kind == T_STAR ? "*" : "/");
		uint32_t r;
		if ((err = parse_unary(p, &r)))
			break;
		err = binary(p, t.kind == T_STAR ? OP_MUL : OP_DIV, *out, r, t.at, out);
	}
	return err;
}

static dr_err parse_expr(parser *p, uint32_t *out)
{
	dr_err err = parse_term(p, out);
	while (!err) {
		token t;
		if ((err = lex(p, &t)) || (t.kind != T_PLUS && t.kind != T_MINUS))
			break;
		p->pos = t.end;
		emit(p, t.kind == T_PLUS ? " + " : " - ");
		uint32_t r;
		if ((err = parse_term(p, &r)))
			break;
		err = binary(p, t.kind == T_PLUS ? OP_ADD : OP_SUB, *out, r, t.at, out);
	}
	return err;
}

dr_err dr_expr_parse(const char *src, const dr_var *vars, size_t n_vars, dr_expr **out, dr_expr_error *err_out)
{
	dr_err err;
	dr_expr_error scratch;
	parser p = {.src = src ? src : "", .vars = vars, .n_vars = n_vars, .err = err_out ? err_out : &scratch};
	*out = NULL;
	size_t len = strnlen(p.src, MAX_SRC + 1);
	if (len > MAX_SRC) {
		err = fail(&p, DR_PARSE, 0, "expression longer than %d characters", MAX_SRC);
		goto done;
	}
	if (!p.src[skip_blanks(p.src, 0)]) {
		err = fail(&p, DR_PARSE, 0, "empty expression");
		goto done;
	}
	uint32_t root;
	if ((err = parse_expr(&p, &root)))
		goto done;
	token t;
	if ((err = lex(&p, &t)))
		goto done;
	if (t.kind != T_END) {
		char d[48];
		err = fail(&p, DR_PARSE, t.at, "unexpected %s", tok_desc(&p, &t, d));
		goto done;
	}
	dr_expr *e = dr_calloc(1, sizeof(*e));
	e->n = (uint32_t)p.n;
	e->nodes = dr_malloc(p.n * sizeof(node));
	memcpy(e->nodes, p.nodes, p.n * sizeof(node));
	if (p.n_pool) {
		e->pool = dr_malloc(p.n_pool * sizeof(double));
		memcpy(e->pool, p.pool, p.n_pool * sizeof(double));
	}
	e->text = dr_buf_take(&p.text);
	*out = e;
done:
	free(p.nodes);
	free(p.pool);
	dr_buf_release(&p.text);
	return err;
}
