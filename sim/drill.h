/*
 * drill.h - the drill executor (sim/drill.c), its dry run (sim/plan.c) and
 * the journal replay that removes what a drill left (sim/drill.c).
 *
 * A drill performs one runbook for real through drivers: preflight
 * (validation, guards, drivers usable), set-up, canary start and warm-up,
 * disaster injection (the event time), runbook steps each with a timeout,
 * recovery check, measurement, data verification, clean-up, and returns a
 * res_result of mode drill.  The plan prints the same sequence with each
 * action's modeled duration, touching nothing.
 */
#ifndef DR_DRILL_H
#define DR_DRILL_H

#include <stdio.h>

#include "driver.h"
#include "result.h"
#include "scenario.h"

typedef struct {
	const char *disaster;    /* kind name; NULL: the first runbook */
	bool keep;               /* leave everything in place (no clean-up) */
	bool interactive;        /* manual steps confirmed on in, and timed */
	const char *workdir;     /* NULL: drill.workdir, else $TMPDIR/drsim-RUN */
	const char *journal;     /* NULL: $TMPDIR/drsim-RUN.journal */
	FILE *progress;          /* live progress (stderr), may be NULL */
	FILE *in;                /* confirmations for --interactive (stdin) */
	double recovery_timeout_s; /* recovery check limit; 0 = 60 s */
} sim_drill_opts;

/*
 * Run the drill.  *out gets the result whenever the drill got past
 * preflight (also after a failure: steps carry their errors).  Returns
 * DR_OK when the drill ran to the end (objectives met or not: see
 * (*out)->met); DR_USAGE / DR_PARSE / DR_GUARD / DR_UNSUPPORTED for bad
 * input or an unusable driver (nothing was touched); DR_DRIVER,
 * DR_TIMEOUT, DR_INTERRUPTED, DR_IO... for a runtime failure (clean-up has
 * run per policy).  SIGINT and SIGTERM are caught for the duration.
 */
dr_err sim_drill_run(const scenario *s, const sim_drill_opts *o, res_result **out) DR_WUR;

/*
 * The dry run: append to out the ordered actions the drill would take for
 * disaster (NULL: the first runbook), each with its modeled duration
 * (p50/p95) where the scenario gives one.  Touches nothing.  Errors as the
 * preflight of sim_drill_run (messages printed).
 */
dr_err sim_plan(const scenario *s, const char *disaster, dr_buf *out) DR_WUR;

/*
 * Remove what the journal at path says a drill left, newest first, through
 * each entry's driver (drv_cleanup_entry), journalling each removal in the
 * same journal so a second call finds nothing.  Only entries tagged with
 * the journal's run are touched.  *left gets the number of resources that
 * could not be removed (refused or failed).  Returns DR_OK when none is
 * left, DR_GUARD when something was refused, DR_IO / DR_PARSE for a bad
 * journal, else the first removal error.
 */
dr_err sim_cleanup_journal(const char *path, size_t *left, FILE *progress) DR_WUR;

/* Helpers shared by the drill and the plan. */

/* The runbook for disaster (NULL: the first one); NULL with a message. */
const scn_runbook *sim_drill_runbook(const scenario *s, const char *disaster);
/* Model variables for the drill's one database (size = drill.size, write
 * rate = first database's mean, replay = write rate x log upload interval,
 * lag = first replica's mean lag, count = 1). */
void sim_drill_vars(const scenario *s, double vars[SCN__NVAR]);
/* The driver a step's action names ("db" = the drill's driver), or NULL
 * with a message (not built, or cannot perform steps). */
const drv_ops *sim_drill_step_driver(const scenario *s, const scn_step *st);
/* The step's timeout: its own, else 10 x the model's p95 (at least 1 s). */
double sim_drill_step_timeout(const scn_step *st, const double *vars);

#endif
