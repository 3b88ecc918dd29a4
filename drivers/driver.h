/*
 * driver.h - the drill driver interface: a versioned table of operations
 * per driver (name, version, capabilities, options, private-state size,
 * supported() with a reason), the per-run driver context, the wrappers that
 * are the only callers of ops-> (and the fault-injection points), and
 * helpers drivers share: journalled resources, tagged directories and
 * processes, options, logging and redaction.
 *
 * Lifecycle of one drill, as run by sim/drill.c:
 *   drv_supported -> drv_ctx_new -> drv_setup -> drv_endpoint (canary) ->
 *   drv_inject -> drv_step per runbook step -> drv_endpoint (recovered) ->
 *   drv_verify -> drv_cleanup -> drv_ctx_free
 * `drsim plan` calls only drv_describe (never touching anything, with
 * c->dry_run set); `drsim cleanup JOURNAL` calls only drv_cleanup_entry.
 *
 * The interface only grows at the end of drv_ops; DRV_ABI_VERSION changes
 * when it does.  A driver that does not offer an operation leaves it NULL
 * and the wrapper returns DR_UNSUPPORTED (describe excepted: see below).
 *
 * Ownership: every resource a driver creates is journalled before it is
 * created (phase "begin") and after (phase "done"), tagged with the run id;
 * destructive operations refuse anything the journal does not show as this
 * run's own (drv_owned).  Sources the run did not create are never stopped,
 * modified or deleted.  Secrets never reach logs, journals or reports: pass
 * text through drv_redact first.
 *
 * Fault injection: DRSIM_FAULT="drv:<name>:<op>:<N>[,...]" (or
 * drv_fault_set) makes the Nth call of that wrapper fail with DR_DRIVER
 * without calling the driver; "<N>+" fails the Nth and every later call.
 * <op> is the wrapper's name without "drv_" (setup, endpoint, inject, step,
 * describe, verify, cleanup, cleanup_entry, health, supported).
 */
#ifndef DR_DRIVER_H
#define DR_DRIVER_H

#include <jansson.h>
#include <stdio.h>
#include <sys/types.h>

#include "dr.h"
#include "journal.h"
#include "scenario.h"

#define DRV_ABI_VERSION 1

/* Environment variable carrying the run id into every child process: the
 * process half of the run's tag (drsim cleanup checks it). */
#define DRV_RUN_ENV "DRSIM_RUN"
/* File written into every directory a run creates, holding the run id: the
 * directory half of the run's tag. */
#define DRV_TAG_FILE ".drsim-run"

enum drv_cap {
	DRV_CAP_SETUP = 1 << 0,   /* builds its own topology (setup creates resources) */
	DRV_CAP_INJECT = 1 << 1,  /* can inject disasters */
	DRV_CAP_CANARY = 1 << 2,  /* offers a libpq endpoint for the canary */
	DRV_CAP_RESTORE = 1 << 3, /* restores backups */
	DRV_CAP_PITR = 1 << 4,    /* point-in-time recovery to a target */
	DRV_CAP_PROMOTE = 1 << 5, /* promotes a standby */
	DRV_CAP_HEALTH = 1 << 6,  /* health check usable as the recovery check */
	DRV_CAP_STEP = 1 << 7,    /* performs runbook steps (shell, http) */
};
/* Capability names in bit order, for `drsim drivers`. */
extern const char *const drv_cap_names[8];

/* One option a driver reads from the scenario's drill section or its params
 * (drill: { params: { name: value } }).  type: "string", "duration", "size",
 * "int", "bool", "path".  def may be NULL (no default). */
typedef struct {
	const char *name;
	const char *type;
	const char *def;
	const char *help;
} drv_option;

/* Where in the drill a description is asked for (drv_describe). */
typedef enum {
	DRV_PHASE_SETUP,   /* set-up: what setup() would create */
	DRV_PHASE_CANARY,  /* canary table and endpoint */
	DRV_PHASE_INJECT,  /* the disaster of c->disaster */
	DRV_PHASE_STEP,    /* one runbook step (s non-NULL) */
	DRV_PHASE_VERIFY,  /* data verification */
	DRV_PHASE_CLEANUP, /* what cleanup() would remove */
	DRV__NPHASE
} drv_phase;
extern const char *const drv_phase_names[DRV__NPHASE]; /* "setup", "canary", ... */

