/*
 * pg_sandbox.c - the "postgres-sandbox" driver: builds a real PostgreSQL
 * topology on this machine (drivers/pgsb.c) for the scenario's strategy,
 * injects the disaster, performs the runbook's database steps, verifies
 * the data and removes everything.
 *
 * Topology (every strategy keeps WAL archiving and a base backup at the
 * "DR site", WORKDIR/dr, as real estates do; archive_timeout follows the
 * scenario's log_upload or the archive_timeout option):
 *   backup-restore  primary + archive + base backup
 *   pilot-light     + an async streaming standby at DR, no application
 *   warm-standby    + an async standby and one running application process
 *   multi-site      + a synchronous standby (synchronous_commit = on)
 * A data table (option "table") is loaded with drill.size bytes of rows and
 * its row count and checksum recorded before the disaster.
 *
 * Disasters: logical-corruption runs a destructive statement (option
 * corrupt_sql) in one transaction whose xid is recorded; every other kind
 * SIGKILLs the primary's process group and moves its data directory away.
 *
 * Runbook ops (action.op): restore-base-backup, replay-wal / restore-pitr
 * (to: latest | before-event), promote, start-app, scale-app (count:
 * N), wait-healthy, verify.  An application is a shell loop that asks its
 * database "SELECT pg_is_in_recovery()" every 200 ms and writes the answer
 * into a heartbeat file; it is healthy when that answer is "f" and fresh.
 *
 * fsync: off by default (option fsync).  Every disaster here kills
 * processes and moves directories; the kernel's page cache survives that,
 * so what fsync protects against (power loss) is never what is measured:
 * the data present after a SIGKILL, what the archive holds and what a
 * synchronous standby acknowledged are the same with fsync on or off.
 */
#define _GNU_SOURCE
#include "driver.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pgsb.h"
#include "units.h"

#define MAX_APPS 16
#define ROW_BYTES 160 /* payload of 128 characters plus tuple overhead */

static const drv_option sandbox_options[] = {
	{"bindir", "path", NULL, "PostgreSQL server binaries (default: found automatically)"},
	{"os_user", "string", NULL, "OS user to run the servers as (default: drsim when root)"},
	{"fsync", "bool", "off", "fsync of the sandbox servers (off does not change what is measured)"},
	{"archive_timeout", "duration", NULL, "WAL archive_timeout (default: protection log_upload)"},
	{"table", "string", "drsim_data", "the data table loaded with drill.size bytes"},
	{"corrupt_sql", "string", "DELETE FROM drsim_data", "the destructive statement of logical-corruption"},
	{"timeout", "duration", "60s", "timeout of one server operation"},
	{"soak", "duration", "0s", "keep the workload (canary) running this long before the disaster"},
	{0},
};

typedef struct {
	pgsb_proc proc;
	char heartbeat[PATH_MAX];
} app;

typedef struct {
	drv_ctx *c;
	pgsb_env *env;
	pgsb_node *primary, *standby, *restored;
	pgsb_node *current; /* the writable endpoint (or the one becoming it) */
	char archive[PATH_MAX], backup[PATH_MAX];
	app apps[MAX_APPS];
	size_t n_apps;
	long rows;
	char checksum[64];
	char event_xid[32], event_lsn[64]; /* the destructive transaction */
	bool corrupted;
	bool recovered;   /* the restored node finished recovery */
	pgsb_journal jr;   /* the run's journal, fed by pgsb's reports */
} sandbox;


static bool sandbox_supported(char *why, size_t n)
{
	return pgsb_available(getenv("DRSIM_PG_BINDIR"), why, n);
}

static double opt_duration(const drv_ctx *c, const char *name, double def)
{
	const char *v = drv_opt(c, name);
	dr_qty q;
	if (!v || dr_qty_parse(v, &q, NULL) != DR_OK || !dr_dim_eq(q.dim, DR_DIM_TIME) || q.v <= 0)
		return def;
	return q.v;
}

static bool opt_on(const drv_ctx *c, const char *name)
{
	const char *v = drv_opt(c, name);
	return v && (strcmp(v, "on") == 0 || strcmp(v, "true") == 0 || strcmp(v, "yes") == 0);
}

