/*
 * model.c - one Monte Carlo trial of one disaster kind: which databases the
 * disaster hits, the recovery point of each from what survives, and the
 * runbook run as discrete events over shared resources.
 *
 * Time: the event time t_e is uniform over the horizon.  Every protection
 * process has run forever in a steady state, so periodic processes are
 * evaluated in closed form at t_e ("the last log upload before t"), with the
 * phase of each schedule drawn per trial per database; the horizon changes
 * where t_e falls, never how much work a trial does.
 *
 * Blast radius (see scn_disaster_kind):
 *   instance-failure    one database; everything but its instance survives
 *   az-outage           every database sharing the failed AZ: databases are
 *                       spread round-robin over three AZs and the AZ of a
 *                       uniformly drawn database fails; storage survives
 *   region-outage       every database homed in the primary region, with
 *                       every backup and log stored only there; copies and
 *                       replicas in other regions survive
 *   logical-corruption  one database; replicas copy the damage, backups
 *                       from before the event help if still retained when
 *                       the damage is detected
 *   ransomware          every database in the primary account; backups and
 *                       replicas in that account are suspect, copies in
 *                       other accounts survive if still retained
 *
 * Recovery point of a database = the newest consistent state at a site
 * that survives, as of when recovery starts:
 *   synchronous replica             t_e (nothing lost)
 *   asynchronous replica            t_e - lag, lag drawn from its model
 *   automated backups (PITR)        the last log upload (every log_upload,
 *                                   phase drawn); for corruption the primary
 *                                   keeps uploading until detection, so the
 *                                   point is min(t_e, last upload before
 *                                   detection) if it is within retention
 *   manual snapshots                the last snapshot before t_e
 *   snapshot copies to a site       the newest snapshot whose copy was done
 *                                   (copy time = delay + size / throughput);
 *                                   "every: 0" copies follow each automated
 *                                   snapshot (the daily window), and when a
 *                                   resource named "copy-slot" exists that
 *                                   round runs as events: the databases hit
 *                                   queue for copy slots by tier
 *   log copies to a site            the newest upload whose copy (delay
 *                                   drawn) arrived, on top of a snapshot
 *                                   copy or replica at the same site
 *   automated-backups replication   a snapshot copy after each automated
 *                                   snapshot plus a log copy
 * For region outages and ransomware a copy still in flight at t_e is lost;
 * otherwise copies may finish before detection.  Ties prefer a replica.
 * A trial where some database hit has no recovery point is unrecoverable,
 * with the reason, and runs no runbook.
 *
 * Runbook: steps run in order; a step with "once" runs once for the
 * disaster and is a barrier, consecutive per-database steps run as one
 * chain per database.  A step acquires its resources one by one (in index
 * order, so no deadlock), priority = the database's tier (0 for once steps),
 * then holds them for a duration drawn from its model with the variables
 * size, write_rate, replay (log bytes from the restored base to the
 * recovery point), lag and count (databases hit); once steps see the sums
 * (maximum for lag).  A database is back when its last per-database step
 * ends (at the end of the runbook when it has none).  RTO = detection + the
 * runbook; the waterfall follows the critical path (the database that
 * finished last in each group).
 */
#include "simulate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DAY_S 86400.0
#define ONCE_SLOT 0xFFFFFFu
#define N_AZ 3
#define COPY_LOOKBACK 8     /* schedule points searched for a finished copy */
#define DEFAULT_UPLOAD_S 300.0

typedef struct {
	const scn_database *db;
	int tier;
	int home;           /* site index */
	bool size_fixed, rate_fixed;
	double size, rate;  /* when fixed */
} sim_db;

typedef struct {
	const scn_step *st;
	bool cfixed;        /* constant: no distribution, no variable */
	double cval;
	int *uses;          /* sorted resource indices */
	size_t n_uses;
	size_t group;
} sim_step;

struct sim_model {
	const scenario *s;
	scn_disaster_kind kind;
	double horizon_s;
	const scn_disaster *dis;
	const scn_runbook *rb;
	sim_db *dbs;
	size_t n_dbs;
	sim_step *steps;
	size_t n_steps;
	size_t *group_first, *group_last; /* step index range per group */
	size_t n_groups;
	int *tiers;         /* [n_tiers]; tiers[0] = 0 stands for all */
	size_t n_tiers;
	int copy_slot;      /* resource index, or -1 */
	int fleet_copy;     /* copy index whose daily round runs as events, or -1 */
};

