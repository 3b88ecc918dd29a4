/*
 * aws_rds.c - the "aws-rds" drill driver: RDS and Aurora drills through the
 * Query API (rds.c over aws_http.c, SigV4-signed).  What lives here is the
 * drill's side: the options, the account guard, the resources a drill
 * creates (named, tagged, journalled, removed), the runbook operations,
 * their plan (describe) and the recovery point each recovery reaches.
 *
 * Options (scenario: drill: { driver: aws-rds, region: R, allow_accounts:
 * [...], params: { ... } }):
 *   region (drill.region)  region of the sources (default: the primary site's)
 *   source_instance        RDS: the source DB instance id (only ever read)
 *   source_cluster         Aurora: the source DB cluster id (only ever read)
 *   dr_region              DR region (default: the scenario's dr site region)
 *   kms_key                customer-managed KMS key in the DR region, for
 *                          snapshot copies, replicas and secondary clusters
 *   instance_class         class of the instances a drill creates
 *   share_account          account a snapshot is shared with (share-snapshot)
 *   prepare                operations run by set-up, before the event (space
 *                          separated; default by strategy, see below)
 *   pitr_margin            restore-pitr to: before-event restores to the
 *                          event minus this
 *   poll                   waiter delay between Describe calls (SDK: 30 s)
 *
 * Safety: set-up asks STS for the caller's account and refuses (DR_GUARD)
 * unless it is in drill.allow_accounts - before any mutation.  Sources are
 * only described, never changed: a drill promotes, fails over and deletes
 * only what it created itself.  Every created resource is named
 * drsim-<run>-<step> (lowercase), tagged drsim-run=<run>, journalled
 * before and after its creation and removed only when its tag says it is
 * the run's (rds.c checks with ListTagsForResource first).  A disaster is
 * not injected into AWS: the event is declared at the injection instant
 * and the sources' LatestRestorableTime is read at that moment.
 *
 * Set-up's default "prepare" (the protection that exists before a real
 * event, built by the drill from the sources so that nothing of
 * production is touched):
 *   RDS backup-restore       create-snapshot copy-snapshot [share-snapshot] wait-available
 *   RDS other strategies     create-replica wait-available   (a standby of the drill's own)
 *   Aurora backup-restore    (nothing: continuous backups)
 *   Aurora other strategies  create-global   (a clone of the source as primary,
 *                            a global database around it and a secondary
 *                            cluster with one instance in the DR region)
 *
 * Runbook operations (action: { driver: db, op: OP, ... }): create-snapshot
 * (source), copy-snapshot (snapshot, region, kms_key; cross-region with a
 * PreSignedUrl), share-snapshot (snapshot, account; refused at plan time
 * and at run time for a snapshot encrypted with the default KMS key),
 * restore-snapshot (snapshot), restore-pitr (to: latest | before-event |
 * ISO time; source), create-replica (source, region), promote-replica
 * (target), failover-global (global_cluster, target), clone (source, to:
 * an Aurora copy-on-write clone), wait-available (target), verify
 * (target).  A reference (snapshot, target, ...) is a step name of this
 * run or a resource id; by default the newest fitting resource of the run.
 *
 * Measurement: there is no database endpoint this driver could reach with
 * a canary, so RPO comes from the API's timestamps (a snapshot's
 * SnapshotCreateTime, the LatestRestorableTime read at the event, a PITR's
 * RestoreTime) and RTO ends when a Describe call first shows the
 * recovered resource available (wait-available or the health check).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aws_config.h"
#include "aws_http.h"
#include "driver.h"
#include "rds.h"
#include "units.h"

#define AWS_ID 64
#define AWS_REGION 32
#define AWS_MAX_RES 32
#define AWS_WAIT_POLLS 60 /* the SDK waiters' attempts, when no deadline is set */

static const drv_option aws_options[] = {
	{"source_instance", "string", NULL, "RDS: the source DB instance id (only ever read)"},
	{"source_cluster", "string", NULL, "Aurora: the source DB cluster id (only ever read)"},
	{"dr_region", "string", NULL, "DR region (default: the scenario's dr site region)"},
	{"kms_key", "string", NULL, "customer-managed KMS key in the DR region for copies, replicas, secondaries"},
	{"instance_class", "string", "db.r6g.large", "class of the instances a drill creates"},
	{"share_account", "string", NULL, "account id share-snapshot shares with"},
	{"prepare", "string", NULL, "operations set-up runs before the event (default by strategy)"},
	{"pitr_margin", "duration", "1s", "restore-pitr to: before-event restores to the event minus this"},
	{"poll", "duration", "30s", "waiter delay between Describe calls"},
	{0},
};

typedef enum { AK_INSTANCE, AK_CLUSTER, AK_SNAPSHOT, AK_GLOBAL, AK__N } aws_kind;
static const char *const kind_names[AK__N] = {"db-instance", "db-cluster", "db-snapshot", "db-global-cluster"};

/* One resource the run created (or, in a plan, would create). */
typedef struct {
	aws_kind kind;
	char id[AWS_ID];
	char region[AWS_REGION];
	char global[AWS_ID];        /* clusters: the global cluster they joined */
	char step[64];              /* the step (or prepare op) that made it */
	char failover_to[256];      /* globals: the writer a failover asked for */
	bool promoted;              /* instances: a promotion was asked for */
	bool recovery;              /* the result of a recovery (restore, promote, failover, clone) */
} aws_res;

typedef struct {
	bool account_ok;
	char region[AWS_REGION], dr_region[AWS_REGION];
	bool aurora;
	char engine[48];
	bool source_encrypted;
	double lrt_at_event;          /* source's LatestRestorableTime at the event */
	aws_res res[AWS_MAX_RES];
	size_t n_res;
	int last_snapshot, replica, global, secondary, target, recovered; /* res index + 1, 0 = none */
	bool plan_kms_default;        /* plan: the newest snapshot uses the default KMS key */
	bool plan_kms_unknown;        /* plan: its key is the source's (checked at run time) */
} aws_state;

typedef struct {
	drv_aws *aws;
	drv_rds rds;
} aws_client;

/* --- options and names ------------------------------------------------- */

static double opt_duration(const drv_ctx *c, const char *name, double def)
{
	dr_qty q;
	const char *v = drv_opt(c, name);
	if (!v || dr_qty_parse(v, &q, NULL) != DR_OK || !dr_dim_eq(q.dim, DR_DIM_TIME) || q.v < 0)
		return def;
	return q.v;
}

static const char *param(const scn_step *s, const char *key)
{
	return s ? scn_action_param(&s->action, key) : NULL;
}

static void set_regions(drv_ctx *c)
{
	aws_state *st = c->priv;
	const scenario *scn = c->scn;
	const char *src = scn && scn->drill.region ? scn->drill.region
			  : scn && scn->n_sites ? scn->sites[scn->primary].region : "us-east-1";
	const char *dr = drv_opt(c, "dr_region");
	if (!dr) dr = scn && scn->dr >= 0 ? scn->sites[scn->dr].region : src;
	snprintf(st->region, sizeof st->region, "%s", src);
	snprintf(st->dr_region, sizeof st->dr_region, "%s", dr);
	st->aurora = drv_opt(c, "source_cluster") != NULL;
}

/* drsim-<run>-<suffix>: lowercase letters, digits and single hyphens, at
 * most 63 characters (RDS identifiers). */
static void res_name(const drv_ctx *c, const char *suffix, char out[AWS_ID])
{
	char raw[256];
	snprintf(raw, sizeof raw, "drsim-%s-%s", c->run_id, suffix);
	size_t n = 0;
	for (const char *p = raw; *p && n < AWS_ID - 1; p++) {
		char ch = isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : '-';
		if (ch == '-' && (n == 0 || out[n - 1] == '-')) continue;
		out[n++] = ch;
	}
	while (n > 0 && out[n - 1] == '-') n--;
	out[n] = '\0';
}

static const char *step_suffix(const scn_step *s, const char *dflt)
{
	return s ? s->name : dflt;
}

/* --- clients, journal, resources ---------------------------------------- */

static dr_err client_open(const char *region, const char *run, double poll, FILE *log, aws_client *cl)
{
	drv_aws_config cfg;
	dr_err err = drv_aws_config_load(region, &cfg);
	if (err) return err;
	cl->aws = drv_aws_new(&cfg);
	drv_aws_set_log(cl->aws, log);
	drv_rds_init(&cl->rds, cl->aws, run);
	cl->rds.poll_s = poll;
	cl->rds.max_polls = AWS_WAIT_POLLS;
	return DR_OK;
}

static dr_err open_ctx(drv_ctx *c, aws_client *cl)
{
	aws_state *st = c->priv;
	return client_open(st->region, c->run_id, opt_duration(c, "poll", 30), c->log, cl);
}

static void client_close(aws_client *cl)
{
	drv_aws_free(cl->aws);
	cl->aws = NULL;
}

