/*
 * scn_load.c - reading a scenario: YAML (libyaml) into the typed structs of
 * scenario.h, driven by the tables of scn_tables.c, then the checks that
 * span several keys (references, strategy requirements).
 *
 * Hostile input is bounded before the tree is built: one pass over libyaml's
 * events rejects nesting deeper than MAX_DEPTH, more than MAX_EVENTS events
 * and multi-document files; the walker then counts the nodes it visits so
 * that alias fan-out ("billion laughs") cannot make it run away.
 * Every diagnostic names FILE:LINE:COL; the loader goes on after an error
 * to report as many as it can, and frees everything on failure.
 */
#include <errno.h>
#include <math.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "scn_tables.h"

#define MAX_DEPTH 64
#define MAX_EVENTS 2000000
#define MAX_VISITS 1000000
#define MAX_BYTES (64u << 20)

typedef struct {
	yaml_document_t doc;
	const char *file;
	const char *data; /* the whole input, to look past a node's end */
	size_t len;
	dr_diags *diags;
	scenario *s;
	size_t visits;
	bool too_big;
	/* site references seen before the sites were read: resolved at the end */
	struct site_ref {
		int *target;
		char *name;
		dr_pos pos;
	} *site_refs;
	size_t n_site_refs, cap_site_refs;
	struct res_ref {
		int *target;
		char *name;
		dr_pos pos;
	} *res_refs;
	size_t n_res_refs, cap_res_refs;
} loader;

static dr_pos node_pos(const loader *L, const yaml_node_t *n)
{
	return (dr_pos){L->file, (int)n->start_mark.line + 1, (int)n->start_mark.column + 1};
}

#define ERR(L, pos, ...) dr_diag_add((L)->diags, (pos), DR_SEV_ERROR, __VA_ARGS__)

static const char *yaml_kind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return "a scalar";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

static bool visit(loader *L, const yaml_node_t *n)
{
	if (++L->visits > MAX_VISITS) {
		if (!L->too_big)
			ERR(L, node_pos(L, n), "document too large after alias expansion (over %d nodes)", MAX_VISITS);
		L->too_big = true;
		return false;
	}
	return true;
}

static const char *scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static bool is_null_scalar(const yaml_node_t *n)
{
	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *v = scalar(n);
	return !*v || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
	       strcmp(v, "NULL") == 0;
}

/* A scalar's text, or an error naming what was found instead. */
static const char *want_scalar(loader *L, const yaml_node_t *n, const char *key, const char *what)
{
	if (n->type != YAML_SCALAR_NODE || is_null_scalar(n)) {
		ERR(L, node_pos(L, n), "'%s' must be %s, not %s", key, what,
		    is_null_scalar(n) ? "empty" : yaml_kind(n));
		return NULL;
	}
	return scalar(n);
}

/* ---- scalar types -------------------------------------------------- */

static bool parse_qty(loader *L, const yaml_node_t *n, const char *key, dr_dim dim, const char *what,
		      double *out)
{
	const char *v = want_scalar(L, n, key, what);
	if (!v)
		return false;
	dr_qty q;
	const char *msg = NULL;
	dr_err e = dr_qty_parse(v, &q, &msg);
	if (e != DR_OK) {
		ERR(L, node_pos(L, n), "'%s': %s in \"%s\"", key, msg ? msg : dr_strerror(e), v);
		return false;
	}
	if (dr_dim_eq(q.dim, DR_DIM_NUMBER) && q.v == 0) {
		*out = 0; /* a bare 0 is 0 of any unit */
		return true;
	}
	if (!dr_dim_eq(q.dim, dim)) {
		ERR(L, node_pos(L, n), "'%s' must be %s, got %s \"%s\"", key, what, dr_dim_name(q.dim), v);
		return false;
	}
	*out = q.v;
	return true;
}

static bool check_range(loader *L, const yaml_node_t *n, const scn_field *f, double v, const char *text)
{
	if (v < f->min) {
		if (f->min == 0)
			ERR(L, node_pos(L, n), "'%s' must not be negative, got \"%s\"", f->key, text);
		else
			ERR(L, node_pos(L, n), "'%s' is below its minimum %g, got \"%s\"", f->key, f->min, text);
		return false;
	}
	if (f->max > 0 && v > f->max) {
		char lim[48];
		if (f->type == SCN_T_DURATION)
			dr_fmt_duration(f->max, lim, sizeof lim);
		else
			snprintf(lim, sizeof lim, "%g", f->max);
		ERR(L, node_pos(L, n), "'%s' is above its maximum %s, got \"%s\"", f->key, lim, text);
		return false;
	}
	return true;
}

static bool parse_int(loader *L, const yaml_node_t *n, const scn_field *f, int *out)
{
	const char *v = want_scalar(L, n, f->key, "a whole number");
	if (!v)
		return false;
	char *end;
	errno = 0;
	long long x = strtoll(v, &end, 10);
	if (end == v || *end) {
		ERR(L, node_pos(L, n), "'%s' must be a whole number, got \"%s\"", f->key, v);
		return false;
	}
	if (!check_range(L, n, f, errno == ERANGE ? (x < 0 ? -INFINITY : INFINITY) : (double)x, v))
		return false;
	*out = (int)x;
	return true;
}

static bool parse_number(loader *L, const yaml_node_t *n, const scn_field *f, double *out)
{
	const char *v = want_scalar(L, n, f->key, "a number");
	if (!v)
		return false;
	char *end;
	double x = strtod(v, &end);
	if (end == v || *end || !isfinite(x)) {
		ERR(L, node_pos(L, n), "'%s' must be a number, got \"%s\"", f->key, v);
		return false;
	}
	if (!check_range(L, n, f, x, v))
		return false;
	*out = x;
	return true;
}

static bool parse_bool(loader *L, const yaml_node_t *n, const char *key, bool *out)
{
	const char *v = want_scalar(L, n, key, "true or false");
	if (!v)
		return false;
	if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on")) {
		*out = true;
		return true;
	}
	if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off")) {
		*out = false;
		return true;
	}
	ERR(L, node_pos(L, n), "'%s' must be true or false, got \"%s\"", key, v);
	return false;
}