struct sim_worker {
	const sim_model *m;
	eng e;
	eng_resource *res;
	gsl_rng *r;
	/* per database hit (slot) */
	size_t n_hit;
	size_t *hit;        /* slot -> database index */
	size_t *order;      /* slots in service order (tier, then index) */
	double *size, *rate, *replay, *lag, *rpo, *restored;
	int *tier;
	double *snap_t;     /* last automated snapshot before t_e */
	double *upload_phase;
	double *copy_done;  /* fleet copy round: completion time */
	double *ready, *end;/* [slot * n_steps + step]; once steps use slot n_hit */
	double once_vars[SCN__NVAR];
	size_t group, group_left;
	double t_e, t_r;
	double *step_start, *step_len; /* [1 + n_steps] */
	sim_outcome out;
};

const char *const sim_unrec_names[SIM__NUNREC] = {
#define SIM_X_NAME(name, msg) msg,
	SIM_UNREC_REASONS(SIM_X_NAME)
#undef SIM_X_NAME
};

static const double zero_vars[SCN__NVAR];

static bool expr_constant(const dr_expr *e)
{
	if (!dr_expr_is_fixed(e))
		return false;
	for (size_t v = 0; v < SCN__NVAR; v++)
		if (dr_expr_uses_var(e, v))
			return false;
	return true;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static void model_fleet(sim_model *m)
{
	const scenario *s = m->s;
	m->n_dbs = scn_total_databases(s);
	m->dbs = dr_calloc(m->n_dbs ? m->n_dbs : 1, sizeof(*m->dbs));
	m->tiers = dr_calloc(m->n_dbs + 1, sizeof(int));
	size_t k = 0;
	for (size_t i = 0; i < s->n_dbs; i++) {
		const scn_database *d = &s->dbs[i];
		for (int c = 0; c < d->count; c++, k++) {
			sim_db *x = &m->dbs[k];
			x->db = d;
			x->tier = d->tier;
			x->home = d->site >= 0 ? d->site : s->primary;
			x->size_fixed = !d->size || expr_constant(d->size);
			x->size = d->size ? dr_expr_mean(d->size, zero_vars) : 0;
			x->rate_fixed = !d->write_rate || expr_constant(d->write_rate);
			x->rate = d->write_rate ? dr_expr_mean(d->write_rate, zero_vars) : 0;
		}
		bool seen = false;
		for (size_t t = 1; t < m->n_tiers; t++)
			seen = seen || m->tiers[t] == d->tier;
		if (!seen) {
			if (m->n_tiers == 0)
				m->tiers[m->n_tiers++] = 0;
			m->tiers[m->n_tiers++] = d->tier;
		}
	}
	if (m->n_tiers > 1)
		qsort(m->tiers + 1, m->n_tiers - 1, sizeof(int), cmp_int);
	if (m->n_tiers == 0)
		m->tiers[m->n_tiers++] = 0;
}

static void model_runbook(sim_model *m)
{
	const scn_runbook *rb = m->rb;
	size_t n = rb ? rb->n_steps : 0;
	m->n_steps = n;
	m->steps = dr_calloc(n ? n : 1, sizeof(*m->steps));
	m->group_first = dr_calloc(n ? n : 1, sizeof(size_t));
	m->group_last = dr_calloc(n ? n : 1, sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		sim_step *st = &m->steps[i];
		st->st = &rb->steps[i];
		st->cfixed = expr_constant(st->st->model);
		st->cval = st->cfixed ? dr_expr_mean(st->st->model, zero_vars) : 0;
		st->n_uses = st->st->n_uses;
		st->uses = dr_calloc(st->n_uses ? st->n_uses : 1, sizeof(int));
		if (st->n_uses)
			memcpy(st->uses, st->st->uses, st->n_uses * sizeof(int));
		qsort(st->uses, st->n_uses, sizeof(int), cmp_int);
		bool new_group = i == 0 || st->st->once || m->steps[i - 1].st->once;
		if (new_group)
			m->group_first[m->n_groups++] = i;
		st->group = m->n_groups - 1;
		m->group_last[st->group] = i;
	}
}

/* The copy whose daily round (after each automated snapshot) queues for the
 * "copy-slot" resource, if the scenario has both. */
static void model_copy_round(sim_model *m)
{
	const scenario *s = m->s;
	m->copy_slot = -1;
	m->fleet_copy = -1;
	for (size_t i = 0; i < s->n_resources; i++)
		if (strcmp(s->resources[i].name, "copy-slot") == 0)
			m->copy_slot = (int)i;
	if (m->copy_slot < 0 || !s->protection.automated.enabled)
		return;
	for (size_t i = 0; i < s->protection.n_copies; i++) {
		const scn_copy *c = &s->protection.copies[i];
		if (c->of != SCN_COPY_LOGS && c->every_s <= 0) {
			m->fleet_copy = (int)i;
			return;
		}
	}
}

sim_model *sim_model_new(const scenario *s, scn_disaster_kind k, double horizon_s)
{
	sim_model *m = dr_calloc(1, sizeof(*m));
	m->s = s;
	m->kind = k;
	m->horizon_s = horizon_s > 0 ? horizon_s : DR_YEAR_S;
	int di = scn_disaster_index(s, k);
	m->dis = di >= 0 ? &s->disasters[di] : NULL;
	m->rb = scn_runbook_for(s, k);
	model_fleet(m);
	model_runbook(m);
	model_copy_round(m);
	return m;
}

void sim_model_free(sim_model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_steps; i++)
		free(m->steps[i].uses);
	free(m->steps);
	free(m->group_first);
	free(m->group_last);
	free(m->dbs);
	free(m->tiers);
	free(m);
}

