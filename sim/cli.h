/*
 * cli.h - the drsim command line: the command table, a table-driven option
 * parser whose rows also generate --help, and small output helpers.
 *
 * Each command lives in sim/cmd_<verb>.c, which defines "const dr_command
 * cmd_<verb>_def"; its fn gets argv[0] = the verb and returns a DR_EXIT_*
 * code.  The list of commands is sim/commands.h.
 */
#ifndef DR_CLI_H
#define DR_CLI_H

#include "dr.h"

typedef enum {
	DR_OPT_FLAG,   /* bool, no argument */
	DR_OPT_STRING, /* const char * */
	DR_OPT_INT,    /* int */
	DR_OPT_U64,    /* uint64_t */
	DR_OPT_DOUBLE, /* double */
	DR_OPT_LIST,   /* append to a dr_strlist (repeatable, or comma list) */
} dr_opt_type;

typedef struct {
	char **v;
	size_t n, cap;
} dr_strlist;
void dr_strlist_add(dr_strlist *l, const char *s);
void dr_strlist_release(dr_strlist *l);

typedef struct {
	const char *name;    /* long name without "--" */
	char short_name;     /* 0 when none */
	dr_opt_type type;
	void *target;
	const char *metavar; /* e.g. "N", "FILE" */
	const char *help;
} dr_opt;

typedef struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *synopsis; /* "FILE..." */
	const char *summary;  /* one line */
	const char *help;     /* longer description, may be NULL */
	const dr_opt *opts;   /* terminated by a {0} row, may be NULL */
} dr_command;

/*
 * Parse argv[1..] of a command against opts.  Positional arguments are
 * returned in *args (borrowed from argv).  "--help" / "-h" prints usage and
 * returns 1 (the caller returns 0).  An unknown option prints an error with
 * a suggestion and returns -1 (the caller returns DR_EXIT_USAGE).
 */
int dr_opts_parse(const dr_command *cmd, int argc, char **argv, dr_strlist *args);
/* Print a command's usage, generated from its table. */
void dr_command_usage(const dr_command *cmd, void *file);
/* Find a command by name; NULL if none. */
const dr_command *dr_command_find(const char *name);

/* True when stdout / stderr is a terminal and NO_COLOR is not set. */
bool dr_color_stdout(void);
bool dr_color_stderr(void);
/* Split a comma-separated format list ("text,json") into l. */
void dr_split_commas(const char *s, dr_strlist *l);

#define DR_COMMAND_DECL(verb) extern const dr_command cmd_##verb##_def;
#include "commands.h"
DR_COMMANDS(DR_COMMAND_DECL)
#undef DR_COMMAND_DECL

/* The whole program: dispatch argv to a command; returns the exit code. */
int dr_main(int argc, char **argv);

#endif
