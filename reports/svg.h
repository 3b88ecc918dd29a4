/*
 * svg.h - small inline-SVG drawing helpers for the HTML reports: an
 * accessible <svg> wrapper (role="img", <title>, <desc>), a plot area that
 * maps data to pixels, axes with "nice" duration or percentage ticks, and
 * polylines drawn from summaries (CDFs are thinned to a few hundred points
 * so output size does not grow with the number of trials).  Internal to
 * reports/.
 */
#ifndef DR_RPT_SVG_H
#define DR_RPT_SVG_H

#include "rpt_common.h"

/* A plot area: pixels (x, y, w, h) and the data ranges mapped onto it. */
typedef struct {
	dr_buf *b;
	double x, y, w, h;
	double x0, x1, y0, y1;
} rpt_plot;

/* Open an <svg> of width x height with an id, a title and a description
 * (both shown to assistive technology); close it with rpt_svg_close(). */
void rpt_svg_open(dr_buf *b, const char *id, int width, int height, const char *title, const char *desc);
void rpt_svg_close(dr_buf *b);

double rpt_px(const rpt_plot *p, double x);
double rpt_py(const rpt_plot *p, double y);

/* Axis kinds for rpt_svg_axes(). */
typedef enum { RPT_AXIS_TIME, RPT_AXIS_SHARE, RPT_AXIS_MONEY, RPT_AXIS_NONE } rpt_axis;
/* Grid, ticks and labels on the left and bottom edges. */
void rpt_svg_axes(const rpt_plot *p, rpt_axis xa, rpt_axis ya, const char *xlabel, const char *ylabel);
/* A round upper bound for a time axis that includes v. */
double rpt_nice_max(double v, rpt_axis kind);
/* Compact tick label: "90s", "15m", "2h", "3d", "250ms". */
void rpt_dur_short(double s, char out[24]);

/* Text at (x, y); anchor is start/middle/end; cls a CSS class or NULL.
 * The text is escaped. */
void rpt_svg_text(dr_buf *b, double x, double y, const char *anchor, const char *cls, const char *text);
/* A CDF as a stepped polyline from (x0, 0), thinned to at most max_points. */
void rpt_svg_cdf(const rpt_plot *p, const res_cdf *c, const char *cls, size_t max_points);
/* A vertical line at data x spanning the plot, labelled at the top. */
void rpt_svg_vline(const rpt_plot *p, double x, const char *cls, const char *label);
/* A horizontal line at data y spanning the plot. */
void rpt_svg_hline(const rpt_plot *p, double y, const char *cls);
/* A rectangle in data coordinates [x0, x1] x [y0, y1]; tooltip may be NULL. */
void rpt_svg_rect(const rpt_plot *p, double x0, double x1, double y0, double y1, const char *cls,
		  const char *tooltip);

#endif
