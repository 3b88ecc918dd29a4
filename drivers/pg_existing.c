/*
 * pg_existing.c - the "postgres" driver: a restore drill of an EXISTING
 * PostgreSQL cluster that never harms it.  Its backups (drill.backup_dir: a
 * pg_basebackup directory, a base.tar[.gz] file or a directory of tar
 * files; drill.wal_archive: a WAL archive directory) are restored to a
 * scratch instance under the drill's work directory, run as the
 * unprivileged OS user through the sandbox library (drivers/pgsb.c), the
 * archive replayed to its end or to a target time, the data verified, the
 * restore timed, and the scratch instance removed.
 *
 * The source (drill.conninfo) is only ever read, in a session opened with
 * default_transaction_read_only=on, and never stopped, changed or deleted.
 * The one exception is opt-in:
 *
 *   drill: { params: { marker: true } }
 *
 * creates (if missing) a tiny table drsim_marker(run text, at timestamptz)
 * in the source's first schema on the search path and inserts ONE row per
 * drill at the event time, in an explicit READ WRITE transaction.  The
 * restore then shows exactly whether the archive already held that moment.
 * Without it the recovery point is the last replayed commit
 * (pg_last_xact_replay_timestamp(), carried by every commit record) or,
 * with track_commit_timestamp on, pg_last_committed_xact(); when the
 * restore replayed no commit the RPO is reported as not measured.  Only
 * this run's marker row proves the source held nothing newer: otherwise
 * the RPO is an upper bound (a quiet source looks like lost time).  The
 * source's clock stamps these: its offset to drsim's clock is measured at
 * set-up and taken off.
 *
 * Disaster injection is a no-op: "the event time is now".  An existing
 * cluster is never harmed; the drill rehearses losing it at this moment.
 *
 * Runbook ops (action.op): restore-base-backup (copy or untar the backup,
 * write the scratch settings), replay-wal / restore-pitr (to: latest |
 * <timestamp>: start, replay, promote; RTO ends when the scratch instance
 * answers a read of the marker / recovery point), promote (a restore
 * promotes at the end of recovery), verify.
 *
 * Verification on the scratch instance: the earlier drills' marker rows
 * are all present and this run's is reported; the row counts of
 * drill.tables equal the source's, counted in one REPEATABLE READ snapshot
 * at the event (for a restore to the end of the archive; a time target is
 * only reported); every drill.checks query returns true.
 *
 * Safety of the scratch instance: it listens on a free 127.0.0.1 port but
 * accepts connections only on a Unix socket in a 0700 directory of the run
 * (pg_hba.conf: local trust, no host lines); settings that could reach the
 * source's files (data_directory, hba_file, ident_file, include*,
 * external_pid_file) are commented out of the copied configuration;
 * archiving, standby connections, ssl and the logging collector are off;
 * backups with tablespaces or a symlinked pg_wal are refused (their links
 * point at the source's storage); the backup's system identifier must be
 * the source's.  Every directory, server and port is journalled and
 * removed by `drsim cleanup JOURNAL` after a crash, including a server
 * still starting (found by its postmaster.pid and the run's tag).
 */
#define _GNU_SOURCE
#include "driver.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <libpq-fe.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pgsb.h"
#include "units.h"

#define MARKER_TABLE "drsim_marker"

static const drv_option existing_options[] = {
	{"marker", "bool", "off",
	 "opt-in: one row per drill into drsim_marker(run text, at timestamptz) on the source, "
	 "so the RPO is measured exactly (the only write drsim ever makes to it)"},
	{"bindir", "path", NULL,
	 "PostgreSQL server binaries for the scratch instance, of the source's major version "
	 "(default: found automatically)"},
	{"os_user", "string", NULL,
	 "OS user running the scratch instance; it must read backup_dir and wal_archive "
	 "(default: drsim when root)"},
	{"timeout", "duration", "10m", "timeout of one server operation (copy, start, recovery)"},
	{"shared_buffers", "string", "128MB", "shared_buffers of the scratch instance"},
	{0},
};

typedef enum { BACKUP_PLAIN, BACKUP_TAR_FILE, BACKUP_TAR_DIR, BACKUP_MISSING } backup_layout;

typedef struct {
	drv_ctx *c;
	pgsb_journal jr;
	pgsb_env *env;
	pgsb_node *scratch;
	PGconn *src;                /* read-only session on the source */
	char user[128], dbname[128];/* the source session's role and database */
	char sysid[32];             /* the source's system identifier, "" if unreadable */
	char version[64];
	double skew;                /* source clock - drsim clock, seconds */
	char sockdir[PATH_MAX];
	char staging[PATH_MAX];
	char target[96];            /* "" = the end of the archive, else recovery_target_time */
	bool recovered;
	double marker_at;           /* this run's marker row (source clock), 0 = none */
	long long earlier_markers;  /* marker rows on the source before this run's, -1 = unknown */
	long long *counts;          /* source row counts of drill.tables at the event */
	bool counted;
	double recovery_point;      /* drsim clock */
	char rp_source[256];
	double answered_mono;       /* first read answered by the recovered instance */
} existing;

/* ---- small helpers ------------------------------------------------------ */


/* dr_error with the text redacted (libpq and pgsb messages may quote a
 * conninfo). */
static void say(const char *fmt, ...) DR_PRINTF(1, 2);
static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dr_buf b = {0};
	dr_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	char *safe = drv_redact(b.s ? b.s : "");
	dr_error("postgres: %s", safe);
	free(safe);
	dr_buf_release(&b);
}

static bool opt_on(const drv_ctx *c, const char *name)
{
	const char *v = drv_opt(c, name);
	return v && (strcmp(v, "on") == 0 || strcmp(v, "true") == 0 || strcmp(v, "yes") == 0);
}

static double opt_timeout(const drv_ctx *c)
{
	const char *v = drv_opt(c, "timeout");
	dr_qty q;
	if (!v || dr_qty_parse(v, &q, NULL) != DR_OK || !dr_dim_eq(q.dim, DR_DIM_TIME) || q.v <= 0)
		return 600;
	return q.v;
}

/* Bound pgsb's waits by the option and the executor's deadline. */
static void bound(existing *ex)
{
	double t = opt_timeout(ex->c);
	if (ex->c->deadline_mono > 0) {
		double left = ex->c->deadline_mono - dr_now_mono();
		if (left < t)
			t = left > 1 ? left : 1;
	}
	pgsb_set_timeout(ex->env, t);
}

static dr_err checked(existing *ex, dr_err err, const char *what)
{
	if (err) {
		say("%s: %s", what, pgsb_errmsg(ex->env));
		return err;
	}
	if (ex->jr.err) {
		say("%s: cannot write the journal", what);
		return ex->jr.err;
	}
	return DR_OK;
}

