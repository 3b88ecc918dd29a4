/*
 * pgsb.h - the PostgreSQL sandbox library: builds and drives real
 * PostgreSQL topologies on this machine from the server binaries (initdb,
 * pg_ctl, pg_basebackup, postgres) for drills.
 *
 * An environment (pgsb_env) owns one work directory and every node (a data
 * directory plus, while running, its postmaster) created in it.  Servers
 * run as an unprivileged OS user: when drsim runs as root that is the
 * system user "drsim" (created with useradd when missing), otherwise the
 * current user.  Servers listen on 127.0.0.1 only, on ports found free by a
 * bind test, with no Unix socket; the database superuser is "drsim" with
 * trust authentication (the sandbox is loopback only and short-lived).
 *
 * Every directory and process created or removed is reported through the
 * env's track callback (before: PGSB_BEGIN, after: PGSB_DONE or
 * PGSB_FAILED) so that a caller can journal it and remove it after a crash.
 * Each pgsb function that can fail returns a dr_err and leaves a lowercase
 * message in pgsb_errmsg(); a server that fails to start or recover has the
 * tail of its log appended to that message.  Every wait has a timeout.
 *
 * Not thread-safe: one thread drives an env (libpq queries from other
 * threads on their own connections are fine).
 */
#ifndef DR_PGSB_H
#define DR_PGSB_H

#include <sys/types.h>

#include "dr.h"

/* What a track callback is told about. */
typedef enum { PGSB_BEGIN, PGSB_DONE, PGSB_FAILED } pgsb_phase;
typedef enum { PGSB_RES_DIR, PGSB_RES_PROCESS } pgsb_res_kind;

typedef struct {
	pgsb_phase phase;
	bool create;                   /* true: created; false: removed/stopped */
	pgsb_res_kind kind;
	const char *what;              /* e.g. "data directory", "postgres", "app" */
	const char *path;              /* the directory, or a process' data dir / log */
	pid_t pid;                     /* processes, once known (else 0) */
	unsigned long long start_ticks;/* the pid's start time (/proc stat field 22) */
	int port;                      /* servers: TCP port on 127.0.0.1, else 0 */
} pgsb_event;

typedef void (*pgsb_track_fn)(void *ctx, const pgsb_event *ev);

typedef struct pgsb_env pgsb_env;
typedef struct pgsb_node pgsb_node;

/* A process started by pgsb_spawn (an "application"). */
typedef struct {
	pid_t pid;
	unsigned long long start_ticks;
	char *name;
} pgsb_proc;

/* Settings of a new cluster (pgsb_initdb). */
typedef struct {
	const char *archive_dir;   /* WAL archive ("DR site"); NULL: archiving off */
	double archive_timeout_s;  /* force a segment switch this often (0: off) */
	bool fsync;                /* false: fsync=off (see pg_sandbox.c for when) */
} pgsb_conf;

/* Where point-in-time recovery stops. */
typedef enum {
	PGSB_TARGET_LATEST, /* the end of the archive */
	PGSB_TARGET_TIME,   /* recovery_target_time */
	PGSB_TARGET_LSN,    /* recovery_target_lsn */
	PGSB_TARGET_XID,    /* recovery_target_xid */
} pgsb_target_kind;

typedef struct {
	pgsb_target_kind kind;
	const char *value;  /* timestamp, LSN or xid as text (unused for LATEST) */
	bool inclusive;     /* recovery_target_inclusive */
} pgsb_target;

/* Options of an env (zero = defaults). */
typedef struct {
	const char *bindir;   /* server binaries; NULL: $DRSIM_PG_BINDIR, pg_config --bindir,
			       * or the newest /usr/lib/postgresql/N/bin */
	const char *workdir;  /* NULL: a new directory under $TMPDIR or /tmp */
	const char *os_user;  /* NULL: "drsim" when root, else the current user */
	const char *tag;      /* the run id: written to DRV_TAG_FILE in every directory
			       * created and set as DRV_RUN_ENV in every child's
			       * environment (see driver.h); may be NULL */
	double timeout_s;     /* per server operation; 0: 60 s */
	pgsb_track_fn track;  /* may be NULL */
	void *track_ctx;
} pgsb_opts;

