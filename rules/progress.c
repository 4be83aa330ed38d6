/* The progress hook (include/vigie/progress.h): one function pointer, set
 * once by the daemon before any thread starts and read by every long loop. */
#include <stddef.h>
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
