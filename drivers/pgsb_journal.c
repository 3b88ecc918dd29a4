/*
 * pgsb_journal.c - the bridge from the sandbox library's resource reports
 * (pgsb_event) to a drill's journal, shared by the PostgreSQL drivers so
 * that every directory, server and port pgsb creates or removes is
 * journalled the same way and `drsim cleanup` can undo it.
 */
#include "pgsb.h"

#include <stdio.h>

#include "driver.h"

void pgsb_journal_track(void *ctx, const pgsb_event *ev)
{
	pgsb_journal *jr = ctx;
	drv_ctx *c = jr->c;
	static const char *const phase[] = {"begin", "done", "failed"};
	dr_err err = DR_OK;
	char id[32];
	if (ev->kind == PGSB_RES_DIR) {
		err = drv_journal(c, phase[ev->phase], ev->create ? "create" : "destroy", "dir", ev->path,
				  json_pack("{s:s}", "what", ev->what));
	} else if (ev->create) {
		/* the pid is known once the process runs: one begin+done pair
		 * with its start time, and the port it listens on */
		if (ev->phase == PGSB_DONE) {
			err = drv_journal_process(c, ev->pid, ev->what);
			if (!err && ev->port > 0)
				err = drv_journal_port(c, ev->port, ev->what);
		}
	} else if (ev->pid > 0) {
		snprintf(id, sizeof id, "%d", (int)ev->pid);
		err = drv_journal(c, phase[ev->phase], "destroy", "process", id, NULL);
		if (!err && ev->port > 0 && ev->phase != PGSB_BEGIN) {
			snprintf(id, sizeof id, "%d", ev->port);
			err = drv_journal(c, phase[ev->phase], "destroy", "port", id, NULL);
		}
	}
	if (err && !jr->err)
		jr->err = err;
}