/* What a runbook step did, filled by ops->step. */
typedef struct {
	char detail[512];       /* what was done, redacted (goes into the report) */
	double healthy_at_mono; /* > 0: when the service was first seen healthy
				 * (CLOCK_MONOTONIC), e.g. the http driver's first 2xx */
	bool endpoint_changed;  /* the writable endpoint moved (promote, restore):
				 * the executor asks drv_endpoint again */
	int exit_status;        /* commands: exit status (-1 when not applicable) */
	double recovery_point;  /* > 0: epoch (CLOCK_REALTIME) of the newest data the
				 * recovered endpoint holds, found by a driver without a
				 * canary (e.g. a restore's newest replayed commit); the
				 * executor measures RPO = event time - the newest of these */
	char recovery_point_source[256]; /* how recovery_point was found (report text) */
} drv_step_out;

typedef struct drv_ctx drv_ctx;
typedef struct drv_ops drv_ops;

struct drv_ops {
	int abi_version;          /* DRV_ABI_VERSION */
	const char *name;         /* "postgres-sandbox", "http", ... */
	const char *version;      /* the driver's own version */
	unsigned caps;            /* enum drv_cap bits */
	const drv_option *options;/* terminated by a {0} row; may be NULL */
	size_t priv_size;         /* bytes of private state, zeroed by the core */

	/* Usable on this machine (binaries present, not root when that matters,
	 * ...)?  If not, a short lowercase reason in why.  Must not start or
	 * change anything.  Required. */
	bool (*supported)(char *why, size_t n);
	/* Build or attach the topology for c->scn->strategy in c->workdir;
	 * journal every resource created (drv_journal_create / drv_mkdir /
	 * drv_journal_process). */
	dr_err (*setup)(drv_ctx *c);
	/* The current writable endpoint as a libpq conninfo (may hold a
	 * password: the core redacts before printing). */
	dr_err (*endpoint)(drv_ctx *c, char *conninfo, size_t n);
	/* Inject disaster k (e.g. SIGKILL the primary and move its data dir
	 * away; a destructive statement for corruption).  Set *event_at to the
	 * epoch (dr_now_real) of the destructive act itself; the core passes
	 * the time just before the call. */
	dr_err (*inject)(drv_ctx *c, scn_disaster_kind k, double *event_at);
	/* Perform one runbook step (s->action.op and params); bounded by
	 * c->deadline_mono (return DR_TIMEOUT past it). */
	dr_err (*step)(drv_ctx *c, const scn_step *s, drv_step_out *out);
	/* Append to out the exact commands / SQL / API calls phase would run,
	 * one action per line, each line "create <kind> <id>", "remove <kind>
	 * <id>", "run <command>", "sql <statement>", "http <method> <url>" or
	 * "note <text>".  Touches nothing, needs no server.  Required. */
	dr_err (*describe)(drv_ctx *c, drv_phase phase, const scn_step *s, dr_buf *out);
	/* Verify the recovered data (row counts of c->scn->drill.tables, its
	 * checks); a human-readable summary into report.  DR_VERIFY when a
	 * check fails. */
	dr_err (*verify)(drv_ctx *c, dr_buf *report);
	/* Remove everything this run created (idempotent). */
	dr_err (*cleanup)(drv_ctx *c);
	/* Remove one journalled resource after a crash (drsim cleanup).  Must
	 * refuse (DR_GUARD) anything drv_owned does not confirm; an already
	 * removed resource is DR_OK.  May be NULL: drv_remove_entry is used. */
	dr_err (*cleanup_entry)(const json_t *entry, const char *run);
	/* Wait until the service answers healthy or c->deadline_mono passes;
	 * *healthy_at_mono gets the first healthy moment. */
	dr_err (*health)(drv_ctx *c, double *healthy_at_mono);
};

/* The per-run driver context, made by drv_ctx_new.  Drivers read these
 * fields and own only priv. */
struct drv_ctx {
	const drv_ops *ops;
	const char *run_id;       /* the run's tag */
	const scenario *scn;      /* may be NULL for a bare context (tests) */
	scn_strategy strategy;
	scn_disaster_kind disaster;
	const char *workdir;      /* the run's own tagged directory */
	sim_journal *journal;     /* NULL in plan */
	bool dry_run;             /* plan: describe only */
	double event_at;          /* epoch of the injection, 0 before it */
	double deadline_mono;     /* current operation's deadline (CLOCK_MONOTONIC), 0 = none */
	void *priv;               /* priv_size bytes, zeroed */
	FILE *log;                /* progress/log stream (stderr), may be NULL */
	char server_version[128]; /* set by setup when the driver knows the
				   * database server's version ("" = unknown) */
};

