/*
 * units.c - quantity literals: parsing ("90s", "512MiB", "200MiB/s",
 * "1/10y"), the tokenizer helper used by expressions, dimension names and
 * compact human formatting.  See units.h for the conventions.
 *
 * Numbers are read in the C locale whatever the process locale is, so a
 * scenario means the same thing on every machine.
 */
#define _GNU_SOURCE
#include "units.h"

#include <ctype.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
	const char *name;
	double factor; /* base units per one of this unit */
	dr_dim dim;
} unit_def;

#define KIB 1024.0
static const unit_def units[] = {
	{"ms", 1e-3, DR_DIM_TIME},
	{"s", 1.0, DR_DIM_TIME},
	{"m", 60.0, DR_DIM_TIME},
	{"h", 3600.0, DR_DIM_TIME},
	{"d", 86400.0, DR_DIM_TIME},
	{"w", 7 * 86400.0, DR_DIM_TIME},
	{"y", DR_YEAR_S, DR_DIM_TIME},
	{"B", 1.0, DR_DIM_SIZE},
	{"KB", 1e3, DR_DIM_SIZE},
	{"MB", 1e6, DR_DIM_SIZE},
	{"GB", 1e9, DR_DIM_SIZE},
	{"TB", 1e12, DR_DIM_SIZE},
	{"KiB", KIB, DR_DIM_SIZE},
	{"MiB", KIB * KIB, DR_DIM_SIZE},
	{"GiB", KIB * KIB * KIB, DR_DIM_SIZE},
	{"TiB", KIB * KIB * KIB * KIB, DR_DIM_SIZE},
};
#define N_UNITS (sizeof(units) / sizeof(units[0]))

/* Spellings people reach for, mapped to the unit they meant. */
static const struct {
	const char *word, *unit;
} unit_hints[] = {
	{"min", "m"},    {"mins", "m"},   {"minute", "m"}, {"minutes", "m"}, {"sec", "s"},
	{"secs", "s"},   {"second", "s"}, {"seconds", "s"}, {"hr", "h"},     {"hrs", "h"},
	{"hour", "h"},   {"hours", "h"},  {"day", "d"},     {"days", "d"},   {"week", "w"},
	{"weeks", "w"},  {"yr", "y"},     {"yrs", "y"},     {"year", "y"},   {"years", "y"},
	{"msec", "ms"},  {"msecs", "ms"}, {"bytes", "B"},   {"byte", "B"},
};

bool dr_dim_eq(dr_dim a, dr_dim b)
{
	return a.size == b.size && a.time == b.time;
}

static _Thread_local char dim_names[4][32];
static _Thread_local unsigned dim_next;

static void dim_part(dr_buf *b, const char *name, int e)
{
	if (b->len && b->s[b->len - 1] != '/')
		dr_buf_puts(b, "*");
	dr_buf_puts(b, name);
	if (e > 1)
		dr_buf_printf(b, "^%d", e);
}

const char *dr_dim_name(dr_dim d)
{
	if (dr_dim_eq(d, DR_DIM_NUMBER))
		return "number";
	if (dr_dim_eq(d, DR_DIM_TIME))
		return "duration";
	if (dr_dim_eq(d, DR_DIM_SIZE))
		return "size";
	if (dr_dim_eq(d, DR_DIM_THROUGHPUT))
		return "throughput";
	if (dr_dim_eq(d, DR_DIM_RATE))
		return "rate";
	/* A ring of buffers so that one printf can name two dimensions. */
	dr_buf b = {0};
	if (d.size > 0)
		dim_part(&b, "size", d.size);
	if (d.time > 0)
		dim_part(&b, "time", d.time);
	if (!b.len)
		dr_buf_puts(&b, "1");
	if (d.size < 0 || d.time < 0) {
		dr_buf_puts(&b, "/");
		if (d.size < 0)
			dim_part(&b, "size", -d.size);
		if (d.time < 0)
			dim_part(&b, "time", -d.time);
	}
	char *out = dim_names[dim_next++ % 4];
	snprintf(out, sizeof(dim_names[0]), "%s", b.s);
	dr_buf_release(&b);
	return out;
}

