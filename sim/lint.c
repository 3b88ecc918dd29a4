/*
 * lint.c - the posture rules of "drsim lint" and their findings.  See
 * lint.h.  Every rule is one row of scn_lint_rules with a short check
 * function above it; the checks only read the scenario.  What the loader
 * already rejects (a strategy without what it needs, bad references) is not
 * repeated here: lint is about valid scenarios that will still let you down.
 */
#include "lint.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const scn_lint_sev_names[SCN__NLINT_SEV] = {"error", "warning", "info"};

void scn_lint_add(scn_lint_findings *out, const scn_lint_rule *rule, dr_pos pos, const char *fmt, ...)
{
	va_list ap;
	dr_buf b = {0};
	va_start(ap, fmt);
	dr_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	DR_GROW(out->v, out->n, out->cap);
	out->v[out->n++] = (scn_lint_finding){rule->id, rule->sev, pos, dr_buf_take(&b), rule->fix};
}

/* ---- helpers shared by the checks ------------------------------------ */

static const char *site_name(const scenario *s, int i)
{
	return i >= 0 && (size_t)i < s->n_sites ? s->sites[i].name : "?";
}

static const char *site_region(const scenario *s, int i)
{
	return i >= 0 && (size_t)i < s->n_sites ? s->sites[i].region : "?";
}

static const char *dur(double seconds, char *buf, size_t n)
{
	if (isinf(seconds))
		snprintf(buf, n, "forever");
	else
		dr_fmt_duration(seconds, buf, n);
	return buf;
}

/* A quantile of an expression without step variables. */
static double quantile(const dr_expr *e, double p)
{
	double zeros[SCN__NVAR] = {0};
	return e ? dr_expr_quantile(e, zeros, p) : 0;
}

static bool listed(const scenario *s, scn_disaster_kind k)
{
	return scn_disaster_index(s, k) >= 0;
}

static const scn_disaster *disaster(const scenario *s, scn_disaster_kind k)
{
	int i = scn_disaster_index(s, k);
	return i >= 0 ? &s->disasters[i] : NULL;
}

/* A copy that restores data by itself (not a stream of logs). */
static bool copy_is_backup(const scn_copy *c)
{
	return c->of != SCN_COPY_LOGS;
}

/* Something at another region that can serve as a recovery point. */
static bool remote_copy_or_replica(const scenario *s, bool logs_or_replica_only)
{
	const scn_protection *p = &s->protection;
	for (size_t i = 0; i < p->n_copies; i++)
		if (p->copies[i].cross_region && (!logs_or_replica_only || p->copies[i].of == SCN_COPY_LOGS))
			return true;
	for (size_t i = 0; i < p->n_replicas; i++)
		if (!p->replicas[i].same_region && p->replicas[i].site >= 0)
			return true;
	return false;
}

static bool has_backups(const scenario *s)
{
	const scn_protection *p = &s->protection;
	if (p->automated.enabled || p->snapshots.every_s > 0)
		return true;
	for (size_t i = 0; i < p->n_copies; i++)
		if (copy_is_backup(&p->copies[i]))
			return true;
	return false;
}

/* The oldest point a restore can still reach, as an age: the longest
 * retention over automated backups, manual snapshots and copies. */
static double longest_retention(const scenario *s)
{
	const scn_protection *p = &s->protection;
	double auto_r = p->automated.enabled ? p->automated.retention_s : 0;
	double snap_r = p->snapshots.every_s > 0 ? (p->snapshots.retention_s > 0 ? p->snapshots.retention_s : INFINITY) : 0;
	double best = fmax(auto_r, snap_r);
	for (size_t i = 0; i < p->n_copies; i++) {
		const scn_copy *c = &p->copies[i];
		if (!copy_is_backup(c))
			continue;
		double src = c->of == SCN_COPY_SNAPSHOTS && p->snapshots.every_s > 0 ? snap_r : auto_r;
		best = fmax(best, c->retention_s > 0 ? c->retention_s : src);
	}
	return best;
}

/* Databases a disaster of this kind hits at once. */
static size_t databases_hit(const scenario *s, scn_disaster_kind k)
{
	if (k == SCN_DIS_INSTANCE || k == SCN_DIS_CORRUPTION)
		return 1;
	if (k == SCN_DIS_RANSOMWARE)
		return scn_total_databases(s);
	size_t n = 0;
	for (size_t i = 0; i < s->n_dbs; i++)
		if (s->dbs[i].site == s->primary)
			n += (size_t)s->dbs[i].count;
	return n;
}

