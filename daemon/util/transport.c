/* The transfer policy (include/vigie/transport.h). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/transport.h"
#include "vigie/xalloc.h"

#ifndef VIGIE_VERSION
#define VIGIE_VERSION "0.1.0"
#endif

#if LIBCURL_VERSION_NUM >= 0x075500
#define HAVE_PROTOCOLS_STR 1
#endif

/* When a transfer's tick first said stop (monotonic ms; 0: not yet). */
static _Atomic long long stop_ms;

static void global_cleanup(void)
{
	curl_global_cleanup();
}

static void global_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	atexit(global_cleanup);
}

/* Collects the answer: all of it up to max (more aborts the transfer), or
 * its head only when max is 0. */
static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct transport *t = arg;
	size_t n = size * nmemb, k = n;

	if (t->max > 0 && (long long)(t->len + n) > t->max) {
		t->too_big = true;
		return 0;	/* aborts the transfer */
	}
	if (t->max == 0) {
		size_t room = TRANSPORT_HEAD - 1 - t->len;
		k = n < room ? n : room;
	}
	if (k) {
		t->body = xrealloc(t->body, t->len + k + 1);
		memcpy(t->body + t->len, data, k);
		t->len += k;
		t->body[t->len] = '\0';
	}
	return n;
}

static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	struct transport *t = arg;
	struct timespec ts;
	long long now;

	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	/* Feeds the watchdog; the transfer loops (send_run, the pull of
	 * sources) stop when asked to, but not while curl blocks inside a
	 * call (an SMTP server's answer to the end of DATA): past the grace,
	 * this aborts it. */
	if (!t->tick(t->tick_arg))
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	/* One grace for the process, not one per transfer: those that
	 * block one after the other in a call do not add theirs up. */
	if (!atomic_load(&stop_ms))
		atomic_store(&stop_ms, now);
	if (now - atomic_load(&stop_ms) < TRANSPORT_STOP_GRACE_MS)
		return 0;
	t->stopped = true;
	return 1;
}

void transport_init(struct transport *t, const struct transport_opts *o)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	long timeout = o->timeout_ms > 0 ? o->timeout_ms : TRANSPORT_TIMEOUT_MS;

	pthread_once(&once, global_init);
	memset(t, 0, sizeof(*t));
	if (!(t->h = curl_easy_init()))
		xalloc_die();
	t->body = xcalloc(1, 1);
	t->max = o->max_size;
	t->tick = o->tick;
	t->tick_arg = o->tick_arg;
	curl_easy_setopt(t->h, CURLOPT_URL, o->url);
#ifdef HAVE_PROTOCOLS_STR
	curl_easy_setopt(t->h, CURLOPT_PROTOCOLS_STR, o->protocols);
#endif
	curl_easy_setopt(t->h, CURLOPT_ERRORBUFFER, t->errbuf);
	curl_easy_setopt(t->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(t->h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(t->h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (o->ca_file)
		curl_easy_setopt(t->h, CURLOPT_CAINFO, o->ca_file);
	curl_easy_setopt(t->h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(t->h, CURLOPT_TIMEOUT_MS, timeout);
	curl_easy_setopt(t->h, CURLOPT_CONNECTTIMEOUT_MS, timeout);
	curl_easy_setopt(t->h, CURLOPT_USERAGENT, "vigie/" VIGIE_VERSION);
	curl_easy_setopt(t->h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(t->h, CURLOPT_WRITEDATA, t);
	if (o->max_size > 0)
		curl_easy_setopt(t->h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_size);
	if (o->tick) {
		curl_easy_setopt(t->h, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(t->h, CURLOPT_XFERINFODATA, t);
		curl_easy_setopt(t->h, CURLOPT_NOPROGRESS, 0L);
	}
}

void transport_cleanup(struct transport *t)
{
	if (t->h)
		curl_easy_cleanup(t->h);
	free(t->body);
	t->h = NULL;
	t->body = NULL;
	t->len = 0;
}

const char *transport_error(const struct transport *t, CURLcode rc)
{
	return *t->errbuf ? t->errbuf : curl_easy_strerror(rc);
}