static bool parse_enum(loader *L, const yaml_node_t *n, const scn_field *f, void *out)
{
	const char *v = want_scalar(L, n, f->key, "a name");
	if (!v)
		return false;
	for (size_t i = 0; i < f->n_names; i++) {
		if (strcmp(v, f->names[i]) == 0) {
			if (f->store == SCN_STORE_BOOL)
				*(bool *)out = i != 0;
			else if (f->store == SCN_STORE_STRING)
				*(char **)out = dr_strdup(f->names[i]);
			else
				*(int *)out = (int)i;
			return true;
		}
	}
	const char *s = dr_suggest(v, f->names, f->n_names);
	dr_buf b = {0};
	for (size_t i = 0; i < f->n_names; i++)
		dr_buf_printf(&b, "%s%s", i ? ", " : "", f->names[i]);
	if (s)
		ERR(L, node_pos(L, n), "'%s' cannot be \"%s\"; did you mean \"%s\"?", f->key, v, s);
	else
		ERR(L, node_pos(L, n), "'%s' cannot be \"%s\" (one of: %s)", f->key, v, b.s);
	dr_buf_release(&b);
	return false;
}

/* "HH:MM-HH:MM" -> start seconds and length (wrapping midnight). */
static bool parse_window(loader *L, const yaml_node_t *n, const char *key, double *start, double *len)
{
	const char *v = want_scalar(L, n, key, "a window HH:MM-HH:MM");
	if (!v)
		return false;
	int h1, m1, h2, m2, used = 0;
	if (sscanf(v, "%2d:%2d-%2d:%2d%n", &h1, &m1, &h2, &m2, &used) != 4 || v[used] || h1 > 23 || h2 > 23 ||
	    m1 > 59 || m2 > 59 || h1 < 0 || h2 < 0 || m1 < 0 || m2 < 0) {
		ERR(L, node_pos(L, n), "'%s' must be a window HH:MM-HH:MM, got \"%s\"", key, v);
		return false;
	}
	double a = h1 * 3600.0 + m1 * 60.0, b = h2 * 3600.0 + m2 * 60.0;
	double l = b > a ? b - a : b + 86400.0 - a;
	if (l < 1800.0) {
		ERR(L, node_pos(L, n), "'%s' must be at least 30 minutes long, got \"%s\"", key, v);
		return false;
	}
	*start = a;
	*len = l;
	return true;
}

static bool parse_expr(loader *L, const yaml_node_t *n, const scn_field *f, dr_expr **out)
{
	const char *v = want_scalar(L, n, f->key, "a value or a distribution");
	if (!v)
		return false;
	dr_expr_error ee = {0};
	dr_expr *e = NULL;
	dr_err err = dr_expr_parse(v, f->vars ? scn_vars : NULL, f->vars ? SCN__NVAR : 0, &e, &ee);
	if (err != DR_OK) {
		dr_pos p = node_pos(L, n);
		/* plain scalars start at the node; quoted ones one column later */
		int shift = n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? 0 : 1;
		if (ee.col > 0 && n->start_mark.line == n->end_mark.line)
			p.col += ee.col - 1 + shift;
		/* In a flow mapping "{ lag: lognormal(median=1s, p95=2s) }" the comma ends a
		 * plain value: say so, rather than only "missing ')'". */
		bool cut = n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
			   n->end_mark.index < L->len && L->data[n->end_mark.index] == ',';
		ERR(L, p, "'%s': %s%s", f->key, ee.msg[0] ? ee.msg : dr_strerror(err),
		    cut ? " (a comma ends a plain value inside { }: quote the value)" : "");
		return false;
	}
	double zeros[SCN__NVAR] = {0};
	dr_dim d = dr_expr_dim(e);
	bool uses_vars = false;
	for (size_t i = 0; f->vars && i < SCN__NVAR; i++)
		uses_vars = uses_vars || dr_expr_uses_var(e, i);
	/* a bare 0 is 0 of any unit; "size/250MiB" is not */
	bool zero = dr_dim_eq(d, DR_DIM_NUMBER) && !uses_vars && dr_expr_is_fixed(e) && dr_expr_mean(e, zeros) == 0;
	if (!dr_dim_eq(d, f->dim) && !zero) {
		ERR(L, node_pos(L, n), "'%s' must be a %s, got a %s \"%s\"", f->key, dr_dim_name(f->dim),
		    dr_dim_name(d), v);
		dr_expr_free(e);
		return false;
	}
	if (zero && !dr_dim_eq(d, f->dim)) {
		dr_expr_free(e);
		e = dr_expr_const((dr_qty){0, f->dim});
	}
	double lo, hi;
	dr_expr_bounds(e, zeros, &lo, &hi);
	if (!f->vars && lo < 0) {
		ERR(L, node_pos(L, n), "'%s' must not be negative, got \"%s\"", f->key, v);
		dr_expr_free(e);
		return false;
	}
	*out = e;
	return true;
}

static void add_site_ref(loader *L, int *target, const char *name, dr_pos pos)
{
	DR_GROW(L->site_refs, L->n_site_refs, L->cap_site_refs);
	L->site_refs[L->n_site_refs++] = (struct site_ref){target, dr_strdup(name), pos};
}

static void add_res_ref(loader *L, int *target, const char *name, dr_pos pos)
{
	DR_GROW(L->res_refs, L->n_res_refs, L->cap_res_refs);
	L->res_refs[L->n_res_refs++] = (struct res_ref){target, dr_strdup(name), pos};
}

/* ---- structures ----------------------------------------------------- */

static void load_table(loader *L, yaml_node_t *n, const scn_table *t, void *base);

static yaml_node_t *node_at(loader *L, int index)
{
	return yaml_document_get_node(&L->doc, index);
}

