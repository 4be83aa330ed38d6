/* The one libcurl policy of Vigie, for every transfer it makes: webhook
 * POSTs, HTTP pull sources, and the SMTP of email. TLS is always verified
 * (peer and host name), a timeout bounds the whole transfer and the
 * connection, redirects are never followed, only the protocols asked for
 * are allowed, the answer's size is capped, and the watchdog is fed
 * through curl's progress callback while bytes trickle in, so a slow
 * server never gets the daemon killed by systemd (SPEC 8, 9, 13). */
#ifndef VIGIE_TRANSPORT_H
#define VIGIE_TRANSPORT_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>
#include "vigie/progress.h"

#define TRANSPORT_TIMEOUT_MS 30000L	/* when the configuration sets none */
#define TRANSPORT_HEAD 512	/* bytes of an answer kept when max_size is 0 */
/* How long transfers go on once the process is asked to stop: the loops
 * abandon what waits on them at once, but curl waits inside a call for an
 * SMTP server's answer to the end of a message; a server that answers
 * gets this long to, one that hangs no longer than this (counted from the
 * first transfer told, for all) and a progress call (about a second)
 * before the transfer is aborted. */
#define TRANSPORT_STOP_GRACE_MS 2000

struct transport_opts {
	const char *url;
	const char *protocols;	/* "http,https" or "smtp,smtps" */
	long timeout_ms;	/* whole transfer and connection; <= 0: 30 s */
	const char *ca_file;	/* NULL: the system's certificate store */
	long long max_size;	/* answers larger than this fail (too_big);
				   0: only the first TRANSPORT_HEAD bytes are
				   kept, for an error message */
	progress_fn *tick;	/* called while the transfer runs, for the
				   watchdog; true (asked to stop) for
				   TRANSPORT_STOP_GRACE_MS aborts the
				   transfer (stopped); may be NULL */
	void *tick_arg;
};

/* One transfer: the easy handle and what comes back. */
struct transport {
	CURL *h;
	char errbuf[CURL_ERROR_SIZE];
	char *body;		/* the answer, NUL-terminated (never NULL after
				   transport_init) */
	size_t len;
	bool too_big;		/* the answer exceeded max_size: aborted */
	bool stopped;		/* aborted as the process stops: its loop
				   abandons it, as one that has not run */
	long long max;
	progress_fn *tick;
	void *tick_arg;
};

/* Sets up t with the policy and o's URL; the caller adds what its protocol
 * needs (headers, body, recipients) with curl_easy_setopt(t->h, ...).
 * Calls curl_global_init once per process. */
void transport_init(struct transport *t, const struct transport_opts *o);
/* Frees the handle and the answer (t may be zeroed or already cleaned). */
void transport_cleanup(struct transport *t);
/* What went wrong with a transfer that ended with rc, on one line. */
const char *transport_error(const struct transport *t, CURLcode rc);

#endif