static void quiet(void *arg, const char *msg) {}

/* A plain [schema.]name: no quoting needed, nothing else can ride along. */
static bool plain_table(const char *t)
{
	int dots = 0;
	if (!t || !*t || strchr("0123456789.", t[0]) || t[strlen(t) - 1] == '.')
		return false;
	for (const char *p = t; *p; p++) {
		if (*p == '.')
			dots++;
		else if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$", *p))
			return false;
	}
	return dots <= 1;
}

/* Paths written into the scratch settings: no quotes, no line breaks. */
static bool conf_safe(const char *s)
{
	return s && !strpbrk(s, "'\\\n\r");
}

static backup_layout layout_of(const char *path)
{
	struct stat st;
	if (!path || stat(path, &st) != 0)
		return BACKUP_MISSING;
	if (!S_ISDIR(st.st_mode))
		return BACKUP_TAR_FILE;
	char *p = dr_asprintf("%s/PG_VERSION", path);
	bool plain = access(p, F_OK) == 0;
	free(p);
	return plain ? BACKUP_PLAIN : BACKUP_TAR_DIR;
}

/* The first file of dir matching pattern (e.g. "base.tar*"), or NULL. */
static char *find_file(const char *dir, const char *pattern)
{
	char *pat = dr_asprintf("%s/%s", dir, pattern);
	glob_t g;
	char *found = NULL;
	if (glob(pat, 0, NULL, &g) == 0) {
		if (g.gl_pathc > 0)
			found = dr_strdup(g.gl_pathv[0]);
		globfree(&g);
	}
	free(pat);
	return found;
}

/* The recovery target of the runbook's first replay step: "" for latest. */
static const char *runbook_target(const drv_ctx *c)
{
	const scn_runbook *rb = c->scn ? scn_runbook_for(c->scn, c->disaster) : NULL;
	for (size_t i = 0; rb && i < rb->n_steps; i++) {
		const char *op = rb->steps[i].action.op ? rb->steps[i].action.op : "";
		if (strcmp(op, "replay-wal") == 0 || strcmp(op, "restore-pitr") == 0) {
			const char *to = scn_action_param(&rb->steps[i].action, "to");
			return to && strcmp(to, "latest") != 0 ? to : "";
		}
	}
	return "";
}

/* ---- the source: read-only ---------------------------------------------- */

/* Open the source session: the scenario's conninfo plus
 * default_transaction_read_only=on and a statement timeout. */
static dr_err source_connect(existing *ex)
{
	const drv_ctx *c = ex->c;
	char *errmsg = NULL;
	PQconninfoOption *opts = PQconninfoParse(c->scn->drill.conninfo, &errmsg);
	if (!opts) {
		say("drill.conninfo does not parse: %s", errmsg ? errmsg : "out of memory");
		PQfreemem(errmsg);
		return DR_USAGE;
	}
	const char *keys[64], *vals[64];
	size_t n = 0;
	const char *user_options = NULL;
	bool has_timeout = false, has_app = false;
	for (PQconninfoOption *o = opts; o->keyword && n < 60; o++) {
		if (!o->val)
			continue;
		if (strcmp(o->keyword, "options") == 0) {
			user_options = o->val;
			continue;
		}
		has_timeout |= strcmp(o->keyword, "connect_timeout") == 0;
		has_app |= strcmp(o->keyword, "application_name") == 0;
		keys[n] = o->keyword;
		vals[n++] = o->val;
	}
	/* ours come last: they win over the user's own -c settings */
	char *options = dr_asprintf("%s%s-c default_transaction_read_only=on -c statement_timeout=%.0f",
				    user_options ? user_options : "", user_options ? " " : "",
				    opt_timeout(c) * 1000);
	keys[n] = "options";
	vals[n++] = options;
	if (!has_timeout) {
		keys[n] = "connect_timeout";
		vals[n++] = "10";
	}
	if (!has_app) {
		keys[n] = "application_name";
		vals[n++] = "drsim-drill";
	}
	keys[n] = vals[n] = NULL;
	ex->src = PQconnectdbParams(keys, vals, 0);
	free(options);
	PQconninfoFree(opts);
	if (PQstatus(ex->src) != CONNECTION_OK) {
		say("cannot connect to the source: %s", PQerrorMessage(ex->src));
		return DR_DRIVER;
	}
	PQsetNoticeProcessor(ex->src, quiet, NULL);
	snprintf(ex->user, sizeof ex->user, "%s", PQuser(ex->src));
	snprintf(ex->dbname, sizeof ex->dbname, "%s", PQdb(ex->src));
	return DR_OK;
}

/* One statement on conn; *res gets the tuples (caller clears).  On error
 * the message names what. */
static dr_err run_sql(PGconn *conn, const char *what, const char *sql, int nparams,
		      const char *const *params, PGresult **res)
{
	PGresult *r = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(r);
	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		say("%s: %s", what, PQerrorMessage(conn));
		PQclear(r);
		return DR_DRIVER;
	}
	if (res)
		*res = r;
	else
		PQclear(r);
	return DR_OK;
}

/* The first value of a one-row answer ("" for NULL or no row). */
static const char *value(PGresult *r, int col)
{
	return PQntuples(r) > 0 && PQnfields(r) > col && !PQgetisnull(r, 0, col) ? PQgetvalue(r, 0, col) : "";
}

static dr_err source_probe(existing *ex)
{
	PGresult *r = NULL;
	dr_err err = run_sql(ex->src, "reading the source's settings",
			     "SELECT current_setting('server_version'), current_setting('transaction_read_only'), "
			     "pg_is_in_recovery()::text",
			     0, NULL, &r);
	if (err)
		return err;
	snprintf(ex->version, sizeof ex->version, "%s", value(r, 0));
	snprintf(ex->c->server_version, sizeof ex->c->server_version, "PostgreSQL %s (source)", ex->version);
	bool read_only = strcmp(value(r, 1), "on") == 0;
	bool standby = strcmp(value(r, 2), "true") == 0;
	PQclear(r);
	if (!read_only) {
		say("the source session is not read-only: refusing to go on");
		return DR_GUARD;
	}
	if (standby && opt_on(ex->c, "marker")) {
		say("the source is a standby (in recovery): it cannot take the opt-in marker row");
		return DR_USAGE;
	}
	/* pg_control_system() may be denied to the role: then unknown */
	r = PQexec(ex->src, "SELECT system_identifier::text FROM pg_control_system()");
	if (PQresultStatus(r) == PGRES_TUPLES_OK)
		snprintf(ex->sysid, sizeof ex->sysid, "%s", value(r, 0));
	PQclear(r);
	/* the source's clock stamps commits and markers: its offset to ours */
	double t0 = dr_now_real();
	err = run_sql(ex->src, "reading the source's clock", "SELECT extract(epoch FROM clock_timestamp())::text",
		      0, NULL, &r);
	double t1 = dr_now_real();
	if (err)
		return err;
	ex->skew = strtod(value(r, 0), NULL) - (t0 + t1) / 2;
	PQclear(r);
	return DR_OK;
}