static bool load_strlist(loader *L, const yaml_node_t *n, const char *key, char ***out, size_t *count)
{
	if (n->type == YAML_SCALAR_NODE && !is_null_scalar(n)) {
		*out = dr_calloc(1, sizeof(char *));
		(*out)[0] = dr_strdup(scalar(n));
		*count = 1;
		return true;
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		ERR(L, node_pos(L, n), "'%s' must be a list of names, not %s", key, yaml_kind(n));
		return false;
	}
	size_t len = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	char **v = dr_calloc(len ? len : 1, sizeof(char *));
	size_t k = 0;
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *c = node_at(L, *it);
		if (!visit(L, c))
			break;
		const char *s = want_scalar(L, c, key, "a list of names");
		if (s)
			v[k++] = dr_strdup(s);
	}
	*out = v;
	*count = k;
	return true;
}

static void load_params(loader *L, const yaml_node_t *n, const char *key, scn_param **out, size_t *count)
{
	if (n->type != YAML_MAPPING_NODE) {
		ERR(L, node_pos(L, n), "'%s' must be a mapping, not %s", key, yaml_kind(n));
		return;
	}
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(L, p->key), *v = node_at(L, p->value);
		if (!visit(L, v))
			return;
		if (k->type != YAML_SCALAR_NODE) {
			ERR(L, node_pos(L, k), "keys of '%s' must be names", key);
			continue;
		}
		const char *val = want_scalar(L, v, scalar(k), "a scalar value");
		if (!val)
			continue;
		scn_param *arr = *out;
		arr = dr_realloc(arr, (*count + 1) * sizeof(*arr));
		arr[*count] = (scn_param){dr_strdup(scalar(k)), dr_strdup(val), node_pos(L, k)};
		*out = arr;
		(*count)++;
	}
}

static void load_action(loader *L, const yaml_node_t *n, scn_action *a)
{
	a->pos = node_pos(L, n);
	if (n->type == YAML_SCALAR_NODE && !is_null_scalar(n)) {
		a->manual = dr_strdup(scalar(n)); /* action: "declare DR" is a manual step */
		return;
	}
	if (n->type != YAML_MAPPING_NODE) {
		ERR(L, node_pos(L, n), "'action' must be a mapping or a text, not %s", yaml_kind(n));
		return;
	}
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(L, p->key), *v = node_at(L, p->value);
		if (!visit(L, v))
			return;
		if (k->type != YAML_SCALAR_NODE) {
			ERR(L, node_pos(L, k), "keys of 'action' must be names");
			continue;
		}
		const char *key = scalar(k);
		char **slot = !strcmp(key, "manual") ? &a->manual
			      : !strcmp(key, "driver") ? &a->driver
			      : !strcmp(key, "op")     ? &a->op
						       : NULL;
		const char *val = want_scalar(L, v, key, "a text");
		if (!val)
			continue;
		if (slot) {
			if (*slot) {
				ERR(L, node_pos(L, k), "duplicate key '%s' in action", key);
				continue;
			}
			*slot = dr_strdup(val);
			continue;
		}
		bool known = false;
		for (size_t i = 0; i < scn_n_action_params; i++)
			known = known || !strcmp(key, scn_action_params[i]);
		if (!known) {
			const char *all[64];
			size_t na = 0;
			for (size_t i = 0; i < scn_n_action_keys; i++)
				all[na++] = scn_action_keys[i];
			for (size_t i = 0; i < scn_n_action_params && na < 64; i++)
				all[na++] = scn_action_params[i];
			const char *s = dr_suggest(key, all, na);
			if (s)
				ERR(L, node_pos(L, k), "unknown key '%s' in action; did you mean '%s'?", key, s);
			else
				ERR(L, node_pos(L, k), "unknown key '%s' in action", key);
			continue;
		}
		a->params = dr_realloc(a->params, (a->n_params + 1) * sizeof(*a->params));
		a->params[a->n_params++] = (scn_param){dr_strdup(key), dr_strdup(val), node_pos(L, k)};
	}
	if (a->manual && a->driver)
		ERR(L, a->pos, "an action is either manual or has a driver, not both");
	else if (!a->manual && !a->driver)
		ERR(L, a->pos, "an action needs 'driver' (with 'op') or 'manual'");
	else if (a->driver && !a->op && strcmp(a->driver, "shell") != 0)
		ERR(L, a->pos, "action with driver '%s' needs an 'op'", a->driver);
}

/* A sequence of table mappings into a new array. */
static void load_list(loader *L, const yaml_node_t *n, const scn_field *f, void *base)
{
	void **arr = (void **)((char *)base + f->off);
	size_t *count = (size_t *)((char *)base + f->count_off);
	if (n->type != YAML_SEQUENCE_NODE) {
		ERR(L, node_pos(L, n), "'%s' must be a list, not %s", f->key, yaml_kind(n));
		return;
	}
	size_t len = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	char *v = dr_calloc(len ? len : 1, f->sub->size);
	*arr = v;
	size_t k = 0;
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *c = node_at(L, *it);
		if (!visit(L, c))
			break;
		if (f->sub->init)
			f->sub->init(v + k * f->sub->size);
		load_table(L, c, f->sub, v + k * f->sub->size);
		k++;
	}
	*count = k;
}

static void load_named_map(loader *L, const yaml_node_t *n, const scn_field *f, void *base)
{
	void **arr = (void **)((char *)base + f->off);
	size_t *count = (size_t *)((char *)base + f->count_off);
	if (n->type != YAML_MAPPING_NODE) {
		ERR(L, node_pos(L, n), "'%s' must be a mapping of names, not %s", f->key, yaml_kind(n));
		return;
	}
	size_t len = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	char *v = dr_calloc(len ? len : 1, f->sub->size);
	*arr = v;
	size_t k = 0;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *key = node_at(L, p->key), *val = node_at(L, p->value);
		if (!visit(L, val))
			break;
		if (key->type != YAML_SCALAR_NODE || is_null_scalar(key)) {
			ERR(L, node_pos(L, key), "names in '%s' must be plain text", f->key);
			continue;
		}
		char *item = v + k * f->sub->size;
		bool dup = false;
		for (size_t j = 0; j < k; j++)
			dup = dup || !strcmp(*(char **)(v + j * f->sub->size + f->sub->name_off), scalar(key));
		if (dup) {
			ERR(L, node_pos(L, key), "duplicate name \"%s\" in '%s'", scalar(key), f->key);
			continue;
		}
		if (f->sub->init)
			f->sub->init(item);
		*(char **)(item + f->sub->name_off) = dr_strdup(scalar(key));
		load_table(L, val, f->sub, item);
		*(dr_pos *)(item + f->sub->pos_off) = node_pos(L, key);
		k++;
	}
	*count = k;
}

