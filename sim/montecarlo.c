/*
 * montecarlo.c - trials over threads, mergeable accumulators, shards and
 * their JSON form, and the statistics of a finished run as a res_result.
 *
 * Determinism: a trial depends only on (seed, kind, trial index); threads
 * take chunks of trial indices from a shared counter, each into its own
 * accumulator.  Accumulators hold counts, histograms (exact merge) and sums
 * in integer nanoseconds (128-bit), so adding trials in any order and
 * merging in any grouping give identical bits: any thread count and any
 * sharding give the same result.  Shard i of n runs the contiguous trial
 * range [i*N/n, (i+1)*N/n).
 */
#include "simulate.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 512
#define CDF_POINTS 61
#define FIX_SCALE 1e9
#define FIX_MAX 9.0e18
#define SHARD_MODE "shard"

typedef __int128 fix128;

/* A value's distribution: histogram for quantiles, exact sum for the mean. */
typedef struct {
	hist h;
	fix128 sum;
} stat;

typedef struct {
	int tier;
	uint64_t databases; /* most databases of this tier hit in one trial */
	stat t50, t100;
} tier_acc;

struct sim_acc {
	const sim_model *m;
	double rpo_target, rto_target;
	uint64_t trials, recoverable, meet_rpo, meet_rto, meet_both, db_recoveries, events;
	uint64_t unrec[SIM__NUNREC];
	stat rpo, rto, fleet;
	size_t n_steps;
	fix128 *step_start, *step_share;
	stat *step_len;
	size_t n_tiers;
	tier_acc *tiers;
	double *scratch; /* per-trial restore times of one tier */
};

/* ---- fixed point ---- */

static fix128 to_fix(double v)
{
	double x = v * FIX_SCALE;
	if (!(x < FIX_MAX))
		x = FIX_MAX;
	if (x < -FIX_MAX)
		x = -FIX_MAX;
	return (fix128)llround(x);
}

static double fix_mean(fix128 sum, uint64_t n)
{
	return n ? (double)sum / FIX_SCALE / (double)n : 0;
}

static json_t *fix_json(fix128 v)
{
	char buf[48], *p = buf + sizeof buf - 1;
	bool neg = v < 0;
	unsigned __int128 u = neg ? (unsigned __int128)(-v) : (unsigned __int128)v;
	*p = '\0';
	do {
		*--p = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u);
	if (neg)
		*--p = '-';
	return json_string(p);
}

static bool fix_parse(const json_t *j, fix128 *out)
{
	const char *s = json_string_value(j);
	if (!s || !*s)
		return false;
	bool neg = *s == '-';
	s += neg;
	unsigned __int128 u = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || u > ((unsigned __int128)1 << 120))
			return false;
		u = u * 10 + (unsigned)(*s - '0');
	}
	*out = neg ? -(fix128)u : (fix128)u;
	return true;
}

/* ---- stat ---- */

static void stat_add(stat *s, double v)
{
	hist_add(&s->h, v);
	s->sum += to_fix(v);
}

static void stat_merge(stat *d, const stat *s)
{
	hist_merge(&d->h, &s->h);
	d->sum += s->sum;
}

static res_summary stat_summary(const stat *s)
{
	res_summary r = {0};
	r.n = s->h.n;
	if (!r.n)
		return r;
	r.mean = fix_mean(s->sum, r.n);
	r.p50 = hist_quantile(&s->h, 0.50);
	r.p90 = hist_quantile(&s->h, 0.90);
	r.p95 = hist_quantile(&s->h, 0.95);
	r.p99 = hist_quantile(&s->h, 0.99);
	r.max = s->h.max;
	return r;
}

static json_t *stat_json(const stat *s)
{
	return json_pack("{s:o, s:o}", "sum", fix_json(s->sum), "hist", (json_t *)hist_to_json(&s->h));
}

static bool stat_from_json(stat *s, const json_t *j)
{
	return json_is_object(j) && fix_parse(json_object_get(j, "sum"), &s->sum) &&
	       hist_from_json(&s->h, json_object_get(j, "hist")) == 0;
}