/* The opt-in marker: the only write drsim makes to a source. */
static dr_err write_marker(existing *ex)
{
	drv_ctx *c = ex->c;
	const char *run[] = {c->run_id};
	PGresult *r = NULL;
	dr_err err = drv_journal(c, "begin", "write", "row", MARKER_TABLE,
				 json_pack("{s:s}", "what", "opt-in marker row on the source"));
	if (err)
		return err;
	err = run_sql(ex->src, "opening the marker transaction", "BEGIN READ WRITE", 0, NULL, NULL);
	if (!err)
		err = run_sql(ex->src, "creating the marker table",
			      "CREATE TABLE IF NOT EXISTS " MARKER_TABLE " (run text NOT NULL, at timestamptz NOT NULL)",
			      0, NULL, NULL);
	if (!err)
		err = run_sql(ex->src, "counting marker rows", "SELECT count(*)::text FROM " MARKER_TABLE, 0, NULL, &r);
	if (!err) {
		ex->earlier_markers = strtoll(value(r, 0), NULL, 10);
		PQclear(r);
		err = run_sql(ex->src, "writing the marker row",
			      "INSERT INTO " MARKER_TABLE " VALUES ($1, clock_timestamp()) "
			      "RETURNING extract(epoch FROM at)::text",
			      1, run, &r);
	}
	if (!err) {
		ex->marker_at = strtod(value(r, 0), NULL);
		PQclear(r);
		err = run_sql(ex->src, "committing the marker row", "COMMIT", 0, NULL, NULL);
	}
	if (err) {
		PQclear(PQexec(ex->src, "ROLLBACK"));
		ex->marker_at = 0;
		dr_err jerr = drv_journal(c, "failed", "write", "row", MARKER_TABLE, NULL);
		(void)jerr;
		return err;
	}
	return drv_journal(c, "done", "write", "row", MARKER_TABLE, NULL);
}