size_t sim_model_n_steps(const sim_model *m)
{
	return 1 + m->n_steps;
}

const char *sim_model_step_name(const sim_model *m, size_t i)
{
	return i == 0 ? "detect" : m->steps[i - 1].st->name;
}

const dr_expr *sim_model_step_model(const sim_model *m, size_t i)
{
	if (i == 0)
		return m->dis ? m->dis->detect : NULL;
	return m->steps[i - 1].st->model;
}

const scn_objectives *sim_model_objectives(const sim_model *m)
{
	return scn_objectives_for(m->s, m->kind);
}

size_t sim_model_n_tiers(const sim_model *m)
{
	return m->n_tiers;
}

int sim_model_tier(const sim_model *m, size_t i)
{
	return m->tiers[i];
}

size_t sim_model_n_databases(const sim_model *m)
{
	return m->n_dbs;
}

sim_worker *sim_worker_new(const sim_model *m)
{
	sim_worker *w = dr_calloc(1, sizeof(*w));
	size_t d = m->n_dbs ? m->n_dbs : 1, ns = m->n_steps ? m->n_steps : 1;
	w->m = m;
	eng_init(&w->e);
	w->res = dr_calloc(m->s->n_resources ? m->s->n_resources : 1, sizeof(*w->res));
	for (size_t i = 0; i < m->s->n_resources; i++)
		eng_resource_init(&w->res[i], m->s->resources[i].name, m->s->resources[i].capacity);
	w->r = dr_rng_new(0, 0);
	w->hit = dr_calloc(d, sizeof(size_t));
	w->order = dr_calloc(d, sizeof(size_t));
	w->size = dr_calloc(d, sizeof(double));
	w->rate = dr_calloc(d, sizeof(double));
	w->replay = dr_calloc(d, sizeof(double));
	w->lag = dr_calloc(d, sizeof(double));
	w->rpo = dr_calloc(d, sizeof(double));
	w->restored = dr_calloc(d, sizeof(double));
	w->tier = dr_calloc(d, sizeof(int));
	w->snap_t = dr_calloc(d, sizeof(double));
	w->upload_phase = dr_calloc(d, sizeof(double));
	w->copy_done = dr_calloc(d, sizeof(double));
	w->ready = dr_calloc((d + 1) * ns, sizeof(double));
	w->end = dr_calloc((d + 1) * ns, sizeof(double));
	w->step_start = dr_calloc(1 + ns, sizeof(double));
	w->step_len = dr_calloc(1 + ns, sizeof(double));
	return w;
}

void sim_worker_free(sim_worker *w)
{
	if (!w)
		return;
	eng_release(&w->e);
	for (size_t i = 0; i < w->m->s->n_resources; i++)
		eng_resource_release(&w->res[i]);
	free(w->res);
	gsl_rng_free(w->r);
	free(w->hit);
	free(w->order);
	free(w->size);
	free(w->rate);
	free(w->replay);
	free(w->lag);
	free(w->rpo);
	free(w->restored);
	free(w->tier);
	free(w->snap_t);
	free(w->upload_phase);
	free(w->copy_done);
	free(w->ready);
	free(w->end);
	free(w->step_start);
	free(w->step_len);
	free(w);
}

/* ---- blast radius ---- */

static const char *site_account(const scenario *s, int site)
{
	const char *a = site >= 0 ? s->sites[site].account : NULL;
	if (!a && s->primary >= 0)
		a = s->sites[s->primary].account;
	return a ? a : "";
}

