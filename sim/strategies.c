/*
 * strategies.c - the built-in protection and runbook templates that
 * "drsim compare" applies to one estate for each of the four strategies,
 * after AWS's DR guidance (backup and restore: hours; pilot light: tens of
 * minutes; warm standby: minutes; multi-site active/active: near zero).
 * The scenario's own protection and runbooks are used for the strategy it
 * declares; the others get these templates.
 *
 * Every template keeps the estate (databases, disasters, objectives,
 * costs, resources) and sets:
 *   automated backups   7 d retention, 03:00-03:30 window, logs every 5 min
 *   backup-restore      automated backups replicated to the DR site
 *                       (snapshots after each backup at 200 MiB/s, logs
 *                       with lognormal(median=3m, p95=10m) delay)
 *   pilot-light         + async replica at DR, lag lognormal(1s, p95=10s)
 *   warm-standby        + async replica at DR, lag lognormal(500ms, p95=5s)
 *   multi-site          + async replica at DR, lag lognormal(200ms, p95=1s)
 * A DR site "dr" in "<primary region>-dr" is added when the scenario has
 * none.  Runbooks, per disaster kind the scenario declares:
 *   declare (once)      backup-restore triangular(10m, 20m, 60m), pilot
 *                       light triangular(5m, 10m, 20m), warm standby
 *                       triangular(2m, 5m, 10m), multi-site none (automated)
 *   recover (per db)    restore "15m + size/250MiB/s + replay/100MiB/s"
 *                       holding a restore-slot (capacity 10 unless the
 *                       scenario sets one) for backup-restore and for
 *                       corruption and ransomware under every strategy;
 *                       else promote: pilot light uniform(2m, 5m), warm
 *                       standby uniform(1m, 3m), multi-site uniform(20s, 1m)
 *   application (once)  backup-restore lognormal(median=30m, p95=1h)
 *                       (build the stack), pilot light lognormal(median=15m,
 *                       p95=30m) (start it), warm standby lognormal(median=4m,
 *                       p95=8m) (scale up), multi-site none (already serving)
 *   cutover (once)      uniform(5m, 15m), uniform(2m, 5m), uniform(1m, 3m),
 *                       uniform(10s, 30s)
 */
#include "simulate.h"

#include <stdlib.h>
#include <string.h>

#define N_TEMPLATE_STEPS 4
#define DEFAULT_RESTORE_SLOTS 10

typedef struct {
	const char *lag;       /* async replica lag; NULL: no replica */
	const char *declare, *promote, *app, *cutover; /* NULL: no such step */
} strategy_template;

static const strategy_template templates[SCN__NSTRATEGY] = {
	[SCN_BACKUP_RESTORE] = {NULL, "triangular(10m, 20m, 60m)", NULL, "lognormal(median=30m, p95=1h)",
				"uniform(5m, 15m)"},
	[SCN_PILOT_LIGHT] = {"lognormal(median=1s, p95=10s)", "triangular(5m, 10m, 20m)", "uniform(2m, 5m)",
			     "lognormal(median=15m, p95=30m)", "uniform(2m, 5m)"},
	[SCN_WARM_STANDBY] = {"lognormal(median=500ms, p95=5s)", "triangular(2m, 5m, 10m)", "uniform(1m, 3m)",
			      "lognormal(median=4m, p95=8m)", "uniform(1m, 3m)"},
	[SCN_MULTI_SITE] = {"lognormal(median=200ms, p95=1s)", NULL, "uniform(20s, 1m)", NULL, "uniform(10s, 30s)"},
};

static const char restore_model[] = "15m + size/250MiB/s + replay/100MiB/s";

struct sim_variant {
	scenario sc;
	bool owned;           /* false: sc is a copy of the base, nothing built */
	scn_site *sites;
	scn_copy *copies;
	scn_replica *replicas;
	scn_runbook *runbooks;
	size_t n_runbooks;
	scn_resource *resources;
	size_t n_resources;
};