/* Row counts of drill.tables in one snapshot. */
static dr_err count_source(existing *ex)
{
	const scn_drill *d = &ex->c->scn->drill;
	if (d->n_tables == 0)
		return DR_OK;
	ex->counts = dr_calloc(d->n_tables, sizeof *ex->counts);
	dr_err err = run_sql(ex->src, "opening a snapshot",
			     "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL, NULL);
	for (size_t i = 0; !err && i < d->n_tables; i++) {
		PGresult *r = NULL;
		char *sql = dr_asprintf("SELECT count(*)::text FROM %s", d->tables[i]);
		err = run_sql(ex->src, "counting rows on the source", sql, 0, NULL, &r);
		free(sql);
		if (!err) {
			ex->counts[i] = strtoll(value(r, 0), NULL, 10);
			PQclear(r);
		}
	}
	PQclear(PQexec(ex->src, err ? "ROLLBACK" : "COMMIT"));
	ex->counted = !err;
	return err;
}

/* ---- set-up ---------------------------------------------------------------- */

static bool existing_supported(char *why, size_t n)
{
	return pgsb_available(getenv("DRSIM_PG_BINDIR"), why, n);
}

static dr_err check_scenario(const drv_ctx *c)
{
	const scn_drill *d = c->scn ? &c->scn->drill : NULL;
	if (!d || !d->conninfo || !*d->conninfo) {
		say("drill.conninfo is required: the source cluster");
		return DR_USAGE;
	}
	if (!d->backup_dir || layout_of(d->backup_dir) == BACKUP_MISSING) {
		say("drill.backup_dir \"%s\" does not exist", d->backup_dir ? d->backup_dir : "");
		return DR_USAGE;
	}
	struct stat st;
	if (d->wal_archive && (stat(d->wal_archive, &st) != 0 || !S_ISDIR(st.st_mode))) {
		say("drill.wal_archive \"%s\" is not a directory", d->wal_archive);
		return DR_USAGE;
	}
	for (size_t i = 0; i < d->n_tables; i++)
		if (!plain_table(d->tables[i])) {
			say("drill.tables: \"%s\" is not a plain [schema.]table name", d->tables[i]);
			return DR_USAGE;
		}
	return DR_OK;
}

static dr_err existing_setup(drv_ctx *c)
{
	existing *ex = c->priv;
	char msg[1024];
	ex->c = c;
	ex->jr.c = c;
	ex->earlier_markers = -1;
	dr_err err = check_scenario(c);
	if (err)
		return err;
	snprintf(ex->target, sizeof ex->target, "%s", runbook_target(c));
	err = source_connect(ex);
	if (!err)
		err = source_probe(ex);
	if (err)
		return err;
	drv_log(c, "source: PostgreSQL %s, system identifier %s, role %s, database %s (read-only session)",
		ex->version, ex->sysid[0] ? ex->sysid : "unknown", ex->user, ex->dbname);
	pgsb_opts o = {.bindir = drv_opt(c, "bindir"), .workdir = c->workdir, .os_user = drv_opt(c, "os_user"),
		       .tag = c->run_id, .timeout_s = opt_timeout(c),
		       .track = pgsb_journal_track, .track_ctx = &ex->jr};
	err = pgsb_env_new(&o, &ex->env, msg, sizeof msg);
	if (err) {
		say("%s", msg);
		return err;
	}
	snprintf(ex->sockdir, sizeof ex->sockdir, "%s/sock", pgsb_workdir(ex->env));
	if (strlen(ex->sockdir) > 90 || !conf_safe(pgsb_workdir(ex->env))) {
		say("work directory \"%s\" is too long or holds quotes for a Unix socket path",
		    pgsb_workdir(ex->env));
		return DR_USAGE;
	}
	return checked(ex, pgsb_mkdir(ex->env, ex->sockdir, "scratch socket directory"),
		       "creating the socket directory");
}

/* ---- injection: none ------------------------------------------------------- */

static dr_err existing_inject(drv_ctx *c, scn_disaster_kind k, double *event_at)
{
	existing *ex = c->priv;
	if (!ex->src) {
		say("no source session: set-up has not run");
		return DR_USAGE;
	}
	dr_err err = drv_journal(c, "note", "inject", "event", scn_disaster_names[k],
				 json_pack("{s:s}", "effect", "none: an existing cluster is never harmed, "
							      "the event time is now"));
	if (!err && opt_on(c, "marker"))
		err = write_marker(ex);
	if (err)
		return err;
	*event_at = dr_now_real();
	drv_log(c, "%s: the existing cluster is not touched; the event time is now%s", scn_disaster_names[k],
		ex->marker_at > 0 ? " (marker row written)" : "");
	return count_source(ex);
}

/* ---- the scratch instance -------------------------------------------------- */

static PGconn *scratch_connect(existing *ex)
{
	char port[16];
	snprintf(port, sizeof port, "%d", pgsb_node_port(ex->scratch));
	const char *keys[] = {"host", "port", "user", "dbname", "connect_timeout", "application_name", NULL};
	const char *vals[] = {ex->sockdir, port, ex->user, ex->dbname, "5", "drsim-drill", NULL};
	PGconn *conn = PQconnectdbParams(keys, vals, 0);
	if (PQstatus(conn) != CONNECTION_OK) {
		PQfinish(conn);
		return NULL;
	}
	PQsetNoticeProcessor(conn, quiet, NULL);
	return conn;
}

/* Copy the tail of the scratch server's log into the error. */
static void log_tail(existing *ex)
{
	size_t len = 0;
	char *log = dr_read_file(pgsb_node_log(ex->scratch), &len);
	if (log) {
		say("scratch server log ends:\n%s", len > 1500 ? log + len - 1500 : log);
		free(log);
	}
}

/* Extract a tar backup into a staging directory of the run. */
static dr_err stage_tar(existing *ex, backup_layout layout)
{
	const char *backup = ex->c->scn->drill.backup_dir;
	char *base = layout == BACKUP_TAR_FILE ? dr_strdup(backup) : find_file(backup, "base.tar*");
	char *wal = layout == BACKUP_TAR_DIR ? find_file(backup, "pg_wal.tar*") : NULL;
	char *wal_dir = NULL;
	dr_err err = DR_USAGE;
	if (!base) {
		say("backup_dir \"%s\" holds neither a data directory nor base.tar", backup);
		goto done;
	}
	if (layout == BACKUP_TAR_DIR) {
		glob_t g;
		char *pat = dr_asprintf("%s/*.tar*", backup);
		size_t others = 0;
		if (glob(pat, 0, NULL, &g) == 0) {
			others = g.gl_pathc - 1 - (wal != NULL);
			globfree(&g);
		}
		free(pat);
		if (others > 0) {
			say("backup \"%s\" has tablespace archives: their locations are the source's, refused",
			    backup);
			err = DR_GUARD;
			goto done;
		}
	}
	snprintf(ex->staging, sizeof ex->staging, "%s/staging", pgsb_workdir(ex->env));
	err = checked(ex, pgsb_mkdir(ex->env, ex->staging, "staging of the tar backup"), "staging the backup");
	if (err)
		goto done;
	const char *untar[] = {"/bin/tar", "-xf", base, "-C", ex->staging, NULL};
	err = checked(ex, pgsb_run(ex->env, untar, 0, NULL), "extracting the base backup");
	if (err || !wal)
		goto done;
	wal_dir = dr_asprintf("%s/pg_wal", ex->staging);
	err = checked(ex, pgsb_mkdir(ex->env, wal_dir, "pg_wal of the staged backup"), "staging pg_wal");
	if (!err) {
		const char *untar_wal[] = {"/bin/tar", "-xf", wal, "-C", wal_dir, NULL};
		err = checked(ex, pgsb_run(ex->env, untar_wal, 0, NULL), "extracting pg_wal.tar");
	}
done:
	free(base);
	free(wal);
	free(wal_dir);
	return err;
}

/* Symlinks in the copy would point at the source's storage. */
static dr_err guard_links(existing *ex)
{
	const char *dd = pgsb_node_datadir(ex->scratch);
	char *tbs = dr_asprintf("%s/pg_tblspc", dd), *wal = dr_asprintf("%s/pg_wal", dd);
	dr_err err = DR_OK;
	DIR *d = opendir(tbs);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			err = DR_GUARD;
	if (d)
		closedir(d);
	struct stat st;
	if (err)
		say("the backup has tablespaces (pg_tblspc): their links point at the source's storage, refused");
	else if (lstat(wal, &st) == 0 && S_ISLNK(st.st_mode)) {
		say("pg_wal of the backup is a symlink (to the source's storage?): refused");
		err = DR_GUARD;
	}
	free(tbs);
	free(wal);
	return err;
}

/* Is line a setting (or include directive) of one of the keys? */
static bool sets_any(const char *line, const char *const *keys)
{
	while (*line == ' ' || *line == '\t')
		line++;
	size_t n = strspn(line, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.");
	if (n == 0 || !strchr(" \t=", line[n]))
		return false;
	for (size_t i = 0; keys[i]; i++)
		if (strlen(keys[i]) == n && strncasecmp(line, keys[i], n) == 0)
			return true;
	return false;
}

/* Write text to path in the scratch data directory, owned like it. */
static dr_err write_owned(existing *ex, const char *path, const char *text, bool append)
{
	struct stat st;
	FILE *f = fopen(path, append ? "a" : "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		say("cannot write \"%s\": %s", path, strerror(errno));
		return DR_IO;
	}
	if (stat(pgsb_node_datadir(ex->scratch), &st) != 0 || chown(path, st.st_uid, st.st_gid) != 0) {
		say("cannot give \"%s\" to the scratch instance's user: %s", path, strerror(errno));
		return DR_IO;
	}
	return DR_OK;
}

/* Comment out settings that could reach outside the scratch directory. */
static dr_err neuter_conf(existing *ex, const char *name)
{
	static const char *const outside[] = {"data_directory", "config_file", "hba_file", "ident_file",
					      "include", "include_dir", "include_if_exists",
					      "external_pid_file", NULL};
	char *path = dr_asprintf("%s/%s", pgsb_node_datadir(ex->scratch), name);
	char *text = dr_read_file(path, NULL);
	dr_err err = DR_OK;
	dr_buf out = {0};
	for (char *line = text; line && *line;) {
		size_t n = strcspn(line, "\n");
		char saved = line[n];
		line[n] = '\0';
		dr_buf_printf(&out, "%s%s\n", sets_any(line, outside) ? "# drsim: disabled in the scratch copy: " : "",
			      line);
		line += n + (saved ? 1 : 0);
	}
	err = write_owned(ex, path, out.s ? out.s : "", false);
	dr_buf_release(&out);
	free(text);
	free(path);
	return err;
}

/* The scratch instance's own settings, after the copied ones. */
static dr_err scratch_settings(existing *ex)
{
	const char *dd = pgsb_node_datadir(ex->scratch);
	const char *sb = drv_opt(ex->c, "shared_buffers");
	if (!conf_safe(dd) || !conf_safe(sb)) {
		say("scratch settings hold quotes: \"%s\", \"%s\"", dd, sb);
		return DR_USAGE;
	}
	dr_err err = neuter_conf(ex, "postgresql.conf");
	if (!err)
		err = neuter_conf(ex, "postgresql.auto.conf");
	char *hba = dr_asprintf("%s/pg_hba.conf", dd), *ident = dr_asprintf("%s/pg_ident.conf", dd);
	char *autoconf = dr_asprintf("%s/postgresql.auto.conf", dd);
	char *settings = dr_asprintf(
	    "# drsim: scratch instance of an existing cluster (postgres driver, run %s)\n"
	    "listen_addresses = '127.0.0.1'\n"
	    "unix_socket_directories = '%s'\n"
	    "unix_socket_group = ''\n"
	    "unix_socket_permissions = 0700\n"
	    "hba_file = '%s'\n"
	    "ident_file = '%s'\n"
	    "ssl = off\n"
	    "logging_collector = off\n"
	    "log_destination = 'stderr'\n"
	    "shared_buffers = '%s'\n"
	    "huge_pages = off\n"
	    "hot_standby = on\n"
	    "primary_conninfo = ''\n"
	    "primary_slot_name = ''\n"
	    "archive_mode = off\n"
	    "cluster_name = 'drsim-scratch'\n",
	    ex->c->run_id, ex->sockdir, hba, ident, sb);
	if (!err)
		err = write_owned(ex, hba, "# drsim scratch instance: its private socket only\n"
					   "local all all trust\n", false);
	if (!err)
		err = write_owned(ex, ident, "", false);
	if (!err)
		err = write_owned(ex, autoconf, settings, true);
	free(settings);
	free(autoconf);
	free(hba);
	free(ident);
	return err;
}

/* The backup must be of the source cluster. */
static dr_err same_cluster(existing *ex, char sysid[32])
{
	const char *argv[] = {"pg_controldata", "-D", pgsb_node_datadir(ex->scratch), NULL};
	dr_buf out = {0};
	dr_err err = checked(ex, pgsb_run(ex->env, argv, 60, &out), "reading the backup's control file");
	const char *key = "Database system identifier:";
	const char *p = out.s ? strstr(out.s, key) : NULL;
	sysid[0] = '\0';
	if (!err && p)
		sscanf(p + strlen(key), " %31[0-9]", sysid);
	dr_buf_release(&out);
	if (err)
		return err;
	if (ex->sysid[0] && strcmp(ex->sysid, sysid) != 0) {
		say("backup_dir holds cluster %s, the source is cluster %s: refused", sysid[0] ? sysid : "?",
		    ex->sysid);
		return DR_GUARD;
	}
	return DR_OK;
}

static dr_err prepare(existing *ex, drv_step_out *out)
{
	if (ex->scratch)
		return DR_OK;
	const scn_drill *d = &ex->c->scn->drill;
	backup_layout layout = layout_of(d->backup_dir);
	const char *from = d->backup_dir;
	bound(ex);
	double t0 = dr_now_mono();
	dr_err err = DR_OK;
	if (layout == BACKUP_TAR_FILE || layout == BACKUP_TAR_DIR) {
		err = stage_tar(ex, layout);
		from = ex->staging;
	}
	if (err)
		return err;
	pgsb_target t = {.kind = ex->target[0] ? PGSB_TARGET_TIME : PGSB_TARGET_LATEST, .value = ex->target,
			 .inclusive = true};
	err = checked(ex, pgsb_restore_prepare(ex->env, "scratch", from, d->wal_archive, &t, &ex->scratch),
		      "copying the base backup");
	if (!err && ex->staging[0])
		err = drv_rmdir(ex->c, ex->staging); /* the copy is what runs */
	char sysid[32] = "";
	if (!err)
		err = guard_links(ex);
	if (!err)
		err = same_cluster(ex, sysid);
	if (!err)
		err = scratch_settings(ex);
	if (err)
		return err;
	drv_step_detail(out, false, "%s %s to %s in %.2f s (cluster %s); restore_command from %s, %s%s",
	       layout == BACKUP_PLAIN ? "copied" : "extracted", d->backup_dir, pgsb_node_datadir(ex->scratch),
	       dr_now_mono() - t0, sysid[0] ? sysid : "?", d->wal_archive ? d->wal_archive : "(none)",
	       ex->target[0] ? "recovery_target_time " : "to the end of the archive",
	       ex->target);
	return DR_OK;
}

/* The recovery point the restore holds, on drsim's clock, and the
 * moment the instance first answered it. */
static dr_err read_recovery_point(existing *ex, PGconn *conn)
{
	const char *run[] = {ex->c->run_id};
	PGresult *r = NULL;
	double best = 0;
	const char *how = "";
	char marker_note[96] = "";
	dr_err err = run_sql(conn, "reading the recovery point",
			     "SELECT extract(epoch FROM pg_last_xact_replay_timestamp())::text, "
			     "current_setting('track_commit_timestamp'), "
			     "(to_regclass('" MARKER_TABLE "') IS NOT NULL)::text",
			     0, NULL, &r);
	if (err)
		return err;
	if (*value(r, 0)) {
		best = strtod(value(r, 0), NULL);
		how = "the last replayed commit";
	}
	bool commit_ts = strcmp(value(r, 1), "on") == 0, has_marker = strcmp(value(r, 2), "true") == 0;
	PQclear(r);
	if (commit_ts && run_sql(conn, "reading the last commit timestamp",
				 "SELECT extract(epoch FROM timestamp)::text FROM pg_last_committed_xact()", 0, NULL,
				 &r) == DR_OK) {
		double at = strtod(value(r, 0), NULL);
		if (*value(r, 0) && at > best) {
			best = at;
			how = "the last committed transaction (track_commit_timestamp)";
		}
		PQclear(r);
	}
	if (has_marker) {
		err = run_sql(conn, "reading the marker rows",
			      "SELECT extract(epoch FROM max(at))::text, count(*) FILTER (WHERE run = $1)::text "
			      "FROM " MARKER_TABLE,
			      1, run, &r);
		if (err)
			return err;
		double at = strtod(value(r, 0), NULL);
		bool mine = strcmp(value(r, 1), "0") != 0;
		if (*value(r, 0) && at > best) {
			best = at;
			how = mine ? "this run's marker row" : "an earlier drill's marker row";
		}
		if (opt_on(ex->c, "marker"))
			snprintf(marker_note, sizeof marker_note, "; this run's marker row %s",
				 mine ? "is present" : "is not in the restore");
		PQclear(r);
	} else if (opt_on(ex->c, "marker")) {
		snprintf(marker_note, sizeof marker_note, "; no marker table in the restore");
	}
	ex->answered_mono = dr_now_mono();
	if (best <= 0)
		return DR_OK;
	ex->recovery_point = best - ex->skew;
	char iso[32];
	dr_iso8601(ex->recovery_point, iso);
	/* only this run's marker proves the source had nothing newer: else a
	 * quiet source looks like lost time, and the RPO is an upper bound */
	bool exact = strstr(marker_note, "is present") != NULL;
	snprintf(ex->rp_source, sizeof ex->rp_source, "newest data %s from %s (source clock offset %+.3f s)%s%s",
		 iso, how, ex->skew, marker_note, exact ? "" : "; an upper bound");
	return DR_OK;
}

/* Wait until the scratch instance is out of recovery and answers. */
static dr_err wait_recovered(existing *ex)
{
	double end = ex->c->deadline_mono > 0 ? ex->c->deadline_mono : dr_now_mono() + opt_timeout(ex->c);
	for (;;) {
		PGconn *conn = scratch_connect(ex);
		if (conn) {
			PGresult *r = PQexec(conn, "SELECT pg_is_in_recovery()::text");
			bool done = PQresultStatus(r) == PGRES_TUPLES_OK && strcmp(value(r, 0), "false") == 0;
			PQclear(r);
			dr_err err = done ? read_recovery_point(ex, conn) : DR_OK;
			PQfinish(conn);
			if (done)
				return err;
		}
		pid_t pid = pgsb_node_pid(ex->scratch);
		if (pid <= 0 || pgsb_proc_start_ticks(pid) == 0) {
			say("the scratch instance stopped during recovery");
			log_tail(ex);
			return DR_DRIVER;
		}
		if (drv_interrupted())
			return DR_INTERRUPTED;
		if (dr_now_mono() > end) {
			say("recovery did not end before the deadline");
			log_tail(ex);
			return DR_TIMEOUT;
		}
		usleep(50000);
	}
}

static dr_err replay(existing *ex, drv_step_out *out)
{
	dr_err err = prepare(ex, out);
	if (err)
		return err;
	if (!ex->recovered) {
		bound(ex);
		double t0 = dr_now_mono();
		err = checked(ex, pgsb_start(ex->env, ex->scratch), "starting the scratch instance");
		if (!err)
			err = wait_recovered(ex);
		if (err)
			return err;
		ex->recovered = true;
		drv_step_detail(out, true, "replayed %s and promoted in %.2f s on port %d",
		       ex->target[0] ? "to the target time" : "to the end of the archive", dr_now_mono() - t0,
		       pgsb_node_port(ex->scratch));
	}
	out->healthy_at_mono = ex->answered_mono;
	out->recovery_point = ex->recovery_point;
	snprintf(out->recovery_point_source, sizeof out->recovery_point_source, "%s", ex->rp_source);
	if (ex->recovery_point <= 0)
		drv_step_detail(out, true, "no replayed commit or marker in the restore: RPO not measured");
	return DR_OK;
}

static dr_err existing_health(drv_ctx *c, double *healthy_at_mono)
{
	existing *ex = c->priv;
	if (!ex->scratch) {
		say("no scratch instance: nothing was restored");
		return DR_USAGE;
	}
	if (!ex->recovered) {
		dr_err err = wait_recovered(ex);
		if (err)
			return err;
		ex->recovered = true;
	}
	*healthy_at_mono = ex->answered_mono;
	return DR_OK;
}

/* ---- verification ---------------------------------------------------------- */

static dr_err verify_markers(existing *ex, PGconn *conn, dr_buf *report)
{
	if (!opt_on(ex->c, "marker") || ex->earlier_markers < 0)
		return DR_OK;
	const char *run[] = {ex->c->run_id};
	PGresult *r = NULL;
	long long earlier = 0, mine = 0;
	PGresult *probe = PQexec(conn, "SELECT (to_regclass('" MARKER_TABLE "') IS NOT NULL)::text");
	bool exists = PQresultStatus(probe) == PGRES_TUPLES_OK && strcmp(value(probe, 0), "true") == 0;
	PQclear(probe);
	if (exists) {
		if (run_sql(conn, "reading the marker rows",
			    "SELECT count(*) FILTER (WHERE run <> $1)::text, count(*) FILTER (WHERE run = $1)::text "
			    "FROM " MARKER_TABLE,
			    1, run, &r) != DR_OK) {
			dr_buf_printf(report, "%s unreadable\n", MARKER_TABLE);
			return DR_VERIFY;
		}
		earlier = strtoll(value(r, 0), NULL, 10);
		mine = strtoll(value(r, 1), NULL, 10);
		PQclear(r);
	}
	bool ok = ex->target[0] || earlier >= ex->earlier_markers;
	dr_buf_printf(report, "%s: %lld of %lld earlier drill rows%s; this run's row %s\n", MARKER_TABLE, earlier,
		      ex->earlier_markers, ok ? "" : " MISSING", mine ? "present" : "not in the archive yet");
	return ok ? DR_OK : DR_VERIFY;
}

static dr_err verify_tables(existing *ex, PGconn *conn, dr_buf *report)
{
	const scn_drill *d = &ex->c->scn->drill;
	dr_err err = DR_OK;
	for (size_t i = 0; i < d->n_tables; i++) {
		PGresult *r = NULL;
		char *sql = dr_asprintf("SELECT count(*)::text FROM %s", d->tables[i]);
		if (ex->target[0]) {
			/* a table may not exist yet at the target time: report only */
			r = PQexec(conn, sql);
			free(sql);
			bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
			dr_buf_printf(report, "table %s: %s%s rows at the target time (not compared)\n", d->tables[i],
				      ok ? value(r, 0) : "absent", ok ? "" : ", no");
			PQclear(r);
			continue;
		}
		dr_err qerr = run_sql(conn, "counting rows in the restore", sql, 0, NULL, &r);
		free(sql);
		if (qerr) {
			dr_buf_printf(report, "table %s: unreadable in the restore\n", d->tables[i]);
			err = DR_VERIFY;
			continue;
		}
		long long got = strtoll(value(r, 0), NULL, 10);
		PQclear(r);
		long long want = ex->counted ? ex->counts[i] : -1;
		bool same = got == want;
		dr_buf_printf(report, "table %s: %lld rows, source %lld at the event%s\n", d->tables[i], got, want,
			      same ? "" : " MISMATCH");
		if (!same)
			err = DR_VERIFY;
	}
	return err;
}

static dr_err verify_checks(existing *ex, PGconn *conn, dr_buf *report)
{
	const scn_drill *d = &ex->c->scn->drill;
	dr_err err = DR_OK;
	for (size_t i = 0; i < d->n_checks; i++) {
		PGresult *r = PQexec(conn, d->checks[i]);
		bool ok = PQresultStatus(r) == PGRES_TUPLES_OK && strcmp(value(r, 0), "t") == 0;
		PQclear(r);
		dr_buf_printf(report, "check %s: %s\n", d->checks[i], ok ? "true" : "FAILED");
		if (!ok)
			err = DR_VERIFY;
	}
	return err;
}

static dr_err existing_verify(drv_ctx *c, dr_buf *report)
{
	existing *ex = c->priv;
	if (!ex->recovered) {
		dr_buf_printf(report, "nothing was restored\n");
		return DR_VERIFY;
	}
	PGconn *conn = scratch_connect(ex);
	if (!conn) {
		dr_buf_printf(report, "the scratch instance does not answer\n");
		return DR_VERIFY;
	}
	PGresult *r = PQexec(conn, "SELECT pg_is_in_recovery()::text");
	bool writable = PQresultStatus(r) == PGRES_TUPLES_OK && strcmp(value(r, 0), "false") == 0;
	PQclear(r);
	dr_err err = writable ? DR_OK : DR_VERIFY;
	dr_buf_printf(report, "scratch instance %s recovery\n", writable ? "out of" : "still in");
	dr_err e2 = verify_markers(ex, conn, report);
	dr_err e3 = verify_tables(ex, conn, report);
	dr_err e4 = verify_checks(ex, conn, report);
	PQfinish(conn);
	if (!err)
		err = e2 ? e2 : e3 ? e3 : e4;
	if (report->len && report->s[report->len - 1] == '\n')
		report->s[--report->len] = '\0';
	return err;
}

/* ---- steps ----------------------------------------------------------------- */

static dr_err existing_step(drv_ctx *c, const scn_step *s, drv_step_out *out)
{
	existing *ex = c->priv;
	const char *op = s->action.op ? s->action.op : "";
	const char *to = scn_action_param(&s->action, "to");
	out->exit_status = -1;
	if (!ex->env) {
		say("step \"%s\": set-up has not run", s->name);
		return DR_USAGE;
	}
	bound(ex);
	if (strcmp(op, "replay-wal") == 0 || strcmp(op, "restore-pitr") == 0) {
		const char *want = to && strcmp(to, "latest") != 0 ? to : "";
		if (strcmp(want, ex->target) != 0) {
			say("step \"%s\": target \"%s\" differs from the runbook's first replay target \"%s\"",
			    s->name, want, ex->target);
			return DR_USAGE;
		}
		return replay(ex, out);
	}
	if (strcmp(op, "restore-base-backup") == 0)
		return prepare(ex, out);
	if (strcmp(op, "promote") == 0) {
		dr_err err = replay(ex, out);
		if (!err)
			drv_step_detail(out, true, "a restore promotes at the end of recovery (recovery.signal)");
		return err;
	}
	if (strcmp(op, "verify") == 0) {
		dr_buf rep = {0};
		dr_err err = existing_verify(c, &rep);
		drv_step_detail(out, false, "%s", rep.s ? rep.s : "");
		dr_buf_release(&rep);
		return err;
	}
	say("step \"%s\": unknown op \"%s\" (restore-base-backup, replay-wal, restore-pitr, promote, verify)",
	    s->name, op);
	return DR_USAGE;
}

/* ---- clean-up -------------------------------------------------------------- */

static dr_err existing_cleanup(drv_ctx *c)
{
	existing *ex = c->priv;
	if (ex->src) {
		PQfinish(ex->src);
		ex->src = NULL;
	}
	free(ex->counts);
	ex->counts = NULL;
	if (!ex->env)
		return DR_OK;
	bool ok = pgsb_env_free(ex->env);
	ex->env = NULL;
	ex->scratch = NULL;
	if (!ok) {
		say("cleanup left something behind (see the warning above)");
		return DR_IO;
	}
	return ex->jr.err;
}

/* A data directory of the run may hold a server that was still starting
 * when the drill died (not journalled yet): stop it, if it is the run's. */
static dr_err stop_leftover_server(const char *dir, const char *run)
{
	char *path = dr_asprintf("%s/postmaster.pid", dir);
	char *text = dr_read_file(path, NULL);
	free(path);
	pid_t pid = text ? (pid_t)strtol(text, NULL, 10) : 0;
	free(text);
	unsigned long long start = pid > 1 ? drv_proc_start(pid) : 0;
	if (start == 0)
		return DR_OK;
	if (!drv_proc_owned(pid, start, run)) {
		dr_error("refusing to remove '%s': server %d runs in it and is not the run's own", dir, (int)pid);
		return DR_GUARD;
	}
	kill(pid, SIGQUIT); /* immediate shutdown: the postmaster takes its backends along */
	for (int i = 0; i < 500 && drv_proc_start(pid) == start; i++)
		usleep(10000);
	if (drv_proc_start(pid) == start) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		for (int i = 0; i < 500 && drv_proc_start(pid) == start; i++)
			usleep(10000);
	}
	return drv_proc_start(pid) == start ? DR_IO : DR_OK;
}

