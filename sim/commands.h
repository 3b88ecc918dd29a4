/*
 * commands.h - the list of drsim commands, in help order, one X(verb) row
 * each.  Every command is defined in sim/cmd_<verb>.c as
 *   const dr_command cmd_<verb>_def = { .name = "<verb>", .fn = ..., ... };
 */
#define DR_COMMANDS(X) \
	X(validate)        \
	X(lint)            \
	X(schema)          \
	X(simulate)        \
	X(compare)         \
	X(merge)           \
	X(plan)            \
	X(drill)           \
	X(report)          \
	X(history)         \
	X(verify)          \
	X(keygen)          \
	X(upload)          \
	X(download)        \
	X(drivers)         \
	X(cleanup)