/* ---- accumulators ---- */

sim_acc *sim_acc_new(const sim_model *m)
{
	sim_acc *a = dr_calloc(1, sizeof(*a));
	const scn_objectives *ob = sim_model_objectives(m);
	a->m = m;
	a->rpo_target = ob->rpo_s;
	a->rto_target = ob->rto_s;
	hist_init(&a->rpo.h);
	hist_init(&a->rto.h);
	hist_init(&a->fleet.h);
	a->n_steps = sim_model_n_steps(m);
	a->step_start = dr_calloc(a->n_steps, sizeof(fix128));
	a->step_share = dr_calloc(a->n_steps, sizeof(fix128));
	a->step_len = dr_calloc(a->n_steps, sizeof(stat));
	for (size_t i = 0; i < a->n_steps; i++)
		hist_init(&a->step_len[i].h);
	a->n_tiers = sim_model_n_tiers(m);
	a->tiers = dr_calloc(a->n_tiers, sizeof(tier_acc));
	for (size_t i = 0; i < a->n_tiers; i++) {
		a->tiers[i].tier = sim_model_tier(m, i);
		hist_init(&a->tiers[i].t50.h);
		hist_init(&a->tiers[i].t100.h);
	}
	a->scratch = dr_calloc(sim_model_n_databases(m) + 1, sizeof(double));
	return a;
}