typedef struct {
	const char *run_id;
	const scenario *scn;
	scn_disaster_kind disaster;
	const char *workdir;
	sim_journal *journal;
	bool dry_run;
	FILE *log;
} drv_ctx_init;

/* A new context for ops (priv allocated, zeroed).  Strings are borrowed:
 * they must outlive the context. */
drv_ctx *drv_ctx_new(const drv_ops *ops, const drv_ctx_init *init);
void drv_ctx_free(drv_ctx *c);

/* --- registry (drivers/registry.c) ------------------------------------ */

/* One registry row: ops is NULL for a driver not built here, and reason
 * says why. */
typedef struct {
	const char *name;
	const drv_ops *ops;
	const char *reason;
} drv_entry;

/* Every known driver, built or not, in a fixed order; *n gets the count. */
const drv_entry *drv_registry(size_t *n);
/* The built driver called name (scenario aliases: "db" is not resolved
 * here), or NULL. */
const drv_ops *drv_find(const char *name);
/* Check a table: ABI version, name, required operations present, option
 * rows complete.  false with why when malformed. */
bool drv_ops_valid(const drv_ops *ops, char *why, size_t n);

/* --- wrappers: the only callers of ops-> -------------------------------- */

bool drv_supported(const drv_ops *ops, char *why, size_t n);
dr_err drv_setup(drv_ctx *c) DR_WUR;
dr_err drv_endpoint(drv_ctx *c, char *conninfo, size_t n) DR_WUR;
dr_err drv_inject(drv_ctx *c, scn_disaster_kind k, double *event_at) DR_WUR;
dr_err drv_step(drv_ctx *c, const scn_step *s, drv_step_out *out) DR_WUR;
/* NULL s for phases other than DRV_PHASE_STEP.  A driver without an
 * operation for the phase describes it as "note <driver> has no <phase>". */
dr_err drv_describe(drv_ctx *c, drv_phase phase, const scn_step *s, dr_buf *out) DR_WUR;
dr_err drv_verify(drv_ctx *c, dr_buf *report) DR_WUR;
dr_err drv_cleanup(drv_ctx *c) DR_WUR;
/* Refuses (DR_GUARD) an entry whose tag is not run before calling the driver. */
dr_err drv_cleanup_entry(const drv_ops *ops, const json_t *entry, const char *run) DR_WUR;
dr_err drv_health(drv_ctx *c, double *healthy_at_mono) DR_WUR;

/* Fault injection: parse spec ("drv:<name>:<op>:<N>[+],...") replacing any
 * earlier one and resetting call counts; NULL or "" clears.  DR_PARSE on a
 * malformed spec.  The first wrapper call reads $DRSIM_FAULT if
 * drv_fault_set was never called. */
dr_err drv_fault_set(const char *spec) DR_WUR;
/* Calls of a wrapper seen so far for driver name (for tests). */
unsigned drv_fault_calls(const char *name, const char *op);

/* --- helpers for drivers ---------------------------------------------- */

/* An option's value: the scenario's drill.params entry, else the option's
 * default, else NULL.  Unknown option names are a DR_BUG. */
const char *drv_opt(const drv_ctx *c, const char *name);

/* Print a progress line "  [driver] msg" to c->log (already redacted). */
void drv_log(const drv_ctx *c, const char *fmt, ...) DR_PRINTF(2, 3);

/* A copy of s with secrets masked: password=... in conninfo, the password
 * of URLs (scheme://user:pass@), PGPASSWORD=..., AWS secret and session
 * keys, X-Amz-Signature / X-Amz-Credential / X-Amz-Security-Token query
 * values, "Authorization:" header values.  Caller frees. */
char *drv_redact(const char *s);

/* Journal helpers (no-ops returning DR_OK when c->journal is NULL).
 * kind/id name the resource; extra (consumed, may be NULL) adds keys. */
dr_err drv_journal(drv_ctx *c, const char *phase, const char *action, const char *kind,
		   const char *id, json_t *extra) DR_WUR;

/* Create directory path (and parents) as the run's own: journal begin,
 * mkdir, write DRV_TAG_FILE with the run id, journal done.  Refuses
 * (DR_GUARD) a path that already exists.  mode e.g. 0700. */
