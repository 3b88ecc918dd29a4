/*
 * history.h - the trend of RPO and RTO per scenario and disaster kind over
 * past results, against the objective: a text table and an HTML page with
 * one chart per scenario and disaster kind.
 */
#ifndef DR_RPT_HISTORY_H
#define DR_RPT_HISTORY_H

#include "result.h"

/*
 * Render runs (borrowed, any order; compare results contribute each
 * strategy) grouped by scenario and sorted by start time.  Appends the text
 * table to text (colours when color) and, when html is not NULL, a
 * self-contained HTML page to html.
 */
void rpt_history(const res_result *const *runs, size_t n, dr_buf *text, bool color, dr_buf *html);

#endif