void sim_acc_free(sim_acc *a)
{
	if (!a)
		return;
	hist_release(&a->rpo.h);
	hist_release(&a->rto.h);
	hist_release(&a->fleet.h);
	for (size_t i = 0; i < a->n_steps; i++)
		hist_release(&a->step_len[i].h);
	for (size_t i = 0; i < a->n_tiers; i++) {
		hist_release(&a->tiers[i].t50.h);
		hist_release(&a->tiers[i].t100.h);
	}
	free(a->step_start);
	free(a->step_share);
	free(a->step_len);
	free(a->tiers);
	free(a->scratch);
	free(a);
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

static void acc_tiers(sim_acc *a, const sim_outcome *o)
{
	for (size_t t = 0; t < a->n_tiers; t++) {
		tier_acc *ta = &a->tiers[t];
		size_t n = 0;
		for (size_t i = 0; i < o->n_hit; i++)
			if (t == 0 || o->tier[i] == ta->tier)
				a->scratch[n++] = o->restored_s[i];
		if (n == 0)
			continue;
		if (n > ta->databases)
			ta->databases = n;
		qsort(a->scratch, n, sizeof(double), cmp_double);
		stat_add(&ta->t50, a->scratch[(n + 1) / 2 - 1]);
		stat_add(&ta->t100, a->scratch[n - 1]);
	}
}

void sim_acc_add(sim_acc *a, const sim_outcome *o)
{
	a->trials++;
	a->events += o->events;
	a->unrec[o->reason]++;
	if (o->reason != SIM_UNREC_NONE)
		return;
	a->recoverable++;
	bool rpo_ok = o->rpo_s <= a->rpo_target + 1e-9, rto_ok = o->rto_s <= a->rto_target + 1e-9;
	a->meet_rpo += rpo_ok;
	a->meet_rto += rto_ok;
	a->meet_both += rpo_ok && rto_ok;
	stat_add(&a->rpo, o->rpo_s);
	stat_add(&a->rto, o->rto_s);
	for (size_t i = 0; i < o->n_hit; i++)
		stat_add(&a->fleet, o->restored_s[i]);
	a->db_recoveries += o->n_hit;
	for (size_t s = 0; s < a->n_steps; s++) {
		a->step_start[s] += to_fix(o->step_start[s]);
		a->step_share[s] += to_fix(o->rto_s > 0 ? o->step_len[s] / o->rto_s : 0);
		stat_add(&a->step_len[s], o->step_len[s]);
	}
	acc_tiers(a, o);
}

dr_err sim_acc_merge(sim_acc *d, const sim_acc *s)
{
	if (d->n_steps != s->n_steps || d->n_tiers != s->n_tiers)
		return DR_RANGE;
	d->trials += s->trials;
	d->recoverable += s->recoverable;
	d->meet_rpo += s->meet_rpo;
	d->meet_rto += s->meet_rto;
	d->meet_both += s->meet_both;
	d->db_recoveries += s->db_recoveries;
	d->events += s->events;
	for (size_t i = 0; i < SIM__NUNREC; i++)
		d->unrec[i] += s->unrec[i];
	stat_merge(&d->rpo, &s->rpo);
	stat_merge(&d->rto, &s->rto);
	stat_merge(&d->fleet, &s->fleet);
	for (size_t i = 0; i < d->n_steps; i++) {
		d->step_start[i] += s->step_start[i];
		d->step_share[i] += s->step_share[i];
		stat_merge(&d->step_len[i], &s->step_len[i]);
	}
	for (size_t i = 0; i < d->n_tiers; i++) {
		tier_acc *x = &d->tiers[i];
		const tier_acc *y = &s->tiers[i];
		if (x->tier != y->tier)
			return DR_RANGE;
		if (y->databases > x->databases)
			x->databases = y->databases;
		stat_merge(&x->t50, &y->t50);
		stat_merge(&x->t100, &y->t100);
	}
	return DR_OK;
}

/* ---- options and the threaded run ---- */

void sim_opts_init(sim_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->trials = SIM_DEFAULT_TRIALS;
	o->seed = SIM_DEFAULT_SEED;
	o->threads = 1;
	o->shard_count = 1;
	o->disaster = -1;
	o->horizon_s = DR_YEAR_S;
}

typedef struct {
	const sim_model *m;
	const sim_opts *opts;
	uint64_t lo, hi;
	atomic_uint_least64_t next;
	atomic_uint_least64_t *done;
	uint64_t total;
	sim_acc **acc; /* one per thread */
} run_ctx;

typedef struct {
	run_ctx *rc;
	int index;
} thread_arg;

static void progress(const run_ctx *rc)
{
	uint64_t d = atomic_load(rc->done);
	int pct = rc->total ? (int)(100.0 * (double)d / (double)rc->total) : 100;
	int bar = pct / 4;
	fprintf(stderr, "\r  simulating [%.*s%*s] %3d%%", bar, "#########################", 25 - bar, "", pct);
	fflush(stderr);
}

static void *run_thread(void *p)
{
	thread_arg *ta = p;
	run_ctx *rc = ta->rc;
	sim_worker *w = sim_worker_new(rc->m);
	sim_acc *acc = rc->acc[ta->index];
	for (;;) {
		uint64_t c = atomic_fetch_add(&rc->next, CHUNK);
		uint64_t from = rc->lo + c;
		if (from >= rc->hi)
			break;
		uint64_t to = from + CHUNK < rc->hi ? from + CHUNK : rc->hi;
		for (uint64_t t = from; t < to; t++)
			sim_acc_add(acc, sim_trial(w, rc->opts->seed, t));
		atomic_fetch_add(rc->done, to - from);
		if (ta->index == 0 && rc->opts->progress)
			progress(rc);
	}
	sim_worker_free(w);
	return NULL;
}

/* Trials [lo, hi) of one kind into acc. */
static void run_kind(const sim_model *m, const sim_opts *o, uint64_t lo, uint64_t hi, sim_acc *acc,
		     atomic_uint_least64_t *done, uint64_t total)
{
	int nt = o->threads > 0 ? o->threads : 1;
	run_ctx rc = {.m = m, .opts = o, .lo = lo, .hi = hi, .done = done, .total = total};
	atomic_init(&rc.next, 0);
	rc.acc = dr_calloc((size_t)nt, sizeof(sim_acc *));
	pthread_t *th = dr_calloc((size_t)nt, sizeof(pthread_t));
	thread_arg *args = dr_calloc((size_t)nt, sizeof(thread_arg));
	for (int i = 0; i < nt; i++) {
		rc.acc[i] = sim_acc_new(m);
		args[i] = (thread_arg){&rc, i};
	}
	for (int i = 1; i < nt; i++)
		if (pthread_create(&th[i], NULL, run_thread, &args[i]) != 0)
			DR_BUG("cannot start a simulation thread");
	run_thread(&args[0]);
	for (int i = 1; i < nt; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < nt; i++) {
		if (sim_acc_merge(acc, rc.acc[i]) != DR_OK)
			DR_BUG("accumulators of one model differ in shape");
		sim_acc_free(rc.acc[i]);
	}
	free(rc.acc);
	free(th);
	free(args);
}

/* The kinds a run covers: opts->disaster or every disaster of s. */
static dr_err select_kinds(const scenario *s, const sim_opts *o, sim_state *st)
{
	if (o->disaster >= 0) {
		if (scn_disaster_index(s, (scn_disaster_kind)o->disaster) < 0) {
			dr_error("scenario '%s' has no disaster '%s'", s->name ? s->name : s->file,
				 scn_disaster_names[o->disaster]);
			return DR_NOTFOUND;
		}
		st->kinds[st->n_kinds++] = (scn_disaster_kind)o->disaster;
		return DR_OK;
	}
	for (int k = 0; k < SCN__NDIS; k++)
		if (scn_disaster_index(s, (scn_disaster_kind)k) >= 0)
			st->kinds[st->n_kinds++] = (scn_disaster_kind)k;
	if (st->n_kinds == 0) {
		dr_error("scenario '%s' declares no disaster to simulate", s->name ? s->name : s->file);
		return DR_NOTFOUND;
	}
	return DR_OK;
}

/* The state skeleton: kinds and empty accumulators (models are attached
 * to the accumulators and freed with the state). */
static sim_state *state_new(const sim_opts *o)
{
	sim_state *st = dr_calloc(1, sizeof(*st));
	st->opts = *o;
	return st;
}

static void state_attach(sim_state *st, const scenario *s)
{
	for (size_t i = 0; i < st->n_kinds; i++) {
		sim_model *m = sim_model_new(s, st->kinds[i], st->opts.horizon_s);
		st->acc[i] = sim_acc_new(m);
	}
}

void sim_state_free(sim_state *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->n_kinds; i++) {
		if (!st->acc[i])
			continue;
		sim_model_free((sim_model *)st->acc[i]->m);
		sim_acc_free(st->acc[i]);
	}
	free(st);
}