static double archive_timeout(const drv_ctx *c)
{
	double log_upload = c->scn ? c->scn->protection.automated.log_upload_s : 0;
	return opt_duration(c, "archive_timeout", log_upload > 0 ? log_upload : 5);
}

static const char *table(const drv_ctx *c) { return drv_opt(c, "table"); }

static long rows_for(const drv_ctx *c)
{
	double size = c->scn && c->scn->drill.size > 0 ? c->scn->drill.size : 4.0 * 1024 * 1024;
	long r = (long)(size / ROW_BYTES);
	return r > 0 ? r : 1;
}

/* Bound pgsb's waits by the option and the executor's deadline. */
static void bound(sandbox *sb)
{
	double t = opt_duration(sb->c, "timeout", 60);
	if (sb->c->deadline_mono > 0) {
		double left = sb->c->deadline_mono - dr_now_mono();
		if (left < t)
			t = left > 1 ? left : 1;
	}
	pgsb_set_timeout(sb->env, t);
}

static dr_err fail(sandbox *sb, dr_err err, const char *what)
{
	dr_error("postgres-sandbox: %s: %s", what, pgsb_errmsg(sb->env));
	return err;
}

static dr_err checked(sandbox *sb, dr_err err, const char *what)
{
	if (err)
		return fail(sb, err, what);
	if (sb->jr.err) {
		dr_error("postgres-sandbox: %s: cannot write the journal", what);
		return sb->jr.err;
	}
	return DR_OK;
}

/* SQL recording the data table's identity: "count checksum". */
static char *checksum_sql(const drv_ctx *c)
{
	return dr_asprintf("SELECT count(*) || ' ' || coalesce(md5(string_agg(md5(id::text || payload), "
			   "'' ORDER BY id)), '-') FROM %s",
			   table(c));
}

static char *load_sql(const drv_ctx *c, long rows)
{
	return dr_asprintf("CREATE TABLE %s (id bigint PRIMARY KEY, payload text NOT NULL); "
			   "INSERT INTO %s SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, %ld) g; "
			   "ANALYZE %s",
			   table(c), table(c), rows, table(c));
}

static dr_err load_data(sandbox *sb)
{
	drv_ctx *c = sb->c;
	sb->rows = rows_for(c);
	char *sql = load_sql(c, sb->rows), *sum = checksum_sql(c);
	char got[128] = "";
	dr_err err = pgsb_exec(sb->env, sb->primary, sql);
	if (!err)
		err = pgsb_query(sb->env, sb->primary, sum, got, sizeof got);
	free(sql);
	free(sum);
	if (err)
		return fail(sb, err, "loading the data table");
	char *space = strchr(got, ' ');
	if (!space || strtol(got, NULL, 10) != sb->rows) {
		dr_error("postgres-sandbox: table \"%s\" holds \"%s\" after loading %ld rows", table(c), got,
			 sb->rows);
		return DR_DRIVER;
	}
	snprintf(sb->checksum, sizeof sb->checksum, "%s", space + 1);
	drv_log(c, "loaded %ld rows into %s (md5 %.12s...)", sb->rows, table(c), sb->checksum);
	return DR_OK;
}

static const char *app_script =
	"while :; do v=$(psql -XAtq -h 127.0.0.1 -p %d -U drsim -d postgres -c 'SELECT pg_is_in_recovery()' "
	"2>/dev/null) || v=down; printf '%%s\\n' \"$v\" > %s.tmp && mv %s.tmp %s; sleep 0.2; done";

static dr_err start_app(sandbox *sb)
{
	if (sb->n_apps >= MAX_APPS) {
		dr_error("postgres-sandbox: at most %d application instances", MAX_APPS);
		return DR_RANGE;
	}
	app *a = &sb->apps[sb->n_apps];
	char name[32], log[PATH_MAX + 8];
	snprintf(name, sizeof name, "app-%zu", sb->n_apps + 1);
	snprintf(a->heartbeat, sizeof a->heartbeat, "%s/%s.hb", pgsb_workdir(sb->env), name);
	snprintf(log, sizeof log, "%s/%s.log", pgsb_workdir(sb->env), name);
	char *script = dr_asprintf(app_script, pgsb_node_port(sb->current), a->heartbeat, a->heartbeat,
				   a->heartbeat);
	const char *argv[] = {"/bin/sh", "-c", script, NULL};
	dr_err err = pgsb_spawn(sb->env, name, argv, log, &a->proc);
	free(script);
	if (err)
		return checked(sb, err, "starting the application");
	sb->n_apps++;
	drv_log(sb->c, "%s (pid %d) uses port %d", name, (int)a->proc.pid, pgsb_node_port(sb->current));
	return checked(sb, DR_OK, "starting the application");
}