/*
 * Create an env: find the binaries, resolve (and when root and missing,
 * create) the OS user, create the work directory owned by that user.
 * On success *out is the env (free with pgsb_env_free).  Errors: DR_UNSUPPORTED
 * (no binaries, no usable user), DR_IO.  On failure the message is in msg.
 */
dr_err pgsb_env_new(const pgsb_opts *o, pgsb_env **out, char *msg, size_t n) DR_WUR;
/* Stop every running server and spawned process (immediate), remove every
 * node's directories and the work directory if this env created it, free.
 * Returns false when something could not be removed (left in the message). */
bool pgsb_env_free(pgsb_env *e);
/* As pgsb_env_free but keep the directories (servers are still stopped). */
void pgsb_env_free_keep(pgsb_env *e);

/* The last error message; never NULL. */
const char *pgsb_errmsg(const pgsb_env *e);
const char *pgsb_workdir(const pgsb_env *e);
const char *pgsb_bindir(const pgsb_env *e);
/* "postgres (PostgreSQL) 15.x" from the binaries. */
const char *pgsb_server_version(const pgsb_env *e);
/* True when usable here; else why not in why.  Does not create anything. */
bool pgsb_available(const char *bindir, char *why, size_t n);

/* Create a directory owned by the OS user (mkdir -p), tracked as what. */
dr_err pgsb_mkdir(pgsb_env *e, const char *path, const char *what) DR_WUR;

/* initdb a new cluster named name (data dir WORKDIR/name), pick a free
 * port, write the settings.  The node is not started. */
dr_err pgsb_initdb(pgsb_env *e, const char *name, const pgsb_conf *c, pgsb_node **out) DR_WUR;
/* pg_ctl start -w; on failure the log tail is in the message. */
dr_err pgsb_start(pgsb_env *e, pgsb_node *nd) DR_WUR;
/* pg_ctl stop -m fast (immediate = false) or -m immediate, and wait. */
dr_err pgsb_stop(pgsb_env *e, pgsb_node *nd, bool immediate) DR_WUR;
/* SIGKILL the postmaster and its process group, wait until gone. */
dr_err pgsb_kill(pgsb_env *e, pgsb_node *nd) DR_WUR;
/* Rename a stopped node's data directory to DATADIR.lost (reported as a
 * new directory): the primary's storage is gone. */
dr_err pgsb_take_away(pgsb_env *e, pgsb_node *nd) DR_WUR;
/* Stop (immediate) and remove a node and its directories; frees nd. */
dr_err pgsb_node_destroy(pgsb_env *e, pgsb_node *nd) DR_WUR;

/* pg_basebackup -Fp -Xstream -c fast from src into dest (a new directory,
 * reported).  With appname != NULL also -R with that application_name. */
dr_err pgsb_basebackup(pgsb_env *e, const pgsb_node *src, const char *dest,
		       const char *appname) DR_WUR;
/* A streaming standby of primary named name, built with pg_basebackup -R
 * and started; with sync, the primary's synchronous_standby_names names it
 * and synchronous_commit=on.  Returns once pg_stat_replication shows it
 * streaming (and "sync" for sync). */
dr_err pgsb_standby(pgsb_env *e, pgsb_node *primary, const char *name, bool sync,
		    pgsb_node **out) DR_WUR;
/* Promote (pg_ctl promote -w) and wait until pg_is_in_recovery() is false. */
dr_err pgsb_promote(pgsb_env *e, pgsb_node *nd) DR_WUR;
/* A new node named name restored from the plain base backup in backup_dir
 * with restore_command copying from archive_dir, recovery.signal, the
 * target (recovery_target_action=promote), started and waited on until out
 * of recovery.  archive_dir NULL: the backup's own WAL only.  When the node
 * was created but failed to start or recover, *out is still set (it stays
 * in the env for inspection; pgsb_node_destroy or pgsb_env_free remove it);
 * the same holds for pgsb_standby. */
dr_err pgsb_restore(pgsb_env *e, const char *name, const char *backup_dir, const char *archive_dir,
		    const pgsb_target *t, pgsb_node **out) DR_WUR;

/* pgsb_restore in two halves: copy the backup and write the recovery
 * settings (the node is not started) ... */