dr_err sim_run_state(const scenario *s, const sim_opts *o, sim_state **out)
{
	dr_err err;
	*out = NULL;
	if (o->trials == 0 || o->trials > SIM_MAX_TRIALS || o->shard_count == 0 ||
	    o->shard_index >= o->shard_count || o->threads < 1 || !(o->horizon_s > 0)) {
		dr_error("invalid simulation options (trials 1..2^48, threads >= 1, shard i/n with i < n)");
		return DR_USAGE;
	}
	sim_state *st = state_new(o);
	err = select_kinds(s, o, st);
	if (err != DR_OK)
		goto fail;
	state_attach(st, s);
	unsigned __int128 n = o->trials, i = o->shard_index, c = o->shard_count;
	uint64_t lo = (uint64_t)(n * i / c), hi = (uint64_t)(n * (i + 1) / c);
	atomic_uint_least64_t done;
	atomic_init(&done, 0);
	uint64_t total = (hi - lo) * st->n_kinds;
	for (size_t k = 0; k < st->n_kinds; k++) {
		run_kind(st->acc[k]->m, o, lo, hi, st->acc[k], &done, total);
		st->db_recoveries += st->acc[k]->db_recoveries;
		st->events += st->acc[k]->events;
	}
	if (o->progress)
		fprintf(stderr, "\r%60s\r", "");
	*out = st;
	return DR_OK;
fail:
	sim_state_free(st);
	return err;
}