static dr_err sandbox_setup(drv_ctx *c)
{
	sandbox *sb = c->priv;
	char msg[1024];
	sb->c = c;
	sb->jr.c = c;
	pgsb_opts o = {.bindir = drv_opt(c, "bindir"), .workdir = c->workdir, .os_user = drv_opt(c, "os_user"),
		       .tag = c->run_id, .timeout_s = opt_duration(c, "timeout", 60),
		       .track = pgsb_journal_track, .track_ctx = &sb->jr};
	dr_err err = pgsb_env_new(&o, &sb->env, msg, sizeof msg);
	if (err) {
		dr_error("postgres-sandbox: %s", msg);
		return err;
	}
	bound(sb);
	snprintf(sb->archive, sizeof sb->archive, "%s/dr/wal", pgsb_workdir(sb->env));
	snprintf(sb->backup, sizeof sb->backup, "%s/dr/base", pgsb_workdir(sb->env));
	drv_log(c, "%s in %s", pgsb_server_version(sb->env), pgsb_workdir(sb->env));
	snprintf(c->server_version, sizeof c->server_version, "%s", pgsb_server_version(sb->env));
	err = checked(sb, pgsb_mkdir(sb->env, sb->archive, "wal archive"), "creating the archive");
	if (err)
		return err;
	pgsb_conf conf = {.archive_dir = sb->archive, .archive_timeout_s = archive_timeout(c),
			  .fsync = opt_on(c, "fsync")};
	err = checked(sb, pgsb_initdb(sb->env, "primary", &conf, &sb->primary), "initdb of the primary");
	if (!err)
		err = checked(sb, pgsb_start(sb->env, sb->primary), "starting the primary");
	if (err)
		return err;
	sb->current = sb->primary;
	err = load_data(sb);
	if (!err)
		err = checked(sb, pgsb_basebackup(sb->env, sb->primary, sb->backup, NULL),
			      "base backup to the DR site");
	if (err)
		return err;
	switch (c->strategy) {
	case SCN_PILOT_LIGHT:
	case SCN_WARM_STANDBY:
	case SCN_MULTI_SITE:
		err = checked(sb, pgsb_standby(sb->env, sb->primary, "standby", c->strategy == SCN_MULTI_SITE,
					       &sb->standby),
			      "building the standby");
		break;
	default:
		break;
	}
	if (!err && c->strategy == SCN_WARM_STANDBY) {
		pgsb_node *keep = sb->current;
		sb->current = sb->standby; /* the DR application uses the DR database */
		err = start_app(sb);
		sb->current = keep;
	}
	return err;
}

static dr_err sandbox_endpoint(drv_ctx *c, char *conninfo, size_t n)
{
	sandbox *sb = c->priv;
	if (!sb->current) {
		dr_error("postgres-sandbox: no endpoint: set-up has not run");
		return DR_USAGE;
	}
	pgsb_conninfo(sb->current, conninfo, n);
	return DR_OK;
}

static dr_err inject_corruption(sandbox *sb, double *event_at)
{
	drv_ctx *c = sb->c;
	const char *sql = drv_opt(c, "corrupt_sql");
	dr_err err = drv_journal(c, "begin", "inject", "sql", table(c), json_pack("{s:s}", "sql", sql));
	if (err)
		return err;
	*event_at = dr_now_real();
	err = pgsb_exec_xact(sb->env, sb->primary, sql, sb->event_xid, sizeof sb->event_xid, sb->event_lsn,
			     sizeof sb->event_lsn);
	if (err)
		return fail(sb, err, "the destructive statement");
	sb->corrupted = true;
	drv_log(c, "ran \"%s\" as xid %s (WAL before it: %s)", sql, sb->event_xid, sb->event_lsn);
	return drv_journal(c, "done", "inject", "sql", table(c),
			   json_pack("{s:s, s:s}", "xid", sb->event_xid, "lsn_before", sb->event_lsn));
}