static void load_runbooks(loader *L, const yaml_node_t *n, const scn_field *f, void *base)
{
	scn_runbook **arr = (scn_runbook **)((char *)base + f->off);
	size_t *count = (size_t *)((char *)base + f->count_off);
	if (n->type != YAML_MAPPING_NODE) {
		ERR(L, node_pos(L, n), "'runbooks' must map disaster kinds to lists of steps, not %s", yaml_kind(n));
		return;
	}
	size_t len = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	*arr = dr_calloc(len ? len : 1, sizeof(scn_runbook));
	size_t k = 0;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *key = node_at(L, p->key), *val = node_at(L, p->value);
		if (!visit(L, val))
			break;
		if (key->type != YAML_SCALAR_NODE) {
			ERR(L, node_pos(L, key), "runbook names must be disaster kinds");
			continue;
		}
		int kind = scn_disaster_kind_parse(scalar(key));
		if (kind < 0) {
			const char *s = dr_suggest(scalar(key), scn_disaster_names, SCN__NDIS);
			if (s)
				ERR(L, node_pos(L, key), "unknown disaster kind \"%s\" in 'runbooks'; did you mean \"%s\"?",
				    scalar(key), s);
			else
				ERR(L, node_pos(L, key), "unknown disaster kind \"%s\" in 'runbooks'", scalar(key));
			continue;
		}
		bool dup = false;
		for (size_t j = 0; j < k; j++)
			dup = dup || (int)(*arr)[j].kind == kind;
		if (dup) {
			ERR(L, node_pos(L, key), "duplicate runbook for \"%s\"", scn_disaster_names[kind]);
			continue;
		}
		scn_runbook *rb = &(*arr)[k++];
		rb->kind = (scn_disaster_kind)kind;
		rb->pos = node_pos(L, key);
		scn_field steps = {.key = scalar(key), .type = SCN_T_LIST, .off = offsetof(scn_runbook, steps),
				   .count_off = offsetof(scn_runbook, n_steps), .sub = &scn_step_table};
		load_list(L, val, &steps, rb);
		if (rb->n_steps == 0 && val->type == YAML_SEQUENCE_NODE)
			ERR(L, node_pos(L, val), "runbook \"%s\" has no steps", scn_disaster_names[kind]);
	}
	*count = k;
}

static void load_value(loader *L, yaml_node_t *v, const scn_field *f, void *base)
{
	void *dst = (char *)base + f->off;
	switch (f->type) {
	case SCN_T_STRING: {
		const char *s = want_scalar(L, v, f->key, "a text");
		if (s)
			*(char **)dst = dr_strdup(s);
		break;
	}
	case SCN_T_VERSION: {
		const char *s = want_scalar(L, v, f->key, "the language version 1");
		if (s && strcmp(s, "1") != 0)
			ERR(L, node_pos(L, v), "unsupported scenario language version \"%s\" (this drsim reads 1)", s);
		break;
	}
	case SCN_T_INT:
		parse_int(L, v, f, dst);
		break;
	case SCN_T_NUMBER:
		parse_number(L, v, f, dst);
		break;
	case SCN_T_BOOL:
		parse_bool(L, v, f->key, dst);
		break;
	case SCN_T_DURATION:
	case SCN_T_SIZE:
	case SCN_T_RATE: {
		dr_dim dim = f->type == SCN_T_DURATION ? DR_DIM_TIME : f->type == SCN_T_SIZE ? DR_DIM_SIZE : DR_DIM_RATE;
		const char *what = f->type == SCN_T_DURATION ? "a duration (e.g. 90s, 5m, 7d)"
				   : f->type == SCN_T_SIZE    ? "a size (e.g. 512MiB, 2TB)"
							      : "a rate (e.g. 2/y, 1/10y)";
		double x;
		if (parse_qty(L, v, f->key, dim, what, &x) && check_range(L, v, f, x, scalar(v)))
			*(double *)dst = x;
		break;
	}
	case SCN_T_PERCENT: {
		double x;
		scn_field g = *f;
		g.min = -INFINITY;
		if (parse_number(L, v, &g, &x)) {
			if (x <= 0 || x >= 100)
				ERR(L, node_pos(L, v), "'%s' must be between 0 and 100 (exclusive), got \"%s\"", f->key,
				    scalar(v));
			else
				*(double *)dst = x;
		}
		break;
	}
	case SCN_T_EXPR:
		parse_expr(L, v, f, dst);
		break;
	case SCN_T_ENUM:
		parse_enum(L, v, f, dst);
		break;
	case SCN_T_SITE: {
		const char *s = want_scalar(L, v, f->key, "a site name");
		if (s)
			add_site_ref(L, dst, s, node_pos(L, v));
		break;
	}
	case SCN_T_WINDOW: {
		double start, len;
		if (parse_window(L, v, f->key, &start, &len)) {
			((double *)dst)[0] = start;
			((double *)dst)[1] = len;
		}
		break;
	}
	case SCN_T_STRLIST:
		load_strlist(L, v, f->key, dst, (size_t *)((char *)base + f->count_off));
		break;
	case SCN_T_RESOURCES: {
		char **names = NULL;
		size_t n = 0;
		if (!load_strlist(L, v, f->key, &names, &n))
			break;
		int *idx = dr_calloc(n ? n : 1, sizeof(int));
		for (size_t i = 0; i < n; i++) {
			add_res_ref(L, &idx[i], names[i], node_pos(L, v));
			free(names[i]);
		}
		free(names);
		*(int **)dst = idx;
		*(size_t *)((char *)base + f->count_off) = n;
		break;
	}
	case SCN_T_OBJECT:
		load_table(L, v, f->sub, dst);
		break;
	case SCN_T_LIST:
		load_list(L, v, f, base);
		break;
	case SCN_T_NAMED_MAP:
		load_named_map(L, v, f, base);
		break;
	case SCN_T_RUNBOOKS:
		load_runbooks(L, v, f, base);
		break;
	case SCN_T_PARAMS:
		load_params(L, v, f->key, dst, (size_t *)((char *)base + f->count_off));
		break;
	case SCN_T_ACTION:
		load_action(L, v, dst);
		break;
	}
}