dr_err pgsb_restore_prepare(pgsb_env *e, const char *name, const char *backup_dir,
			    const char *archive_dir, const pgsb_target *t, pgsb_node **out) DR_WUR;
/* ... then start it and wait until recovery ended (promoted). */
dr_err pgsb_recover(pgsb_env *e, pgsb_node *nd) DR_WUR;

/* Change the per-operation timeout (seconds, > 0). */
void pgsb_set_timeout(pgsb_env *e, double timeout_s);

/* Node accessors (borrowed). */
const char *pgsb_node_name(const pgsb_node *nd);
const char *pgsb_node_datadir(const pgsb_node *nd);
const char *pgsb_node_log(const pgsb_node *nd);
int pgsb_node_port(const pgsb_node *nd);
pid_t pgsb_node_pid(const pgsb_node *nd); /* 0 when not running */
bool pgsb_node_running(const pgsb_node *nd);
/* "host=127.0.0.1 port=P user=drsim dbname=postgres connect_timeout=5". */
void pgsb_conninfo(const pgsb_node *nd, char *out, size_t n);

/* Run SQL (may hold several statements) on the node's "postgres" database. */
dr_err pgsb_exec(pgsb_env *e, const pgsb_node *nd, const char *sql) DR_WUR;
/* Run a query; the first column of its first row into out ("" when no row
 * or NULL).  Errors: DR_DRIVER with the server's message. */
dr_err pgsb_query(pgsb_env *e, const pgsb_node *nd, const char *sql, char *out, size_t n) DR_WUR;
/* Run sql in one transaction on its own connection and report the
 * transaction's id (txid) and the WAL insert position just before it, so a
 * restore can stop right before it (recovery_target_xid / _lsn). */
dr_err pgsb_exec_xact(pgsb_env *e, const pgsb_node *nd, const char *sql, char *xid, size_t xid_n,
		      char *lsn_before, size_t lsn_n) DR_WUR;
/* Poll a query every 50 ms until it returns want; DR_TIMEOUT after timeout_s. */
dr_err pgsb_wait_value(pgsb_env *e, const pgsb_node *nd, const char *sql, const char *want,
		       double timeout_s) DR_WUR;
/* Wait until the WAL segment holding lsn (text) is in archive_dir. */
dr_err pgsb_wait_archived(pgsb_env *e, const pgsb_node *nd, const char *lsn, const char *archive_dir,
			  double timeout_s) DR_WUR;

/* Run a server binary (e.g. "psql") as the OS user; argv[0] is the program
 * name looked up in bindir (or an absolute path).  Its output is in out (may
 * be NULL).  Non-zero exit: DR_DRIVER with the output in the message. */
dr_err pgsb_run(pgsb_env *e, const char *const *argv, double timeout_s, dr_buf *out) DR_WUR;
/* Start a long-running process as the OS user (its output to log), in its
 * own process group, tracked as a process named name. */
dr_err pgsb_spawn(pgsb_env *e, const char *name, const char *const *argv, const char *log,
		  pgsb_proc *out) DR_WUR;
/* True when the process still runs (and is the same process). */
bool pgsb_proc_alive(const pgsb_proc *p);
/* SIGTERM its group, SIGKILL after 2 s; reports the removal; frees p's name. */
void pgsb_proc_stop(pgsb_env *e, pgsb_proc *p);

/* A track callback journalling every report into a drill's journal
 * (drivers/pgsb_journal.c): directories as kind "dir", a started server or
 * process as "process" (pid and start time) plus its "port", stops and
 * removals as "destroy".  Pass a pgsb_journal as track_ctx; the first
 * journal error is kept in its err. */
struct drv_ctx;
typedef struct {
	struct drv_ctx *c;
	dr_err err;
} pgsb_journal;
void pgsb_journal_track(void *ctx, const pgsb_event *ev);

/* The start time of pid in clock ticks since boot (/proc stat field 22);
 * 0 when there is no such process or it is a zombie. */
unsigned long long pgsb_proc_start_ticks(pid_t pid);
/* A TCP port on 127.0.0.1 that a bind test found free, not in avoid[]. */
int pgsb_free_port(const int *avoid, size_t n_avoid);

#endif
