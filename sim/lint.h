/*
 * lint.h - posture rules over a loaded scenario: pitfalls taken from
 * real-world RDS/Aurora and PostgreSQL practice (backups that cannot be
 * shared, replicas that copy corruption, retention shorter than detection,
 * objectives the architecture cannot meet even in the best case).
 *
 * The rules are one table (scn_lint_rules): id, severity, title,
 * explanation, fix and the check function.  A check reads a valid scenario
 * (scn_load succeeded) and adds findings, each naming the node responsible.
 * Lint never changes the scenario.
 */
#ifndef DR_LINT_H
#define DR_LINT_H

#include <jansson.h>

#include "scenario.h"

typedef enum { SCN_LINT_ERROR, SCN_LINT_WARNING, SCN_LINT_INFO, SCN__NLINT_SEV } scn_lint_sev;
extern const char *const scn_lint_sev_names[SCN__NLINT_SEV]; /* "error", "warning", "info" */

typedef struct {
	const char *id;       /* rule id, e.g. "DR006" (borrowed from the rule table) */
	scn_lint_sev sev;
	dr_pos pos;           /* the node responsible; file borrowed from the scenario */
	char *msg;            /* what is wrong here, lowercase, subjects quoted */
	const char *fix;      /* how to fix it (borrowed from the rule table) */
} scn_lint_finding;

typedef struct {
	scn_lint_finding *v;
	size_t n, cap;
} scn_lint_findings;

typedef struct scn_lint_rule scn_lint_rule;
struct scn_lint_rule {
	const char *id;
	scn_lint_sev sev;
	const char *title;       /* one line */
	const char *explanation; /* why it matters */
	const char *fix;         /* what to change */
	/* Add a finding per offending node with scn_lint_add(). */
	void (*check)(const scenario *s, const scn_lint_rule *rule, scn_lint_findings *out);
};

extern const scn_lint_rule scn_lint_rules[];
extern const size_t scn_lint_n_rules;

/* The rule with this id, or NULL. */
const scn_lint_rule *scn_lint_rule_find(const char *id);

/* Run every rule over s, appending findings to out in rule order (and
 * node order within a rule).  s must come from a successful scn_load. */
void scn_lint_run(const scenario *s, scn_lint_findings *out);

/* Record a finding of rule at pos (used by the checks). */
void scn_lint_add(scn_lint_findings *out, const scn_lint_rule *rule, dr_pos pos, const char *fmt, ...)
	DR_PRINTF(4, 5);

/* Number of findings of one severity. */
size_t scn_lint_count(const scn_lint_findings *f, scn_lint_sev sev);
/* True when f holds a finding of the rule with this id. */
bool scn_lint_has(const scn_lint_findings *f, const char *id);

/* Print findings as "FILE:LINE:COL: SEVERITY: [ID] message" with an
 * indented "fix:" line each (f is a FILE *). */
void scn_lint_print_text(const scn_lint_findings *findings, void *f);
/* The findings as a JSON array of {id, severity, file, line, col, message,
 * fix}.  New reference; caller decrefs. */
json_t *scn_lint_json(const scn_lint_findings *findings);

void scn_lint_findings_release(scn_lint_findings *f);

#endif