/* ---- the checks, in rule order ---------------------------------------- */

static void check_platform_retention(const scenario *s, const scn_lint_rule *r, scn_lint_findings *out,
				     scn_platform platform)
{
	const scn_auto_backups *a = &s->protection.automated;
	if (!a->present || a->retention_s > 0)
		return;
	for (size_t i = 0; i < s->n_dbs; i++) {
		if (s->dbs[i].platform == platform) {
			scn_lint_add(out, r, a->pos, "automated backups are disabled (retention 0) and \"%s\" runs on %s",
				     s->dbs[i].name, scn_platform_names[platform]);
			return;
		}
	}
}

static void check_rds_backups_off(const scenario *s, const scn_lint_rule *r, scn_lint_findings *out)
{
	check_platform_retention(s, r, out, SCN_PLATFORM_RDS);
}

static void check_aurora_retention_zero(const scenario *s, const scn_lint_rule *r, scn_lint_findings *out)
{
	check_platform_retention(s, r, out, SCN_PLATFORM_AURORA);
}

static void check_single_region(const scenario *s, const scn_lint_rule *r, scn_lint_findings *out)
{
	if (s->primary < 0 || remote_copy_or_replica(s, false))
		return;
	scn_lint_add(out, r, s->sites[s->primary].pos,
		     "nothing is copied or replicated outside region \"%s\" of site \"%s\"",
		     site_region(s, s->primary), site_name(s, s->primary));
}

static void check_snapshot_copy_interval(const scenario *s, const scn_lint_rule *r, scn_lint_findings *out)
{
	const scn_protection *p = &s->protection;
	if (remote_copy_or_replica(s, true))
		return; /* logs or a replica give the newer recovery point */
	double rpo = scn_objectives_for(s, SCN_DIS_REGION)->rpo_s;
	for (size_t i = 0; i < p->n_copies; i++) {
		const scn_copy *c = &p->copies[i];
		if (!c->cross_region || !copy_is_backup(c))
			continue;
		double every = c->every_s > 0 ? c->every_s
			       : c->of == SCN_COPY_SNAPSHOTS && p->snapshots.every_s > 0 ? p->snapshots.every_s
											 : 86400.0;
		if (every <= rpo)
			continue;
		char a[32], b[32];
		scn_lint_add(out, r, c->pos,
			     "%s are copied to \"%s\" every %s, longer than the RPO %s, and no logs or replica reach "
			     "region \"%s\"",
			     scn_copy_of_names[c->of], site_name(s, c->to_site), dur(every, a, sizeof a),
			     dur(rpo, b, sizeof b), site_region(s, c->to_site));
	}
}

static void check_log_copy_delay(const scenario *s, const scn_lint_rule *r, scn_lint_findings *out)
{
	const scn_protection *p = &s->protection;
	const scn_objectives *o = scn_objectives_for(s, SCN_DIS_REGION);
	for (size_t i = 0; i < p->n_replicas; i++)
		if (!p->replicas[i].same_region)
			return; /* a replica in another region gives the newer recovery point */
	for (size_t i = 0; i < p->n_copies; i++) {
		const scn_copy *c = &p->copies[i];
		if (c->of != SCN_COPY_LOGS)
			continue;
		double q = quantile(c->delay, o->percentile / 100.0);
		if (q <= o->rpo_s)
			continue;
		char a[32], b[32];
		scn_lint_add(out, r, c->pos, "logs reach \"%s\" after %s at p%g, longer than the RPO %s",
			     site_name(s, c->to_site), dur(q, a, sizeof a), o->percentile, dur(o->rpo_s, b, sizeof b));
	}
}

static void check_kms_default_shared(const scenario *s, const scn_lint_rule *r, scn_lint_findings *out)
{
	const scn_protection *p = &s->protection;
	for (size_t i = 0; i < p->n_copies; i++) {
		const scn_copy *c = &p->copies[i];
		if (c->cross_account && c->kms == SCN_KMS_DEFAULT)
			scn_lint_add(out, r, c->pos,
				     "%s copied to \"%s\" (another account) are encrypted with the default KMS key",
				     scn_copy_of_names[c->of], site_name(s, c->to_site));
	}
}

static void check_replicas_only(const scenario *s, const scn_lint_rule *r, scn_lint_findings *out)
{
	const scn_disaster *d = disaster(s, SCN_DIS_CORRUPTION);
	if (!d || has_backups(s))
		return;
	if (s->protection.n_replicas > 0)
		scn_lint_add(out, r, d->pos, "only replicas protect against \"logical-corruption\", and they copy the damage");
	else
		scn_lint_add(out, r, d->pos, "no backup protects against \"logical-corruption\"");
}

