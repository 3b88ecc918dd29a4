/*
 * fixtures.h - res_result fixtures for the result, report and evidence
 * tests and the report benchmark: a simulate result (several disasters,
 * steps, fleet tiers, cost), a compare result (variants) and a drill result
 * (measured).  Values are made up but shaped like real output: CDFs come
 * from Weibull quantiles so they are smooth and monotone.
 */
#ifndef DR_FIXTURES_H
#define DR_FIXTURES_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "result.h"

/* A CDF of n points from a Weibull(scale, shape) quantile function. */
static inline void fx_cdf(res_cdf *c, size_t n, double scale, double shape)
{
	c->n = n;
	c->x = dr_calloc(n, sizeof(double));
	c->p = dr_calloc(n, sizeof(double));
	for (size_t i = 0; i < n; i++) {
		double p = (double)(i + 1) / (double)(n + 1);
		c->p[i] = p;
		c->x[i] = scale * pow(-log1p(-p), 1.0 / shape);
	}
}

static inline double fx_q(double scale, double shape, double p)
{
	return scale * pow(-log1p(-p), 1.0 / shape);
}

static inline res_summary fx_summary(uint64_t n, double scale, double shape)
{
	res_summary s = {.n = n,
			 .mean = scale * tgamma(1 + 1 / shape),
			 .p50 = fx_q(scale, shape, 0.50),
			 .p90 = fx_q(scale, shape, 0.90),
			 .p95 = fx_q(scale, shape, 0.95),
			 .p99 = fx_q(scale, shape, 0.99),
			 .max = fx_q(scale, shape, 0.99999)};
	return s;
}