static dr_err journal_res(drv_ctx *c, const char *phase, const aws_res *r)
{
	json_t *extra = json_pack("{s:s, s:f}", "region", r->region, "poll", opt_duration(c, "poll", 30));
	if (r->global[0]) json_object_set_new(extra, "global", json_string(r->global));
	return drv_journal(c, phase, "create", kind_names[r->kind], r->id, extra);
}

/* Record a resource about to be created: in the run's list and, for a
 * drill, in the journal (phase begin).  *idx gets its index + 1. */
static dr_err res_begin(drv_ctx *c, aws_kind kind, const char *id, const char *region, const char *global,
			const char *step, int *idx)
{
	aws_state *st = c->priv;
	if (st->n_res == AWS_MAX_RES) {
		dr_error("aws-rds: more than %d resources in one drill", AWS_MAX_RES);
		return DR_USAGE;
	}
	aws_res *r = &st->res[st->n_res];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	snprintf(r->id, sizeof r->id, "%s", id);
	snprintf(r->region, sizeof r->region, "%s", region);
	snprintf(r->global, sizeof r->global, "%s", global ? global : "");
	snprintf(r->step, sizeof r->step, "%s", step);
	*idx = (int)++st->n_res;
	return c->dry_run ? DR_OK : journal_res(c, "begin", r);
}

static dr_err res_end(drv_ctx *c, int idx, dr_err err)
{
	aws_state *st = c->priv;
	dr_err jerr = journal_res(c, err ? "failed" : "done", &st->res[idx - 1]);
	return err ? err : jerr;
}

/* A reference to a resource: a step name or id of the run's own (newest
 * first) of kind k, else an outside id in region; NULL ref: dflt. */
static bool ref_res(aws_state *st, const char *ref, aws_kind k, int dflt, const char *region, aws_res *out)
{
	if (!ref) {
		if (!dflt) return false;
		*out = st->res[dflt - 1];
		return true;
	}
	for (size_t i = st->n_res; i-- > 0;)
		if (st->res[i].kind == k && (!strcmp(st->res[i].step, ref) || !strcmp(st->res[i].id, ref))) {
			*out = st->res[i];
			return true;
		}
	memset(out, 0, sizeof(*out));
	out->kind = k;
	snprintf(out->id, sizeof out->id, "%s", ref);
	snprintf(out->region, sizeof out->region, "%s", region);
	return true;
}

static int index_of(const aws_state *st, const aws_res *r)
{
	for (size_t i = 0; i < st->n_res; i++)
		if (st->res[i].kind == r->kind && !strcmp(st->res[i].id, r->id)) return (int)i + 1;
	return 0;
}

static dr_err need_guard(const drv_ctx *c)
{
	const aws_state *st = c->priv;
	if (st->account_ok) return DR_OK;
	dr_error("aws-rds: the account was not confirmed against drill.allow_accounts: refusing to change anything");
	return DR_GUARD;
}

/* --- waiting -------------------------------------------------------------- */

static dr_err pause_until(double until, double deadline)
{
	while (dr_now_mono() < until) {
		if (drv_interrupted()) return DR_INTERRUPTED;
		if (deadline > 0 && dr_now_mono() >= deadline) return DR_TIMEOUT;
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	return DR_OK;
}

static const char *const failed_states[] = {"failed", "incompatible-restore", "incompatible-parameters",
					    "deleting", "deleted", "inaccessible-encryption-credentials"};

/* Poll r until it is available (a promoted instance: no longer a replica;
 * a global cluster after failover: the asked-for writer), within the
 * step's deadline or the SDK's 60 attempts.  *desc (may be NULL) gets the
 * last description of an instance, cluster or snapshot. */
static dr_err wait_res(drv_ctx *c, aws_client *cl, const aws_res *r, drv_rds_resource *desc, int *polls)
{
	double poll = cl->rds.poll_s;
	for (int i = 1;; i++) {
		*polls = i;
		bool ok = false, failed = false;
		char status[64] = "";
		dr_err err;
		if (r->kind == AK_GLOBAL) {
			drv_rds_global g;
			err = drv_rds_describe_global(&cl->rds, r->region, r->id, &g);
			if (err == DR_NOTFOUND) dr_error("global cluster \"%s\" not found", r->id);
			if (err) return err;
			snprintf(status, sizeof status, "%s", g.status ? g.status : "?");
			ok = g.status && !strcmp(g.status, "available") &&
			     (!r->failover_to[0] || (g.writer_arn && !strcmp(g.writer_arn, r->failover_to)));
			drv_rds_global_release(&g);
		} else {
			drv_rds_resource d;
			err = drv_rds_describe(&cl->rds, r->region, (drv_rds_kind)r->kind, r->id, &d);
			if (err) return err;
			snprintf(status, sizeof status, "%s", d.status ? d.status : "?");
			ok = d.status && !strcmp(d.status, "available") && !(r->promoted && d.source);
			for (size_t k = 0; k < sizeof failed_states / sizeof *failed_states; k++)
				failed = failed || (d.status && !strcmp(d.status, failed_states[k]));
			if (ok && desc)
				*desc = d;
			else
				drv_rds_resource_release(&d);
		}
		if (ok) return DR_OK;
		if (failed) {
			dr_error("%s \"%s\" reached status \"%s\" while waiting for \"available\"", kind_names[r->kind],
				 r->id, status);
			return DR_REMOTE;
		}
		if (c->deadline_mono <= 0 && i >= AWS_WAIT_POLLS) {
			dr_error("%s \"%s\" not available after %d polls (status \"%s\")", kind_names[r->kind], r->id, i,
				 status);
			return DR_TIMEOUT;
		}
		err = pause_until(dr_now_mono() + poll, c->deadline_mono);
		if (err == DR_TIMEOUT)
			dr_error("%s \"%s\" not available before the step's timeout (status \"%s\")",
				 kind_names[r->kind], r->id, status);
		if (err) return err;
	}
}

/* --- removal (clean-up and drsim cleanup) ----------------------------- */

static dr_err remove_res(aws_client *cl, aws_kind kind, const char *id, const char *region, const char *global)
{
	drv_rds *r = &cl->rds;
	dr_err err = DR_OK;
	switch (kind) {
	case AK_INSTANCE:
		err = drv_rds_delete(r, region, DRV_RDS_INSTANCE, id);
		if (!err) err = drv_rds_wait_deleted(r, region, DRV_RDS_INSTANCE, id);
		break;
	case AK_CLUSTER:
		if (global && *global) {
			drv_rds_resource d;
			err = drv_rds_describe(r, region, DRV_RDS_CLUSTER, id, &d);
			if (err == DR_NOTFOUND) return DR_OK;
			if (err) return err;
			bool ours = false;
			err = drv_rds_tagged_by_run(r, region, d.arn, &ours);
			if (!err && !ours) {
				dr_error("refusing to detach db-cluster \"%s\": not tagged %s=%s", id, DRV_RDS_RUN_TAG,
					 r->run_id);
				err = DR_GUARD;
			}
			if (!err) err = drv_rds_detach_global(r, region, global, d.arn);
			drv_rds_resource_release(&d);
			if (!err) err = drv_rds_wait_available(r, region, DRV_RDS_CLUSTER, id, NULL);
			if (err) return err;
		}
		err = drv_rds_delete(r, region, DRV_RDS_CLUSTER, id);
		if (!err) err = drv_rds_wait_deleted(r, region, DRV_RDS_CLUSTER, id);
		break;
	case AK_SNAPSHOT:
		err = drv_rds_delete(r, region, DRV_RDS_SNAPSHOT, id);
		break;
	case AK_GLOBAL:
		err = drv_rds_delete_global(r, region, id);
		break;
	default:
		DR_BUG("unknown aws kind %d", (int)kind);
	}
	return err;
}

static int kind_parse(const char *name)
{
	for (int k = 0; name && k < AK__N; k++)
		if (!strcmp(name, kind_names[k])) return k;
	return -1;
}

static dr_err aws_cleanup_entry(const json_t *entry, const char *run)
{
	int kind = kind_parse(json_string_value(json_object_get(entry, "kind")));
	if (kind < 0) return drv_remove_entry(entry, run);
	const char *id = json_string_value(json_object_get(entry, "id"));
	const char *region = json_string_value(json_object_get(entry, "region"));
	const char *global = json_string_value(json_object_get(entry, "global"));
	double poll = json_number_value(json_object_get(entry, "poll"));
	if (!id || !region) {
		dr_error("journal entry for a %s lacks its id or region", kind_names[kind]);
		return DR_PARSE;
	}
	aws_client cl;
	dr_err err = client_open(region, run, poll > 0 ? poll : 30, NULL, &cl);
	if (err) return err;
	err = remove_res(&cl, (aws_kind)kind, id, region, global);
	client_close(&cl);
	return err;
}

static dr_err aws_cleanup(drv_ctx *c)
{
	aws_state *st = c->priv;
	if (st->n_res == 0) return DR_OK;
	aws_client cl;
	dr_err err = open_ctx(c, &cl), first = DR_OK;
	if (err) return err;
	for (size_t i = st->n_res; i-- > 0;) {
		const aws_res *r = &st->res[i];
		err = drv_journal(c, "begin", "destroy", kind_names[r->kind], r->id, NULL);
		if (!err) err = remove_res(&cl, r->kind, r->id, r->region, r->global);
		drv_log(c, "remove %s %s: %s", kind_names[r->kind], r->id, err ? dr_strerror(err) : "removed");
		dr_err jerr = drv_journal(c, err ? "failed" : "done", "destroy", kind_names[r->kind], r->id, NULL);
		if (!first) first = err ? err : jerr;
	}
	client_close(&cl);
	if (!first) st->n_res = 0;
	return first;
}

/* --- operations ------------------------------------------------------------ */

typedef struct aws_op aws_op;
struct aws_op {
	const char *name;
	const char *dflt_suffix; /* name suffix when run by set-up */
	dr_err (*run)(drv_ctx *c, aws_client *cl, const scn_step *s, drv_step_out *out);
	dr_err (*plan)(drv_ctx *c, const scn_step *s, dr_buf *out);
};

static void set_detail(drv_step_out *out, const char *fmt, ...) DR_PRINTF(2, 3);
static void set_detail(drv_step_out *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out->detail, sizeof out->detail, fmt, ap);
	va_end(ap);
}