dr_err sim_state_merge(sim_state *st, const sim_state *sh)
{
	const sim_opts *a = &st->opts, *b = &sh->opts;
	if (a->seed != b->seed || a->trials != b->trials || a->horizon_s != b->horizon_s ||
	    a->disaster != b->disaster || a->shard_count != b->shard_count || st->n_kinds != sh->n_kinds) {
		dr_error("shards come from different runs (seed, trials, horizon, disaster or shard count differ)");
		return DR_RANGE;
	}
	for (size_t k = 0; k < st->n_kinds; k++) {
		if (st->kinds[k] != sh->kinds[k] || sim_acc_merge(st->acc[k], sh->acc[k]) != DR_OK) {
			dr_error("shards disagree on the model of '%s'", scn_disaster_names[st->kinds[k]]);
			return DR_RANGE;
		}
	}
	st->db_recoveries += sh->db_recoveries;
	st->events += sh->events;
	return DR_OK;
}

/* ---- shard JSON ---- */

static json_t *acc_json(const sim_acc *a)
{
	json_t *unrec = json_array(), *steps = json_array(), *tiers = json_array();
	for (size_t i = 0; i < SIM__NUNREC; i++)
		json_array_append_new(unrec, json_integer((json_int_t)a->unrec[i]));
	for (size_t i = 0; i < a->n_steps; i++)
		json_array_append_new(steps, json_pack("{s:o, s:o, s:o}", "start", fix_json(a->step_start[i]),
						       "share", fix_json(a->step_share[i]), "len",
						       stat_json(&a->step_len[i])));
	for (size_t i = 0; i < a->n_tiers; i++)
		json_array_append_new(tiers, json_pack("{s:i, s:I, s:o, s:o}", "tier", a->tiers[i].tier,
						       "databases", (json_int_t)a->tiers[i].databases, "t50",
						       stat_json(&a->tiers[i].t50), "t100",
						       stat_json(&a->tiers[i].t100)));
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "trials",
			 (json_int_t)a->trials, "recoverable", (json_int_t)a->recoverable, "meet_rpo",
			 (json_int_t)a->meet_rpo, "meet_rto", (json_int_t)a->meet_rto, "meet_both",
			 (json_int_t)a->meet_both, "db_recoveries", (json_int_t)a->db_recoveries, "events",
			 (json_int_t)a->events, "unrecoverable", unrec, "rpo", stat_json(&a->rpo), "rto",
			 stat_json(&a->rto), "fleet", stat_json(&a->fleet), "steps", steps, "tiers", tiers);
}

static bool get_u64(const json_t *o, const char *key, uint64_t *v)
{
	const json_t *j = json_object_get(o, key);
	if (!json_is_integer(j) || json_integer_value(j) < 0)
		return false;
	*v = (uint64_t)json_integer_value(j);
	return true;
}

static bool acc_from_json(sim_acc *a, const json_t *j)
{
	const json_t *unrec = json_object_get(j, "unrecoverable"), *steps = json_object_get(j, "steps"),
		     *tiers = json_object_get(j, "tiers");
	if (!get_u64(j, "trials", &a->trials) || !get_u64(j, "recoverable", &a->recoverable) ||
	    !get_u64(j, "meet_rpo", &a->meet_rpo) || !get_u64(j, "meet_rto", &a->meet_rto) ||
	    !get_u64(j, "meet_both", &a->meet_both) || !get_u64(j, "db_recoveries", &a->db_recoveries) ||
	    !get_u64(j, "events", &a->events) || json_array_size(unrec) != SIM__NUNREC ||
	    json_array_size(steps) != a->n_steps || json_array_size(tiers) != a->n_tiers)
		return false;
	for (size_t i = 0; i < SIM__NUNREC; i++) {
		json_t *u = json_array_get(unrec, i);
		if (!json_is_integer(u) || json_integer_value(u) < 0)
			return false;
		a->unrec[i] = (uint64_t)json_integer_value(u);
	}
	if (!stat_from_json(&a->rpo, json_object_get(j, "rpo")) ||
	    !stat_from_json(&a->rto, json_object_get(j, "rto")) ||
	    !stat_from_json(&a->fleet, json_object_get(j, "fleet")))
		return false;
	for (size_t i = 0; i < a->n_steps; i++) {
		const json_t *s = json_array_get(steps, i);
		if (!fix_parse(json_object_get(s, "start"), &a->step_start[i]) ||
		    !fix_parse(json_object_get(s, "share"), &a->step_share[i]) ||
		    !stat_from_json(&a->step_len[i], json_object_get(s, "len")))
			return false;
	}
	for (size_t i = 0; i < a->n_tiers; i++) {
		const json_t *t = json_array_get(tiers, i);
		const json_t *tier = json_object_get(t, "tier");
		if (!json_is_integer(tier) || json_integer_value(tier) != a->tiers[i].tier ||
		    !get_u64(t, "databases", &a->tiers[i].databases) ||
		    !stat_from_json(&a->tiers[i].t50, json_object_get(t, "t50")) ||
		    !stat_from_json(&a->tiers[i].t100, json_object_get(t, "t100")))
			return false;
	}
	return true;
}