static void check_retention_vs_detect(const scenario *s, const scn_lint_rule *r, scn_lint_findings *out)
{
	const scn_disaster *d = disaster(s, SCN_DIS_CORRUPTION);
	if (!d)
		return;
	double keep = longest_retention(s);
	if (keep <= 0)
		return; /* no backups at all: DR007 */
	double p95 = quantile(d->detect, 0.95);
	if (keep >= p95)
		return;
	char a[32], b[32];
	dr_pos pos = s->protection.automated.enabled ? s->protection.automated.pos : d->pos;
	scn_lint_add(out, r, pos,
		     "backups are kept at most %s but \"logical-corruption\" is detected after %s (p95): the last "
		     "clean backup may be gone",
		     dur(keep, a, sizeof a), dur(p95, b, sizeof b));
}

static void check_sync_cross_region(const scenario *s, const scn_lint_rule *r, scn_lint_findings *out)
{
	const scn_protection *p = &s->protection;
	for (size_t i = 0; i < p->n_replicas; i++) {
		const scn_replica *rep = &p->replicas[i];
		if (rep->mode == SCN_REPL_SYNC && !rep->same_region)
			scn_lint_add(out, r, rep->pos,
				     "synchronous replica at \"%s\" is in region \"%s\", the primary in \"%s\"",
				     site_name(s, rep->site), site_region(s, rep->site), site_region(s, s->primary));
	}
}

static void check_no_verify(const scenario *s, const scn_lint_rule *r, scn_lint_findings *out)
{
	for (size_t i = 0; i < s->n_runbooks; i++) {
		const scn_runbook *rb = &s->runbooks[i];
		bool verify = false;
		for (size_t j = 0; j < rb->n_steps; j++)
			verify = verify || rb->steps[j].verify;
		if (!verify)
			scn_lint_add(out, r, rb->pos, "runbook \"%s\" has no verification step",
				     scn_disaster_names[rb->kind]);
	}
}

/* Best case of a runbook for n databases: detection, every step at its
 * lower bound once, plus the extra waves of the tightest shared resource. */
static void check_capacity(const scenario *s, const scn_lint_rule *r, scn_lint_findings *out)
{
	for (size_t i = 0; i < s->n_runbooks; i++) {
		const scn_runbook *rb = &s->runbooks[i];
		const scn_disaster *d = disaster(s, rb->kind);
		size_t n = databases_hit(s, rb->kind);
		if (!d || n < 2)
			continue;
		double vars[SCN__NVAR] = {0}, zeros[SCN__NVAR] = {0}, lo, hi;
		vars[SCN_VAR_SIZE] = INFINITY;
		for (size_t j = 0; j < s->n_dbs; j++) {
			dr_expr_bounds(s->dbs[j].size, zeros, &lo, &hi);
			vars[SCN_VAR_SIZE] = fmin(vars[SCN_VAR_SIZE], fmax(lo, 0));
		}
		if (!isfinite(vars[SCN_VAR_SIZE]))
			vars[SCN_VAR_SIZE] = 0;
		vars[SCN_VAR_COUNT] = (double)n;
		dr_expr_bounds(d->detect, vars, &lo, &hi);
		double best = fmax(lo, 0), worst_extra = 0;
		const scn_step *neck = NULL;
		size_t neck_waves = 0;
		int neck_cap = 0;
		for (size_t j = 0; j < rb->n_steps; j++) {
			const scn_step *st = &rb->steps[j];
			dr_expr_bounds(st->model, vars, &lo, &hi);
			lo = fmax(lo, 0);
			best += lo;
			if (st->once || st->n_uses == 0)
				continue;
			int cap = 0;
			for (size_t u = 0; u < st->n_uses; u++) {
				int c = st->uses[u] >= 0 ? s->resources[st->uses[u]].capacity : 0;
				if (c > 0 && (cap == 0 || c < cap))
					cap = c;
			}
			if (cap == 0)
				continue;
			size_t waves = (n + (size_t)cap - 1) / (size_t)cap;
			double extra = (double)(waves - 1) * lo;
			if (waves > 1 && extra > worst_extra) {
				worst_extra = extra;
				neck = st;
				neck_waves = waves;
				neck_cap = cap;
			}
		}
		double rto = scn_objectives_for(s, rb->kind)->rto_s;
		if (!neck || best + worst_extra <= rto)
			continue;
		char a[32], b[32];
		scn_lint_add(out, r, neck->pos,
			     "%zu databases through step \"%s\" with %d at a time need %zu waves: \"%s\" takes at "
			     "least %s, beyond the RTO %s",
			     n, neck->name, neck_cap, neck_waves, scn_disaster_names[rb->kind],
			     dur(best + worst_extra, a, sizeof a), dur(rto, b, sizeof b));
	}
}