static dr_err existing_cleanup_entry(const json_t *entry, const char *run)
{
	const char *kind = json_string_value(json_object_get(entry, "kind"));
	const char *id = json_string_value(json_object_get(entry, "id"));
	if (kind && id && strcmp(kind, "dir") == 0) {
		char why[256];
		struct stat st;
		if (lstat(id, &st) != 0)
			return DR_OK;
		if (!drv_owned(entry, run, why, sizeof why)) {
			dr_error("refusing to remove: %s", why);
			return DR_GUARD;
		}
		dr_err err = stop_leftover_server(id, run);
		if (err)
			return err;
	}
	return drv_remove_entry(entry, run);
}

/* ---- describe: the exact commands, without a server ---------------------- */

static void describe_restore(drv_ctx *c, dr_buf *out)
{
	const scn_drill *d = c->scn ? &c->scn->drill : NULL;
	const char *backup = d && d->backup_dir ? d->backup_dir : "<drill.backup_dir>";
	const char *archive = d && d->wal_archive ? d->wal_archive : NULL;
	const char *target = runbook_target(c);
	backup_layout layout = layout_of(d ? d->backup_dir : NULL);
	if (layout == BACKUP_TAR_FILE || layout == BACKUP_TAR_DIR) {
		dr_buf_printf(out, "create dir W/staging\nrun tar -xf %s%s -C W/staging\n", backup,
			      layout == BACKUP_TAR_DIR ? "/base.tar*" : "");
		if (layout == BACKUP_TAR_DIR)
			dr_buf_printf(out, "run tar -xf %s/pg_wal.tar* -C W/staging/pg_wal (when present)\n", backup);
		dr_buf_printf(out, "run cp -a W/staging W/scratch\nremove dir W/staging\n");
	} else {
		dr_buf_printf(out, "run cp -a %s W/scratch\n", backup);
	}
	dr_buf_printf(out, "note refuse a backup with tablespaces (pg_tblspc links) or a symlinked pg_wal\n");
	dr_buf_printf(out, "run pg_controldata -D W/scratch -- its system identifier must be the source's\n");
	dr_buf_printf(out, "note postgresql.conf, postgresql.auto.conf: comment out data_directory, hba_file, ident_file, "
			   "include*, external_pid_file\n");
	dr_buf_printf(out, "note pg_hba.conf: local all all trust (no host lines); socket in W/sock (mode 0700)\n");
	if (archive)
		dr_buf_printf(out, "note recovery.signal; restore_command='cp %s/%%f %%p', recovery_target_timeline='latest'%s%s%s\n",
			      archive, *target ? ", recovery_target_time='" : " (no target: the end of the archive, then promote)",
			      target, *target ? "', recovery_target_action='promote'" : "");
	else
		dr_buf_printf(out, "note no drill.wal_archive: the backup's own WAL only\n");
	dr_buf_printf(out, "note postgresql.auto.conf: port=<free port>, listen_addresses='127.0.0.1', "
			   "unix_socket_directories='W/sock', ssl=off, logging_collector=off, archive_mode=off, "
			   "primary_conninfo='', hot_standby=on, shared_buffers='%s'\n",
		      drv_opt(c, "shared_buffers"));
}