/* Let the canary run before the disaster so the archive and the standby
 * reach a steady state (an interruptible sleep). */
static dr_err soak(const drv_ctx *c)
{
	double end = dr_now_mono() + opt_duration(c, "soak", 0);
	while (dr_now_mono() < end) {
		if (drv_interrupted())
			return DR_INTERRUPTED;
		usleep(20000);
	}
	return DR_OK;
}

static dr_err sandbox_inject(drv_ctx *c, scn_disaster_kind k, double *event_at)
{
	sandbox *sb = c->priv;
	dr_err serr = soak(c);
	if (serr)
		return serr;
	bound(sb);
	if (k == SCN_DIS_CORRUPTION)
		return inject_corruption(sb, event_at);
	dr_err err = drv_journal(c, "begin", "inject", "process", pgsb_node_name(sb->primary),
				 json_pack("{s:s}", "disaster", scn_disaster_names[k]));
	if (err)
		return err;
	*event_at = dr_now_real();
	err = checked(sb, pgsb_kill(sb->env, sb->primary), "killing the primary");
	if (!err)
		err = checked(sb, pgsb_take_away(sb->env, sb->primary), "taking the data directory away");
	if (err)
		return err;
	drv_log(c, "primary SIGKILLed, its data directory moved to %s.lost", pgsb_node_datadir(sb->primary));
	sb->current = sb->standby ? sb->standby : sb->primary;
	return drv_journal(c, "done", "inject", "process", pgsb_node_name(sb->primary), NULL);
}

/* "before-event" stops right before the destructive transaction; without
 * one (the primary was lost) the newest state is the end of the archive. */
static pgsb_target target_for(const sandbox *sb, const char *to)
{
	if (to && strcmp(to, "before-event") == 0 && sb->corrupted)
		return (pgsb_target){.kind = PGSB_TARGET_XID, .value = sb->event_xid, .inclusive = false};
	return (pgsb_target){.kind = PGSB_TARGET_LATEST};
}

static dr_err prepare_restore(sandbox *sb, const char *to, drv_step_out *out)
{
	if (sb->restored)
		return DR_OK;
	pgsb_target t = target_for(sb, to);
	dr_err err = pgsb_restore_prepare(sb->env, "restored", sb->backup, sb->archive, &t, &sb->restored);
	if (err)
		return checked(sb, err, "restoring the base backup");
	drv_step_detail(out, false, "copied base backup %s to %s; restore_command from %s, %s",
		 sb->backup, pgsb_node_datadir(sb->restored), sb->archive,
		 t.kind == PGSB_TARGET_XID ? "recovery_target_xid before the destructive transaction"
					   : "to the end of the archive");
	return checked(sb, DR_OK, "restoring the base backup");
}

static dr_err replay(sandbox *sb, const char *to, drv_step_out *out)
{
	dr_err err;
	if (sb->corrupted && sb->primary && pgsb_node_running(sb->primary)) {
		/* the damage must be in the archive before recovery can stop
		 * right before it: ship the current segment now */
		char after[64];
		err = pgsb_query(sb->env, sb->primary, "SELECT pg_current_wal_insert_lsn()", after, sizeof after);
		if (!err)
			err = pgsb_exec(sb->env, sb->primary, "SELECT pg_switch_wal()");
		if (!err)
			err = pgsb_wait_archived(sb->env, sb->primary, after, sb->archive, 60);
		if (err)
			return fail(sb, err, "archiving the WAL of the event");
	}
	err = prepare_restore(sb, to, out);
	if (err || sb->recovered)
		return err;
	double t0 = dr_now_mono();
	err = checked(sb, pgsb_recover(sb->env, sb->restored), "replaying archived WAL");
	if (err)
		return err;
	sb->recovered = true;
	sb->current = sb->restored;
	out->endpoint_changed = true;
	char lsn[64] = "";
	if (pgsb_query(sb->env, sb->restored, "SELECT pg_current_wal_lsn()", lsn, sizeof lsn))
		lsn[0] = '\0';
	drv_step_detail(out, true, "replayed %s in %.2f s and promoted (now at %s)",
		 sb->corrupted && to && strcmp(to, "before-event") == 0
					? "to just before the destructive transaction"
					: "to the end of the archive",
		 dr_now_mono() - t0, lsn);
	return DR_OK;
}