/*
 * In a flow mapping a comma ends a plain value, so "{ detect: uniform(2m,
 * 10m) }" reaches us as "uniform(2m" plus a stray key "10m)".  Scenarios are
 * written that way (it reads naturally), so take the value again from the
 * source: when a plain scalar was cut at a comma with a parenthesis still
 * open, return the source index just past the matching ')', else 0.
 */
static size_t rejoin_span(const loader *L, const yaml_node_t *v)
{
	if (v->type != YAML_SCALAR_NODE || v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	size_t i = v->start_mark.index, stop = v->end_mark.index;
	if (stop >= L->len || L->data[stop] != ',')
		return 0;
	int open = 0;
	for (const char *c = (const char *)v->data.scalar.value; *c; c++)
		open += *c == '(' ? 1 : *c == ')' ? -1 : 0;
	if (open <= 0)
		return 0;
	int depth = 0;
	for (; i < L->len; i++) {
		char c = L->data[i];
		if (c == '(')
			depth++;
		else if (c == ')' && --depth == 0)
			return i >= stop ? i + 1 : 0;
		else if (c == '\n' || c == '{' || c == '}' || c == '[' || c == ']' || c == '#' || c == '"')
			return 0;
	}
	return 0;
}

static void load_table(loader *L, yaml_node_t *n, const scn_table *t, void *base)
{
	if (t->pos_off != SIZE_MAX)
		*(dr_pos *)((char *)base + t->pos_off) = node_pos(L, n);
	if (n->type != YAML_MAPPING_NODE) {
		ERR(L, node_pos(L, n), "%s must be a mapping, not %s", t->name, is_null_scalar(n) ? "empty" : yaml_kind(n));
		return;
	}
	if (t->set_off)
		*(bool *)((char *)base + t->set_off) = true;
	bool seen[64] = {false};
	size_t rejoined_to = 0; /* source index up to which pairs were re-joined */
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(L, p->key), *v = node_at(L, p->value);
		if (!visit(L, v))
			return;
		if (k->start_mark.index < rejoined_to)
			continue; /* a piece of the previous value, cut off by a flow comma */
		if (k->type != YAML_SCALAR_NODE) {
			ERR(L, node_pos(L, k), "keys in %s must be names, not %s", t->name, yaml_kind(k));
			continue;
		}
		yaml_char_t *cut_value = NULL;
		size_t end = rejoin_span(L, v);
		if (end) {
			/* parse the whole "uniform(2m, 10m)" as written */
			cut_value = v->data.scalar.value;
			v->data.scalar.value = (yaml_char_t *)dr_strndup(L->data + v->start_mark.index,
									 end - v->start_mark.index);
			rejoined_to = end;
		}
		const char *key = scalar(k);
		const scn_field *f = NULL;
		for (size_t i = 0; i < t->n_fields; i++)
			if (!strcmp(t->fields[i].key, key))
				f = &t->fields[i];
		if (!f && !strcmp(key, "<<")) {
			ERR(L, node_pos(L, k), "YAML merge keys ('<<') are not supported in %s: write the keys out", t->name);
			continue;
		}
		if (!f) {
			const char *names[64];
			for (size_t i = 0; i < t->n_fields; i++)
				names[i] = t->fields[i].key;
			const char *s = dr_suggest(key, names, t->n_fields);
			if (s)
				ERR(L, node_pos(L, k), "unknown key '%s' in %s; did you mean '%s'?", key, t->name, s);
			else
				ERR(L, node_pos(L, k), "unknown key '%s' in %s", key, t->name);
			f = NULL;
		} else if (seen[f - t->fields]) {
			ERR(L, node_pos(L, k), "duplicate key '%s' in %s", key, t->name);
			f = NULL;
		}
		if (!f) {
			if (cut_value) {
				free(v->data.scalar.value);
				v->data.scalar.value = cut_value;
			}
			continue;
		}
		size_t fi = (size_t)(f - t->fields);
		seen[fi] = true;
		if (f->pos_off != SIZE_MAX)
			*(dr_pos *)((char *)base + f->pos_off) = node_pos(L, v);
		load_value(L, v, f, base);
		if (cut_value) {
			free(v->data.scalar.value);
			v->data.scalar.value = cut_value;
		}
	}
	for (size_t i = 0; i < t->n_fields; i++)
		if (t->fields[i].required && !seen[i])
			ERR(L, node_pos(L, n), "missing key '%s' in %s", t->fields[i].key, t->name);
}

/* ---- defaults and cross-checks ------------------------------------- */

static int find_site(const scenario *s, const char *name)
{
	for (size_t i = 0; i < s->n_sites; i++)
		if (!strcmp(s->sites[i].name, name))
			return (int)i;
	return -1;
}