static void set_recovery_point(drv_step_out *out, double at, const char *fmt, ...) DR_PRINTF(3, 4);
static void set_recovery_point(drv_step_out *out, double at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	out->recovery_point = at;
	vsnprintf(out->recovery_point_source, sizeof out->recovery_point_source, fmt, ap);
	va_end(ap);
}

static const char *source_instance(const drv_ctx *c, const scn_step *s)
{
	const char *src = param(s, "source");
	return src ? src : drv_opt(c, "source_instance");
}

static const char *source_cluster(const drv_ctx *c, const scn_step *s)
{
	const char *src = param(s, "source");
	return src ? src : drv_opt(c, "source_cluster");
}

static dr_err need(const char *what, const char *op, const char *value)
{
	if (value) return DR_OK;
	dr_error("aws-rds %s: no %s (set it in the step or in drill.params)", op, what);
	return DR_USAGE;
}

static void api(dr_buf *out, const char *region, const char *action, const char *fmt, ...) DR_PRINTF(4, 5);
static void api(dr_buf *out, const char *region, const char *action, const char *fmt, ...)
{
	dr_buf_printf(out, "http POST rds.%s %s", region, action);
	if (fmt && *fmt) {
		va_list ap;
		va_start(ap, fmt);
		dr_buf_puts(out, " ");
		dr_buf_vprintf(out, fmt, ap);
		va_end(ap);
	}
	dr_buf_puts(out, "\n");
}

/* create-snapshot */
static dr_err run_create_snapshot(drv_ctx *c, aws_client *cl, const scn_step *s, drv_step_out *out)
{
	aws_state *st = c->priv;
	const char *src = source_instance(c, s);
	dr_err err = need("source instance", "create-snapshot", src);
	if (err) return err;
	char id[AWS_ID];
	res_name(c, step_suffix(s, "snap"), id);
	int idx;
	if ((err = res_begin(c, AK_SNAPSHOT, id, st->region, NULL, step_suffix(s, "snap"), &idx))) return err;
	drv_rds_param p[2] = {{"DBSnapshotIdentifier", id}, {"DBInstanceIdentifier", src}};
	err = res_end(c, idx, drv_rds_create(&cl->rds, st->region, "CreateDBSnapshot", DRV_RDS_SNAPSHOT, id, p, 2));
	st->last_snapshot = st->target = idx;
	set_detail(out, "CreateDBSnapshot %s of %s in %s", id, src, st->region);
	return err;
}

static dr_err plan_create_snapshot(drv_ctx *c, const scn_step *s, dr_buf *out)
{
	aws_state *st = c->priv;
	const char *src = source_instance(c, s);
	dr_err err = need("source instance", "create-snapshot", src);
	if (err) return err;
	char id[AWS_ID];
	res_name(c, step_suffix(s, "snap"), id);
	int idx;
	if ((err = res_begin(c, AK_SNAPSHOT, id, st->region, NULL, step_suffix(s, "snap"), &idx))) return err;
	api(out, st->region, "CreateDBSnapshot", "DBSnapshotIdentifier=%s DBInstanceIdentifier=%s Tags=%s:%s", id, src,
	    DRV_RDS_RUN_TAG, c->run_id);
	st->last_snapshot = st->target = idx;
	st->plan_kms_default = false;
	st->plan_kms_unknown = true;
	return DR_OK;
}

/* copy-snapshot */
static const char *copy_kms(const drv_ctx *c, const scn_step *s)
{
	const char *k = param(s, "kms_key");
	return k ? k : drv_opt(c, "kms_key");
}

static const char *copy_dest(const drv_ctx *c, const scn_step *s)
{
	const aws_state *st = c->priv;
	const char *r = param(s, "region");
	return r ? r : st->dr_region;
}

static dr_err run_copy_snapshot(drv_ctx *c, aws_client *cl, const scn_step *s, drv_step_out *out)
{
	aws_state *st = c->priv;
	aws_res from;
	if (!ref_res(st, param(s, "snapshot"), AK_SNAPSHOT, st->last_snapshot, st->region, &from))
		return need("snapshot", "copy-snapshot", NULL);
	drv_rds_resource d;
	int polls;
	dr_err err = wait_res(c, cl, &from, &d, &polls);
	if (err) return err;
	const char *dest = copy_dest(c, s), *kms = copy_kms(c, s);
	char id[AWS_ID];
	res_name(c, step_suffix(s, "copy"), id);
	bool cross = strcmp(from.region, dest) != 0;
	char *url = cross ? drv_rds_copy_presigned_url(&cl->rds, from.region, dest, d.arn, id, kms) : NULL;
	drv_rds_param p[4] = {{"SourceDBSnapshotIdentifier", cross ? d.arn : from.id}, {"TargetDBSnapshotIdentifier", id}};
	size_t n = 2;
	if (kms) p[n++] = (drv_rds_param){"KmsKeyId", kms};
	if (url) p[n++] = (drv_rds_param){"PreSignedUrl", url};
	int idx;
	err = res_begin(c, AK_SNAPSHOT, id, dest, NULL, step_suffix(s, "copy"), &idx);
	if (!err)
		err = res_end(c, idx, drv_rds_create(&cl->rds, dest, "CopyDBSnapshot", DRV_RDS_SNAPSHOT, id, p, n));
	free(url);
	set_detail(out, "CopyDBSnapshot %s (%s) -> %s (%s)%s%s", from.id, from.region, id, dest,
		   cross ? ", presigned for the source region" : "", kms ? ", customer-managed key" : "");
	drv_rds_resource_release(&d);
	if (!err) st->last_snapshot = st->target = idx;
	return err;
}

static dr_err plan_copy_snapshot(drv_ctx *c, const scn_step *s, dr_buf *out)
{
	aws_state *st = c->priv;
	aws_res from;
	if (!ref_res(st, param(s, "snapshot"), AK_SNAPSHOT, st->last_snapshot, st->region, &from))
		return need("snapshot", "copy-snapshot", NULL);
	const char *dest = copy_dest(c, s), *kms = copy_kms(c, s);
	char id[AWS_ID];
	res_name(c, step_suffix(s, "copy"), id);
	bool cross = strcmp(from.region, dest) != 0;
	api(out, from.region, "DescribeDBSnapshots", "DBSnapshotIdentifier=%s (every %s until available)", from.id,
	    drv_opt(c, "poll"));
	api(out, dest, "CopyDBSnapshot", "SourceDBSnapshotIdentifier=%s%s%s TargetDBSnapshotIdentifier=%s%s%s%s Tags=%s:%s",
	    cross ? "<arn of " : "", from.id, cross ? ">" : "", id, kms ? " KmsKeyId=" : "", kms ? kms : "",
	    cross ? " PreSignedUrl=<signed for the source region, never shown>" : "", DRV_RDS_RUN_TAG, c->run_id);
	int idx;
	dr_err err = res_begin(c, AK_SNAPSHOT, id, dest, NULL, step_suffix(s, "copy"), &idx);
	st->last_snapshot = st->target = idx;
	if (kms) {
		st->plan_kms_default = drv_rds_kms_is_default(kms);
		st->plan_kms_unknown = false;
	}
	return err;
}

/* share-snapshot */
static const char *share_account(const drv_ctx *c, const scn_step *s)
{
	const char *a = param(s, "account");
	return a ? a : drv_opt(c, "share_account");
}