static dr_err promote(sandbox *sb, drv_step_out *out)
{
	if (sb->standby) {
		char rec[8] = "";
		dr_err err = pgsb_query(sb->env, sb->standby, "SELECT pg_is_in_recovery()", rec, sizeof rec);
		if (err)
			return fail(sb, err, "asking the standby");
		if (strcmp(rec, "t") == 0) {
			err = checked(sb, pgsb_promote(sb->env, sb->standby), "promoting the standby");
			if (err)
				return err;
			drv_step_detail(out, false, "pg_ctl promote %s: out of recovery",
				 pgsb_node_datadir(sb->standby));
		} else {
			drv_step_detail(out, false, "standby %s was already promoted",
				 pgsb_node_name(sb->standby));
		}
		sb->current = sb->standby;
		out->endpoint_changed = true;
		return DR_OK;
	}
	/* a restored node is promoted at the end of its recovery */
	dr_err err = replay(sb, "latest", out);
	if (!err) {
		drv_step_detail(out, true, "promoted at the end of recovery (recovery.signal)");
	}
	return err;
}

/* Every application answers "f" (its database accepts writes) in a
 * heartbeat younger than 2 s; without applications, the database itself. */
static bool healthy(sandbox *sb)
{
	char rec[8] = "";
	if (pgsb_query(sb->env, sb->current, "SELECT pg_is_in_recovery()", rec, sizeof rec) != DR_OK ||
	    strcmp(rec, "f") != 0)
		return false;
	for (size_t i = 0; i < sb->n_apps; i++) {
		struct stat st;
		char *hb = dr_read_file(sb->apps[i].heartbeat, NULL);
		bool ok = hb && strcmp(hb, "f\n") == 0 && stat(sb->apps[i].heartbeat, &st) == 0 &&
			  dr_now_real() - (double)st.st_mtime < 3 && pgsb_proc_alive(&sb->apps[i].proc);
		free(hb);
		if (!ok)
			return false;
	}
	return true;
}

static dr_err sandbox_health(drv_ctx *c, double *healthy_at_mono)
{
	sandbox *sb = c->priv;
	double end = c->deadline_mono > 0 ? c->deadline_mono : dr_now_mono() + opt_duration(c, "timeout", 60);
	while (!healthy(sb)) {
		if (drv_interrupted())
			return DR_INTERRUPTED;
		if (dr_now_mono() > end) {
			dr_error("postgres-sandbox: not healthy before the deadline (%zu application(s))",
				 sb->n_apps);
			return DR_TIMEOUT;
		}
		usleep(50000);
	}
	*healthy_at_mono = dr_now_mono();
	return DR_OK;
}

static dr_err verify_data(sandbox *sb, dr_buf *report)
{
	drv_ctx *c = sb->c;
	char *sum = checksum_sql(c);
	char got[128] = "", want[128];
	dr_err err = pgsb_query(sb->env, sb->current, sum, got, sizeof got);
	free(sum);
	if (err) {
		dr_buf_printf(report, "table %s unreadable: %s\n", table(c), pgsb_errmsg(sb->env));
		return DR_VERIFY;
	}
	snprintf(want, sizeof want, "%ld %s", sb->rows, sb->checksum);
	bool same = strcmp(got, want) == 0;
	dr_buf_printf(report, "table %s: %ld rows%s, expected %ld (md5 %s)\n", table(c), strtol(got, NULL, 10),
		      same ? "" : " MISMATCH", sb->rows, same ? "identical" : "differs");
	if (!same)
		return DR_VERIFY;
	for (size_t i = 0; c->scn && i < c->scn->drill.n_tables; i++) {
		char *q = dr_asprintf("SELECT count(*) FROM %s", c->scn->drill.tables[i]);
		err = pgsb_query(sb->env, sb->current, q, got, sizeof got);
		free(q);
		dr_buf_printf(report, "table %s: %s\n", c->scn->drill.tables[i], err ? "unreadable" : got);
		if (err)
			return DR_VERIFY;
	}
	for (size_t i = 0; c->scn && i < c->scn->drill.n_checks; i++) {
		err = pgsb_query(sb->env, sb->current, c->scn->drill.checks[i], got, sizeof got);
		bool ok = !err && strcmp(got, "t") == 0;
		dr_buf_printf(report, "check %s: %s\n", c->scn->drill.checks[i], ok ? "true" : "FAILED");
		if (!ok)
			return DR_VERIFY;
	}
	return DR_OK;
}

