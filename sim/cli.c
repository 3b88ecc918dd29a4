/*
 * cli.c - the command table, option parsing and --help generation.
 * main() lives in sim/main.c so that tests can link everything else.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const dr_command *const commands[] = {
#define DR_COMMAND_PTR(verb) &cmd_##verb##_def,
	DR_COMMANDS(DR_COMMAND_PTR)
#undef DR_COMMAND_PTR
	NULL,
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]) - 1)

const dr_command *dr_command_find(const char *name)
{
	for (const dr_command *const *c = commands; *c; c++)
		if (strcmp((*c)->name, name) == 0)
			return *c;
	return NULL;
}

void dr_strlist_add(dr_strlist *l, const char *s)
{
	DR_GROW(l->v, l->n + 1, l->cap);
	l->v[l->n++] = dr_strdup(s);
	l->v[l->n] = NULL;
}

void dr_strlist_release(dr_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void dr_split_commas(const char *s, dr_strlist *l)
{
	while (*s) {
		const char *e = strchr(s, ',');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (n > 0) {
			char *part = dr_strndup(s, n);
			dr_strlist_add(l, part);
			free(part);
		}
		s += n + (e ? 1 : 0);
	}
}

static bool color_ok(int fd)
{
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		return false;
	return isatty(fd);
}

bool dr_color_stdout(void)
{
	return color_ok(STDOUT_FILENO);
}

bool dr_color_stderr(void)
{
	return color_ok(STDERR_FILENO);
}

static const char *opt_metavar(const dr_opt *o)
{
	if (o->metavar)
		return o->metavar;
	switch (o->type) {
	case DR_OPT_FLAG:
		return "";
	case DR_OPT_INT:
	case DR_OPT_U64:
		return "N";
	case DR_OPT_DOUBLE:
		return "X";
	default:
		return "VALUE";
	}
}

void dr_command_usage(const dr_command *cmd, void *fp)
{
	FILE *f = fp;
	fprintf(f, "usage: drsim %s [options] %s\n\n%s\n", cmd->name, cmd->synopsis ? cmd->synopsis : "",
		cmd->summary);
	if (cmd->help)
		fprintf(f, "\n%s\n", cmd->help);
	fprintf(f, "\noptions:\n");
	for (const dr_opt *o = cmd->opts; o && o->name; o++) {
		char left[64];
		const char *mv = opt_metavar(o);
		if (o->short_name)
			snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->name, *mv ? " " : "", mv);
		else
			snprintf(left, sizeof left, "    --%s%s%s", o->name, *mv ? " " : "", mv);
		fprintf(f, "  %-28s %s\n", left, o->help);
	}
	fprintf(f, "  %-28s %s\n", "-h, --help", "show this help");
}

static const dr_opt *find_long(const dr_opt *opts, const char *name, size_t len)
{
	for (const dr_opt *o = opts; o && o->name; o++)
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	return NULL;
}

static const dr_opt *find_short(const dr_opt *opts, char c)
{
	for (const dr_opt *o = opts; o && o->name; o++)
		if (o->short_name == c)
			return o;
	return NULL;
}

static int unknown_option(const dr_command *cmd, const char *arg)
{
	const char *names[64];
	size_t n = 0;
	for (const dr_opt *o = cmd->opts; o && o->name && n < 63; o++)
		names[n++] = o->name;
	names[n++] = "help";
	const char *word = arg;
	while (*word == '-')
		word++;
	char *bare = dr_strndup(word, strcspn(word, "="));
	const char *s = dr_suggest(bare, names, n);
	free(bare);
	if (s)
		dr_error("unknown option '%s' for '%s'; did you mean '--%s'?", arg, cmd->name, s);
	else
		dr_error("unknown option '%s' for '%s' (see 'drsim %s --help')", arg, cmd->name, cmd->name);
	return -1;
}

static int set_value(const dr_command *cmd, const dr_opt *o, const char *val)
{
	char *end = NULL;
	switch (o->type) {
	case DR_OPT_FLAG:
		*(bool *)o->target = true;
		return 0;
	case DR_OPT_STRING:
		*(const char **)o->target = val;
		return 0;
	case DR_OPT_LIST:
		dr_split_commas(val, (dr_strlist *)o->target);
		return 0;
	case DR_OPT_INT: {
		long v = strtol(val, &end, 10);
		if (!*val || *end || v < -2147483647L || v > 2147483647L)
			break;
		*(int *)o->target = (int)v;
		return 0;
	}
	case DR_OPT_U64: {
		if (*val == '-')
			break;
		unsigned long long v = strtoull(val, &end, 10);
		if (!*val || *end)
			break;
		*(uint64_t *)o->target = v;
		return 0;
	}
	case DR_OPT_DOUBLE: {
		double v = strtod(val, &end);
		if (!*val || *end)
			break;
		*(double *)o->target = v;
		return 0;
	}
	}
	return dr_error("invalid value '%s' for option '--%s' of '%s'", val, o->name, cmd->name);
}

int dr_opts_parse(const dr_command *cmd, int argc, char **argv, dr_strlist *args)
{
	bool only_args = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (only_args || a[0] != '-' || a[1] == '\0') {
			dr_strlist_add(args, a);
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_args = true;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			dr_command_usage(cmd, stdout);
			return 1;
		}
		const dr_opt *o;
		const char *val = NULL;
		if (a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			size_t len = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);
			o = find_long(cmd->opts, a + 2, len);
			if (eq)
				val = eq + 1;
		} else {
			o = a[2] == '\0' ? find_short(cmd->opts, a[1]) : NULL;
		}
		if (!o)
			return unknown_option(cmd, a);
		if (o->type == DR_OPT_FLAG) {
			if (val)
				return dr_error("option '--%s' takes no value", o->name);
		} else if (!val) {
			if (i + 1 >= argc)
				return dr_error("option '--%s' needs a value (%s)", o->name, opt_metavar(o));
			val = argv[++i];
		}
		if (set_value(cmd, o, val) != 0)
			return -1;
	}
	return 0;
}

static void main_usage(FILE *f)
{
	fprintf(f, "usage: drsim <command> [options] [args]\n\n"
		   "drsim simulates and drills database disaster recovery: RPO/RTO\n"
		   "distributions for each strategy, real restores and failovers with\n"
		   "measured RPO and RTO, and signed evidence.\n\ncommands:\n");
	for (const dr_command *const *c = commands; *c; c++)
		fprintf(f, "  %-10s %s\n", (*c)->name, (*c)->summary);
	fprintf(f, "\n'drsim help <command>' or 'drsim <command> --help' shows a command's options.\n"
		   "\nexit codes:\n"
		   "  0  success, every objective met\n"
		   "  1  an objective missed, or lint errors\n"
		   "  2  usage error or invalid input\n"
		   "  3  driver or runtime failure\n");
}

static int unknown_command(const char *name)
{
	const char *names[N_COMMANDS + 1];
	size_t n = 0;
	for (const dr_command *const *c = commands; *c; c++)
		names[n++] = (*c)->name;
	names[n++] = "help";
	const char *s = dr_suggest(name, names, n);
	if (s)
		dr_error("unknown command '%s'; did you mean '%s'?", name, s);
	else
		dr_error("unknown command '%s' (see 'drsim --help')", name);
	return DR_EXIT_USAGE;
}

int dr_main(int argc, char **argv)
{
	if (argc < 2) {
		main_usage(stderr);
		return DR_EXIT_USAGE;
	}
	const char *verb = argv[1];
	if (strcmp(verb, "--help") == 0 || strcmp(verb, "-h") == 0) {
		main_usage(stdout);
		return DR_EXIT_OK;
	}
	if (strcmp(verb, "--version") == 0 || strcmp(verb, "version") == 0) {
		printf("drsim %s\n", DR_VERSION);
		return DR_EXIT_OK;
	}
	if (strcmp(verb, "help") == 0) {
		if (argc < 3) {
			main_usage(stdout);
			return DR_EXIT_OK;
		}
		const dr_command *c = dr_command_find(argv[2]);
		if (!c)
			return unknown_command(argv[2]);
		dr_command_usage(c, stdout);
		return DR_EXIT_OK;
	}
	if (verb[0] == '-') {
		dr_error("unknown option '%s' (see 'drsim --help')", verb);
		return DR_EXIT_USAGE;
	}
	const dr_command *c = dr_command_find(verb);
	if (!c)
		return unknown_command(verb);
	return c->fn(argc - 1, argv + 1);
}