static dr_err run_share_snapshot(drv_ctx *c, aws_client *cl, const scn_step *s, drv_step_out *out)
{
	aws_state *st = c->priv;
	aws_res snap;
	const char *acct = share_account(c, s);
	dr_err err = need("account", "share-snapshot", acct);
	if (err) return err;
	if (!ref_res(st, param(s, "snapshot"), AK_SNAPSHOT, st->last_snapshot, st->region, &snap))
		return need("snapshot", "share-snapshot", NULL);
	int polls;
	if ((err = wait_res(c, cl, &snap, NULL, &polls))) return err;
	json_t *extra = json_pack("{s:s, s:s}", "region", snap.region, "account", acct);
	if ((err = drv_journal(c, "begin", "modify", "db-snapshot-attribute", snap.id, extra))) return err;
	const char *accounts[] = {acct};
	err = drv_rds_share_snapshot(&cl->rds, snap.region, snap.id, accounts, 1);
	dr_err jerr = drv_journal(c, err ? "failed" : "done", "modify", "db-snapshot-attribute", snap.id, NULL);
	set_detail(out, "ModifyDBSnapshotAttribute %s restore += %s", snap.id, acct);
	return err ? err : jerr;
}

static dr_err plan_share_snapshot(drv_ctx *c, const scn_step *s, dr_buf *out)
{
	aws_state *st = c->priv;
	aws_res snap;
	const char *acct = share_account(c, s);
	dr_err err = need("account", "share-snapshot", acct);
	if (err) return err;
	if (!ref_res(st, param(s, "snapshot"), AK_SNAPSHOT, st->last_snapshot, st->region, &snap))
		return need("snapshot", "share-snapshot", NULL);
	if (st->plan_kms_default) {
		dr_error("aws-rds share-snapshot: refusing to share db-snapshot \"%s\": it is encrypted with the default "
			 "KMS key, which cannot be shared; copy it with a customer-managed key (kms_key) first",
			 snap.id);
		return DR_GUARD;
	}
	api(out, snap.region, "ListTagsForResource", "ResourceName=<arn of %s> (must carry %s=%s)", snap.id,
	    DRV_RDS_RUN_TAG, c->run_id);
	api(out, snap.region, "ModifyDBSnapshotAttribute",
	    "DBSnapshotIdentifier=%s AttributeName=restore ValuesToAdd.AttributeValue.1=%s%s", snap.id, acct,
	    st->plan_kms_unknown ? " (refused if its KmsKeyId is the default key)" : "");
	return DR_OK;
}

/* restore-snapshot */
static dr_err run_restore_snapshot(drv_ctx *c, aws_client *cl, const scn_step *s, drv_step_out *out)
{
	aws_state *st = c->priv;
	if (st->aurora) {
		dr_error("aws-rds restore-snapshot: Aurora restores use restore-pitr or clone");
		return DR_UNSUPPORTED;
	}
	aws_res snap;
	if (!ref_res(st, param(s, "snapshot"), AK_SNAPSHOT, st->last_snapshot, st->region, &snap))
		return need("snapshot", "restore-snapshot", NULL);
	drv_rds_resource d;
	int polls;
	dr_err err = wait_res(c, cl, &snap, &d, &polls);
	if (err) return err;
	char id[AWS_ID];
	res_name(c, step_suffix(s, "restore"), id);
	int idx;
	err = res_begin(c, AK_INSTANCE, id, snap.region, NULL, step_suffix(s, "restore"), &idx);
	if (!err)
		err = res_end(c, idx, drv_rds_restore_from_snapshot(&cl->rds, snap.region, id, snap.id,
								     drv_opt(c, "instance_class")));
	if (!err) {
		st->res[idx - 1].recovery = true;
		st->target = st->recovered = idx;
		char iso[32];
		dr_iso8601(d.created, iso);
		set_recovery_point(out, d.created, "SnapshotCreateTime %s of db-snapshot %s (%s), from the RDS API", iso,
				   snap.id, snap.region);
	}
	set_detail(out, "RestoreDBInstanceFromDBSnapshot %s from %s in %s", id, snap.id, snap.region);
	drv_rds_resource_release(&d);
	return err;
}

static dr_err plan_restore_snapshot(drv_ctx *c, const scn_step *s, dr_buf *out)
{
	aws_state *st = c->priv;
	aws_res snap;
	if (!ref_res(st, param(s, "snapshot"), AK_SNAPSHOT, st->last_snapshot, st->region, &snap))
		return need("snapshot", "restore-snapshot", NULL);
	char id[AWS_ID];
	res_name(c, step_suffix(s, "restore"), id);
	api(out, snap.region, "DescribeDBSnapshots", "DBSnapshotIdentifier=%s (until available; SnapshotCreateTime = the recovery point)", snap.id);
	api(out, snap.region, "RestoreDBInstanceFromDBSnapshot", "DBInstanceIdentifier=%s DBSnapshotIdentifier=%s DBInstanceClass=%s Tags=%s:%s",
	    id, snap.id, drv_opt(c, "instance_class"), DRV_RDS_RUN_TAG, c->run_id);
	int idx;
	dr_err err = res_begin(c, AK_INSTANCE, id, snap.region, NULL, step_suffix(s, "restore"), &idx);
	st->target = st->recovered = idx;
	return err;
}

/* restore-pitr and clone */
typedef struct {
	double t;          /* restore time, 0 = latest */
	const char *to;
	bool before_event;
} pitr_target;

static dr_err pitr_parse(const drv_ctx *c, const scn_step *s, pitr_target *pt)
{
	const char *to = param(s, "to");
	pt->to = to ? to : "latest";
	pt->t = 0;
	pt->before_event = !strcmp(pt->to, "before-event");
	if (!strcmp(pt->to, "latest")) return DR_OK;
	if (pt->before_event) {
		if (c->event_at <= 0 && !c->dry_run) {
			dr_error("aws-rds restore-pitr to before-event: no event time yet");
			return DR_USAGE;
		}
		pt->t = c->event_at - opt_duration(c, "pitr_margin", 1);
		return DR_OK;
	}
	pt->t = drv_rds_parse_time(pt->to);
	if (pt->t < 0) {
		dr_error("aws-rds restore-pitr: 'to' must be latest, before-event or an ISO 8601 UTC time, not '%s'", pt->to);
		return DR_USAGE;
	}
	return DR_OK;
}

/* Wait until the source's LatestRestorableTime passes t (logs are uploaded
 * every ~5 minutes: a target just before the event may not be restorable yet). */
static dr_err wait_restorable(drv_ctx *c, aws_client *cl, drv_rds_kind kind, const char *src, double t)
{
	for (;;) {
		drv_rds_resource d;
		dr_err err = drv_rds_describe(&cl->rds, ((aws_state *)c->priv)->region, kind, src, &d);
		if (err) return err;
		double lrt = d.latest_restorable;
		drv_rds_resource_release(&d);
		if (lrt >= floor(t)) return DR_OK;
		err = pause_until(dr_now_mono() + cl->rds.poll_s, c->deadline_mono);
		if (err == DR_TIMEOUT) dr_error("%s \"%s\": LatestRestorableTime did not reach the target in time",
						drv_rds_kind_names[kind], src);
		if (err) return err;
	}
}

static void pitr_recovery_point(drv_ctx *c, drv_step_out *out, const pitr_target *pt, const char *src, double rp)
{
	aws_state *st = c->priv;
	char iso[32];
	if (pt->t <= 0 && st->lrt_at_event > 0) {
		dr_iso8601(st->lrt_at_event, iso);
		set_recovery_point(out, st->lrt_at_event,
				   "LatestRestorableTime %s of %s read at the event, from the RDS API (the restore used "
				   "UseLatestRestorableTime; a drill's source keeps running, so later data would not "
				   "survive a real outage)", iso, src);
		return;
	}
	dr_iso8601(rp, iso);
	set_recovery_point(out, rp, "%s %s of %s, from the RDS API", pt->t > 0 ? "RestoreTime" : "LatestRestorableTime",
			   iso, src);
}

/* An Aurora cluster restored or cloned: wait for it, then add one instance. */
static dr_err cluster_instance(drv_ctx *c, aws_client *cl, int cluster_idx, const char *suffix, int *inst_idx)
{
	aws_state *st = c->priv;
	aws_res cl_res = st->res[cluster_idx - 1];
	int polls;
	dr_err err = wait_res(c, cl, &cl_res, NULL, &polls);
	if (err) return err;
	char id[AWS_ID], sfx[80];
	snprintf(sfx, sizeof sfx, "%s-1", suffix);
	res_name(c, sfx, id);
	if ((err = res_begin(c, AK_INSTANCE, id, cl_res.region, NULL, sfx, inst_idx))) return err;
	return res_end(c, *inst_idx, drv_rds_create_cluster_instance(&cl->rds, cl_res.region, id, cl_res.id,
								       st->engine[0] ? st->engine : "aurora-postgresql",
								       drv_opt(c, "instance_class")));
}

