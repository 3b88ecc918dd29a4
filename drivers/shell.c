/*
 * shell.c - the "shell" driver: a runbook step that runs a command
 * (action "run: CMD", through /bin/sh -c) with a timeout, capturing its exit
 * status and its output (redacted, last lines kept for the report).  The
 * command runs in its own process group, journalled as the run's own; on
 * timeout the whole group gets SIGTERM, then SIGKILL.
 */
#define _GNU_SOURCE
#include "driver.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHELL_KEEP 400 /* bytes of output tail kept for the report */

static const drv_option shell_options[] = {
	{"shell", "path", "/bin/sh", "the shell that runs each step's command"},
	{0},
};

static bool shell_supported(char *why, size_t n)
{
	if (access("/bin/sh", X_OK) != 0) {
		snprintf(why, n, "'/bin/sh' is not executable");
		return false;
	}
	return true;
}

static const char *step_command(const scn_step *s)
{
	const char *cmd = scn_action_param(&s->action, "run");
	return cmd ? cmd : scn_action_param(&s->action, "command");
}

/* Read what is available on fd into tail (keeping the last SHELL_KEEP
 * bytes); false at end of file. */
static bool drain(int fd, dr_buf *tail)
{
	char chunk[4096];
	ssize_t r = read(fd, chunk, sizeof chunk);
	if (r < 0)
		return errno == EINTR || errno == EAGAIN;
	if (r == 0)
		return false;
	dr_buf_add(tail, chunk, (size_t)r);
	if (tail->len > 4 * SHELL_KEEP) {
		memmove(tail->s, tail->s + tail->len - SHELL_KEEP, SHELL_KEEP + 1);
		tail->len = SHELL_KEEP;
	}
	return true;
}

static bool group_gone(pid_t pid)
{
	return kill(-pid, 0) != 0 && errno == ESRCH;
}

static void kill_group(pid_t pid)
{
	(void)kill(-pid, SIGTERM);
	for (int i = 0; i < 200 && !group_gone(pid); i++) {
		(void)waitpid(pid, NULL, WNOHANG);
		usleep(10000);
	}
	(void)kill(-pid, SIGKILL);
}

static void tail_detail(drv_step_out *out, const char *cmd, int code, const dr_buf *tail)
{
	const char *t = tail->s ? tail->s : "";
	size_t n = strlen(t);
	if (n > SHELL_KEEP)
		t += n - SHELL_KEEP;
	char *safe_cmd = drv_redact(cmd);
	char *safe_out = drv_redact(t);
	size_t m = strlen(safe_out);
	while (m > 0 && (safe_out[m - 1] == '\n' || safe_out[m - 1] == ' '))
		safe_out[--m] = '\0';
	snprintf(out->detail, sizeof out->detail, "run '%s': exit %d%s%s", safe_cmd, code, m ? "; output: " : "",
		 safe_out);
	free(safe_cmd);
	free(safe_out);
}

static dr_err shell_step(drv_ctx *c, const scn_step *s, drv_step_out *out)
{
	dr_err err = DR_OK;
	const char *cmd = step_command(s);
	if (!cmd) {
		dr_error("step '%s': the shell driver needs 'run: COMMAND'", s->name);
		return DR_USAGE;
	}
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) != 0)
		return DR_IO;
	const char *sh = drv_opt(c, "shell");
	char *argv[] = {(char *)sh, "-c", (char *)cmd, NULL};
	pid_t pid;
	char *what = drv_redact(cmd);
	err = drv_spawn(c, what, argv, NULL, NULL, pfd[1], &pid);
	free(what);
	close(pfd[1]);
	if (err != DR_OK) {
		close(pfd[0]);
		return err;
	}
	dr_buf tail = {0};
	bool open_fd = true, timed_out = false;
	while (open_fd) {
		int wait_ms = 200;
		if (drv_interrupted()) {
			timed_out = true;
			break;
		}
		if (c->deadline_mono > 0) {
			double left = c->deadline_mono - dr_now_mono();
			if (left <= 0) {
				timed_out = true;
				break;
			}
			if (left * 1000 < wait_ms)
				wait_ms = (int)(left * 1000) + 1;
		}
		struct pollfd p = {.fd = pfd[0], .events = POLLIN};
		int r = poll(&p, 1, wait_ms);
		if (r > 0)
			open_fd = drain(pfd[0], &tail);
	}
	if (timed_out)
		kill_group(pid);
	close(pfd[0]);
	int status = 0;
	err = drv_reap(c, pid, &status);
	if (err != DR_OK)
		goto done;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	out->exit_status = code;
	tail_detail(out, cmd, code, &tail);
	if (timed_out && drv_interrupted()) {
		err = DR_INTERRUPTED;
	} else if (timed_out) {
		dr_error("step '%s': command timed out", s->name);
		err = DR_TIMEOUT;
	} else if (code != 0) {
		dr_error("step '%s': command exited with status %d", s->name, code);
		err = DR_DRIVER;
	}
done:
	dr_buf_release(&tail);
	return err;
}

static dr_err shell_describe(drv_ctx *c, drv_phase phase, const scn_step *s, dr_buf *out)
{
	if (phase != DRV_PHASE_STEP) {
		dr_buf_printf(out, "note the shell driver has no %s\n", drv_phase_names[phase]);
		return DR_OK;
	}
	const char *cmd = step_command(s);
	if (!cmd) {
		dr_error("step '%s': the shell driver needs 'run: COMMAND'", s->name);
		return DR_USAGE;
	}
	char *safe = drv_redact(cmd);
	dr_buf_printf(out, "run %s -c '%s' (own process group, killed at the step timeout)\n",
		      drv_opt(c, "shell"), safe);
	free(safe);
	return DR_OK;
}

const drv_ops drv_shell_ops = {
	.abi_version = DRV_ABI_VERSION,
	.name = "shell",
	.version = "1.0",
	.caps = DRV_CAP_STEP,
	.options = shell_options,
	.priv_size = 0,
	.supported = shell_supported,
	.step = shell_step,
	.describe = shell_describe,
};