static void describe_step(drv_ctx *c, const scn_step *s, dr_buf *out)
{
	const char *op = s->action.op ? s->action.op : "";
	if (strcmp(op, "restore-base-backup") == 0) {
		describe_restore(c, out);
	} else if (strcmp(op, "replay-wal") == 0 || strcmp(op, "restore-pitr") == 0 || strcmp(op, "promote") == 0) {
		dr_buf_printf(out, "note unless restore-base-backup ran: its actions first\n");
		dr_buf_printf(out, "run pg_ctl -D W/scratch -l W/scratch.log -w start\n"
				   "sql SELECT pg_is_in_recovery() -- until false (over the private socket)\n"
				   "sql SELECT extract(epoch FROM pg_last_xact_replay_timestamp()), "
				   "current_setting('track_commit_timestamp'), to_regclass('" MARKER_TABLE "') IS NOT NULL\n"
				   "sql SELECT extract(epoch FROM timestamp) FROM pg_last_committed_xact() -- when track_commit_timestamp is on\n"
				   "sql SELECT max(at), count(*) FILTER (WHERE run = RUN) FROM " MARKER_TABLE
				   " -- when present; RTO ends at this answer\n");
	} else if (strcmp(op, "verify") == 0) {
		dr_buf_printf(out, "note the verification below, as a step\n");
	} else {
		dr_buf_printf(out, "note unknown op \"%s\": the drill would fail here\n", op);
	}
}