static void check_ransomware_account(const scenario *s, const scn_lint_rule *r, scn_lint_findings *out)
{
	const scn_disaster *d = disaster(s, SCN_DIS_RANSOMWARE);
	if (!d)
		return;
	const scn_protection *p = &s->protection;
	/* a copy under the default KMS key cannot reach another account (DR006) */
	for (size_t i = 0; i < p->n_copies; i++)
		if (p->copies[i].cross_account && copy_is_backup(&p->copies[i]) && p->copies[i].kms != SCN_KMS_DEFAULT)
			return;
	scn_lint_add(out, r, d->pos, "\"ransomware\" is listed but no backup is copied to another account");
}

static void check_log_upload(const scenario *s, const scn_lint_rule *r, scn_lint_findings *out)
{
	const scn_auto_backups *a = &s->protection.automated;
	if (!a->enabled)
		return;
	/* Where replicas cannot help, the recovery point is the last uploaded log. */
	const scn_objectives *o = NULL;
	const char *why = NULL;
	if (listed(s, SCN_DIS_CORRUPTION)) {
		o = scn_objectives_for(s, SCN_DIS_CORRUPTION);
		why = "for \"logical-corruption\"";
	} else if (s->protection.n_replicas == 0) {
		o = &s->objectives;
		why = "and no replica gives a newer recovery point";
	}
	if (!o || a->log_upload_s <= o->rpo_s)
		return;
	char x[32], y[32];
	scn_lint_add(out, r, a->pos, "logs are uploaded every %s, longer than the RPO %s %s",
		     dur(a->log_upload_s, x, sizeof x), dur(o->rpo_s, y, sizeof y), why);
}

static void check_no_drill(const scenario *s, const scn_lint_rule *r, scn_lint_findings *out)
{
	if (!s->drill.set)
		scn_lint_add(out, r, s->pos, "the scenario has no 'drill' section");
}

static void check_manual_only(const scenario *s, const scn_lint_rule *r, scn_lint_findings *out)
{
	for (size_t i = 0; i < s->n_runbooks; i++) {
		const scn_runbook *rb = &s->runbooks[i];
		bool automated = false;
		for (size_t j = 0; j < rb->n_steps; j++)
			automated = automated || rb->steps[j].action.driver != NULL;
		if (!automated && rb->n_steps > 0)
			scn_lint_add(out, r, rb->pos, "every step of runbook \"%s\" is manual or has no action",
				     scn_disaster_names[rb->kind]);
	}
}

static void check_percentile(const scenario *s, const scn_lint_rule *r, scn_lint_findings *out)
{
	if (s->objectives.percentile < 90)
		scn_lint_add(out, r, s->objectives.pos, "objectives hold at p%g only", s->objectives.percentile);
	for (size_t i = 0; i < s->n_disasters; i++) {
		const scn_objectives *o = &s->disasters[i].objectives;
		if (o->set && o->percentile < 90)
			scn_lint_add(out, r, o->pos, "objectives for \"%s\" hold at p%g only",
				     scn_disaster_names[s->disasters[i].kind], o->percentile);
	}
}

static void check_zero_rpo(const scenario *s, const scn_lint_rule *r, scn_lint_findings *out)
{
	bool sync = false;
	for (size_t i = 0; i < s->protection.n_replicas; i++)
		sync = sync || s->protection.replicas[i].mode == SCN_REPL_SYNC;
	for (size_t i = 0; i < s->n_disasters; i++) {
		scn_disaster_kind k = s->disasters[i].kind;
		const scn_objectives *o = scn_objectives_for(s, k);
		if (o->rpo_s > 0)
			continue;
		if (k == SCN_DIS_CORRUPTION || k == SCN_DIS_RANSOMWARE)
			scn_lint_add(out, r, o->pos, "RPO 0 for \"%s\": damaged data reaches every copy at once",
				     scn_disaster_names[k]);
		else if (!sync)
			scn_lint_add(out, r, o->pos, "RPO 0 for \"%s\" without a synchronous replica",
				     scn_disaster_names[k]);
	}
}

