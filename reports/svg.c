/*
 * svg.c - inline-SVG drawing helpers for the HTML reports (see svg.h).
 * Coordinates are printed with one decimal to keep files small.
 */
#include "svg.h"

#include <math.h>
#include <stdio.h>

void rpt_svg_open(dr_buf *b, const char *id, int width, int height, const char *title, const char *desc)
{
	dr_buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"%s\" class=\"chart\" role=\"img\" "
			 "aria-labelledby=\"%s-t %s-d\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">"
			 "<title id=\"%s-t\">",
		      id, id, id, width, height, width, height, id);
	rpt_esc_xml(b, title);
	dr_buf_printf(b, "</title><desc id=\"%s-d\">", id);
	rpt_esc_xml(b, desc);
	dr_buf_puts(b, "</desc>\n");
}

void rpt_svg_close(dr_buf *b)
{
	dr_buf_puts(b, "</svg>\n");
}

double rpt_px(const rpt_plot *p, double x)
{
	double span = p->x1 - p->x0;
	double f = span > 0 ? (x - p->x0) / span : 0;
	return p->x + fmin(fmax(f, 0), 1) * p->w;
}

double rpt_py(const rpt_plot *p, double y)
{
	double span = p->y1 - p->y0;
	double f = span > 0 ? (y - p->y0) / span : 0;
	return p->y + p->h - fmin(fmax(f, 0), 1) * p->h;
}

void rpt_dur_short(double s, char out[24])
{
	if (s == 0)
		snprintf(out, 24, "0");
	else if (s < 1)
		snprintf(out, 24, "%gms", s * 1000);
	else if (s < 120)
		snprintf(out, 24, "%gs", s);
	else if (s < 7200)
		snprintf(out, 24, "%gm", s / 60);
	else if (s < 172800)
		snprintf(out, 24, "%gh", s / 3600);
	else
		snprintf(out, 24, "%gd", s / 86400);
}

/* Tick step for a time axis: a round duration giving at most ~6 ticks. */
static double time_step(double range)
{
	static const double steps[] = {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5,
				       10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800,
				       21600, 43200, 86400, 172800, 604800, 2592000};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (range / steps[i] <= 6)
			return steps[i];
	return pow(10, ceil(log10(range / 6)));
}

static double plain_step(double range)
{
	double m = pow(10, floor(log10(range / 5)));
	double f = range / 5 / m;
	return m * (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10);
}

static double axis_step(double range, rpt_axis kind)
{
	if (!(range > 0))
		return 1;
	if (kind == RPT_AXIS_TIME)
		return time_step(range);
	if (kind == RPT_AXIS_SHARE)
		return 0.25;
	return plain_step(range);
}

double rpt_nice_max(double v, rpt_axis kind)
{
	if (!(v > 0) || !isfinite(v))
		return 1;
	double step = axis_step(v, kind);
	return ceil(v / step * (1 + 1e-9)) * step;
}

static void tick_label(double v, rpt_axis kind, char out[24])
{
	if (kind == RPT_AXIS_TIME)
		rpt_dur_short(v, out);
	else if (kind == RPT_AXIS_SHARE)
		snprintf(out, 24, "%g%%", v * 100);
	else
		snprintf(out, 24, "%g", v);
}