static dr_err existing_describe(drv_ctx *c, drv_phase phase, const scn_step *s, dr_buf *out)
{
	const scn_drill *d = c->scn ? &c->scn->drill : NULL;
	const char *w = c->workdir ? c->workdir : "WORKDIR";
	bool marker = opt_on(c, "marker");
	switch (phase) {
	case DRV_PHASE_SETUP: {
		char *ci = drv_redact(d && d->conninfo ? d->conninfo : "<drill.conninfo>");
		dr_buf_printf(out, "note connect to the source: %s (options -c default_transaction_read_only=on "
				   "-c statement_timeout)\n", ci);
		free(ci);
		dr_buf_printf(out, "sql SELECT current_setting('server_version'), current_setting('transaction_read_only'), "
				   "pg_is_in_recovery() -- refuse unless read-only\n"
				   "sql SELECT system_identifier FROM pg_control_system()\n"
				   "sql SELECT extract(epoch FROM clock_timestamp()) -- the source clock's offset\n");
		dr_buf_printf(out, "create dir %s/pgsb-XXXXXX (owned by the OS user drsim when run as root) = W\n"
				   "create dir W/sock (the scratch instance's only way in)\n", w);
		break;
	}
	case DRV_PHASE_CANARY:
		dr_buf_printf(out, "note no canary: the source is never written%s\n",
			      marker ? " except the opt-in marker row at the event" : "");
		break;
	case DRV_PHASE_INJECT:
		dr_buf_printf(out, "note nothing is injected: an existing cluster is never harmed; the event time is now\n");
		if (marker)
			dr_buf_printf(out, "sql BEGIN READ WRITE\n"
					   "sql CREATE TABLE IF NOT EXISTS " MARKER_TABLE " (run text NOT NULL, at timestamptz NOT NULL)\n"
					   "sql SELECT count(*) FROM " MARKER_TABLE "\n"
					   "sql INSERT INTO " MARKER_TABLE " VALUES (RUN, clock_timestamp()) RETURNING at\n"
					   "sql COMMIT\n");
		if (d && d->n_tables) {
			dr_buf_printf(out, "sql BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY\n");
			for (size_t i = 0; i < d->n_tables; i++)
				dr_buf_printf(out, "sql SELECT count(*) FROM %s\n", d->tables[i]);
			dr_buf_printf(out, "sql COMMIT\n");
		}
		break;
	case DRV_PHASE_STEP:
		describe_step(c, s, out);
		break;
	case DRV_PHASE_VERIFY:
		dr_buf_printf(out, "sql SELECT pg_is_in_recovery() -- must be false\n");
		if (marker)
			dr_buf_printf(out, "sql SELECT count(*) FILTER (WHERE run <> RUN), count(*) FILTER (WHERE run = RUN) "
					   "FROM " MARKER_TABLE " -- every earlier drill's row must be there\n");
		for (size_t i = 0; d && i < d->n_tables; i++)
			dr_buf_printf(out, "sql SELECT count(*) FROM %s -- must equal the source's at the event\n",
				      d->tables[i]);
		for (size_t i = 0; d && i < d->n_checks; i++)
			dr_buf_printf(out, "sql %s -- must be true\n", d->checks[i]);
		break;
	case DRV_PHASE_CLEANUP:
		dr_buf_printf(out, "run pg_ctl -D W/scratch -m immediate -w stop\nremove dir %s/pgsb-XXXXXX\n"
				   "note the source is left as it was%s\n",
			      w, marker ? " (plus its marker row)" : "");
		break;
	default:
		DR_BUG("unknown phase %d", (int)phase);
	}
	return DR_OK;
}

const drv_ops drv_pg_existing_ops = {
	.abi_version = DRV_ABI_VERSION,
	.name = "postgres",
	.version = "1.0",
	.caps = DRV_CAP_INJECT | DRV_CAP_RESTORE | DRV_CAP_PITR | DRV_CAP_PROMOTE | DRV_CAP_HEALTH |
		DRV_CAP_STEP,
	.options = existing_options,
	.priv_size = sizeof(existing),
	.supported = existing_supported,
	.setup = existing_setup,
	.inject = existing_inject,
	.step = existing_step,
	.describe = existing_describe,
	.verify = existing_verify,
	.cleanup = existing_cleanup,
	.cleanup_entry = existing_cleanup_entry,
	.health = existing_health,
};
