/*
 * units.h - physical quantities with dimensions, as written in scenarios:
 * durations (90s, 5m, 2h, 7d, 1w, 1y), sizes (512MiB, 2TB), throughputs
 * (200MiB/s) and event rates (2/y, 1/10y).
 *
 * A quantity is a double in SI base units (seconds, bytes) plus a dimension
 * given as integer exponents of size and time, so arithmetic is typed:
 * size / throughput is a duration, size + duration is an error.
 * Conventions: 1d = 86400 s, 1w = 7d, 1y = 365d; KB/MB/GB/TB are powers of
 * 1000, KiB/MiB/GiB/TiB powers of 1024; B is a byte.
 */
#ifndef DR_UNITS_H
#define DR_UNITS_H

#include "dr.h"

typedef struct {
	int8_t size; /* exponent of bytes */
	int8_t time; /* exponent of seconds */
} dr_dim;

#define DR_DIM_NUMBER ((dr_dim){0, 0})
#define DR_DIM_TIME ((dr_dim){0, 1})
#define DR_DIM_SIZE ((dr_dim){1, 0})
#define DR_DIM_THROUGHPUT ((dr_dim){1, -1})
#define DR_DIM_RATE ((dr_dim){0, -1}) /* events per second */

typedef struct {
	double v; /* in base units */
	dr_dim dim;
} dr_qty;

#define DR_YEAR_S (365.0 * 86400.0)

bool dr_dim_eq(dr_dim a, dr_dim b);
/* "duration", "size", "throughput", "rate", "number", or e.g. "size^2/time". */
const char *dr_dim_name(dr_dim d);

/*
 * Parse a quantity literal such as "90s", "1.5h", "512MiB", "200MiB/s",
 * "2/y", "1/10y", "0.95", "1e3".  Leading/trailing blanks are allowed, and a
 * blank between number and unit ("5 m").  On failure returns DR_PARSE (bad
 * text or unknown unit) or DR_RANGE (not finite) and, when errmsg is not
 * NULL, a static message naming what was wrong.
 */
dr_err dr_qty_parse(const char *s, dr_qty *out, const char **errmsg) DR_WUR;

/*
 * Length of the longest prefix of s that is a number followed by an
 * optional unit (no "/y" rate form): used by the expression tokenizer.
 * Returns 0 when s does not start with a number.
 */
size_t dr_qty_scan(const char *s, dr_qty *out);

/* Human form: durations "450ms", "42s", "5m 30s", "2h 05m", "3d 4h";
 * sizes "1.5 GiB"; throughputs "200 MiB/s"; rates "2/y"; numbers "%g". */
void dr_qty_format(dr_qty q, char *out, size_t n);
/* Shorthand for durations. */
void dr_fmt_duration(double seconds, char *out, size_t n);

#endif