static inline void fx_provenance(res_result *r, const char *name, uint64_t seed, uint64_t trials)
{
	r->run_id = dr_strdup("20260115T100000Z-3f2a");
	r->scenario_name = dr_strdup(name);
	r->scenario_file = dr_strdup("scenarios/payments.yaml");
	r->scenario_sha256 = dr_strdup("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
	r->seed = seed;
	r->trials = trials;
	r->horizon_s = 31557600;
	r->started_at = dr_strdup("2026-01-15T10:00:00.000Z");
	r->finished_at = dr_strdup("2026-01-15T10:00:03.250Z");
	r->host = dr_strdup("ci-runner-7");
}

/* One modeled disaster with n_steps steps and fleet tiers when fleet > 0. */
static inline res_disaster *fx_disaster(res_result *r, const char *kind, double rpo_scale,
					double rto_scale, double rpo_target, double rto_target,
					uint64_t trials, size_t cdf_points, uint64_t fleet)
{
	static const char *const names[] = {"declare", "restore-pitr", "replay-logs", "promote",
					    "scale-app", "cutover", "verify"};
	res_disaster *d = res_add_disaster(r);
	d->kind = dr_strdup(kind);
	d->rpo_target_s = rpo_target;
	d->rto_target_s = rto_target;
	d->percentile = 95;
	d->objectives_source = dr_strdup("scenario");
	d->rpo_s = fx_summary(trials, rpo_scale, 1.5);
	d->rto_s = fx_summary(trials, rto_scale, 2.5);
	uint64_t ok_rpo = (uint64_t)((double)trials * (1 - exp(-pow(rpo_target / rpo_scale, 1.5))));
	uint64_t ok_rto = (uint64_t)((double)trials * (1 - exp(-pow(rto_target / rto_scale, 2.5))));
	d->p_meet_rpo = res_wilson(ok_rpo, trials);
	d->p_meet_rto = res_wilson(ok_rto, trials);
	d->met_rpo = d->rpo_s.p95 <= rpo_target;
	d->met_rto = d->rto_s.p95 <= rto_target;
	d->met = d->met_rpo && d->met_rto;
	fx_cdf(&d->rpo_cdf, cdf_points, rpo_scale, 1.5);
	fx_cdf(&d->rto_cdf, cdf_points, rto_scale, 2.5);
	double start = rto_scale * 0.1;
	size_t n_steps = 5;
	for (size_t i = 0; i < n_steps; i++) {
		res_step *s = res_add_step(d);
		s->name = dr_strdup(names[i]);
		double share = (i == 1) ? 0.4 : 0.15;
		s->modeled = fx_summary(trials, rto_scale * share, 2);
		s->start_s = start;
		s->share = share;
		s->detail = dr_asprintf("model step %zu", i + 1);
		start += s->modeled.mean;
	}
	if (fleet) {
		d->fleet = dr_calloc(3, sizeof(*d->fleet));
		d->n_fleet = 3;
		for (int t = 0; t < 3; t++) {
			d->fleet[t].tier = t;
			d->fleet[t].databases = t == 0 ? fleet : (t == 1 ? fleet / 10 : fleet - fleet / 10);
			d->fleet[t].t50_s = fx_summary(trials, rto_scale * (1 + t * 0.5), 3);
			d->fleet[t].t100_s = fx_summary(trials, rto_scale * (2 + t), 3);
		}
		fx_cdf(&d->fleet_cdf, cdf_points, rto_scale * 1.6, 3);
	}
	d->annual.events_per_year = 0.1;
	d->annual.downtime_s_per_year = 0.1 * d->rto_s.mean;
	d->annual.data_loss_s_per_year = 0.1 * d->rpo_s.mean;
	d->annual.availability = 1 - d->annual.downtime_s_per_year / 31557600;
	d->annual.p_breach_per_year = 1 - exp(-0.1 * (1 - d->p_meet_rto.p));
	return d;
}

static inline void fx_finish(res_result *r)
{
	r->met = true;
	for (size_t i = 0; i < r->n_disasters; i++)
		r->met = r->met && r->disasters[i].met;
}

/* A simulate result: three disasters, a fleet, cost, findings. */
static inline res_result *fx_simulate_sized(uint64_t trials, size_t cdf_points, uint64_t fleet)
{
	res_result *r = res_new(RES_MODE_SIMULATE);
	fx_provenance(r, "payments - warm standby us-east-1 -> us-west-2", 42, trials);
	r->strategy = dr_strdup("warm-standby");
	fx_disaster(r, "region-outage", 25, 9 * 60, 60, 15 * 60, trials, cdf_points, fleet);
	fx_disaster(r, "az-outage", 2.0 / 3.0, 4 * 60, 60, 15 * 60, trials, cdf_points, 0);
	res_disaster *d = fx_disaster(r, "logical-corruption", 160, 50 * 60, 300, 3600, trials,
				      cdf_points, fleet);
	d->unrecoverable = trials / 1000;
	d->unrecoverable_reason = dr_strdup("no backup older than the corruption within retention");
	r->cost.currency = dr_strdup("USD");
	res_cost_add(&r->cost, "snapshot storage", 1520.4);
	res_cost_add(&r->cost, "cross-region transfer", 312.25);
	res_cost_add(&r->cost, "standby instances", 876);
	res_add_finding(r, "RTO-BREACH", "high",
			"logical-corruption: RTO p95 exceeds the \"1h\" objective; restores queue on 20 slots");
	res_add_finding(r, "LOG-GAP", "medium", "log upload every 5m bounds RPO <b>below</b> 5m & more");
	fx_finish(r);
	return r;
}

static inline res_result *fx_simulate(void)
{
	return fx_simulate_sized(100000, 60, 240);
}

/* A compare result: three strategies, each a full simulate result. */
static inline res_result *fx_compare(void)
{
	static const char *const strategies[] = {"backup-and-restore", "pilot-light", "warm-standby"};
	static const double rto[] = {5 * 3600, 45 * 60, 9 * 60}, rpo[] = {900, 200, 30};
	static const double cost[] = {410.5, 1320, 2708.65};
	res_result *r = res_new(RES_MODE_COMPARE);
	fx_provenance(r, "payments - strategy comparison", 7, 20000);
	r->n_variants = 3;
	r->variants = dr_calloc(3, sizeof(*r->variants));
	for (size_t i = 0; i < 3; i++) {
		res_result *v = res_new(RES_MODE_SIMULATE);
		fx_provenance(v, "payments - strategy comparison", 7, 20000);
		v->strategy = dr_strdup(strategies[i]);
		fx_disaster(v, "region-outage", rpo[i], rto[i], 60, 15 * 60, 20000, 40, 0);
		v->cost.currency = dr_strdup("USD");
		res_cost_add(&v->cost, "total", cost[i]);
		fx_finish(v);
		r->variants[i].strategy = dr_strdup(strategies[i]);
		r->variants[i].result = v;
	}
	r->recommended = dr_strdup("warm-standby");
	r->met = true;
	return r;
}

/* A drill result: measured steps beside the model, canary figures. */
static inline res_result *fx_drill(void)
{
	static const char *const names[] = {"declare", "restore-basebackup", "replay-wal", "promote",
					    "verify"};
	static const double measured[] = {600, 41.2, 13.875, 1.5, 0.42};
	static const res_source sources[] = {RES_DECLARED, RES_MEASURED, RES_MEASURED, RES_MEASURED,
					     RES_MEASURED};
	res_result *r = res_new(RES_MODE_DRILL);
	fx_provenance(r, "payments - pitr drill (postgres sandbox)", 1, 1);
	r->strategy = dr_strdup("backup-and-restore");
	res_disaster *d = res_add_disaster(r);
	d->kind = dr_strdup("logical-corruption");
	d->rpo_target_s = 60;
	d->rto_target_s = 900;
	d->percentile = 95;
	d->objectives_source = dr_strdup("scenario: disaster override");
	double start = 0;
	for (size_t i = 0; i < 5; i++) {
		res_step *s = res_add_step(d);
		s->name = dr_strdup(names[i]);
		s->source = sources[i];
		s->modeled = fx_summary(0, measured[i] * (i == 2 ? 0.4 : 1.1), 2);
		s->measured_s = measured[i];
		s->start_s = start;
		s->flagged = i == 2;
		s->detail = dr_strdup(i == 0 ? "manual: declare DR (declared, not performed)"
					     : "postgres-sandbox");
		start += measured[i];
	}
	for (size_t i = 0; i < d->n_steps; i++)
		d->steps[i].share = d->steps[i].measured_s / start;
	res_measured *m = r->measured;
	m->rpo_s = 0.35;
	m->rto_s = start;
	m->acked_writes_lost = 0;
	m->acked_writes = 1234;
	m->canary_interval_s = 0.05;
	m->clock = dr_strdup("CLOCK_REALTIME (wall) + CLOCK_MONOTONIC (durations)");
	m->event_at = 1768471200.125;
	m->recovered_at = m->event_at + start;
	m->technical_rto_s = start - 600;
	m->modeled_rto_s = 600;
	m->driver = dr_strdup("postgres-sandbox");
	m->driver_version = dr_strdup("1");
	m->server_version = dr_strdup("PostgreSQL 15.5");
	m->data_verified = true;
	m->verification = dr_strdup("canary rows 1..1234 read back; pg_amcheck clean");
	m->cleanup_ok = true;
	m->journal = dr_strdup("drill.journal.jsonl");
	d->rpo_s = (res_summary){.n = 1, .mean = 0.35, .p50 = 0.35, .p90 = 0.35, .p95 = 0.35, .p99 = 0.35, .max = 0.35};
	d->rto_s = (res_summary){.n = 1, .mean = start, .p50 = start, .p90 = start, .p95 = start, .p99 = start, .max = start};
	d->p_meet_rpo = res_wilson(1, 1);
	d->p_meet_rto = res_wilson(1, 1);
	d->met_rpo = true;
	d->met_rto = start <= 900;
	d->met = d->met_rpo && d->met_rto;
	res_add_finding(r, "STEP-SLOW", "low", "replay-wal took 13.9s, above the model's p95");
	fx_finish(r);
	return r;
}

#endif
