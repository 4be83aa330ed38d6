/* Progress of long steps, for the systemd watchdog (SPEC 8: "the watchdog
 * is fed during every long step"). Loops that may run for a long time on
 * large or slow input (reading and parsing a file, an import, loading the
 * series, the evaluation, a busy database, transfers) call progress_tick()
 * every few thousand iterations; the daemon installs a hook that pings the
 * watchdog when a quarter of its period has passed, so a service that makes
 * progress is never killed while one that hangs still is. Without a hook
 * (the CLI, the tests) a tick costs one load and a branch. The hook may be
 * called from the evaluation threads: it must be thread-safe. Pure: the
 * rules room knows nothing of systemd, only of this function pointer. */
#ifndef VIGIE_PROGRESS_H
#define VIGIE_PROGRESS_H

#include <stdbool.h>

/* A hook: feeds the watchdog when due; returns true when the process has
 * been asked to stop (SIGTERM pending), for loops that would otherwise
 * wait forever (progress_tick's callers may ignore it). */
typedef bool progress_fn(void *arg);

/* Installs fn (NULL: none). Not thread-safe: call it before any thread
 * starts. */
void progress_set(progress_fn *fn, void *arg);
/* Calls the hook, if any. Returns what it returns (false without one). */
bool progress_tick(void);

/* The idle hook: the transfer loops of the main thread (delivery, pulls)
 * call progress_idle() while they wait on the network, outside any
 * transaction (and progress_yield() below calls it), so that the daemon
 * can do its quick work meanwhile: it ingests the inbox there (SPEC 8: a
 * file renamed into the inbox is ingested within 2 s, even while a slow
 * server holds the delivery). Not re-entered: a call made while the hook
 * runs returns at once. */
typedef void progress_idle_fn(void *arg);
void progress_set_idle(progress_idle_fn *fn, void *arg);
void progress_idle(void);

/* The wait hook: a loop of the main thread that must wait before trying
 * again (a delivery's record that the database refuses: busy, or a full
 * disk) calls progress_wait(ms). The transfer loop of the delivery installs
 * one that drives its other transfers meanwhile, so that their timeouts
 * run against their server, not against that wait (daemon/notify/
 * send_loop.c); without one, it sleeps. */
typedef void progress_wait_fn(long ms);
void progress_set_wait(progress_wait_fn *fn);
void progress_wait(long ms);

/* A tick, then the idle hook: for the long loops of the main thread that
 * run outside any of the daemon's transactions and wait on no network, the
 * works council report that vigied makes for its scheduled email (a minute
 * at 10,000 teams), so that the inbox is not held for it either. Returns
 * what progress_tick() returns. */
bool progress_yield(void);

#endif