static void check_replica_lag(const scenario *s, const scn_lint_rule *r, scn_lint_findings *out)
{
	const scn_protection *p = &s->protection;
	for (size_t i = 0; i < p->n_replicas; i++) {
		const scn_replica *rep = &p->replicas[i];
		if (rep->mode != SCN_REPL_ASYNC || !rep->lag)
			continue;
		const scn_objectives *o = scn_objectives_for(s, rep->same_region ? SCN_DIS_INSTANCE : SCN_DIS_REGION);
		double q = quantile(rep->lag, o->percentile / 100.0);
		if (q <= o->rpo_s)
			continue;
		char a[32], b[32];
		scn_lint_add(out, r, rep->pos, "replica at \"%s\" lags %s at p%g, more than the RPO %s",
			     site_name(s, rep->site), dur(q, a, sizeof a), o->percentile, dur(o->rpo_s, b, sizeof b));
	}
}

/* ---- the rule table --------------------------------------------------- */

const scn_lint_rule scn_lint_rules[] = {
	{"DR001", SCN_LINT_ERROR, "automated backups disabled on RDS",
	 "With a backup retention of 0, RDS takes no automated snapshots and uploads no transaction logs: "
	 "there is no point-in-time recovery, and existing automated backups are deleted.",
	 "set 'protection.automated_backups.retention' to 1d..35d (7d or more is usual)", check_rds_backups_off},
	{"DR002", SCN_LINT_ERROR, "Aurora with backup retention 0",
	 "Aurora cannot disable automated backups (its minimum retention is 1 day), so the scenario "
	 "models something that cannot exist.",
	 "set 'protection.automated_backups.retention' to 1d..35d", check_aurora_retention_zero},
	{"DR003", SCN_LINT_WARNING, "every backup and replica in the primary region",
	 "A region outage takes the primary and everything stored in its region, automated backups "
	 "and snapshots included: nothing is left to recover from.",
	 "add a copy ('protection.copies' to a site in another region) or a replica in another region",
	 check_single_region},
	{"DR004", SCN_LINT_WARNING, "snapshot copy interval longer than the RPO",
	 "When only snapshot copies reach the DR region, a region outage loses everything written since "
	 "the last copy: up to the whole copy interval.",
	 "copy logs to the DR site (automated-backup replication or a log copy), add a cross-region "
	 "replica, or copy more often than the RPO",
	 check_snapshot_copy_interval},
	{"DR005", SCN_LINT_WARNING, "log copy delay longer than the RPO",
	 "Logs shipped to the DR site are the recovery point after a region outage; if they arrive "
	 "later than the RPO, the objective is missed at the stated percentile.",
	 "ship logs continuously (streaming or automated-backup replication) or relax the RPO",
	 check_log_copy_delay},
	{"DR006", SCN_LINT_ERROR, "cross-account copy encrypted with the default KMS key",
	 "A snapshot encrypted with the AWS-managed default KMS key cannot be shared with or copied "
	 "to another account: the copy fails, and the vault account stays empty.",
	 "copy the snapshot with a customer-managed key shared with the destination account "
	 "(kms_key: customer-managed)",
	 check_kms_default_shared},
	{"DR007", SCN_LINT_ERROR, "replicas as the only protection against logical corruption",
	 "Replicas apply a DROP TABLE or a bad UPDATE within seconds; only a backup from before the "
	 "event can restore the data.",
	 "enable automated backups (point-in-time recovery) or scheduled snapshots", check_replicas_only},
	{"DR008", SCN_LINT_ERROR, "retention shorter than corruption detection",
	 "Corruption found after the retention period has passed can only be restored from backups "
	 "that already hold the damage.",
	 "keep backups (or manual snapshots, or copies) longer than the p95 detection delay",
	 check_retention_vs_detect},
	{"DR009", SCN_LINT_WARNING, "synchronous replica in another region",
	 "Every commit waits for a round trip to the other region (tens of milliseconds), and an outage "
	 "of the link stalls the primary.",
	 "use a synchronous replica in another availability zone and an asynchronous one across regions",
	 check_sync_cross_region},
	{"DR010", SCN_LINT_WARNING, "runbook without a verification step",
	 "A restore that is never checked may bring back an empty or partial database; recovery ends "
	 "when the data is verified, not when the instance is up.",
	 "add a step named verify* (or 'verify: true') that checks row counts or application health",
	 check_no_verify},
	{"DR011", SCN_LINT_ERROR, "restore capacity too small for the fleet",
	 "When a disaster hits N databases and a step can run k at a time, the last one finishes after "
	 "ceil(N/k) waves: even with every step at its fastest, the RTO is missed.",
	 "raise the resource's capacity (restore slots, operators), restore by tier, or relax the RTO",
	 check_capacity},
	{"DR012", SCN_LINT_ERROR, "ransomware without a cross-account copy",
	 "An attacker holding the account can delete or encrypt every backup stored in it; only a copy "
	 "in a separate account (a vault) survives.",
	 "copy snapshots or automated backups to a site with another 'account'", check_ransomware_account},
	{"DR013", SCN_LINT_WARNING, "log upload interval longer than the RPO",
	 "Point-in-time recovery reaches the last uploaded transaction log (every ~5 minutes on RDS); "
	 "anything newer is lost.",
	 "ship logs continuously (WAL archiving with archive_timeout below the RPO), or relax the RPO for this kind", check_log_upload},
	{"DR014", SCN_LINT_INFO, "no drill section",
	 "A recovery that is never rehearsed is a hypothesis; drills measure the real RPO and RTO and "
	 "calibrate the model.",
	 "add a 'drill' section (driver: postgres-sandbox to start) and run 'drsim drill' regularly",
	 check_no_drill},
	{"DR015", SCN_LINT_WARNING, "runbook with manual steps only",
	 "A runbook without any automated action cannot be drilled end to end and depends on people "
	 "being available and awake.",
	 "give the technical steps a driver action (db, shell, http, aws-rds)", check_manual_only},
	{"DR016", SCN_LINT_WARNING, "objectives percentile below 90",
	 "An objective met at p50 or p80 is missed in one disaster out of two or five; auditors and "
	 "SLAs expect p90 or more.",
	 "set 'percentile' to 90, 95 or 99", check_percentile},
	{"DR017", SCN_LINT_ERROR, "RPO 0 that cannot be met",
	 "Only a synchronous replica loses no acknowledged write, and nothing gives RPO 0 against "
	 "corruption or ransomware: the damage is replicated at once.",
	 "add a synchronous replica, or set a realistic RPO for this kind", check_zero_rpo},
	{"DR018", SCN_LINT_WARNING, "replica lag beyond the RPO",
	 "After a failover to an asynchronous replica, the data lost is its lag at the event; a lag "
	 "above the RPO misses the objective.",
	 "reduce the lag (bigger replica, faster link), use a synchronous replica, or relax the RPO",
	 check_replica_lag},
};
const size_t scn_lint_n_rules = sizeof(scn_lint_rules) / sizeof(scn_lint_rules[0]);

