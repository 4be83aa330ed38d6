/* The progress hooks (include/vigie/progress.h): function pointers set once
 * by the daemon before any thread starts, read by the long loops (tick) and
 * by the main thread's transfer loops (idle), and the wait of a loop that
 * tries again (wait). */
#include <stdbool.h>
#include <stddef.h>
#include <unistd.h>
#include "vigie/progress.h"

static progress_fn *hook;
static void *hook_arg;

void progress_set(progress_fn *fn, void *arg)
{
	hook = fn;
	hook_arg = arg;
}

bool progress_tick(void)
{
	return hook ? hook(hook_arg) : false;
}

static progress_idle_fn *idle;
static void *idle_arg;
static bool idle_busy;

void progress_set_idle(progress_idle_fn *fn, void *arg)
{
	idle = fn;
	idle_arg = arg;
}

void progress_idle(void)
{
	if (!idle || idle_busy)
		return;
	idle_busy = true;
	idle(idle_arg);
	idle_busy = false;
}

static progress_wait_fn *waiter;

void progress_set_wait(progress_wait_fn *fn)
{
	waiter = fn;
}

void progress_wait(long ms)
{
	if (waiter)
		waiter(ms);
	else
		usleep((useconds_t)ms * 1000);
}

bool progress_yield(void)
{
	bool stop = progress_tick();

	progress_idle();
	return stop;
}
