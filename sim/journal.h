/*
 * journal.h - the drill journal: one JSON object per line, appended and
 * fsync'd, recording every action that creates or destroys something so
 * that `drsim cleanup JOURNAL` can undo what a crashed or killed drill left.
 *
 * Every line carries "run" (the run id), "t" (epoch seconds, CLOCK_REALTIME),
 * "phase" ("begin", "done", "failed" or "note"), "action" (e.g. "create",
 * "destroy", "run", "inject"), "kind" ("process", "dir", "port", "file",
 * "table", ...), "id" (what it is: a path, a pid, a port), "driver" and "tag"
 * (the run id again: a resource is the run's own only when both match).
 * Drivers add their own keys (e.g. "pid_start" for processes).
 * Secrets never go in: callers pass redacted text only.
 */
#ifndef DR_JOURNAL_H
#define DR_JOURNAL_H

#include <jansson.h>

#include "dr.h"

typedef struct sim_journal sim_journal;

/* Open (create or append to) the journal at path for run_id.  The file is
 * created 0600 and its directory fsync'd.  Errors: DR_IO (message printed). */
dr_err sim_journal_open(const char *path, const char *run_id, sim_journal **out) DR_WUR;
/* Close; NULL is a no-op. */
void sim_journal_close(sim_journal *j);
const char *sim_journal_path(const sim_journal *j);
const char *sim_journal_run(const sim_journal *j);

/*
 * Append one entry.  Consumes entry (an object); "run", "t" and "tag" are
 * filled in, the line written with one write() and fsync'd before return.
 * Thread-safe.  Errors: DR_IO.
 */
dr_err sim_journal_append(sim_journal *j, json_t *entry) DR_WUR;
/* Shorthand: an entry {phase, action, kind, id, driver} plus the keys of
 * extra (consumed, may be NULL). */
dr_err sim_journal_log(sim_journal *j, const char *phase, const char *action, const char *kind,
		       const char *id, const char *driver, json_t *extra) DR_WUR;

/*
 * Read a journal file: *out gets a new JSON array of the entries in order.
 * A torn last line (a crash mid-write) is skipped with a warning; any other
 * bad line is DR_PARSE.  *run gets the run id of the first entry (caller
 * frees).  Errors: DR_IO, DR_PARSE (messages printed).
 */
dr_err sim_journal_read(const char *path, json_t **out, char **run) DR_WUR;

/*
 * The resources still owned by the run after replaying entries: every
 * (kind, id) whose last create was begun and that no later "destroy" with
 * phase "done" removed.  Returned newest first (the order to remove them),
 * as a new array of the create entries (borrowed copies).  Entries whose
 * "tag" differs from run are left out: they are not the run's own.
 */
json_t *sim_journal_outstanding(const json_t *entries, const char *run);

#endif