static dr_err sandbox_verify(drv_ctx *c, dr_buf *report)
{
	sandbox *sb = c->priv;
	bound(sb);
	char rec[8] = "";
	if (pgsb_query(sb->env, sb->current, "SELECT pg_is_in_recovery()", rec, sizeof rec) != DR_OK ||
	    strcmp(rec, "f") != 0) {
		dr_buf_printf(report, "endpoint %s is not writable (in recovery: %s)\n",
			      pgsb_node_name(sb->current), rec);
		return DR_VERIFY;
	}
	return verify_data(sb, report);
}

static dr_err sandbox_step(drv_ctx *c, const scn_step *s, drv_step_out *out)
{
	sandbox *sb = c->priv;
	const char *op = s->action.op ? s->action.op : "";
	const char *to = scn_action_param(&s->action, "to");
	bound(sb);
	out->exit_status = -1;
	if (strcmp(op, "restore-base-backup") == 0)
		return prepare_restore(sb, to ? to : "latest", out);
	if (strcmp(op, "replay-wal") == 0 || strcmp(op, "restore-pitr") == 0)
		return replay(sb, to ? to : "latest", out);
	if (strcmp(op, "promote") == 0)
		return promote(sb, out);
	if (strcmp(op, "start-app") == 0 || strcmp(op, "scale-app") == 0) {
		const char *v = scn_action_param(&s->action, "count");
		long n = v ? strtol(v, NULL, 10) : (strcmp(op, "scale-app") == 0 ? 2 : 1);
		for (long i = 0; i < n; i++) {
			dr_err err = start_app(sb);
			if (err)
				return err;
		}
		drv_step_detail(out, false, "%ld application instance(s) on port %d, %zu in all", n,
			 pgsb_node_port(sb->current), sb->n_apps);
		return DR_OK;
	}
	if (strcmp(op, "wait-healthy") == 0) {
		dr_err err = sandbox_health(c, &out->healthy_at_mono);
		drv_step_detail(out, false, "%s: database writable, %zu application(s) healthy",
			 err ? "not healthy" : "healthy", sb->n_apps);
		return err;
	}
	if (strcmp(op, "verify") == 0) {
		dr_buf rep = {0};
		dr_err err = sandbox_verify(c, &rep);
		drv_step_detail(out, false, "%s", rep.s ? rep.s : "");
		dr_buf_release(&rep);
		return err;
	}
	dr_error("postgres-sandbox: step \"%s\": unknown op \"%s\" (restore-base-backup, replay-wal, "
		 "restore-pitr, promote, start-app, scale-app, wait-healthy, verify)",
		 s->name, op);
	return DR_USAGE;
}

static dr_err sandbox_cleanup(drv_ctx *c)
{
	sandbox *sb = c->priv;
	if (!sb->env)
		return DR_OK;
	for (size_t i = 0; i < sb->n_apps; i++)
		pgsb_proc_stop(sb->env, &sb->apps[i].proc);
	sb->n_apps = 0;
	bool ok = pgsb_env_free(sb->env);
	sb->env = NULL;
	sb->primary = sb->standby = sb->restored = sb->current = NULL;
	if (!ok) {
		dr_error("postgres-sandbox: cleanup left something behind (see the warning above)");
		return DR_IO;
	}
	return sb->jr.err;
}

/* ---- describe: the exact commands, without a server ---------------------- */