static dr_expr *parse(const char *src)
{
	dr_expr *e = NULL;
	dr_expr_error err;
	if (dr_expr_parse(src, scn_vars, SCN__NVAR, &e, &err) != DR_OK)
		DR_BUG("strategy template model \"%s\" does not parse: %s", src, err.msg);
	return e;
}

static void add_step(scn_runbook *rb, const char *name, const char *model, bool once, int slot)
{
	scn_step *st = &rb->steps[rb->n_steps++];
	memset(st, 0, sizeof(*st));
	st->name = dr_strdup(name);
	st->model = parse(model);
	st->once = once;
	st->action.manual = dr_strdup("modeled by drsim compare");
	if (slot >= 0) {
		st->uses = dr_calloc(1, sizeof(int));
		st->uses[0] = slot;
		st->n_uses = 1;
	}
}

static void build_runbook(scn_runbook *rb, scn_disaster_kind k, const strategy_template *t, int slot)
{
	bool restore = !t->promote || k == SCN_DIS_CORRUPTION || k == SCN_DIS_RANSOMWARE;
	rb->kind = k;
	rb->steps = dr_calloc(N_TEMPLATE_STEPS, sizeof(scn_step));
	if (t->declare)
		add_step(rb, "declare", t->declare, true, -1);
	if (restore)
		add_step(rb, "restore", restore_model, false, slot);
	else
		add_step(rb, "promote", t->promote, false, -1);
	if (t->app && k != SCN_DIS_INSTANCE && k != SCN_DIS_CORRUPTION)
		add_step(rb, "application", t->app, true, -1);
	add_step(rb, "cutover", t->cutover, true, -1);
}

static void build_sites(sim_variant *v, const scenario *base)
{
	if (base->dr >= 0)
		return;
	v->sites = dr_calloc(base->n_sites + 1, sizeof(scn_site));
	if (base->n_sites)
		memcpy(v->sites, base->sites, base->n_sites * sizeof(scn_site));
	scn_site *dr = &v->sites[base->n_sites];
	const char *region = base->primary >= 0 ? base->sites[base->primary].region : "primary";
	dr->name = dr_strdup("dr");
	dr->region = dr_asprintf("%s-dr", region ? region : "primary");
	v->sc.sites = v->sites;
	v->sc.n_sites = base->n_sites + 1;
	v->sc.dr = (int)base->n_sites;
}

static void build_protection(sim_variant *v, const strategy_template *t)
{
	scn_protection *p = &v->sc.protection;
	memset(p, 0, sizeof(*p));
	p->automated = (scn_auto_backups){.enabled = true, .present = true, .retention_s = 7 * 86400.0,
					  .window_start_s = 3 * 3600.0, .window_len_s = 1800, .log_upload_s = 300};
	v->copies = dr_calloc(1, sizeof(scn_copy));
	v->copies[0] = (scn_copy){.of = SCN_COPY_BACKUPS, .to_site = v->sc.dr, .cross_region = true,
				  .throughput = parse("200MiB/s"), .delay = parse("lognormal(median=3m, p95=10m)"),
				  .kms = SCN_KMS_CUSTOMER};
	p->copies = v->copies;
	p->n_copies = 1;
	if (t->lag) {
		v->replicas = dr_calloc(1, sizeof(scn_replica));
		v->replicas[0] = (scn_replica){.site = v->sc.dr, .mode = SCN_REPL_ASYNC, .lag = parse(t->lag)};
		p->replicas = v->replicas;
		p->n_replicas = 1;
	}
}

/* The scenario's resources plus a restore-slot when it has none. */
static int build_resources(sim_variant *v, const scenario *base)
{
	for (size_t i = 0; i < base->n_resources; i++)
		if (strcmp(base->resources[i].name, "restore-slot") == 0)
			return (int)i;
	v->n_resources = base->n_resources + 1;
	v->resources = dr_calloc(v->n_resources, sizeof(scn_resource));
	if (base->n_resources)
		memcpy(v->resources, base->resources, base->n_resources * sizeof(scn_resource));
	v->resources[base->n_resources].name = dr_strdup("restore-slot");
	v->resources[base->n_resources].capacity = DEFAULT_RESTORE_SLOTS;
	v->sc.resources = v->resources;
	v->sc.n_resources = v->n_resources;
	return (int)base->n_resources;
}