static const char *site_region(const scenario *s, int site)
{
	return site >= 0 && s->sites[site].region ? s->sites[site].region : "";
}

/* Does data kept at `site` survive a disaster that hits a database homed at
 * `home`? */
static bool site_survives(const sim_model *m, int home, int site)
{
	switch (m->kind) {
	case SCN_DIS_REGION:
		return strcmp(site_region(m->s, site), site_region(m->s, home)) != 0;
	case SCN_DIS_RANSOMWARE:
		return strcmp(site_account(m->s, site), site_account(m->s, home)) != 0;
	default:
		return true;
	}
}

/* Backups kept by the primary itself (automated backups, manual snapshots)
 * live in its region and account. */
static bool local_backups_survive(const sim_model *m)
{
	return m->kind == SCN_DIS_INSTANCE || m->kind == SCN_DIS_AZ || m->kind == SCN_DIS_CORRUPTION;
}

static bool replicas_help(const sim_model *m)
{
	return m->kind != SCN_DIS_CORRUPTION && m->kind != SCN_DIS_RANSOMWARE;
}

static bool retention_applies(const sim_model *m)
{
	return m->kind == SCN_DIS_CORRUPTION || m->kind == SCN_DIS_RANSOMWARE;
}

static void choose_hit(sim_worker *w)
{
	const sim_model *m = w->m;
	const scenario *s = m->s;
	w->n_hit = 0;
	if (m->n_dbs == 0)
		return;
	size_t victim = (size_t)gsl_rng_uniform_int(w->r, m->n_dbs);
	for (size_t j = 0; j < m->n_dbs; j++) {
		bool hit;
		switch (m->kind) {
		case SCN_DIS_AZ:
			hit = j % N_AZ == victim % N_AZ;
			break;
		case SCN_DIS_REGION:
			hit = strcmp(site_region(s, m->dbs[j].home), site_region(s, s->primary)) == 0;
			break;
		case SCN_DIS_RANSOMWARE:
			hit = strcmp(site_account(s, m->dbs[j].home), site_account(s, s->primary)) == 0;
			break;
		default:
			hit = j == victim;
			break;
		}
		if (hit)
			w->hit[w->n_hit++] = j;
	}
	if (w->n_hit == 0)
		w->hit[w->n_hit++] = victim;
}

/* ---- periodic processes in closed form ---- */

/* The last point phase + k * period at or before t. */
static double last_point(double t, double phase, double period)
{
	return phase + period * floor((t - phase) / period);
}

/* The last automated snapshot at or before t: one per day, at a uniformly
 * drawn time inside the backup window. */
static double last_auto_snapshot(const scn_auto_backups *a, double t, gsl_rng *r)
{
	double day = floor((t - a->window_start_s) / DAY_S);
	for (;;) {
		double snap = day * DAY_S + a->window_start_s + gsl_rng_uniform(r) * a->window_len_s;
		if (snap <= t)
			return snap;
		day -= 1;
	}
}

static double draw(const dr_expr *e, const double *vars, gsl_rng *r, double dflt)
{
	return e ? dr_expr_sample(e, vars, r) : dflt;
}

/* ---- recovery point per database ---- */

typedef struct {
	bool found;
	double rp;          /* recovery point (absolute time) */
	double base;        /* restored base (for replay) */
	double lag;
	bool replica;
	bool retention_blocked, replicas_damaged, had_backup;
} rp_search;

static void offer(rp_search *q, double rp, double base, double lag, bool replica)
{
	bool better = !q->found || rp > q->rp || (rp == q->rp && replica && !q->replica) ||
		      (rp == q->rp && replica == q->replica && base > q->base);
	if (better) {
		q->found = true;
		q->rp = rp;
		q->base = base;
		q->lag = lag;
		q->replica = replica;
	}
}

/* Retention check: at detection the point must still be kept. */
static bool retained(const sim_worker *w, double point, double retention_s, rp_search *q)
{
	if (!retention_applies(w->m) || retention_s <= 0 || point >= w->t_r - retention_s)
		return true;
	q->retention_blocked = true;
	return false;
}

static void rp_replicas(sim_worker *w, size_t slot, const double *vars, rp_search *q)
{
	const sim_model *m = w->m;
	const scn_protection *p = &m->s->protection;
	int home = m->dbs[w->hit[slot]].home;
	for (size_t i = 0; i < p->n_replicas; i++) {
		const scn_replica *rep = &p->replicas[i];
		if (!replicas_help(m)) {
			q->replicas_damaged = true;
			continue;
		}
		if (!site_survives(m, home, rep->site))
			continue;
		double lag = rep->mode == SCN_REPL_SYNC ? 0 : draw(rep->lag, vars, w->r, 0);
		offer(q, w->t_e - lag, w->t_e - lag, lag, true);
	}
}