json_t *sim_state_to_json(const sim_state *st, const scenario *s)
{
	json_t *kinds = json_array();
	for (size_t k = 0; k < st->n_kinds; k++)
		json_array_append_new(kinds, json_pack("{s:s, s:o}", "kind", scn_disaster_names[st->kinds[k]],
						       "acc", acc_json(st->acc[k])));
	const sim_opts *o = &st->opts;
	return json_pack("{s:s, s:i, s:s, s:s, s:s?, s:I, s:I, s:f, s:s, s:[I, I], s:o}", "mode", SHARD_MODE,
			 "schema_version", RES_SCHEMA_VERSION, "tool_version", DR_VERSION, "scenario_file",
			 s->file, "scenario_sha256", s->sha256, "seed", (json_int_t)o->seed, "trials",
			 (json_int_t)o->trials, "horizon_s", o->horizon_s, "disaster",
			 o->disaster >= 0 ? scn_disaster_names[o->disaster] : "all", "shard",
			 (json_int_t)o->shard_index, (json_int_t)o->shard_count, "kinds", kinds);
}

/* The options a shard was run with. */
static dr_err shard_header(const json_t *j, sim_opts *o, char *err, size_t errlen)
{
	const char *mode = json_string_value(json_object_get(j, "mode"));
	const json_t *shard = json_object_get(j, "shard"), *h = json_object_get(j, "horizon_s");
	const char *dis = json_string_value(json_object_get(j, "disaster"));
	sim_opts_init(o);
	if (!mode || strcmp(mode, SHARD_MODE) != 0) {
		snprintf(err, errlen, "not a shard result (mode is not \"shard\"; run 'drsim simulate --shard i/n')");
		return DR_PARSE;
	}
	if (!get_u64(j, "seed", &o->seed) || !get_u64(j, "trials", &o->trials) || !json_is_number(h) ||
	    json_array_size(shard) != 2 || !json_is_integer(json_array_get(shard, 0)) ||
	    !json_is_integer(json_array_get(shard, 1)) || !dis) {
		snprintf(err, errlen, "shard is missing seed, trials, horizon_s, disaster or shard");
		return DR_PARSE;
	}
	o->horizon_s = json_number_value(h);
	o->shard_index = (uint64_t)json_integer_value(json_array_get(shard, 0));
	o->shard_count = (uint64_t)json_integer_value(json_array_get(shard, 1));
	o->disaster = strcmp(dis, "all") == 0 ? -1 : scn_disaster_kind_parse(dis);
	if ((o->disaster < 0 && strcmp(dis, "all") != 0) || o->shard_count == 0 ||
	    o->shard_index >= o->shard_count) {
		snprintf(err, errlen, "shard has a bad disaster or shard index");
		return DR_PARSE;
	}
	return DR_OK;
}

dr_err sim_state_from_json(const json_t *j, sim_state **out, const char **scenario_file,
			   const char **scenario_sha256, char *err, size_t errlen)
{
	*out = NULL;
	sim_opts o;
	dr_err e = shard_header(j, &o, err, errlen);
	if (e != DR_OK)
		return e;
	*scenario_file = json_string_value(json_object_get(j, "scenario_file"));
	*scenario_sha256 = json_string_value(json_object_get(j, "scenario_sha256"));
	if (!*scenario_file) {
		snprintf(err, errlen, "shard does not name its scenario file");
		return DR_PARSE;
	}
	*out = state_new(&o);
	return DR_OK;
}