sim_variant *sim_variant_new(const scenario *base, scn_strategy st)
{
	sim_variant *v = dr_calloc(1, sizeof(*v));
	v->sc = *base;
	if (st == base->strategy)
		return v;
	const strategy_template *t = &templates[st];
	v->owned = true;
	v->sc.strategy = st;
	build_sites(v, base);
	build_protection(v, t);
	int slot = build_resources(v, base);
	v->n_runbooks = base->n_disasters;
	v->runbooks = dr_calloc(v->n_runbooks ? v->n_runbooks : 1, sizeof(scn_runbook));
	for (size_t i = 0; i < base->n_disasters; i++)
		build_runbook(&v->runbooks[i], base->disasters[i].kind, t, slot);
	v->sc.runbooks = v->runbooks;
	v->sc.n_runbooks = v->n_runbooks;
	return v;
}

const scenario *sim_variant_scenario(const sim_variant *v)
{
	return &v->sc;
}

void sim_variant_free(sim_variant *v)
{
	if (!v)
		return;
	if (v->owned) {
		if (v->sites) {
			free(v->sites[v->sc.n_sites - 1].name);
			free(v->sites[v->sc.n_sites - 1].region);
			free(v->sites);
		}
		dr_expr_free(v->copies[0].throughput);
		dr_expr_free(v->copies[0].delay);
		free(v->copies);
		if (v->replicas)
			dr_expr_free(v->replicas[0].lag);
		free(v->replicas);
		for (size_t i = 0; i < v->n_runbooks; i++) {
			for (size_t j = 0; j < v->runbooks[i].n_steps; j++) {
				scn_step *st = &v->runbooks[i].steps[j];
				free(st->name);
				dr_expr_free(st->model);
				free(st->uses);
				free(st->action.manual);
			}
			free(v->runbooks[i].steps);
		}
		free(v->runbooks);
		if (v->resources)
			free(v->resources[v->n_resources - 1].name);
		free(v->resources);
	}
	free(v);
}

static void copy_header(res_result *dst, const res_result *src)
{
	dst->run_id = dr_strdup(src->run_id);
	dst->scenario_name = dr_strdup(src->scenario_name);
	dst->scenario_file = dr_strdup(src->scenario_file);
	dst->scenario_sha256 = dr_strdup(src->scenario_sha256);
	dst->seed = src->seed;
	dst->trials = src->trials;
	dst->horizon_s = src->horizon_s;
	dst->started_at = dr_strdup(src->started_at);
	dst->finished_at = dr_strdup(src->finished_at);
	dst->host = dr_strdup(src->host);
}

dr_err sim_compare(const scenario *s, const sim_opts *opts, res_result **out)
{
	res_result *r = res_new(RES_MODE_COMPARE);
	dr_err err = DR_OK;
	double best_cost = 0;
	*out = NULL;
	r->strategy = dr_strdup(scn_strategy_names[s->strategy]);
	r->variants = dr_calloc(SCN__NSTRATEGY, sizeof(res_variant));
	for (int st = 0; st < SCN__NSTRATEGY; st++) {
		sim_variant *v = sim_variant_new(s, (scn_strategy)st);
		res_result *vr = NULL;
		err = sim_run(sim_variant_scenario(v), opts, &vr);
		sim_variant_free(v);
		if (err != DR_OK)
			goto fail;
		if (st == 0)
			copy_header(r, vr);
		r->variants[r->n_variants].strategy = dr_strdup(scn_strategy_names[st]);
		r->variants[r->n_variants++].result = vr;
		if (vr->met && (!r->recommended || vr->cost.per_month < best_cost)) {
			free(r->recommended);
			r->recommended = dr_strdup(scn_strategy_names[st]);
			best_cost = vr->cost.per_month;
		}
	}
	r->met = r->recommended != NULL;
	*out = r;
	return DR_OK;
fail:
	res_free(r);
	return err;
}