static void rp_local(sim_worker *w, size_t slot, rp_search *q)
{
	const sim_model *m = w->m;
	const scn_protection *p = &m->s->protection;
	const scn_auto_backups *a = &p->automated;
	if (!local_backups_survive(m))
		return;
	if (a->enabled) {
		q->had_backup = true;
		double until = m->kind == SCN_DIS_CORRUPTION ? w->t_r : w->t_e;
		double up = a->log_upload_s > 0 ? a->log_upload_s : DEFAULT_UPLOAD_S;
		double rp = fmin(w->t_e, last_point(until, w->upload_phase[slot], up));
		double base = rp >= w->snap_t[slot] ? w->snap_t[slot] : last_auto_snapshot(a, rp, w->r);
		if (retained(w, rp, a->retention_s, q))
			offer(q, rp, base, 0, false);
	}
	if (p->snapshots.every_s > 0) {
		q->had_backup = true;
		double phase = gsl_rng_uniform(w->r) * p->snapshots.every_s;
		double rp = last_point(w->t_e, phase, p->snapshots.every_s);
		if (retained(w, rp, p->snapshots.retention_s, q))
			offer(q, rp, rp, 0, false);
	}
}

/* Retention of a copy: its own, else that of its source. */
static double copy_retention(const scn_protection *p, const scn_copy *c)
{
	if (c->retention_s > 0)
		return c->retention_s;
	if (c->every_s <= 0 && p->automated.enabled)
		return p->automated.retention_s;
	return p->snapshots.retention_s;
}

/* Does this copy carry snapshots (a restorable base)? */
static bool copy_has_snapshots(const scn_copy *c)
{
	return c->of != SCN_COPY_LOGS;
}

/* A snapshot-type copy: newest consistent point whose copy finished by
 * `avail`.  Returns the point, or -INFINITY. */
static double rp_snapshot_copy(sim_worker *w, size_t slot, size_t ci, const double *vars, double avail)
{
	const sim_model *m = w->m;
	const scn_protection *p = &m->s->protection;
	const scn_copy *c = &p->copies[ci];
	double period, point;
	bool daily = c->every_s <= 0;
	if (daily && p->automated.enabled) {
		period = DAY_S;
		point = w->snap_t[slot];
	} else if (daily && p->snapshots.every_s > 0) {
		period = p->snapshots.every_s;
		point = last_point(w->t_e, gsl_rng_uniform(w->r) * period, period);
	} else if (!daily) {
		period = c->every_s;
		point = last_point(w->t_e, gsl_rng_uniform(w->r) * period, period);
	} else {
		return -INFINITY;
	}
	for (int k = 0; k < COPY_LOOKBACK; k++, point -= period) {
		double done;
		if (k == 0 && (int)ci == m->fleet_copy) {
			done = w->copy_done[slot];
		} else {
			double tp = draw(c->throughput, vars, w->r, INFINITY);
			done = point + draw(c->delay, vars, w->r, 0) + (tp > 0 ? w->size[slot] / tp : INFINITY);
		}
		if (done <= avail)
			return point;
	}
	return -INFINITY;
}

/* A log copy: newest upload whose shipping (delay drawn) arrived by avail. */
static double rp_log_copy(sim_worker *w, size_t slot, const scn_copy *c, const double *vars, double avail)
{
	const scn_auto_backups *a = &w->m->s->protection.automated;
	double up = a->log_upload_s > 0 ? a->log_upload_s : DEFAULT_UPLOAD_S;
	double until = w->m->kind == SCN_DIS_CORRUPTION ? w->t_r : w->t_e;
	double u = last_point(until, w->upload_phase[slot], up);
	for (int k = 0; k < COPY_LOOKBACK; k++, u -= up) {
		if (u + draw(c->delay, vars, w->r, 0) <= avail)
			return fmin(u, w->t_e);
	}
	return -INFINITY;
}