static void describe_setup(drv_ctx *c, const char *w, dr_buf *out)
{
	dr_buf_printf(out, "create dir %s/pgsb-XXXXXX (owned by the OS user drsim when run as root)\n", w);
	dr_buf_printf(out, "create dir W/dr/wal (the DR site's WAL archive)\n");
	dr_buf_printf(out, "run initdb -D W/primary -U drsim --auth=trust -E UTF8 --locale=C --no-sync\n");
	dr_buf_printf(out, "note postgresql.conf: listen_addresses='127.0.0.1', port=<free port>, wal_level=replica, "
			   "fsync=%s, archive_mode=on, archive_command='test ! -f W/dr/wal/%%f && cp %%p W/dr/wal/%%f', "
			   "archive_timeout=%.0fs\n",
		      opt_on(c, "fsync") ? "on" : "off", archive_timeout(c) < 1 ? 1 : archive_timeout(c));
	dr_buf_printf(out, "run pg_ctl -D W/primary -l W/primary.log -w start\n");
	char *load = load_sql(c, rows_for(c)), *sum = checksum_sql(c);
	dr_buf_printf(out, "sql %s\nsql %s\n", load, sum);
	free(load);
	free(sum);
	dr_buf_printf(out, "run pg_basebackup -d 'host=127.0.0.1 port=<primary> user=drsim' -D W/dr/base -F p -X stream -c fast\n");
	if (c->strategy == SCN_PILOT_LIGHT || c->strategy == SCN_WARM_STANDBY || c->strategy == SCN_MULTI_SITE) {
		dr_buf_printf(out, "run pg_basebackup -d 'host=127.0.0.1 port=<primary> user=drsim application_name=standby' "
				   "-D W/standby -F p -X stream -c fast -R\n");
		dr_buf_printf(out, "run pg_ctl -D W/standby -l W/standby.log -w start\n");
		if (c->strategy == SCN_MULTI_SITE)
			dr_buf_printf(out, "sql ALTER SYSTEM SET synchronous_standby_names = '\"standby\"'\n"
					   "sql ALTER SYSTEM SET synchronous_commit = 'on'\nsql SELECT pg_reload_conf()\n");
		dr_buf_printf(out, "sql SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby' "
				   "AND state = 'streaming' -- until '%s'\n",
			      c->strategy == SCN_MULTI_SITE ? "sync" : "async");
	}
	if (c->strategy == SCN_WARM_STANDBY)
		dr_buf_printf(out, "create process app-1: %s\n", "sh -c 'while :; do psql -h 127.0.0.1 -p <standby> -c \"SELECT pg_is_in_recovery()\" > W/app-1.hb; sleep 0.2; done'");
}

static void describe_step(drv_ctx *c, const scn_step *s, dr_buf *out)
{
	const char *op = s->action.op ? s->action.op : "";
	const char *to = scn_action_param(&s->action, "to");
	bool before = to && strcmp(to, "before-event") == 0 && c->disaster == SCN_DIS_CORRUPTION;
	bool standby = c->strategy != SCN_BACKUP_RESTORE;
	if (strcmp(op, "restore-base-backup") == 0 || strcmp(op, "replay-wal") == 0 ||
	    strcmp(op, "restore-pitr") == 0) {
		if (before)
			dr_buf_printf(out, "sql SELECT pg_switch_wal() -- on the damaged primary, then wait for the segment in W/dr/wal\n");
		dr_buf_printf(out, "run cp -a W/dr/base W/restored\n");
		dr_buf_printf(out, "note postgresql.auto.conf: port=<free port>, archive_mode=off, restore_command='cp W/dr/wal/%%f %%p', "
				   "recovery_target_timeline='latest'%s; recovery.signal\n",
			      before ? ", recovery_target_xid='<xid of the destructive transaction>', "
				       "recovery_target_inclusive=off, recovery_target_action='promote'"
				     : " (no target: replay to the end of the archive, then promote)");
		if (strcmp(op, "restore-base-backup") != 0)
			dr_buf_printf(out, "run pg_ctl -D W/restored -l W/restored.log -w start\n"
					   "sql SELECT pg_is_in_recovery() -- until 'f'\n");
	} else if (strcmp(op, "promote") == 0) {
		if (standby)
			dr_buf_printf(out, "run pg_ctl -D W/standby -w promote\nsql SELECT pg_is_in_recovery() -- until 'f'\n");
		else
			dr_buf_printf(out, "note the restored instance promotes at the end of recovery (recovery.signal)\n");
	} else if (strcmp(op, "start-app") == 0 || strcmp(op, "scale-app") == 0) {
		const char *v = scn_action_param(&s->action, "count");
		dr_buf_printf(out, "create process %s application instance(s): sh -c 'while :; do psql -h 127.0.0.1 -p <endpoint> -c \"SELECT pg_is_in_recovery()\" > W/app-N.hb; sleep 0.2; done'\n",
			      v ? v : (strcmp(op, "scale-app") == 0 ? "2" : "1"));
	} else if (strcmp(op, "wait-healthy") == 0) {
		dr_buf_printf(out, "sql SELECT pg_is_in_recovery() -- until 'f', and every W/app-N.hb says 'f' within 3 s\n");
	} else if (strcmp(op, "verify") == 0) {
		char *sum = checksum_sql(c);
		dr_buf_printf(out, "sql %s -- must equal the count and md5 recorded at set-up\n", sum);
		free(sum);
	} else {
		dr_buf_printf(out, "note unknown op \"%s\": the drill would fail here\n", op);
	}
}