dr_err sim_state_bind(sim_state *st, const scenario *s, const json_t *j, char *err, size_t errlen)
{
	const json_t *kinds = json_object_get(j, "kinds");
	if (!json_is_array(kinds) || json_array_size(kinds) == 0 || json_array_size(kinds) > SCN__NDIS) {
		snprintf(err, errlen, "shard has no kinds");
		return DR_PARSE;
	}
	for (size_t i = 0; i < json_array_size(kinds); i++) {
		const char *name = json_string_value(json_object_get(json_array_get(kinds, i), "kind"));
		int k = name ? scn_disaster_kind_parse(name) : -1;
		if (k < 0) {
			snprintf(err, errlen, "shard names an unknown disaster kind");
			return DR_PARSE;
		}
		st->kinds[st->n_kinds++] = (scn_disaster_kind)k;
	}
	state_attach(st, s);
	for (size_t i = 0; i < st->n_kinds; i++) {
		if (!acc_from_json(st->acc[i], json_object_get(json_array_get(kinds, i), "acc"))) {
			snprintf(err, errlen, "shard accumulators for '%s' do not match the scenario",
				 scn_disaster_names[st->kinds[i]]);
			return DR_PARSE;
		}
		st->db_recoveries += st->acc[i]->db_recoveries;
		st->events += st->acc[i]->events;
	}
	return DR_OK;
}

/* ---- statistics into a result ---- */

static void cdf_from(const stat *s, res_cdf *c)
{
	if (s->h.n == 0)
		return;
	c->n = CDF_POINTS;
	c->x = dr_calloc(c->n, sizeof(double));
	c->p = dr_calloc(c->n, sizeof(double));
	for (size_t i = 0; i < c->n; i++) {
		double q = (double)i / (double)(c->n - 1);
		c->x[i] = hist_quantile(&s->h, q);
		c->p[i] = q;
	}
}

static void result_steps(const sim_acc *a, const sim_model *m, res_disaster *d)
{
	for (size_t i = 0; i < a->n_steps; i++) {
		res_step *st = res_add_step(d);
		st->name = dr_strdup(sim_model_step_name(m, i));
		st->source = RES_MODELED;
		st->modeled = stat_summary(&a->step_len[i]);
		st->measured_s = -1;
		st->start_s = fix_mean(a->step_start[i], a->recoverable);
		st->share = fix_mean(a->step_share[i], a->recoverable);
		const dr_expr *model = sim_model_step_model(m, i);
		st->detail = model ? dr_strdup(dr_expr_text(model)) : NULL;
	}
}

static void result_fleet(const sim_acc *a, res_disaster *d)
{
	d->n_fleet = a->n_tiers;
	d->fleet = dr_calloc(a->n_tiers, sizeof(res_fleet_tier));
	for (size_t i = 0; i < a->n_tiers; i++) {
		d->fleet[i].tier = a->tiers[i].tier;
		d->fleet[i].databases = a->tiers[i].databases;
		d->fleet[i].t50_s = stat_summary(&a->tiers[i].t50);
		d->fleet[i].t100_s = stat_summary(&a->tiers[i].t100);
	}
	cdf_from(&a->fleet, &d->fleet_cdf);
}

static void result_annual(const sim_acc *a, double rate_per_s, res_disaster *d)
{
	double lambda = rate_per_s * DR_YEAR_S;
	double p_breach = a->trials ? 1.0 - (double)a->meet_both / (double)a->trials : 0;
	d->annual.events_per_year = lambda;
	d->annual.downtime_s_per_year = lambda * d->rto_s.mean;
	d->annual.data_loss_s_per_year = lambda * d->rpo_s.mean;
	d->annual.availability = 1.0 - d->annual.downtime_s_per_year / DR_YEAR_S;
	d->annual.p_breach_per_year = 1.0 - exp(-lambda * p_breach);
}