dr_err drv_mkdir(drv_ctx *c, const char *path, unsigned mode) DR_WUR;
/* Record a started process as the run's own: kind "process", id the pid,
 * with its start time (field 22 of /proc/PID/stat) so that a recycled pid
 * is never mistaken for it.  what is a short description. */
dr_err drv_journal_process(drv_ctx *c, pid_t pid, const char *what) DR_WUR;
/* Record a TCP port on 127.0.0.1 the run's processes listen on. */
dr_err drv_journal_port(drv_ctx *c, int port, const char *what) DR_WUR;

/* Remove a directory the run created: journal destroy begin, remove it
 * recursively only if its DRV_TAG_FILE holds the run id (else DR_GUARD),
 * journal done.  Already gone is DR_OK. */
dr_err drv_rmdir(drv_ctx *c, const char *path) DR_WUR;

/* Set a step's detail text (or with append, extend it with "; "),
 * truncating to fit. */
void drv_step_detail(drv_step_out *out, bool append, const char *fmt, ...) DR_PRINTF(3, 4);

/* Stop every process whose environment carries DRV_RUN_ENV=run (children of
 * the run that were never journalled, e.g. a "cp -a" cut off by a kill), so
 * clean-up does not race them.  *stopped gets the count.  DR_OK or DR_IO. */
dr_err drv_stop_run_processes(const char *run, size_t *stopped) DR_WUR;

/* The start time of pid in clock ticks since boot, 0 when it is gone (a
 * zombie counts as gone). */
unsigned long long drv_proc_start(pid_t pid);
/* True when the process pid (started at start) is alive, has that start
 * time and carries DRV_RUN_ENV=run in its environment. */
bool drv_proc_owned(pid_t pid, unsigned long long start, const char *run);

/*
 * Is the journalled resource entry the run's own right now?  Checks the
 * entry's tag against run and, by kind: "process" pid + start time + the
 * environment tag; "dir" its DRV_TAG_FILE holds run; "port" anything
 * listening on it is a process of the run (or nothing listens).  Other
 * kinds: the tag alone.  false with why when not.
 */
bool drv_owned(const json_t *entry, const char *run, char *why, size_t n);

/*
 * Remove one journalled resource of the generic kinds: "process"
 * (SIGTERM, then SIGKILL after 5 s, only if drv_owned), "dir" (recursive
 * removal, only if its tag file says run), "port" (checks it is free or
 * held only by the run's processes, which are then stopped), "file"
 * (unlink if the entry's tag matches).  Idempotent: already gone is DR_OK.
 * DR_GUARD when not the run's own, DR_UNSUPPORTED for another kind.
 */
dr_err drv_remove_entry(const json_t *entry, const char *run) DR_WUR;

/*
 * Start a child process as the run's own: fork; the child (in its own
 * process group, stdout and stderr on out_fd when >= 0, stdin /dev/null)
 * waits until the parent has journalled it (drv_journal_process), then
 * execs argv (argv[0] looked up in PATH) or, when argv is NULL, runs
 * fn(arg) and exits with its return value.  If the parent dies before the
 * journal line is written the child exits without running anything.
 * *pid gets the child.  Errors: DR_IO (fork/pipe), journal errors.
 */
dr_err drv_spawn(drv_ctx *c, const char *what, char *const argv[], int (*fn)(void *), void *arg,
		 int out_fd, pid_t *pid) DR_WUR;
/* Journal and reap a child started by drv_spawn that has exited or been
 * killed: waitpid, then "destroy" begin/done.  *status gets the wait status. */
dr_err drv_reap(drv_ctx *c, pid_t pid, int *status) DR_WUR;

/* Interruption (SIGINT/SIGTERM during a drill): drv_interrupt is
 * async-signal-safe; long waits in drivers poll drv_interrupted and return
 * DR_INTERRUPTED. */
void drv_interrupt(void);
bool drv_interrupted(void);

/* The drivers built here (one per file in drivers/). */
extern const drv_ops drv_dryrun_ops; /* "dry-run": simulates every phase with sleeps */
extern const drv_ops drv_shell_ops;  /* "shell": run a command with a timeout */
extern const drv_ops drv_http_ops;   /* "http": wait until a URL answers 2xx */
extern const drv_ops drv_pg_sandbox_ops;  /* "postgres-sandbox": real PostgreSQL topologies here */
extern const drv_ops drv_pg_existing_ops; /* "postgres": restore drills of an existing cluster */
extern const drv_ops drv_aws_rds_ops; /* "aws-rds": RDS/Aurora drills through the Query API */

#endif