static dr_err restore_cluster(drv_ctx *c, aws_client *cl, const scn_step *s, drv_step_out *out, bool cow,
			      const char *dflt)
{
	aws_state *st = c->priv;
	const char *src = source_cluster(c, s), *suffix = step_suffix(s, dflt);
	pitr_target pt;
	dr_err err = need("source cluster", cow ? "clone" : "restore-pitr", src);
	if (!err) err = pitr_parse(c, s, &pt);
	if (!err && pt.t > 0) err = wait_restorable(c, cl, DRV_RDS_CLUSTER, src, pt.t);
	if (err) return err;
	char id[AWS_ID];
	res_name(c, suffix, id);
	int idx, inst;
	double rp = 0;
	if ((err = res_begin(c, AK_CLUSTER, id, st->region, NULL, suffix, &idx))) return err;
	err = res_end(c, idx, drv_rds_restore_cluster_pitr(&cl->rds, st->region, id, src, pt.t, cow, &rp));
	if (!err) err = cluster_instance(c, cl, idx, suffix, &inst);
	set_detail(out, "RestoreDBClusterToPointInTime %s from %s (RestoreType %s, to %s) + CreateDBInstance in it",
		   id, src, cow ? "copy-on-write" : "full-copy", pt.to);
	if (err) return err;
	st->res[inst - 1].recovery = true;
	st->target = st->recovered = inst;
	pitr_recovery_point(c, out, &pt, src, rp);
	return DR_OK;
}

static dr_err run_restore_pitr(drv_ctx *c, aws_client *cl, const scn_step *s, drv_step_out *out)
{
	aws_state *st = c->priv;
	if (st->aurora) return restore_cluster(c, cl, s, out, false, "pitr");
	const char *src = source_instance(c, s), *suffix = step_suffix(s, "pitr");
	pitr_target pt;
	dr_err err = need("source instance", "restore-pitr", src);
	if (!err) err = pitr_parse(c, s, &pt);
	if (!err && pt.t > 0) err = wait_restorable(c, cl, DRV_RDS_INSTANCE, src, pt.t);
	if (err) return err;
	char id[AWS_ID];
	res_name(c, suffix, id);
	int idx;
	double rp = 0;
	if ((err = res_begin(c, AK_INSTANCE, id, st->region, NULL, suffix, &idx))) return err;
	err = res_end(c, idx, drv_rds_restore_instance_pitr(&cl->rds, st->region, id, src, pt.t,
							      drv_opt(c, "instance_class"), &rp));
	set_detail(out, "RestoreDBInstanceToPointInTime %s from %s (to %s)", id, src, pt.to);
	if (err) return err;
	st->res[idx - 1].recovery = true;
	st->target = st->recovered = idx;
	pitr_recovery_point(c, out, &pt, src, rp);
	return DR_OK;
}

static dr_err plan_cluster(drv_ctx *c, const scn_step *s, dr_buf *out, bool cow, const char *dflt)
{
	aws_state *st = c->priv;
	const char *src = source_cluster(c, s), *suffix = step_suffix(s, dflt);
	pitr_target pt;
	dr_err err = need("source cluster", cow ? "clone" : "restore-pitr", src);
	if (!err) err = pitr_parse(c, s, &pt);
	if (err) return err;
	char id[AWS_ID], inst[AWS_ID], sfx[80];
	res_name(c, suffix, id);
	snprintf(sfx, sizeof sfx, "%s-1", suffix);
	res_name(c, sfx, inst);
	api(out, st->region, "DescribeDBClusters", "DBClusterIdentifier=%s (LatestRestorableTime%s)", src,
	    pt.before_event ? ": until it passes the event minus pitr_margin" : " = the recovery point");
	api(out, st->region, "RestoreDBClusterToPointInTime", "DBClusterIdentifier=%s SourceDBClusterIdentifier=%s RestoreType=%s %s Tags=%s:%s",
	    id, src, cow ? "copy-on-write" : "full-copy",
	    pt.before_event ? "RestoreToTime=<event - pitr_margin>" : pt.t > 0 ? "RestoreToTime=<to>" : "UseLatestRestorableTime=true",
	    DRV_RDS_RUN_TAG, c->run_id);
	api(out, st->region, "DescribeDBClusters", "DBClusterIdentifier=%s (every %s until available)", id, drv_opt(c, "poll"));
	api(out, st->region, "CreateDBInstance", "DBInstanceIdentifier=%s DBClusterIdentifier=%s DBInstanceClass=%s Tags=%s:%s",
	    inst, id, drv_opt(c, "instance_class"), DRV_RDS_RUN_TAG, c->run_id);
	int idx;
	if ((err = res_begin(c, AK_CLUSTER, id, st->region, NULL, suffix, &idx))) return err;
	if ((err = res_begin(c, AK_INSTANCE, inst, st->region, NULL, sfx, &idx))) return err;
	st->target = st->recovered = idx;
	return DR_OK;
}

static dr_err plan_restore_pitr(drv_ctx *c, const scn_step *s, dr_buf *out)
{
	aws_state *st = c->priv;
	if (st->aurora) return plan_cluster(c, s, out, false, "pitr");
	const char *src = source_instance(c, s), *suffix = step_suffix(s, "pitr");
	pitr_target pt;
	dr_err err = need("source instance", "restore-pitr", src);
	if (!err) err = pitr_parse(c, s, &pt);
	if (err) return err;
	char id[AWS_ID];
	res_name(c, suffix, id);
	api(out, st->region, "DescribeDBInstances", "DBInstanceIdentifier=%s (LatestRestorableTime%s)", src,
	    pt.before_event ? ": until it passes the event minus pitr_margin" : " = the recovery point");
	api(out, st->region, "RestoreDBInstanceToPointInTime", "TargetDBInstanceIdentifier=%s SourceDBInstanceIdentifier=%s %s DBInstanceClass=%s Tags=%s:%s",
	    id, src,
	    pt.before_event ? "RestoreTime=<event - pitr_margin>" : pt.t > 0 ? "RestoreTime=<to>" : "UseLatestRestorableTime=true",
	    drv_opt(c, "instance_class"), DRV_RDS_RUN_TAG, c->run_id);
	int idx;
	err = res_begin(c, AK_INSTANCE, id, st->region, NULL, suffix, &idx);
	st->target = st->recovered = idx;
	return err;
}

static dr_err run_clone(drv_ctx *c, aws_client *cl, const scn_step *s, drv_step_out *out)
{
	aws_state *st = c->priv;
	if (!st->aurora) {
		dr_error("aws-rds clone: copy-on-write clones are an Aurora feature (set source_cluster)");
		return DR_UNSUPPORTED;
	}
	return restore_cluster(c, cl, s, out, true, "clone");
}

static dr_err plan_clone(drv_ctx *c, const scn_step *s, dr_buf *out)
{
	aws_state *st = c->priv;
	if (!st->aurora) {
		dr_error("aws-rds clone: copy-on-write clones are an Aurora feature (set source_cluster)");
		return DR_UNSUPPORTED;
	}
	return plan_cluster(c, s, out, true, "clone");
}

/* create-replica */
static dr_err run_create_replica(drv_ctx *c, aws_client *cl, const scn_step *s, drv_step_out *out)
{
	aws_state *st = c->priv;
	const char *src = source_instance(c, s), *dest = copy_dest(c, s), *suffix = step_suffix(s, "standby");
	dr_err err = need("source instance", "create-replica", src);
	if (err) return err;
	drv_rds_resource d;
	if ((err = drv_rds_describe(&cl->rds, st->region, DRV_RDS_INSTANCE, src, &d))) return err;
	char id[AWS_ID];
	res_name(c, suffix, id);
	int idx;
	err = res_begin(c, AK_INSTANCE, id, dest, NULL, suffix, &idx);
	if (!err)
		err = res_end(c, idx, drv_rds_create_read_replica(&cl->rds, dest, id, d.arn, st->region,
								    drv_opt(c, "instance_class"), copy_kms(c, s)));
	set_detail(out, "CreateDBInstanceReadReplica %s in %s from %s (%s)", id, dest, src, st->region);
	drv_rds_resource_release(&d);
	if (!err) st->replica = st->target = idx;
	return err;
}

static dr_err plan_create_replica(drv_ctx *c, const scn_step *s, dr_buf *out)
{
	aws_state *st = c->priv;
	const char *src = source_instance(c, s), *dest = copy_dest(c, s), *suffix = step_suffix(s, "standby"),
		   *kms = copy_kms(c, s);
	dr_err err = need("source instance", "create-replica", src);
	if (err) return err;
	char id[AWS_ID];
	res_name(c, suffix, id);
	bool cross = strcmp(dest, st->region) != 0;
	api(out, st->region, "DescribeDBInstances", "DBInstanceIdentifier=%s (read only)", src);
	api(out, dest, "CreateDBInstanceReadReplica", "DBInstanceIdentifier=%s SourceDBInstanceIdentifier=<arn of %s> DBInstanceClass=%s%s%s%s Tags=%s:%s",
	    id, src, drv_opt(c, "instance_class"), cross && kms ? " KmsKeyId=" : "", cross && kms ? kms : "",
	    cross ? " PreSignedUrl=<signed for the source region, never shown>" : "", DRV_RDS_RUN_TAG, c->run_id);
	int idx;
	err = res_begin(c, AK_INSTANCE, id, dest, NULL, suffix, &idx);
	st->replica = st->target = idx;
	return err;
}