void rpt_svg_axes(const rpt_plot *p, rpt_axis xa, rpt_axis ya, const char *xlabel, const char *ylabel)
{
	dr_buf *b = p->b;
	dr_buf_printf(b, "<g class=\"axes\"><rect class=\"frame\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
		      p->x, p->y, p->w, p->h);
	if (xa != RPT_AXIS_NONE) {
		double step = axis_step(p->x1 - p->x0, xa);
		for (double v = ceil(p->x0 / step) * step; v <= p->x1 + step * 1e-9; v += step) {
			double x = rpt_px(p, v);
			char lab[24];
			tick_label(v, xa, lab);
			dr_buf_printf(b, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x,
				      p->y, x, p->y + p->h);
			rpt_svg_text(b, x, p->y + p->h + 14, "middle", "tick", lab);
		}
	}
	if (ya != RPT_AXIS_NONE) {
		double step = axis_step(p->y1 - p->y0, ya);
		for (double v = ceil(p->y0 / step) * step; v <= p->y1 + step * 1e-9; v += step) {
			double y = rpt_py(p, v);
			char lab[24];
			tick_label(v, ya, lab);
			dr_buf_printf(b, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", p->x, y,
				      p->x + p->w, y);
			rpt_svg_text(b, p->x - 5, y + 4, "end", "tick", lab);
		}
	}
	if (xlabel)
		rpt_svg_text(b, p->x + p->w / 2, p->y + p->h + 30, "middle", "label", xlabel);
	if (ylabel) {
		dr_buf_printf(b, "<g transform=\"translate(%.1f %.1f) rotate(-90)\">", p->x - 42, p->y + p->h / 2);
		rpt_svg_text(b, 0, 0, "middle", "label", ylabel);
		dr_buf_puts(b, "</g>");
	}
	dr_buf_puts(b, "</g>\n");
}

void rpt_svg_text(dr_buf *b, double x, double y, const char *anchor, const char *cls, const char *text)
{
	dr_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"", x, y, anchor);
	if (cls)
		dr_buf_printf(b, " class=\"%s\"", cls);
	dr_buf_puts(b, ">");
	rpt_esc_xml(b, text);
	dr_buf_puts(b, "</text>");
}

void rpt_svg_cdf(const rpt_plot *p, const res_cdf *c, const char *cls, size_t max_points)
{
	if (c->n == 0)
		return;
	dr_buf_printf(p->b, "<polyline class=\"%s\" points=\"%.1f,%.1f", cls, rpt_px(p, p->x0), rpt_py(p, 0));
	size_t m = c->n < max_points ? c->n : max_points;
	double prev_y = rpt_py(p, 0);
	for (size_t k = 0; k < m; k++) {
		size_t i = m > 1 ? (size_t)((double)k * (double)(c->n - 1) / (double)(m - 1) + 0.5) : 0;
		if (!isfinite(c->x[i]) || !isfinite(c->p[i]))
			continue;
		double x = rpt_px(p, c->x[i]), y = rpt_py(p, c->p[i]);
		dr_buf_printf(p->b, " %.1f,%.1f %.1f,%.1f", x, prev_y, x, y);
		prev_y = y;
	}
	dr_buf_printf(p->b, " %.1f,%.1f\"/>\n", rpt_px(p, p->x1), prev_y);
}

void rpt_svg_vline(const rpt_plot *p, double x, const char *cls, const char *label)
{
	if (!isfinite(x))
		return;
	double px = rpt_px(p, x);
	dr_buf_printf(p->b, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", cls, px, p->y, px,
		      p->y + p->h);
	if (label) {
		bool right = px > p->x + p->w * 0.75;
		rpt_svg_text(p->b, right ? px - 4 : px + 4, p->y + 12, right ? "end" : "start", cls, label);
	}
	dr_buf_puts(p->b, "\n");
}

void rpt_svg_hline(const rpt_plot *p, double y, const char *cls)
{
	double py = rpt_py(p, y);
	dr_buf_printf(p->b, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", cls, p->x, py,
		      p->x + p->w, py);
}

void rpt_svg_rect(const rpt_plot *p, double x0, double x1, double y0, double y1, const char *cls,
		  const char *tooltip)
{
	double a = rpt_px(p, x0), c = rpt_px(p, x1), top = rpt_py(p, y1), bottom = rpt_py(p, y0);
	double w = c - a;
	if (!isfinite(w))
		return;
	dr_buf_printf(p->b, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">", cls, a, top,
		      w < 1 ? 1 : w, bottom - top);
	if (tooltip) {
		dr_buf_puts(p->b, "<title>");
		rpt_esc_xml(p->b, tooltip);
		dr_buf_puts(p->b, "</title>");
	}
	dr_buf_puts(p->b, "</rect>\n");
}