static void resolve_refs(loader *L)
{
	scenario *s = L->s;
	const char *names[256];
	size_t nn = 0;
	for (size_t i = 0; i < s->n_sites && nn < 256; i++)
		names[nn++] = s->sites[i].name;
	for (size_t i = 0; i < L->n_site_refs; i++) {
		struct site_ref *r = &L->site_refs[i];
		int idx = find_site(s, r->name);
		if (idx < 0) {
			const char *sg = dr_suggest(r->name, names, nn);
			if (sg)
				ERR(L, r->pos, "undefined site \"%s\"; did you mean \"%s\"?", r->name, sg);
			else
				ERR(L, r->pos, "undefined site \"%s\"", r->name);
		}
		*r->target = idx;
	}
	nn = 0;
	for (size_t i = 0; i < s->n_resources && nn < 256; i++)
		names[nn++] = s->resources[i].name;
	for (size_t i = 0; i < L->n_res_refs; i++) {
		struct res_ref *r = &L->res_refs[i];
		int idx = -1;
		for (size_t j = 0; j < s->n_resources; j++)
			if (!strcmp(s->resources[j].name, r->name))
				idx = (int)j;
		if (idx < 0) {
			const char *sg = dr_suggest(r->name, names, nn);
			if (sg)
				ERR(L, r->pos, "undefined resource \"%s\"; did you mean \"%s\"?", r->name, sg);
			else
				ERR(L, r->pos, "undefined resource \"%s\" (declare it under 'resources')", r->name);
		}
		*r->target = idx;
	}
}

/* Fields that must start as "absent" rather than zero. */
static void preset(scenario *s)
{
	s->primary = -1;
	s->dr = -1;
	s->objectives.percentile = 95;
	s->protection.automated.log_upload_s = 300;
	s->protection.automated.window_len_s = 1800;
	s->strategy = SCN__NSTRATEGY;
}

static bool site_less_region(const scenario *s, int a, int b)
{
	if (a < 0 || b < 0 || !s->sites[a].region || !s->sites[b].region)
		return false; /* a missing region is already an error */
	return strcmp(s->sites[a].region, s->sites[b].region) != 0;
}

static const char *site_account(const scenario *s, int i)
{
	if (i < 0)
		return "";
	if (s->sites[i].account)
		return s->sites[i].account;
	return s->primary >= 0 && s->sites[s->primary].account ? s->sites[s->primary].account : "";
}

static void finish(loader *L)
{
	scenario *s = L->s;
	/* sites: "primary" and "dr" by name, else first and first other */
	s->primary = find_site(s, "primary");
	if (s->primary < 0 && s->n_sites > 0)
		s->primary = 0;
	s->dr = find_site(s, "dr");
	if (s->dr < 0)
		for (size_t i = 0; i < s->n_sites && s->dr < 0; i++)
			if ((int)i != s->primary)
				s->dr = (int)i;
	for (size_t i = 0; i < s->n_dbs; i++) {
		scn_database *d = &s->dbs[i];
		if (d->site < 0)
			d->site = s->primary;
		if (!d->engine)
			d->engine = dr_strdup("postgres");
		if (d->platform == SCN_PLATFORM_SELF && !strncmp(d->engine, "aurora", 6))
			d->platform = SCN_PLATFORM_AURORA;
		if (!d->write_rate)
			d->write_rate = dr_expr_const((dr_qty){1048576.0, DR_DIM_THROUGHPUT});
		if (d->size && d->count == 1 && !dr_expr_is_fixed(d->size))
			dr_diag_add(L->diags, d->pos, DR_SEV_WARNING,
				    "database \"%s\" has a size distribution but count 1", d->name ? d->name : "?");
	}
	scn_protection *p = &s->protection;
	p->automated.enabled = p->automated.present && p->automated.retention_s > 0;
	for (size_t i = 0; i < p->n_copies; i++) {
		scn_copy *c = &p->copies[i];
		c->cross_region = site_less_region(s, s->primary, c->to_site);
		c->cross_account = c->to_site >= 0 && strcmp(site_account(s, s->primary), site_account(s, c->to_site)) != 0;
		if (!c->delay)
			c->delay = dr_expr_const((dr_qty){0, DR_DIM_TIME});
	}
	for (size_t i = 0; i < p->n_replicas; i++) {
		scn_replica *r = &p->replicas[i];
		r->same_region = r->site >= 0 && s->primary >= 0 && !site_less_region(s, s->primary, r->site);
		if (r->mode == SCN_REPL_SYNC && r->lag) {
			ERR(L, r->pos, "a synchronous replica has no lag; remove 'lag'");
		} else if (r->mode == SCN_REPL_ASYNC && !r->lag) {
			r->lag = dr_expr_const((dr_qty){1.0, DR_DIM_TIME});
		}
	}
	for (size_t i = 0; i < s->n_disasters; i++) {
		scn_disaster *d = &s->disasters[i];
		if (!d->detect)
			d->detect = dr_expr_const((dr_qty){0, DR_DIM_TIME});
		if (d->kind >= SCN__NDIS)
			continue; /* its kind was not understood: already reported */
		if (d->rate_per_s == 0)
			ERR(L, d->pos, "disaster \"%s\" needs a rate above zero", scn_disaster_names[d->kind]);
		for (size_t j = 0; j < i; j++)
			if (s->disasters[j].kind == d->kind)
				ERR(L, d->pos, "disaster kind \"%s\" is listed twice", scn_disaster_names[d->kind]);
		if (!scn_runbook_for(s, d->kind) && s->n_runbooks > 0)
			ERR(L, d->pos, "no runbook for disaster \"%s\" (add it under 'runbooks')",
			    scn_disaster_names[d->kind]);
		if (d->objectives.set && d->objectives.percentile == 0)
			d->objectives.percentile = s->objectives.percentile;
	}
	for (size_t i = 0; i < s->n_runbooks; i++) {
		scn_runbook *rb = &s->runbooks[i];
		if (scn_disaster_index(s, rb->kind) < 0)
			dr_diag_add(L->diags, rb->pos, DR_SEV_WARNING, "runbook \"%s\" has no disaster listed",
				    scn_disaster_names[rb->kind]);
		for (size_t j = 0; j < rb->n_steps; j++) {
			scn_step *st = &rb->steps[j];
			if (st->name && !strncmp(st->name, "verify", 6))
				st->verify = true;
		}
	}
	if (!s->costs.currency)
		s->costs.currency = dr_strdup("USD");
	if (s->costs.instance_hour == 0)
		s->costs.instance_hour = s->costs.standby_hour;
	if (s->drill.set) {
		if (s->drill.canary_interval_s == 0)
			s->drill.canary_interval_s = 0.05;
		if (s->drill.size == 0)
			s->drill.size = 16.0 * 1048576.0;
		if (!s->drill.cleanup)
			s->drill.cleanup = dr_strdup("always");
	}
}

