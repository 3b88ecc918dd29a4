/*
 * report.h - renderers: plug-ins that turn one res_result into one output
 * format.  Several formats can be written in one run.  Every renderer reads
 * only the result (never the scenario or the executors).
 */
#ifndef DR_REPORT_H
#define DR_REPORT_H

#include "result.h"

typedef struct {
	const char *name;      /* "text", "json", "md", "html", "junit", "prom" */
	const char *extension; /* file extension without the dot */
	const char *summary;
	/* Append the rendering of r to out.  color: terminal colours allowed. */
	dr_err (*render)(const res_result *r, dr_buf *out, bool color);
} rpt_format;

/* The renderer called name, or NULL. */
const rpt_format *rpt_find(const char *name);
/* All renderers, for --help and listing; *n gets the count. */
const rpt_format *const *rpt_all(size_t *n);

/*
 * Write r in each of formats (names) to dir/<basename>.<ext> atomically, or
 * for a NULL dir: "text" to stdout and any other single format to stdout.
 * Returns DR_OK, DR_USAGE (unknown format, with a message) or DR_IO.
 */
dr_err rpt_write(const res_result *r, const char *const *formats, size_t n_formats,
		 const char *dir, const char *basename) DR_WUR;

#endif