static void rp_copies(sim_worker *w, size_t slot, const double *vars, rp_search *q)
{
	const sim_model *m = w->m;
	const scn_protection *p = &m->s->protection;
	int home = m->dbs[w->hit[slot]].home;
	double avail = (m->kind == SCN_DIS_REGION || m->kind == SCN_DIS_RANSOMWARE) ? w->t_e : w->t_r;
	size_t n_sites = m->s->n_sites ? m->s->n_sites : 1;
	double base_at[n_sites];
	for (size_t i = 0; i < n_sites; i++)
		base_at[i] = -INFINITY;
	for (size_t i = 0; i < p->n_replicas; i++)
		if (replicas_help(m) && p->replicas[i].site >= 0)
			base_at[p->replicas[i].site] = w->t_e;
	for (size_t i = 0; i < p->n_copies; i++) {
		const scn_copy *c = &p->copies[i];
		if (!copy_has_snapshots(c) || !site_survives(m, home, c->to_site))
			continue;
		q->had_backup = true;
		double rp = rp_snapshot_copy(w, slot, i, vars, avail);
		if (rp == -INFINITY || !retained(w, rp, copy_retention(p, c), q))
			continue;
		if (c->to_site >= 0 && rp > base_at[c->to_site])
			base_at[c->to_site] = rp;
		offer(q, rp, rp, 0, false);
	}
	for (size_t i = 0; i < p->n_copies; i++) {
		const scn_copy *c = &p->copies[i];
		bool logs = c->of == SCN_COPY_LOGS || c->of == SCN_COPY_BACKUPS;
		if (!logs || !p->automated.enabled || !site_survives(m, home, c->to_site) || c->to_site < 0)
			continue;
		double base = base_at[c->to_site];
		if (base == -INFINITY)
			continue;
		q->had_backup = true;
		double rp = rp_log_copy(w, slot, c, vars, avail);
		double keep = c->retention_s > 0 ? c->retention_s : p->automated.retention_s;
		if (rp == -INFINITY || rp < base || !retained(w, rp, keep, q))
			continue;
		offer(q, rp, base, 0, false);
	}
}

static sim_unrec recovery_point(sim_worker *w, size_t slot)
{
	double vars[SCN__NVAR] = {0};
	vars[SCN_VAR_SIZE] = w->size[slot];
	vars[SCN_VAR_WRITE_RATE] = w->rate[slot];
	vars[SCN_VAR_COUNT] = (double)w->n_hit;
	rp_search q = {0};
	rp_replicas(w, slot, vars, &q);
	rp_local(w, slot, &q);
	rp_copies(w, slot, vars, &q);
	if (!q.found) {
		if (q.retention_blocked)
			return SIM_UNREC_RETENTION;
		if (q.replicas_damaged && !q.had_backup)
			return SIM_UNREC_REPLICAS_ONLY;
		return SIM_UNREC_NO_SURVIVOR;
	}
	w->rpo[slot] = w->t_e - q.rp;
	w->lag[slot] = q.lag;
	w->replay[slot] = q.replica ? 0 : w->rate[slot] * (q.rp - q.base);
	return SIM_UNREC_NONE;
}

/* ---- the pre-event snapshot-copy round through copy slots ---- */

static void copy_granted(eng *e, void *ctx, uint64_t slot);

static void copy_finished(eng *e, void *ctx, uint64_t slot)
{
	sim_worker *w = ctx;
	w->copy_done[slot] = e->now;
	eng_release_unit(e, &w->res[w->m->copy_slot]);
}

static void copy_start(eng *e, void *ctx, uint64_t slot)
{
	sim_worker *w = ctx;
	eng_acquire(e, &w->res[w->m->copy_slot], w->tier[slot], copy_granted, w, slot);
}

static void copy_granted(eng *e, void *ctx, uint64_t slot)
{
	sim_worker *w = ctx;
	const scn_copy *c = &w->m->s->protection.copies[w->m->fleet_copy];
	double vars[SCN__NVAR] = {w->size[slot], w->rate[slot], 0, 0, (double)w->n_hit};
	double tp = draw(c->throughput, vars, w->r, INFINITY);
	double len = draw(c->delay, vars, w->r, 0) + (tp > 0 ? w->size[slot] / tp : INFINITY);
	eng_after(e, isfinite(len) ? len : DR_YEAR_S * 1e3, copy_finished, w, slot);
}

/* The copies of the last daily round start when each database's snapshot
 * is taken and queue for copy slots; times are absolute once shifted back. */