const scn_lint_rule *scn_lint_rule_find(const char *id)
{
	for (size_t i = 0; i < scn_lint_n_rules; i++)
		if (!strcmp(scn_lint_rules[i].id, id))
			return &scn_lint_rules[i];
	return NULL;
}

void scn_lint_run(const scenario *s, scn_lint_findings *out)
{
	for (size_t i = 0; i < scn_lint_n_rules; i++)
		scn_lint_rules[i].check(s, &scn_lint_rules[i], out);
}

size_t scn_lint_count(const scn_lint_findings *f, scn_lint_sev sev)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		n += f->v[i].sev == sev;
	return n;
}

bool scn_lint_has(const scn_lint_findings *f, const char *id)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->v[i].id, id))
			return true;
	return false;
}

void scn_lint_print_text(const scn_lint_findings *findings, void *fp)
{
	FILE *f = fp;
	for (size_t i = 0; i < findings->n; i++) {
		const scn_lint_finding *x = &findings->v[i];
		fprintf(f, "%s:%d:%d: %s: [%s] %s\n  fix: %s\n", x->pos.file ? x->pos.file : "<input>", x->pos.line,
			x->pos.col, scn_lint_sev_names[x->sev], x->id, x->msg, x->fix);
	}
}

json_t *scn_lint_json(const scn_lint_findings *findings)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < findings->n; i++) {
		const scn_lint_finding *x = &findings->v[i];
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:i, s:i, s:s, s:s}", "id", x->id, "severity",
						     scn_lint_sev_names[x->sev], "file",
						     x->pos.file ? x->pos.file : "<input>", "line", x->pos.line, "col",
						     x->pos.col, "message", x->msg, "fix", x->fix));
	}
	return arr;
}

void scn_lint_findings_release(scn_lint_findings *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i].msg);
	free(f->v);
	memset(f, 0, sizeof(*f));
}