/* Strategies need what they stand on. */
static void check_strategy(loader *L)
{
	scenario *s = L->s;
	const scn_protection *p = &s->protection;
	if (s->strategy >= SCN__NSTRATEGY)
		return;
	const char *name = scn_strategy_names[s->strategy];
	bool remote_replica = false, any_replica = p->n_replicas > 0;
	for (size_t i = 0; i < p->n_replicas; i++)
		remote_replica = remote_replica || p->replicas[i].site != s->primary;
	switch (s->strategy) {
	case SCN_BACKUP_RESTORE:
		if (!p->automated.enabled && p->snapshots.every_s == 0 && p->n_copies == 0)
			ERR(L, s->strategy_pos, "strategy \"%s\" needs backups: automated_backups, snapshots or copies",
			    name);
		break;
	case SCN_PILOT_LIGHT:
		if (s->dr < 0)
			ERR(L, s->strategy_pos, "strategy \"%s\" needs a DR site under 'sites'", name);
		else if (!remote_replica && p->n_copies == 0)
			ERR(L, s->strategy_pos, "strategy \"%s\" needs a replica or copies at the DR site", name);
		break;
	case SCN_WARM_STANDBY:
		if (!any_replica)
			ERR(L, s->strategy_pos, "strategy \"%s\" needs a replica under 'protection.replicas'", name);
		break;
	case SCN_MULTI_SITE:
		if (s->dr < 0)
			ERR(L, s->strategy_pos, "strategy \"%s\" needs a second site under 'sites'", name);
		else if (!remote_replica)
			ERR(L, s->strategy_pos, "strategy \"%s\" needs a replica at another site", name);
		break;
	default:
		break;
	}
}

/* ---- entry points --------------------------------------------------- */

/* libyaml's reader errors (bad UTF-8) carry a byte offset, not a mark. */
static dr_pos offset_pos(const loader *L, size_t off)
{
	dr_pos pos = {L->file, 1, 1};
	for (size_t i = 0; i < off && i < L->len; i++) {
		if (L->data[i] == '\n') {
			pos.line++;
			pos.col = 1;
		} else if (((unsigned char)L->data[i] & 0xC0) != 0x80) {
			pos.col++;
		}
	}
	return pos;
}

static void syntax_error(loader *L, const yaml_parser_t *p)
{
	const char *problem = p->problem ? p->problem : "error";
	if (p->error == YAML_READER_ERROR) {
		if (p->problem_value >= 0)
			ERR(L, offset_pos(L, p->problem_offset), "YAML syntax: %s (byte 0x%02x): the file must be UTF-8",
			    problem, (unsigned)p->problem_value & 0xFF);
		else
			ERR(L, offset_pos(L, p->problem_offset), "YAML syntax: %s: the file must be UTF-8", problem);
		return;
	}
	dr_pos pos = {L->file, (int)p->problem_mark.line + 1, (int)p->problem_mark.column + 1};
	bool tab = p->problem_mark.index < L->len && L->data[p->problem_mark.index] == '\t';
	ERR(L, pos, "YAML syntax: %s%s%s%s", problem, p->context ? " " : "", p->context ? p->context : "",
	    tab ? " (a tab: indent YAML with spaces)" : "");
}

/* The bounded pre-pass over events: depth, size, documents. */
static bool prescan(loader *L, const char *data, size_t len)
{
	yaml_parser_t p;
	yaml_event_t ev;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	int depth = 0, docs = 0;
	size_t events = 0;
	bool ok = true;
	for (;;) {
		if (!yaml_parser_parse(&p, &ev)) {
			syntax_error(L, &p);
			ok = false;
			break;
		}
		yaml_event_type_t t = ev.type;
		dr_pos pos = {L->file, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1};
		yaml_event_delete(&ev);
		if (t == YAML_STREAM_END_EVENT)
			break;
		if (++events > MAX_EVENTS) {
			ERR(L, pos, "document too large (over %d YAML events)", MAX_EVENTS);
			ok = false;
			break;
		}
		if (t == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
			ERR(L, pos, "more than one YAML document; a scenario file holds one");
			ok = false;
			break;
		}
		if (t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT) {
			if (++depth > MAX_DEPTH) {
				ERR(L, pos, "nesting deeper than %d levels", MAX_DEPTH);
				ok = false;
				break;
			}
		} else if (t == YAML_SEQUENCE_END_EVENT || t == YAML_MAPPING_END_EVENT) {
			depth--;
		}
	}
	yaml_parser_delete(&p);
	if (ok && docs == 0) {
		ERR(L, ((dr_pos){L->file, 1, 1}), "empty file: a scenario needs at least 'drsim', 'name' and 'objectives'");
		ok = false;
	}
	return ok;
}