static void copy_round(sim_worker *w)
{
	const sim_model *m = w->m;
	if (m->fleet_copy < 0)
		return;
	double t0 = INFINITY;
	for (size_t i = 0; i < w->n_hit; i++)
		t0 = fmin(t0, w->snap_t[i]);
	eng_reset(&w->e);
	eng_resource_reset(&w->res[m->copy_slot]);
	for (size_t i = 0; i < w->n_hit; i++)
		eng_at(&w->e, w->snap_t[w->order[i]] - t0, copy_start, w, w->order[i]);
	eng_run(&w->e, INFINITY);
	for (size_t i = 0; i < w->n_hit; i++)
		w->copy_done[i] += t0;
	w->out.events += w->e.processed;
}

/* ---- the runbook as events ---- */

#define PACK(x, s, k) ((uint64_t)(x) | ((uint64_t)(s) << 24) | ((uint64_t)(k) << 48))
#define P_SLOT(a) ((size_t)((a) & 0xFFFFFF))
#define P_STEP(a) ((size_t)(((a) >> 24) & 0xFFFFFF))
#define P_K(a) ((size_t)((a) >> 48))

static void step_begin(sim_worker *w, size_t x, size_t s);
static void group_start(sim_worker *w, size_t g);

static size_t cell(const sim_worker *w, size_t x, size_t s)
{
	size_t row = x == ONCE_SLOT ? w->n_hit : x;
	return row * w->m->n_steps + s;
}

static double step_duration(sim_worker *w, size_t x, size_t s)
{
	const sim_step *st = &w->m->steps[s];
	if (st->cfixed)
		return st->cval;
	double vars[SCN__NVAR];
	if (x == ONCE_SLOT) {
		memcpy(vars, w->once_vars, sizeof vars);
	} else {
		vars[SCN_VAR_SIZE] = w->size[x];
		vars[SCN_VAR_WRITE_RATE] = w->rate[x];
		vars[SCN_VAR_REPLAY] = w->replay[x];
		vars[SCN_VAR_LAG] = w->lag[x];
		vars[SCN_VAR_COUNT] = (double)w->n_hit;
	}
	return dr_expr_sample(st->st->model, vars, w->r);
}

static void step_done(eng *e, void *ctx, uint64_t a)
{
	sim_worker *w = ctx;
	size_t x = P_SLOT(a), s = P_STEP(a);
	const sim_step *st = &w->m->steps[s];
	for (size_t i = 0; i < st->n_uses; i++)
		eng_release_unit(e, &w->res[st->uses[i]]);
	w->end[cell(w, x, s)] = e->now;
	if (x != ONCE_SLOT) {
		w->restored[x] = e->now;
		if (s < w->m->group_last[st->group]) {
			step_begin(w, x, s + 1);
			return;
		}
	}
	if (--w->group_left > 0)
		return;
	if (st->group + 1 < w->m->n_groups)
		group_start(w, st->group + 1);
}

static void step_acquire(eng *e, void *ctx, uint64_t a)
{
	sim_worker *w = ctx;
	size_t x = P_SLOT(a), s = P_STEP(a), k = P_K(a);
	const sim_step *st = &w->m->steps[s];
	if (k == st->n_uses) {
		eng_after(e, step_duration(w, x, s), step_done, w, PACK(x, s, 0));
		return;
	}
	int prio = x == ONCE_SLOT ? 0 : w->tier[x];
	eng_acquire(e, &w->res[st->uses[k]], prio, step_acquire, w, PACK(x, s, k + 1));
}

static void step_begin(sim_worker *w, size_t x, size_t s)
{
	w->ready[cell(w, x, s)] = w->e.now;
	step_acquire(&w->e, w, PACK(x, s, 0));
}

static void group_start(sim_worker *w, size_t g)
{
	size_t first = w->m->group_first[g];
	w->group = g;
	if (w->m->steps[first].st->once) {
		w->group_left = 1;
		step_begin(w, ONCE_SLOT, first);
		return;
	}
	w->group_left = w->n_hit;
	for (size_t i = 0; i < w->n_hit; i++)
		step_begin(w, w->order[i], first);
}

static void runbook_start(eng *e, void *ctx, uint64_t a)
{
	sim_worker *w = ctx;
	if (w->m->n_groups > 0)
		group_start(w, 0);
}

/* Critical path, walked back from the end: in each group the database
 * (or once step) that finished last. */
static void critical_path(sim_worker *w)
{
	const sim_model *m = w->m;
	w->step_start[0] = 0;
	w->step_len[0] = w->out.detect_s;
	for (size_t g = m->n_groups; g-- > 0;) {
		size_t first = m->group_first[g], last = m->group_last[g];
		size_t x = ONCE_SLOT;
		if (!m->steps[first].st->once) {
			x = w->order[0];
			for (size_t i = 0; i < w->n_hit; i++)
				if (w->end[cell(w, i, last)] > w->end[cell(w, x, last)] ||
				    (w->end[cell(w, i, last)] == w->end[cell(w, x, last)] && i < x))
					x = i;
		}
		for (size_t s = first; s <= last; s++) {
			w->step_start[1 + s] = w->ready[cell(w, x, s)];
			w->step_len[1 + s] = w->end[cell(w, x, s)] - w->ready[cell(w, x, s)];
		}
	}
}

