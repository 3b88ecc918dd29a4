/*
 * scn_tables.h - the scenario language declared once, as tables.
 *
 * Each YAML mapping of the language is a scn_table: rows naming a key, its
 * type, where the value goes in the C struct, whether it is required, its
 * range and its help.  The loader (scn_load.c), the JSON Schema generator
 * (scn_schema.c) and the "did you mean" suggestions all read these rows, so
 * the language is described in exactly one place.  Internal to sim/.
 */
#ifndef DR_SCN_TABLES_H
#define DR_SCN_TABLES_H

#include "scenario.h"

typedef enum {
	SCN_T_STRING,     /* char * */
	SCN_T_INT,        /* int, within [min, max] */
	SCN_T_NUMBER,     /* double, within [min, max] */
	SCN_T_BOOL,       /* bool */
	SCN_T_DURATION,   /* double seconds, a duration literal, >= min, <= max when max > 0 */
	SCN_T_SIZE,       /* double bytes */
	SCN_T_RATE,       /* double events/second ("2/y") */
	SCN_T_PERCENT,    /* double in the open interval (0, 100) */
	SCN_T_EXPR,       /* dr_expr *, dimension in .dim, step variables when .vars */
	SCN_T_ENUM,       /* int, one of .names */
	SCN_T_SITE,       /* int site index (name resolved after sites are read) */
	SCN_T_WINDOW,     /* "HH:MM-HH:MM": two doubles, start then length */
	SCN_T_STRLIST,    /* char ** + size_t count (a list of strings, or one string) */
	SCN_T_RESOURCES,  /* int * + size_t count: resource names (one or a list) */
	SCN_T_OBJECT,     /* a nested mapping described by .sub, stored in place */
	SCN_T_LIST,       /* a sequence of .sub mappings: pointer + size_t count */
	SCN_T_NAMED_MAP,  /* a mapping name -> .sub mapping: pointer + count; .name_off */
	SCN_T_RUNBOOKS,   /* a mapping disaster kind -> list of steps */
	SCN_T_PARAMS,     /* a flat mapping of scalars kept as text (scn_param) */
	SCN_T_ACTION,     /* a step's action: known keys + driver parameters */
	SCN_T_VERSION,    /* the "drsim: 1" language version */
} scn_type;

typedef struct scn_table scn_table;

typedef struct {
	const char *key;
	scn_type type;
	size_t off;       /* offset of the value (or pointer) in the struct */
	size_t count_off; /* lists: offset of the size_t count */
	size_t pos_off;   /* offset of a dr_pos to fill with the key's position, or SIZE_MAX */
	bool required;
	double min, max;  /* numeric range; max == 0 means no upper bound */
	dr_dim dim;       /* SCN_T_EXPR: required dimension */
	bool vars;        /* SCN_T_EXPR: may name the step variables */
	const char *const *names; /* SCN_T_ENUM: value names */
	size_t n_names;
	enum { SCN_STORE_INT, SCN_STORE_BOOL, SCN_STORE_STRING } store; /* SCN_T_ENUM target type */
	const scn_table *sub;     /* nested table */
	const char *def;          /* default, for help and the schema */
	const char *help;
	const char *example;      /* a valid value, for the schema */
} scn_field;

struct scn_table {
	const char *name;  /* e.g. "database" */
	size_t size;       /* struct size, for lists */
	size_t name_off;   /* NAMED_MAP: where the key name goes (char *) */
	size_t pos_off;    /* where the mapping's own position goes */
	size_t set_off;    /* a bool set when the mapping is written, or 0 for none */
	const scn_field *fields;
	size_t n_fields;
	void (*init)(void *elem); /* defaults that are not zero, or NULL */
	const char *help;
};

extern const scn_table scn_root_table;
extern const scn_table scn_step_table;

/* Action keys the loader understands itself; anything else is a driver
 * parameter kept as text. */
extern const char *const scn_action_keys[];
extern const size_t scn_n_action_keys;
/* Driver parameters accepted in a step's action (union over drivers). */
extern const char *const scn_action_params[];
extern const size_t scn_n_action_params;

#endif