static sim_unrec worst_reason(const sim_acc *a)
{
	sim_unrec best = SIM_UNREC_NONE;
	for (size_t i = 1; i < SIM__NUNREC; i++)
		if (a->unrec[i] > 0 && (best == SIM_UNREC_NONE || a->unrec[i] > a->unrec[best]))
			best = (sim_unrec)i;
	return best;
}

static bool result_disaster(res_result *r, const scenario *s, scn_disaster_kind k, const sim_acc *a)
{
	const scn_objectives *ob = scn_objectives_for(s, k);
	int di = scn_disaster_index(s, k);
	res_disaster *d = res_add_disaster(r);
	d->kind = dr_strdup(scn_disaster_names[k]);
	d->rpo_target_s = ob->rpo_s;
	d->rto_target_s = ob->rto_s;
	d->percentile = ob->percentile;
	d->objectives_source = dr_strdup(di >= 0 && s->disasters[di].objectives.set ? "scenario: disaster override"
										 : "scenario");
	d->rpo_s = stat_summary(&a->rpo);
	d->rto_s = stat_summary(&a->rto);
	cdf_from(&a->rpo, &d->rpo_cdf);
	cdf_from(&a->rto, &d->rto_cdf);
	d->p_meet_rpo = res_wilson(a->meet_rpo, a->trials);
	d->p_meet_rto = res_wilson(a->meet_rto, a->trials);
	double need = ob->percentile / 100.0 - 1e-12;
	d->met_rpo = d->p_meet_rpo.p >= need;
	d->met_rto = d->p_meet_rto.p >= need;
	d->met = d->met_rpo && d->met_rto;
	d->unrecoverable = a->trials - a->recoverable;
	sim_unrec why = worst_reason(a);
	if (why != SIM_UNREC_NONE) {
		d->unrecoverable_reason = dr_strdup(sim_unrec_names[why]);
		char *msg = dr_asprintf("%llu of %llu %s trials are unrecoverable: %s",
					(unsigned long long)d->unrecoverable, (unsigned long long)a->trials,
					scn_disaster_names[k], sim_unrec_names[why]);
		res_add_finding(r, "unrecoverable", "high", msg);
		free(msg);
	}
	result_steps(a, a->m, d);
	result_fleet(a, d);
	result_annual(a, di >= 0 ? s->disasters[di].rate_per_s : 0, d);
	d->source = RES_MODELED;
	return d->met;
}

/* Timestamps: SOURCE_DATE_EPOCH when set (reproducible), else now. */
static void result_stamp(res_result *r)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char ts[32];
	if (sde && *sde) {
		dr_iso8601(strtod(sde, NULL), ts);
		r->host = dr_strdup("reproducible");
	} else {
		char host[256] = "";
		gethostname(host, sizeof host - 1);
		dr_iso8601(dr_now_real(), ts);
		r->host = dr_strdup(host);
	}
	r->started_at = dr_strdup(ts);
	r->finished_at = dr_strdup(ts);
}

res_result *sim_result(const scenario *s, const sim_state *st)
{
	res_result *r = res_new(RES_MODE_SIMULATE);
	r->scenario_name = dr_strdup(s->name);
	r->scenario_file = dr_strdup(s->file);
	r->scenario_sha256 = dr_strdup(s->sha256);
	r->strategy = dr_strdup(scn_strategy_names[s->strategy]);
	r->seed = st->opts.seed;
	r->trials = st->opts.trials;
	r->horizon_s = st->opts.horizon_s;
	r->run_id = dr_asprintf("sim-%016llx", (unsigned long long)dr_mix64(st->opts.seed ^ st->opts.trials));
	result_stamp(r);
	r->met = true;
	for (size_t k = 0; k < st->n_kinds; k++)
		r->met &= result_disaster(r, s, st->kinds[k], st->acc[k]);
	sim_cost(s, &r->cost);
	return r;
}

dr_err sim_run(const scenario *s, const sim_opts *opts, res_result **out)
{
	sim_state *st;
	*out = NULL;
	dr_err err = sim_run_state(s, opts, &st);
	if (err != DR_OK)
		return err;
	*out = sim_result(s, st);
	sim_state_free(st);
	return DR_OK;
}
