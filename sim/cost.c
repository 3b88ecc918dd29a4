/*
 * cost.c - what a protection set-up costs per month, from the scenario's
 * prices (costs:) and the estate's mean sizes and write rates.
 *
 * Items (a month is 730 hours; sizes in GB of 10^9 bytes):
 *   automated backups   snapshots are incremental: one full copy plus a
 *                       day's change (write_rate x 1 d, at most the size)
 *                       per retained day, plus the logs (write_rate x
 *                       retention), at storage_gb_month
 *   manual snapshots    one full copy plus the change between snapshots
 *                       per kept snapshot; "kept until deleted" is priced
 *                       as 30 days of them
 *   snapshot copies     the same storage at the destination, and the
 *                       transfer of each copy's change (the first full
 *                       copy amortised away) at transfer_gb when the copy
 *                       leaves the region
 *   log copies          logs stored at the destination over retention and
 *                       transferred once, at transfer_gb across regions
 *   replicas            one standby instance per database around the
 *                       clock at standby_hour (instance_hour for a
 *                       multi-site strategy, whose DR site serves traffic),
 *                       plus the replication stream across regions
 * Nothing here is sampled: means come from dr_expr_mean.
 */
#include "simulate.h"

#include <math.h>
#include <stdlib.h>

#define MONTH_H 730.0
#define MONTH_S (MONTH_H * 3600.0)
#define DAY_S 86400.0
#define GB 1e9
#define KEPT_FOREVER_S (30 * DAY_S)

typedef struct {
	double size;  /* bytes over the fleet */
	double rate;  /* bytes/s over the fleet */
	double n_dbs;
} estate;

static estate estate_means(const scenario *s)
{
	static const double zero[SCN__NVAR];
	estate e = {0};
	for (size_t i = 0; i < s->n_dbs; i++) {
		const scn_database *d = &s->dbs[i];
		e.size += d->count * (d->size ? dr_expr_mean(d->size, zero) : 0);
		e.rate += d->count * (d->write_rate ? dr_expr_mean(d->write_rate, zero) : 0);
		e.n_dbs += d->count;
	}
	return e;
}

/* Incremental snapshot storage: one full plus the change between
 * snapshots for each snapshot kept. */
static double snapshot_bytes(const estate *e, double every_s, double keep_s)
{
	double kept = fmax(1.0, keep_s / every_s);
	double change = fmin(e->size, e->rate * every_s);
	return e->size + (kept - 1.0) * change;
}

static void cost_backups(const scenario *s, const estate *e, res_cost *c)
{
	const scn_protection *p = &s->protection;
	double gbm = s->costs.storage_gb_month;
	if (p->automated.enabled) {
		double bytes = snapshot_bytes(e, DAY_S, p->automated.retention_s) + e->rate * p->automated.retention_s;
		res_cost_add(c, "automated backups storage", bytes / GB * gbm);
	}
	if (p->snapshots.every_s > 0) {
		double keep = p->snapshots.retention_s > 0 ? p->snapshots.retention_s : KEPT_FOREVER_S;
		res_cost_add(c, "manual snapshots storage", snapshot_bytes(e, p->snapshots.every_s, keep) / GB * gbm);
	}
}

static void cost_copy(const scenario *s, const estate *e, const scn_copy *cp, res_cost *c)
{
	const scn_protection *p = &s->protection;
	double gbm = s->costs.storage_gb_month, xfer = cp->cross_region ? s->costs.transfer_gb : 0;
	const char *to = cp->to_site >= 0 ? s->sites[cp->to_site].name : "?";
	double keep = cp->retention_s > 0 ? cp->retention_s : p->automated.retention_s;
	if (cp->of != SCN_COPY_LOGS) {
		double every = cp->every_s > 0 ? cp->every_s : (p->snapshots.every_s > 0 && !p->automated.enabled
									? p->snapshots.every_s
									: DAY_S);
		if (keep <= 0)
			keep = p->snapshots.retention_s > 0 ? p->snapshots.retention_s : KEPT_FOREVER_S;
		char *item = dr_asprintf("%s copies to %s: storage", scn_copy_of_names[cp->of], to);
		res_cost_add(c, item, snapshot_bytes(e, every, keep) / GB * gbm);
		free(item);
		if (xfer > 0) {
			item = dr_asprintf("%s copies to %s: transfer", scn_copy_of_names[cp->of], to);
			double per_copy = fmin(e->size, e->rate * every);
			res_cost_add(c, item, MONTH_S / every * per_copy / GB * xfer);
			free(item);
		}
	}
	if (cp->of == SCN_COPY_LOGS || cp->of == SCN_COPY_BACKUPS) {
		char *item = dr_asprintf("log copies to %s", to);
		res_cost_add(c, item, (e->rate * keep / GB * gbm) + e->rate * MONTH_S / GB * xfer);
		free(item);
	}
}

static void cost_replicas(const scenario *s, const estate *e, res_cost *c)
{
	const scn_protection *p = &s->protection;
	bool serving = s->strategy == SCN_MULTI_SITE && s->costs.instance_hour > 0;
	double hour = serving ? s->costs.instance_hour : s->costs.standby_hour;
	for (size_t i = 0; i < p->n_replicas; i++) {
		const scn_replica *r = &p->replicas[i];
		const char *at = r->site >= 0 ? s->sites[r->site].name : "?";
		char *item = dr_asprintf("%s %s replica at %s: instances", r->mode == SCN_REPL_SYNC ? "sync" : "async",
					 serving ? "serving" : "standby", at);
		res_cost_add(c, item, e->n_dbs * MONTH_H * hour);
		free(item);
		if (!r->same_region && s->costs.transfer_gb > 0) {
			item = dr_asprintf("replication to %s: transfer", at);
			res_cost_add(c, item, e->rate * MONTH_S / GB * s->costs.transfer_gb);
			free(item);
		}
	}
}

void sim_cost(const scenario *s, res_cost *c)
{
	estate e = estate_means(s);
	if (!c->currency)
		c->currency = dr_strdup(s->costs.currency ? s->costs.currency : "USD");
	cost_backups(s, &e, c);
	for (size_t i = 0; i < s->protection.n_copies; i++)
		cost_copy(s, &e, &s->protection.copies[i], c);
	cost_replicas(s, &e, c);
}