static void service_order(sim_worker *w)
{
	for (size_t i = 0; i < w->n_hit; i++)
		w->order[i] = i;
	/* insertion sort: stable by (tier, slot); fleets are small per trial */
	for (size_t i = 1; i < w->n_hit; i++) {
		size_t v = w->order[i], j = i;
		while (j > 0 && w->tier[w->order[j - 1]] > w->tier[v]) {
			w->order[j] = w->order[j - 1];
			j--;
		}
		w->order[j] = v;
	}
}

static void run_runbook(sim_worker *w)
{
	const sim_model *m = w->m;
	memset(w->once_vars, 0, sizeof w->once_vars);
	for (size_t i = 0; i < w->n_hit; i++) {
		w->once_vars[SCN_VAR_SIZE] += w->size[i];
		w->once_vars[SCN_VAR_WRITE_RATE] += w->rate[i];
		w->once_vars[SCN_VAR_REPLAY] += w->replay[i];
		w->once_vars[SCN_VAR_LAG] = fmax(w->once_vars[SCN_VAR_LAG], w->lag[i]);
		w->restored[i] = -1;
	}
	w->once_vars[SCN_VAR_COUNT] = (double)w->n_hit;
	eng_reset(&w->e);
	for (size_t i = 0; i < m->s->n_resources; i++)
		eng_resource_reset(&w->res[i]);
	eng_at(&w->e, w->out.detect_s, runbook_start, w, 0);
	eng_run(&w->e, INFINITY);
	w->out.events += w->e.processed;
	double rto = w->e.now;
	for (size_t i = 0; i < w->n_hit; i++)
		if (w->restored[i] < 0)
			w->restored[i] = rto;
	w->out.rto_s = rto;
	critical_path(w);
}

/* ---- one trial ---- */

static void draw_databases(sim_worker *w)
{
	const sim_model *m = w->m;
	const scn_auto_backups *a = &m->s->protection.automated;
	double up = a->log_upload_s > 0 ? a->log_upload_s : DEFAULT_UPLOAD_S;
	for (size_t i = 0; i < w->n_hit; i++) {
		const sim_db *d = &m->dbs[w->hit[i]];
		w->tier[i] = d->tier;
		w->size[i] = d->size_fixed ? d->size : dr_expr_sample(d->db->size, zero_vars, w->r);
		w->rate[i] = d->rate_fixed ? d->rate : dr_expr_sample(d->db->write_rate, zero_vars, w->r);
		w->upload_phase[i] = gsl_rng_uniform(w->r) * up;
		w->snap_t[i] = a->enabled ? last_auto_snapshot(a, w->t_e, w->r) : w->t_e;
		w->lag[i] = 0;
		w->replay[i] = 0;
	}
}

const sim_outcome *sim_trial(sim_worker *w, uint64_t seed, uint64_t trial)
{
	const sim_model *m = w->m;
	sim_outcome *o = &w->out;
	dr_rng_reseed(w->r, seed, ((uint64_t)m->kind << 48) | trial);
	memset(o, 0, sizeof(*o));
	w->t_e = gsl_rng_uniform(w->r) * m->horizon_s;
	o->event_t = w->t_e;
	o->detect_s = m->dis ? draw(m->dis->detect, zero_vars, w->r, 0) : 0;
	w->t_r = w->t_e + o->detect_s;
	choose_hit(w);
	draw_databases(w);
	service_order(w);
	copy_round(w);
	o->n_hit = w->n_hit;
	o->restored_s = w->restored;
	o->tier = w->tier;
	o->step_start = w->step_start;
	o->step_len = w->step_len;
	for (size_t i = 0; i < w->n_hit && o->reason == SIM_UNREC_NONE; i++) {
		o->reason = recovery_point(w, i);
		o->rpo_s = fmax(o->rpo_s, w->rpo[i]);
	}
	if (o->reason == SIM_UNREC_NONE && !m->rb)
		o->reason = SIM_UNREC_NO_RUNBOOK;
	if (o->reason != SIM_UNREC_NONE)
		return o;
	run_runbook(w);
	return o;
}