static dr_err sandbox_describe(drv_ctx *c, drv_phase phase, const scn_step *s, dr_buf *out)
{
	const char *w = c->workdir ? c->workdir : "WORKDIR";
	switch (phase) {
	case DRV_PHASE_SETUP:
		describe_setup(c, w, out);
		break;
	case DRV_PHASE_CANARY:
		dr_buf_printf(out, "note canary on host=127.0.0.1 port=<primary> user=drsim dbname=postgres; "
				   "after recovery on the %s\n",
			      c->strategy == SCN_BACKUP_RESTORE || c->disaster == SCN_DIS_CORRUPTION
				      ? "restored instance" : "promoted standby");
		break;
	case DRV_PHASE_INJECT:
		if (c->disaster == SCN_DIS_CORRUPTION) {
			dr_buf_printf(out, "sql SELECT pg_current_wal_insert_lsn()\nsql BEGIN\nsql SELECT txid_current()\n"
					   "sql %s\nsql COMMIT\n",
				      drv_opt(c, "corrupt_sql"));
		} else {
			dr_buf_printf(out, "run kill -KILL -<postmaster pid of W/primary> (%s)\n",
				      scn_disaster_names[c->disaster]);
			dr_buf_printf(out, "run mv W/primary W/primary.lost\n");
		}
		break;
	case DRV_PHASE_STEP:
		describe_step(c, s, out);
		break;
	case DRV_PHASE_VERIFY: {
		char *sum = checksum_sql(c);
		dr_buf_printf(out, "sql SELECT pg_is_in_recovery() -- must be 'f'\nsql %s\n", sum);
		free(sum);
		for (size_t i = 0; c->scn && i < c->scn->drill.n_tables; i++)
			dr_buf_printf(out, "sql SELECT count(*) FROM %s\n", c->scn->drill.tables[i]);
		for (size_t i = 0; c->scn && i < c->scn->drill.n_checks; i++)
			dr_buf_printf(out, "sql %s -- must be true\n", c->scn->drill.checks[i]);
		break;
	}
	case DRV_PHASE_CLEANUP:
		dr_buf_printf(out, "remove process every application instance (SIGTERM, then SIGKILL)\n"
				   "run pg_ctl -D <each node> -m immediate -w stop\nremove dir %s/pgsb-XXXXXX\n",
			      w);
		break;
	default:
		DR_BUG("unknown phase %d", (int)phase);
	}
	return DR_OK;
}

const drv_ops drv_pg_sandbox_ops = {
	.abi_version = DRV_ABI_VERSION,
	.name = "postgres-sandbox",
	.version = "1.0",
	.caps = DRV_CAP_SETUP | DRV_CAP_INJECT | DRV_CAP_CANARY | DRV_CAP_RESTORE | DRV_CAP_PITR |
		DRV_CAP_PROMOTE | DRV_CAP_HEALTH | DRV_CAP_STEP,
	.options = sandbox_options,
	.priv_size = sizeof(sandbox),
	.supported = sandbox_supported,
	.setup = sandbox_setup,
	.endpoint = sandbox_endpoint,
	.inject = sandbox_inject,
	.step = sandbox_step,
	.describe = sandbox_describe,
	.verify = sandbox_verify,
	.cleanup = sandbox_cleanup,
	.health = sandbox_health,
};