/* promote-replica */
static dr_err run_promote_replica(drv_ctx *c, aws_client *cl, const scn_step *s, drv_step_out *out)
{
	aws_state *st = c->priv;
	aws_res rep;
	if (!ref_res(st, param(s, "target"), AK_INSTANCE, st->replica, st->dr_region, &rep))
		return need("replica (create-replica first, or target)", "promote-replica", NULL);
	int polls;
	dr_err err = wait_res(c, cl, &rep, NULL, &polls);
	if (!err) err = drv_rds_promote_read_replica(&cl->rds, rep.region, rep.id);
	set_detail(out, "PromoteReadReplica %s in %s", rep.id, rep.region);
	if (err) return err;
	int idx = index_of(st, &rep);
	st->res[idx - 1].promoted = st->res[idx - 1].recovery = true;
	st->target = st->recovered = idx;
	set_recovery_point(out, c->event_at,
			   "the promoted replica %s was replicating at the event; its lag is not in the RDS API "
			   "(CloudWatch ReplicaLag), so this RPO is a lower bound", rep.id);
	return DR_OK;
}

static dr_err plan_promote_replica(drv_ctx *c, const scn_step *s, dr_buf *out)
{
	aws_state *st = c->priv;
	aws_res rep;
	if (!ref_res(st, param(s, "target"), AK_INSTANCE, st->replica, st->dr_region, &rep))
		return need("replica (create-replica first, or target)", "promote-replica", NULL);
	api(out, rep.region, "ListTagsForResource", "ResourceName=<arn of %s> (must carry %s=%s: a production standby is never promoted)",
	    rep.id, DRV_RDS_RUN_TAG, c->run_id);
	api(out, rep.region, "PromoteReadReplica", "DBInstanceIdentifier=%s", rep.id);
	st->target = st->recovered = index_of(st, &rep);
	return DR_OK;
}

/* create-global (set-up of Aurora standby strategies) */
static dr_err run_create_global(drv_ctx *c, aws_client *cl, const scn_step *s, drv_step_out *out)
{
	aws_state *st = c->priv;
	const char *src = source_cluster(c, s);
	dr_err err = need("source cluster", "create-global", src);
	if (err) return err;
	char primary[AWS_ID], global[AWS_ID], secondary[AWS_ID];
	res_name(c, "primary", primary);
	res_name(c, "global", global);
	res_name(c, "secondary", secondary);
	int p_idx, inst, g_idx, s_idx;
	double rp;
	if ((err = res_begin(c, AK_CLUSTER, primary, st->region, NULL, "primary", &p_idx))) return err;
	err = res_end(c, p_idx, drv_rds_restore_cluster_pitr(&cl->rds, st->region, primary, src, 0, true, &rp));
	if (!err) err = cluster_instance(c, cl, p_idx, "primary", &inst);
	drv_rds_resource d;
	memset(&d, 0, sizeof d);
	if (!err) err = drv_rds_describe(&cl->rds, st->region, DRV_RDS_CLUSTER, primary, &d);
	if (!err) err = res_begin(c, AK_GLOBAL, global, st->region, NULL, "global", &g_idx);
	if (!err) err = res_end(c, g_idx, drv_rds_create_global(&cl->rds, st->region, global, d.arn));
	drv_rds_resource_release(&d);
	int polls;
	if (!err) err = wait_res(c, cl, &st->res[g_idx - 1], NULL, &polls);
	if (!err) err = res_begin(c, AK_CLUSTER, secondary, st->dr_region, global, "secondary", &s_idx);
	if (!err)
		err = res_end(c, s_idx, drv_rds_create_secondary_cluster(&cl->rds, st->dr_region, secondary, global,
									   st->engine, drv_opt(c, "kms_key")));
	if (!err) err = cluster_instance(c, cl, s_idx, "secondary", &inst);
	if (!err) err = wait_res(c, cl, &st->res[inst - 1], NULL, &polls);
	set_detail(out, "global database %s: clone %s of %s (%s) + secondary %s (%s)", global, primary, src, st->region,
		   secondary, st->dr_region);
	if (err) return err;
	st->global = g_idx;
	st->secondary = s_idx;
	st->target = g_idx;
	return DR_OK;
}

static dr_err plan_create_global(drv_ctx *c, const scn_step *s, dr_buf *out)
{
	aws_state *st = c->priv;
	const char *src = source_cluster(c, s);
	dr_err err = need("source cluster", "create-global", src);
	if (err) return err;
	char primary[AWS_ID], global[AWS_ID], secondary[AWS_ID], p1[AWS_ID], s1[AWS_ID];
	res_name(c, "primary", primary);
	res_name(c, "global", global);
	res_name(c, "secondary", secondary);
	res_name(c, "primary-1", p1);
	res_name(c, "secondary-1", s1);
	const char *kms = drv_opt(c, "kms_key"), *cls = drv_opt(c, "instance_class");
	api(out, st->region, "RestoreDBClusterToPointInTime", "DBClusterIdentifier=%s SourceDBClusterIdentifier=%s RestoreType=copy-on-write UseLatestRestorableTime=true Tags=%s:%s (a clone: the source is only read)",
	    primary, src, DRV_RDS_RUN_TAG, c->run_id);
	api(out, st->region, "CreateDBInstance", "DBInstanceIdentifier=%s DBClusterIdentifier=%s DBInstanceClass=%s Tags=%s:%s", p1, primary, cls,
	    DRV_RDS_RUN_TAG, c->run_id);
	api(out, st->region, "CreateGlobalCluster", "GlobalClusterIdentifier=%s SourceDBClusterIdentifier=<arn of %s>", global, primary);
	api(out, st->region, "AddTagsToResource", "ResourceName=<arn of %s> Tags=%s:%s", global, DRV_RDS_RUN_TAG, c->run_id);
	api(out, st->dr_region, "CreateDBCluster", "DBClusterIdentifier=%s GlobalClusterIdentifier=%s Engine=<source's>%s%s Tags=%s:%s",
	    secondary, global, kms ? " KmsKeyId=" : "", kms ? kms : "", DRV_RDS_RUN_TAG, c->run_id);
	api(out, st->dr_region, "CreateDBInstance", "DBInstanceIdentifier=%s DBClusterIdentifier=%s DBInstanceClass=%s Tags=%s:%s", s1, secondary,
	    cls, DRV_RDS_RUN_TAG, c->run_id);
	api(out, st->dr_region, "DescribeDBInstances", "DBInstanceIdentifier=%s (every %s until available)", s1, drv_opt(c, "poll"));
	int idx;
	err = res_begin(c, AK_CLUSTER, primary, st->region, NULL, "primary", &idx);
	if (!err) err = res_begin(c, AK_INSTANCE, p1, st->region, NULL, "primary-1", &idx);
	if (!err) err = res_begin(c, AK_GLOBAL, global, st->region, NULL, "global", &st->global);
	if (!err) err = res_begin(c, AK_CLUSTER, secondary, st->dr_region, global, "secondary", &st->secondary);
	if (!err) err = res_begin(c, AK_INSTANCE, s1, st->dr_region, NULL, "secondary-1", &idx);
	st->target = st->global;
	return err;
}

/* failover-global */
static dr_err run_failover_global(drv_ctx *c, aws_client *cl, const scn_step *s, drv_step_out *out)
{
	aws_state *st = c->priv;
	aws_res g, target;
	if (!ref_res(st, param(s, "global_cluster"), AK_GLOBAL, st->global, st->region, &g) ||
	    !ref_res(st, param(s, "target"), AK_CLUSTER, st->secondary, st->dr_region, &target))
		return need("global cluster and target cluster", "failover-global", NULL);
	drv_rds_resource d;
	dr_err err = drv_rds_describe(&cl->rds, target.region, DRV_RDS_CLUSTER, target.id, &d);
	if (err) return err;
	err = drv_rds_failover_global(&cl->rds, target.region, g.id, d.arn);
	set_detail(out, "FailoverGlobalCluster %s -> %s (%s)", g.id, target.id, target.region);
	int gi = index_of(st, &g), ti = index_of(st, &target);
	if (!err && gi) {
		snprintf(st->res[gi - 1].failover_to, sizeof st->res[gi - 1].failover_to, "%s", d.arn);
		st->res[gi - 1].recovery = true;
		st->target = gi;
		st->recovered = ti ? ti : gi;
	}
	drv_rds_resource_release(&d);
	if (err) return err;
	set_recovery_point(out, c->event_at,
			   "FailoverGlobalCluster is Aurora's managed planned failover: it waits until the secondary "
			   "%s has caught up, so nothing is lost (an unplanned detach-and-promote would lose the "
			   "replication lag)", target.id);
	return DR_OK;
}