/* ---- scanning ---- */

static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;
static locale_t c_locale;

static void c_locale_init(void)
{
	c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Length of an unsigned decimal number at s (digits, point, exponent); its
 * value in *v.  0 when s does not start with a number. */
static size_t scan_number(const char *s, double *v)
{
	size_t i = 0, digits = 0;
	while (isdigit((unsigned char)s[i]))
		i++, digits++;
	if (s[i] == '.') {
		i++;
		while (isdigit((unsigned char)s[i]))
			i++, digits++;
	}
	if (!digits)
		return 0;
	if (s[i] == 'e' || s[i] == 'E') {
		size_t j = i + 1;
		if (s[j] == '+' || s[j] == '-')
			j++;
		if (isdigit((unsigned char)s[j])) {
			while (isdigit((unsigned char)s[j]))
				j++;
			i = j;
		}
	}
	char tmp[64];
	if (i >= sizeof(tmp)) {
		/* Absurdly long digit strings: let strtod read the original. */
		char *copy = dr_strndup(s, i);
		pthread_once(&c_locale_once, c_locale_init);
		*v = c_locale ? strtod_l(copy, NULL, c_locale) : strtod(copy, NULL);
		free(copy);
		return i;
	}
	memcpy(tmp, s, i);
	tmp[i] = 0;
	pthread_once(&c_locale_once, c_locale_init);
	*v = c_locale ? strtod_l(tmp, NULL, c_locale) : strtod(tmp, NULL);
	return i;
}

/* Length of the run of letters at s. */
static size_t alpha_run(const char *s)
{
	size_t n = 0;
	while (isalpha((unsigned char)s[n]))
		n++;
	return n;
}

/* Length of the identifier-like word at s (a misspelt unit such as "m3"). */
static size_t ident_run(const char *s)
{
	size_t n = 0;
	while (is_ident_char(s[n]))
		n++;
	return n;
}

static const unit_def *find_unit(const char *s, size_t n)
{
	for (size_t i = 0; i < N_UNITS; i++)
		if (strlen(units[i].name) == n && !memcmp(units[i].name, s, n))
			return &units[i];
	return NULL;
}

/* A time unit allowed after a size to make a throughput ("/s", "/m", "/h"):
 * the letter must end the word so that "/sec" is not taken. */
static const unit_def *throughput_suffix(const char *s, size_t *len)
{
	if (s[0] != '/' || (s[1] != 's' && s[1] != 'm' && s[1] != 'h') || is_ident_char(s[2]))
		return NULL;
	*len = 2;
	return find_unit(s + 1, 1);
}

/* Number, optional blanks, optional unit (whole word), and after a size an
 * optional throughput suffix.  Returns the length used (0: no number). */
static size_t scan_qty(const char *s, dr_qty *out, size_t *unit_at)
{
	double v;
	size_t n = scan_number(s, &v);
	if (!n)
		return 0;
	*out = (dr_qty){v, DR_DIM_NUMBER};
	size_t u = n;
	while (is_blank(s[u]))
		u++;
	*unit_at = u;
	size_t ulen = alpha_run(s + u);
	const unit_def *unit = ulen ? find_unit(s + u, ulen) : NULL;
	if (!unit || is_ident_char(s[u + ulen]))
		return n;
	out->v = v * unit->factor;
	out->dim = unit->dim;
	n = u + ulen;
	size_t slen;
	const unit_def *per = dr_dim_eq(unit->dim, DR_DIM_SIZE) ? throughput_suffix(s + n, &slen) : NULL;
	if (per) {
		out->v /= per->factor;
		out->dim = DR_DIM_THROUGHPUT;
		n += slen;
	}
	return n;
}

size_t dr_qty_scan(const char *s, dr_qty *out)
{
	size_t unit_at;
	return scan_qty(s, out, &unit_at);
}

/* ---- parsing ---- */

static _Thread_local char parse_msg[128];

static const char *unit_message(const char *u, size_t n)
{
	int w = n > 24 ? 24 : (int)n;
	const char *hint = NULL;
	for (size_t i = 0; i < sizeof(unit_hints) / sizeof(unit_hints[0]) && !hint; i++)
		if (strlen(unit_hints[i].word) == n && !strncasecmp(unit_hints[i].word, u, n))
			hint = unit_hints[i].unit;
	for (size_t i = 0; i < N_UNITS && !hint; i++)
		if (strlen(units[i].name) == n && !strncasecmp(units[i].name, u, n))
			hint = units[i].name;
	if (hint)
		snprintf(parse_msg, sizeof(parse_msg), "unknown unit '%.*s'; did you mean '%s'?", w, u, hint);
	else
		snprintf(parse_msg, sizeof(parse_msg), "unknown unit '%.*s'", w, u);
	return parse_msg;
}

static const char *text_message(const char *what, const char *s)
{
	size_t n = strcspn(s, "\n");
	while (n && is_blank(s[n - 1]))
		n--;
	snprintf(parse_msg, sizeof(parse_msg), "%s '%.*s'", what, n > 24 ? 24 : (int)n, s);
	return parse_msg;
}

/* The rate form after "N": "/y", "/10y", "/ 10 y".  *i points at '/'. */
static dr_err parse_rate(const char *s, size_t *i, dr_qty *q, const char **msg)
{
	size_t j = *i + 1;
	while (is_blank(s[j]))
		j++;
	double per = 1.0;
	size_t n = scan_number(s + j, &per);
	j += n;
	while (is_blank(s[j]))
		j++;
	size_t ulen = alpha_run(s + j);
	const unit_def *unit = ulen ? find_unit(s + j, ulen) : NULL;
	if (!ulen) {
		*msg = "expected a time unit after '/' (as in 2/y or 1/10y)";
		return DR_PARSE;
	}
	if (!unit) {
		*msg = unit_message(s + j, ulen);
		return DR_PARSE;
	}
	if (!dr_dim_eq(unit->dim, DR_DIM_TIME)) {
		*msg = text_message("a rate needs a time unit, not", s + j);
		return DR_PARSE;
	}
	q->v /= per * unit->factor;
	q->dim = DR_DIM_RATE;
	*i = j + ulen;
	return DR_OK;
}

dr_err dr_qty_parse(const char *s, dr_qty *out, const char **errmsg)
{
	dr_err err = DR_OK;
	const char *msg = NULL;
	dr_qty q = {0, DR_DIM_NUMBER};
	size_t i = 0;
	if (!s)
		s = "";
	while (is_blank(s[i]))
		i++;
	if (!s[i]) {
		msg = "empty value";
		err = DR_PARSE;
		goto out;
	}
	double sign = 1.0;
	if (s[i] == '-' || s[i] == '+') {
		sign = s[i] == '-' ? -1.0 : 1.0;
		i++;
	}
	size_t unit_at;
	size_t n = scan_qty(s + i, &q, &unit_at);
	if (!n) {
		msg = text_message("expected a number, got", s + i);
		err = DR_PARSE;
		goto out;
	}
	if (dr_dim_eq(q.dim, DR_DIM_NUMBER) && isalpha((unsigned char)s[i + unit_at])) {
		msg = unit_message(s + i + unit_at, ident_run(s + i + unit_at));
		err = DR_PARSE;
		goto out;
	}
	i += n;
	while (is_blank(s[i]))
		i++;
	if (s[i] == '/' && dr_dim_eq(q.dim, DR_DIM_NUMBER)) {
		err = parse_rate(s, &i, &q, &msg);
		if (err)
			goto out;
		while (is_blank(s[i]))
			i++;
	} else if (s[i] == '/' && dr_dim_eq(q.dim, DR_DIM_SIZE)) {
		size_t ulen = ident_run(s + i + 1);
		msg = ulen && !find_unit(s + i + 1, ulen) ? unit_message(s + i + 1, ulen)
							  : "a throughput is a size per s, m or h (as in 200MiB/s)";
		err = DR_PARSE;
		goto out;
	}
	if (s[i]) {
		msg = text_message("unexpected text", s + i);
		err = DR_PARSE;
		goto out;
	}
	q.v *= sign;
	if (!isfinite(q.v)) {
		msg = "value out of range";
		err = DR_RANGE;
		goto out;
	}
	*out = q;
out:
	if (errmsg)
		*errmsg = msg;
	return err;
}

/* ---- formatting ---- */

static void fmt_duration(double a, char *out, size_t n)
{
	if (a < 0.9995) {
		double ms = a * 1000.0;
		snprintf(out, n, ms >= 9.95 ? "%.0fms" : "%.2gms", ms);
		return;
	}
	if (a < 9.995) {
		snprintf(out, n, "%.3gs", a);
		return;
	}
	double s = round(a);
	if (s < 60) {
		snprintf(out, n, "%.0fs", s);
		return;
	}
	if (s < 3600) {
		double r = fmod(s, 60);
		snprintf(out, n, r ? "%.0fm %02.0fs" : "%.0fm", floor(s / 60), r);
		return;
	}
	double m = round(a / 60);
	if (m < 1440) {
		double r = fmod(m, 60);
		snprintf(out, n, r ? "%.0fh %02.0fm" : "%.0fh", floor(m / 60), r);
		return;
	}
	double h = round(a / 3600);
	if (h < 24 * 365) {
		double r = fmod(h, 24);
		snprintf(out, n, r ? "%.0fd %.0fh" : "%.0fd", floor(h / 24), r);
		return;
	}
	double d = round(a / 86400);
	if (d < 365e6) {
		double r = fmod(d, 365);
		snprintf(out, n, r ? "%.0fy %.0fd" : "%.0fy", floor(d / 365), r);
		return;
	}
	snprintf(out, n, "%.3gy", a / DR_YEAR_S);
}

static void fmt_size(double a, const char *suffix, char *out, size_t n)
{
	static const char *const names[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	size_t k = 0;
	while (k + 1 < sizeof(names) / sizeof(names[0]) && a >= 1024.0)
		a /= 1024.0, k++;
	snprintf(out, n, a < 999.5 ? "%.3g %s%s" : "%.0f %s%s", a, names[k], suffix);
}

static void fmt_rate(double per_s, char *out, size_t n)
{
	double per_y = per_s * DR_YEAR_S;
	if (per_y > 0 && per_y < 1)
		snprintf(out, n, "1/%.3gy", 1 / per_y);
	else if (per_y < 365)
		snprintf(out, n, "%.3g/y", per_y);
	else if (per_s * 3600 < 24)
		snprintf(out, n, "%.3g/d", per_s * 86400);
	else if (per_s < 1)
		snprintf(out, n, "%.3g/h", per_s * 3600);
	else
		snprintf(out, n, "%.3g/s", per_s);
}

void dr_qty_format(dr_qty q, char *out, size_t n)
{
	if (!n)
		return;
	if (!isfinite(q.v) || dr_dim_eq(q.dim, DR_DIM_NUMBER)) {
		snprintf(out, n, "%g", q.v);
		return;
	}
	bool known = dr_dim_eq(q.dim, DR_DIM_TIME) || dr_dim_eq(q.dim, DR_DIM_SIZE) ||
		     dr_dim_eq(q.dim, DR_DIM_THROUGHPUT) || dr_dim_eq(q.dim, DR_DIM_RATE);
	if (!known) {
		snprintf(out, n, "%g %s", q.v, dr_dim_name(q.dim));
		return;
	}
	size_t off = 0;
	double a = q.v;
	if (a < 0) {
		snprintf(out, n, "-");
		off = n > 1 ? 1 : 0;
		a = -a;
	}
	if (dr_dim_eq(q.dim, DR_DIM_TIME)) {
		if (a == 0)
			snprintf(out + off, n - off, "0s");
		else
			fmt_duration(a, out + off, n - off);
	} else if (dr_dim_eq(q.dim, DR_DIM_SIZE)) {
		fmt_size(a, "", out + off, n - off);
	} else if (dr_dim_eq(q.dim, DR_DIM_THROUGHPUT)) {
		fmt_size(a, "/s", out + off, n - off);
	} else {
		fmt_rate(a, out + off, n - off);
	}
}

void dr_fmt_duration(double seconds, char *out, size_t n)
{
	dr_qty_format((dr_qty){seconds, DR_DIM_TIME}, out, n);
}