static char *sha256_hex(const char *data, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
	char *hex = dr_malloc(mdlen * 2 + 1);
	for (unsigned i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return hex;
}

dr_err scn_load_buffer(const char *name, const char *data, size_t len, scenario **out, dr_diags *diags)
{
	*out = NULL;
	scenario *s = dr_calloc(1, sizeof(*s));
	s->file = dr_strdup(name);
	s->sha256 = sha256_hex(data, len);
	loader L = {.file = s->file, .data = data, .len = len, .diags = diags, .s = s};
	size_t errors_before = diags->n_errors, diags_before = diags->n;
	preset(s);
	if (len > MAX_BYTES) {
		ERR(&L, ((dr_pos){L.file, 1, 1}), "file too large (%zu bytes; at most %u)", len, MAX_BYTES);
		goto fail;
	}
	if (memchr(data, '\0', len)) {
		ERR(&L, ((dr_pos){L.file, 1, 1}), "not a text file (it contains NUL bytes)");
		goto fail;
	}
	if (!prescan(&L, data, len))
		goto fail;
	yaml_parser_t p;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	if (!yaml_parser_load(&p, &L.doc)) {
		syntax_error(&L, &p);
		yaml_parser_delete(&p);
		goto fail;
	}
	yaml_parser_delete(&p);
	yaml_node_t *root = yaml_document_get_root_node(&L.doc);
	if (!root || is_null_scalar(root)) {
		ERR(&L, ((dr_pos){L.file, 1, 1}), "empty file: a scenario needs at least 'drsim', 'name' and 'objectives'");
	} else {
		load_table(&L, root, &scn_root_table, s);
		if (!L.too_big) {
			resolve_refs(&L);
			finish(&L);
			check_strategy(&L);
		}
	}
	yaml_document_delete(&L.doc);
fail:
	for (size_t i = 0; i < L.n_site_refs; i++)
		free(L.site_refs[i].name);
	free(L.site_refs);
	for (size_t i = 0; i < L.n_res_refs; i++)
		free(L.res_refs[i].name);
	free(L.res_refs);
	/* Diagnostics outlive a failed scenario: they name the caller's file. */
	for (size_t i = diags_before; i < diags->n; i++)
		if (diags->v[i].pos.file == s->file)
			diags->v[i].pos.file = name;
	if (diags->n_errors > errors_before) {
		scn_free(s);
		return DR_PARSE;
	}
	*out = s;
	return DR_OK;
}

dr_err scn_load(const char *path, scenario **out, dr_diags *diags)
{
	size_t len = 0;
	*out = NULL;
	char *data = dr_read_file(path, &len);
	if (!data) {
		dr_diag_add(diags, ((dr_pos){path, 0, 0}), DR_SEV_ERROR, "cannot read \"%s\": %s", path, strerror(errno));
		return DR_IO;
	}
	dr_err err = scn_load_buffer(path, data, len, out, diags);
	free(data);
	return err;
}

/* ---- freeing and queries -------------------------------------------- */

static void free_params(scn_param *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].key);
		free(p[i].value);
	}
	free(p);
}

static void free_strs(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void scn_free(scenario *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_sites; i++) {
		free(s->sites[i].name);
		free(s->sites[i].region);
		free(s->sites[i].account);
		free(s->sites[i].az);
	}
	free(s->sites);
	for (size_t i = 0; i < s->n_dbs; i++) {
		free(s->dbs[i].name);
		free(s->dbs[i].engine);
		dr_expr_free(s->dbs[i].size);
		dr_expr_free(s->dbs[i].write_rate);
	}
	free(s->dbs);
	scn_protection *p = &s->protection;
	for (size_t i = 0; i < p->n_copies; i++) {
		dr_expr_free(p->copies[i].throughput);
		dr_expr_free(p->copies[i].delay);
	}
	free(p->copies);
	for (size_t i = 0; i < p->n_replicas; i++)
		dr_expr_free(p->replicas[i].lag);
	free(p->replicas);
	free(p->clones);
	for (size_t i = 0; i < s->n_disasters; i++)
		dr_expr_free(s->disasters[i].detect);
	free(s->disasters);
	for (size_t i = 0; i < s->n_runbooks; i++) {
		scn_runbook *rb = &s->runbooks[i];
		for (size_t j = 0; j < rb->n_steps; j++) {
			scn_step *st = &rb->steps[j];
			free(st->name);
			dr_expr_free(st->model);
			free(st->uses);
			free(st->action.manual);
			free(st->action.driver);
			free(st->action.op);
			free_params(st->action.params, st->action.n_params);
		}
		free(rb->steps);
	}
	free(s->runbooks);
	for (size_t i = 0; i < s->n_resources; i++)
		free(s->resources[i].name);
	free(s->resources);
	free(s->costs.currency);
	scn_drill *d = &s->drill;
	free(d->driver);
	free(d->cleanup);
	free(d->workdir);
	free(d->conninfo);
	free(d->backup_dir);
	free(d->wal_archive);
	free(d->region);
	free_strs(d->tables, d->n_tables);
	free_strs(d->checks, d->n_checks);
	free_strs(d->allow_accounts, d->n_allow_accounts);
	free_params(d->params, d->n_params);
	free(s->name);
	free(s->description);
	free(s->sha256);
	free(s->file);
	free(s);
}

const scn_objectives *scn_objectives_for(const scenario *s, scn_disaster_kind k)
{
	int i = scn_disaster_index(s, k);
	if (i >= 0 && s->disasters[i].objectives.set)
		return &s->disasters[i].objectives;
	return &s->objectives;
}

const scn_runbook *scn_runbook_for(const scenario *s, scn_disaster_kind k)
{
	for (size_t i = 0; i < s->n_runbooks; i++)
		if (s->runbooks[i].kind == k)
			return &s->runbooks[i];
	return NULL;
}

int scn_disaster_index(const scenario *s, scn_disaster_kind k)
{
	for (size_t i = 0; i < s->n_disasters; i++)
		if (s->disasters[i].kind == k)
			return (int)i;
	return -1;
}

int scn_disaster_kind_parse(const char *name)
{
	static const struct {
		const char *alias;
		scn_disaster_kind kind;
	} aliases[] = {
		{"instance", SCN_DIS_INSTANCE},   {"az", SCN_DIS_AZ},
		{"region", SCN_DIS_REGION},       {"corruption", SCN_DIS_CORRUPTION},
		{"account-compromise", SCN_DIS_RANSOMWARE},
	};
	for (int i = 0; i < SCN__NDIS; i++)
		if (!strcmp(name, scn_disaster_names[i]))
			return i;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(name, aliases[i].alias))
			return (int)aliases[i].kind;
	return -1;
}

int scn_strategy_parse(const char *name)
{
	for (int i = 0; i < SCN__NSTRATEGY; i++)
		if (!strcmp(name, scn_strategy_names[i]))
			return i;
	return -1;
}

const char *scn_action_param(const scn_action *a, const char *key)
{
	for (size_t i = 0; i < a->n_params; i++)
		if (!strcmp(a->params[i].key, key))
			return a->params[i].value;
	return NULL;
}

size_t scn_total_databases(const scenario *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n_dbs; i++)
		n += (size_t)s->dbs[i].count;
	return n;
}