static dr_err plan_failover_global(drv_ctx *c, const scn_step *s, dr_buf *out)
{
	aws_state *st = c->priv;
	aws_res g, target;
	if (!ref_res(st, param(s, "global_cluster"), AK_GLOBAL, st->global, st->region, &g) ||
	    !ref_res(st, param(s, "target"), AK_CLUSTER, st->secondary, st->dr_region, &target))
		return need("global cluster and target cluster", "failover-global", NULL);
	api(out, target.region, "DescribeDBClusters", "DBClusterIdentifier=%s (its ARN)", target.id);
	api(out, target.region, "DescribeGlobalClusters", "GlobalClusterIdentifier=%s", g.id);
	api(out, target.region, "ListTagsForResource", "ResourceName=<arn of %s> (must carry %s=%s: a production global database is never failed over)",
	    g.id, DRV_RDS_RUN_TAG, c->run_id);
	api(out, target.region, "FailoverGlobalCluster", "GlobalClusterIdentifier=%s TargetDbClusterIdentifier=<arn of %s>", g.id,
	    target.id);
	st->target = index_of(st, &g);
	st->recovered = index_of(st, &target);
	return DR_OK;
}

/* wait-available */
static dr_err run_wait_available(drv_ctx *c, aws_client *cl, const scn_step *s, drv_step_out *out)
{
	aws_state *st = c->priv;
	aws_res r;
	if (!ref_res(st, param(s, "target"), AK_INSTANCE, st->target, st->region, &r))
		return need("target", "wait-available", NULL);
	int polls = 0;
	dr_err err = wait_res(c, cl, &r, NULL, &polls);
	set_detail(out, "%s %s (%s): %s after %d Describe call%s", kind_names[r.kind], r.id, r.region,
		   err ? "not available" : "available", polls, polls == 1 ? "" : "s");
	if (!err && r.recovery) {
		out->healthy_at_mono = dr_now_mono();
		out->endpoint_changed = true;
		strncat(out->detail, " (RTO ends here: first seen available through the API)",
			sizeof out->detail - strlen(out->detail) - 1);
	}
	return err;
}

static dr_err plan_wait_available(drv_ctx *c, const scn_step *s, dr_buf *out)
{
	aws_state *st = c->priv;
	aws_res r;
	if (!ref_res(st, param(s, "target"), AK_INSTANCE, st->target, st->region, &r))
		return need("target", "wait-available", NULL);
	const char *action = r.kind == AK_GLOBAL ? "DescribeGlobalClusters" : r.kind == AK_CLUSTER ? "DescribeDBClusters"
						 : r.kind == AK_SNAPSHOT ? "DescribeDBSnapshots" : "DescribeDBInstances";
	api(out, r.region, action, "%s=%s (every %s until available%s)",
	    r.kind == AK_GLOBAL ? "GlobalClusterIdentifier" : r.kind == AK_CLUSTER ? "DBClusterIdentifier"
	    : r.kind == AK_SNAPSHOT ? "DBSnapshotIdentifier" : "DBInstanceIdentifier",
	    r.id, drv_opt(c, "poll"), r.kind == AK_GLOBAL ? " with the target as writer" : "");
	return DR_OK;
}

/* verify */
static dr_err run_verify(drv_ctx *c, aws_client *cl, const scn_step *s, drv_step_out *out)
{
	aws_state *st = c->priv;
	aws_res r;
	if (!ref_res(st, param(s, "target"), AK_INSTANCE, st->recovered ? st->recovered : st->target, st->region, &r))
		return need("target", "verify", NULL);
	if (r.kind == AK_GLOBAL) {
		drv_rds_global g;
		dr_err err = drv_rds_describe_global(&cl->rds, r.region, r.id, &g);
		if (err) return err;
		bool ok = g.status && !strcmp(g.status, "available") &&
			  (!r.failover_to[0] || (g.writer_arn && !strcmp(g.writer_arn, r.failover_to)));
		set_detail(out, "global cluster %s: %s, writer %s", r.id, g.status ? g.status : "?",
			   ok ? "as asked" : "not the asked-for cluster");
		drv_rds_global_release(&g);
		return ok ? DR_OK : DR_VERIFY;
	}
	drv_rds_resource d;
	dr_err err = drv_rds_describe(&cl->rds, r.region, (drv_rds_kind)r.kind, r.id, &d);
	if (err) return err;
	bool tagged = false;
	err = drv_rds_tagged_by_run(&cl->rds, r.region, d.arn, &tagged);
	bool available = d.status && !strcmp(d.status, "available");
	bool engine_ok = !st->engine[0] || !d.engine || !strcmp(d.engine, st->engine);
	bool enc_ok = !st->source_encrypted || d.encrypted;
	bool promoted_ok = !r.promoted || !d.source;
	set_detail(out, "%s %s: status %s, engine %s%s, %s, endpoint %s:%d, %s%s (control plane only: the endpoint is not reachable from the drill)",
		   kind_names[r.kind], r.id, d.status ? d.status : "?", d.engine ? d.engine : "?",
		   engine_ok ? "" : " (differs from the source)", d.encrypted ? "encrypted" : "NOT encrypted",
		   d.address ? d.address : "-", d.port, tagged ? "tagged with the run" : "NOT tagged with the run",
		   promoted_ok ? "" : ", still a replica");
	drv_rds_resource_release(&d);
	if (err) return err;
	return available && engine_ok && enc_ok && tagged && promoted_ok ? DR_OK : DR_VERIFY;
}

static dr_err plan_verify(drv_ctx *c, const scn_step *s, dr_buf *out)
{
	aws_state *st = c->priv;
	aws_res r;
	if (!ref_res(st, param(s, "target"), AK_INSTANCE, st->recovered ? st->recovered : st->target, st->region, &r))
		return need("target", "verify", NULL);
	api(out, r.region, r.kind == AK_GLOBAL ? "DescribeGlobalClusters" : r.kind == AK_CLUSTER ? "DescribeDBClusters"
										      : "DescribeDBInstances",
	    "%s (status available, engine and encryption as the source, writer as asked)", r.id);
	if (r.kind != AK_GLOBAL)
		api(out, r.region, "ListTagsForResource", "ResourceName=<arn of %s> (tagged %s=%s)", r.id, DRV_RDS_RUN_TAG,
		    c->run_id);
	return DR_OK;
}

static const aws_op ops_table[] = {
	{"create-snapshot", "snap", run_create_snapshot, plan_create_snapshot},
	{"copy-snapshot", "copy", run_copy_snapshot, plan_copy_snapshot},
	{"share-snapshot", "share", run_share_snapshot, plan_share_snapshot},
	{"restore-snapshot", "restore", run_restore_snapshot, plan_restore_snapshot},
	{"restore-pitr", "pitr", run_restore_pitr, plan_restore_pitr},
	{"create-replica", "standby", run_create_replica, plan_create_replica},
	{"promote-replica", "promote", run_promote_replica, plan_promote_replica},
	{"create-global", "global", run_create_global, plan_create_global},
	{"failover-global", "failover", run_failover_global, plan_failover_global},
	{"clone", "clone", run_clone, plan_clone},
	{"wait-available", "wait", run_wait_available, plan_wait_available},
	{"verify", "verify", run_verify, plan_verify},
};

static const aws_op *op_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof ops_table / sizeof *ops_table; i++)
		if (!strcmp(ops_table[i].name, name)) return &ops_table[i];
	return NULL;
}

static dr_err unknown_op(const char *name)
{
	enum { N_OPS = sizeof ops_table / sizeof *ops_table };
	const char *names[N_OPS];
	dr_buf b = {0};
	for (size_t i = 0; i < N_OPS; i++) {
		names[i] = ops_table[i].name;
		dr_buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
	}
	const char *hint = name ? dr_suggest(name, names, N_OPS) : NULL;
	if (hint)
		dr_error("aws-rds: unknown op '%s': did you mean '%s'?", name, hint);
	else
		dr_error("aws-rds: unknown op '%s' (known: %s)", name ? name : "", b.s);
	dr_buf_release(&b);
	return DR_USAGE;
}

/* The set-up's operations, space separated (see the file comment). */
static char *prepare_list(const drv_ctx *c)
{
	const aws_state *st = c->priv;
	const char *p = drv_opt(c, "prepare");
	if (p) return dr_strdup(p);
	if (c->strategy == SCN_BACKUP_RESTORE) {
		if (st->aurora) return dr_strdup("");
		bool cross = strcmp(st->region, st->dr_region) != 0;
		return dr_asprintf("create-snapshot%s%s wait-available", cross ? " copy-snapshot" : "",
				   drv_opt(c, "share_account") ? " share-snapshot" : "");
	}
	return dr_strdup(st->aurora ? "create-global" : "create-replica wait-available");
}

/* --- the driver's operations -------------------------------------------- */

static bool aws_supported(char *why, size_t n)
{
	const char *home = getenv("HOME");
	const char *file = getenv("AWS_SHARED_CREDENTIALS_FILE");
	char path[512] = "";
	if (!file && home) snprintf(path, sizeof path, "%s/.aws/credentials", home);
	bool creds = getenv("AWS_ACCESS_KEY_ID") || getenv("AWS_PROFILE") || (file && access(file, R_OK) == 0) ||
		     (path[0] && access(path, R_OK) == 0);
	if (!creds) snprintf(why, n, "no AWS credentials (AWS_ACCESS_KEY_ID, AWS_PROFILE or ~/.aws/credentials)");
	return creds;
}

/* Read-only: the sources exist; their engine and encryption. */
static dr_err attach_sources(drv_ctx *c, aws_client *cl)
{
	aws_state *st = c->priv;
	const char *inst = drv_opt(c, "source_instance"), *clu = drv_opt(c, "source_cluster");
	if (!inst && !clu) {
		dr_error("aws-rds: drill.params needs source_instance (RDS) or source_cluster (Aurora)");
		return DR_USAGE;
	}
	drv_rds_resource d;
	dr_err err = drv_rds_describe(&cl->rds, st->region, clu ? DRV_RDS_CLUSTER : DRV_RDS_INSTANCE, clu ? clu : inst, &d);
	if (err) return err;
	snprintf(st->engine, sizeof st->engine, "%s", d.engine ? d.engine : "");
	st->source_encrypted = d.encrypted;
	drv_log(c, "source %s %s in %s: %s, %s, %s", clu ? "db-cluster" : "db-instance", clu ? clu : inst, st->region,
		d.status ? d.status : "?", d.engine ? d.engine : "?", d.encrypted ? "encrypted" : "not encrypted");
	drv_rds_resource_release(&d);
	return DR_OK;
}

static dr_err check_account(drv_ctx *c, aws_client *cl)
{
	aws_state *st = c->priv;
	char *account = NULL;
	dr_err err = drv_rds_account_id(&cl->rds, &account);
	if (err) return err;
	bool allowed = false;
	for (size_t i = 0; c->scn && i < c->scn->drill.n_allow_accounts; i++)
		allowed = allowed || !strcmp(c->scn->drill.allow_accounts[i], account);
	if (!allowed)
		dr_error("aws-rds: account \"%s\" is not in drill.allow_accounts: refusing to change anything", account);
	else
		drv_log(c, "account %s is in drill.allow_accounts", account);
	free(account);
	st->account_ok = allowed;
	return allowed ? DR_OK : DR_GUARD;
}

static dr_err run_op(drv_ctx *c, aws_client *cl, const aws_op *op, const scn_step *s, drv_step_out *out)
{
	dr_err err = need_guard(c);
	if (err) return err;
	return op->run(c, cl, s, out);
}

static dr_err aws_setup(drv_ctx *c)
{
	set_regions(c);
	aws_client cl;
	dr_err err = open_ctx(c, &cl);
	if (err) return err;
	err = check_account(c, &cl);
	if (!err) err = attach_sources(c, &cl);
	char *list = err ? NULL : prepare_list(c);
	for (char *save = NULL, *tok = list ? strtok_r(list, " ,", &save) : NULL; tok && !err;
	     tok = strtok_r(NULL, " ,", &save)) {
		const aws_op *op = op_find(tok);
		if (!op) {
			err = unknown_op(tok);
			break;
		}
		drv_step_out out;
		memset(&out, 0, sizeof out);
		err = run_op(c, &cl, op, NULL, &out);
		drv_log(c, "prepare %s: %s%s%s", tok, out.detail, err ? ": " : "", err ? dr_strerror(err) : "");
	}
	free(list);
	client_close(&cl);
	return err;
}

static dr_err aws_inject(drv_ctx *c, scn_disaster_kind k, double *event_at)
{
	aws_state *st = c->priv;
	aws_client cl;
	dr_err err = open_ctx(c, &cl);
	if (err) return err;
	*event_at = dr_now_real();
	const char *clu = drv_opt(c, "source_cluster"), *inst = drv_opt(c, "source_instance");
	drv_rds_resource d;
	err = drv_rds_describe(&cl.rds, st->region, clu ? DRV_RDS_CLUSTER : DRV_RDS_INSTANCE, clu ? clu : inst, &d);
	if (!err) {
		st->lrt_at_event = d.latest_restorable > *event_at ? *event_at : d.latest_restorable;
		drv_rds_resource_release(&d);
	}
	client_close(&cl);
	if (err) return err;
	char iso[32] = "none";
	if (st->lrt_at_event > 0) dr_iso8601(st->lrt_at_event, iso);
	drv_log(c, "%s declared (nothing in AWS is harmed); LatestRestorableTime of the source at the event: %s",
		scn_disaster_names[k], iso);
	return drv_journal(c, "note", "inject", "event", scn_disaster_names[k],
			   json_pack("{s:s, s:f}", "source", clu ? clu : inst, "latest_restorable", st->lrt_at_event));
}

static dr_err aws_step(drv_ctx *c, const scn_step *s, drv_step_out *out)
{
	const aws_op *op = op_find(s->action.op);
	if (!op) return unknown_op(s->action.op);
	aws_client cl;
	dr_err err = open_ctx(c, &cl);
	if (err) return err;
	err = run_op(c, &cl, op, s, out);
	client_close(&cl);
	return err;
}

static dr_err aws_health(drv_ctx *c, double *healthy_at_mono)
{
	aws_state *st = c->priv;
	int idx = st->recovered ? st->recovered : st->target;
	if (!idx) {
		dr_error("aws-rds: nothing was recovered to check");
		return DR_USAGE;
	}
	aws_client cl;
	dr_err err = open_ctx(c, &cl);
	if (err) return err;
	int polls;
	err = wait_res(c, &cl, &st->res[idx - 1], NULL, &polls);
	client_close(&cl);
	if (!err) *healthy_at_mono = dr_now_mono();
	return err;
}

static dr_err aws_describe(drv_ctx *c, drv_phase phase, const scn_step *s, dr_buf *out)
{
	aws_state *st = c->priv;
	if (!st->region[0]) set_regions(c);
	const char *clu = drv_opt(c, "source_cluster"), *inst = drv_opt(c, "source_instance");
	dr_err err = DR_OK;
	switch (phase) {
	case DRV_PHASE_SETUP: {
		dr_buf_printf(out, "http POST sts.%s GetCallerIdentity (the account must be in drill.allow_accounts, else nothing is changed)\n",
			      st->region);
		api(out, st->region, clu ? "DescribeDBClusters" : "DescribeDBInstances", "%s=%s (the source: only ever read)",
		    clu ? "DBClusterIdentifier" : "DBInstanceIdentifier", clu ? clu : inst ? inst : "<source_instance>");
		char *list = prepare_list(c);
		for (char *save = NULL, *tok = strtok_r(list, " ,", &save); tok && !err; tok = strtok_r(NULL, " ,", &save)) {
			const aws_op *op = op_find(tok);
			err = op ? op->plan(c, NULL, out) : unknown_op(tok);
		}
		free(list);
		break;
	}
	case DRV_PHASE_CANARY:
		dr_buf_puts(out, "note no canary: the drill cannot reach an RDS endpoint; RPO comes from the API's timestamps and RTO ends when a Describe call shows the recovered resource available\n");
		break;
	case DRV_PHASE_INJECT:
		dr_buf_printf(out, "note %s declared at this instant: nothing in AWS is harmed\n", scn_disaster_names[c->disaster]);
		api(out, st->region, clu ? "DescribeDBClusters" : "DescribeDBInstances", "%s (LatestRestorableTime at the event)",
		    clu ? clu : inst ? inst : "<source_instance>");
		break;
	case DRV_PHASE_STEP: {
		const aws_op *op = op_find(s->action.op);
		err = op ? op->plan(c, s, out) : unknown_op(s->action.op);
		break;
	}
	case DRV_PHASE_VERIFY:
		dr_buf_puts(out, "note no data verification: the verify step checks the recovered resource through the API\n");
		break;
	case DRV_PHASE_CLEANUP:
		for (size_t i = st->n_res; i-- > 0;) {
			const aws_res *r = &st->res[i];
			static const char *const del[AK__N] = {
				"DeleteDBInstance SkipFinalSnapshot=true DeleteAutomatedBackups=true",
				"DeleteDBCluster SkipFinalSnapshot=true", "DeleteDBSnapshot",
				"RemoveFromGlobalCluster (each member) + DeleteGlobalCluster"};
			dr_buf_printf(out, "remove %s %s (%s: ListTagsForResource must show %s=%s, then %s%s)\n",
				      kind_names[r->kind], r->id, r->region, DRV_RDS_RUN_TAG, c->run_id, del[r->kind],
				      r->global[0] ? ", after RemoveFromGlobalCluster" : "");
		}
		break;
	default:
		DR_BUG("unknown phase %d", (int)phase);
	}
	return err;
}

const drv_ops drv_aws_rds_ops = {
	.abi_version = DRV_ABI_VERSION,
	.name = "aws-rds",
	.version = "1.0",
	.caps = DRV_CAP_SETUP | DRV_CAP_INJECT | DRV_CAP_RESTORE | DRV_CAP_PITR | DRV_CAP_PROMOTE | DRV_CAP_HEALTH |
		DRV_CAP_STEP,
	.options = aws_options,
	.priv_size = sizeof(aws_state),
	.supported = aws_supported,
	.setup = aws_setup,
	.inject = aws_inject,
	.step = aws_step,
	.describe = aws_describe,
	.cleanup = aws_cleanup,
	.cleanup_entry = aws_cleanup_entry,
	.health = aws_health,
};
