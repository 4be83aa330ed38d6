/* The loop that runs the transfers of send.c side by side
 * (notify_impl.h: send_run). Each transfer has a curl multi handle of its
 * own, driven in turn, and its end goes to done() (which records it) as
 * soon as the call that drove it returns. curl waits for an SMTP server's
 * answer to the end of a message inside the call that sends that end (up
 * to the server's timeout): with one multi handle for all, a transfer
 * that ended in the same call (an email accepted, a webhook's 200) was
 * seen only once the other server had answered too, and a SIGKILL
 * meanwhile sent it again (SPEC 9: a delivered notification is never sent
 * again). Webhooks are driven first, and again after each email that
 * ended, so that an answer that came while curl waited on an SMTP server
 * is recorded right after that wait; this wait, inside libcurl, is the
 * window that remains. While done() waits for the database to take a
 * record (busy, full: store_outbox_record), the other transfers are driven
 * on (progress_wait), so that their timeouts measure their server, not
 * that wait; their ends are handed over afterwards. */
#include <poll.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <time.h>
#include "notify_impl.h"
#include "vigie/progress.h"
#include "vigie/xalloc.h"

#define MAX_PARALLEL 32

struct slot {
	struct xfer *x;
	CURLM *m;	/* x's alone */
	long long last_ms;	/* when it was last driven (monotonic) */
	long long held_ms;	/* how long, in stretches of a second or more,
				   it waited for the loop (other calls) */
};

struct loop {
	struct slot s[MAX_PARALLEL];
	size_t n;
	void (*done)(struct xfer *, void *);
	void *arg;
};

/* The loop under way, whose transfers a record's wait drives on. */
static struct loop *current;

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Ends a transfer in flight when the process is asked to stop: it goes to
 * done() abandoned, as if it had not started. */
static void abandon(CURLM *m, struct xfer *x, void (*done)(struct xfer *, void *),
    void *arg)
{
	curl_socket_t fd;

	/* Its connection is dropped, not closed politely: curl's SMTP QUIT
	 * would wait for an answer a hung server never gives. */
	if (curl_easy_getinfo(x->t.h, CURLINFO_ACTIVESOCKET, &fd) == CURLE_OK &&
	    fd != CURL_SOCKET_BAD)
		shutdown(fd, SHUT_RDWR);
	curl_multi_remove_handle(m, x->t.h);
	x->res = (struct send_result){ .abandoned = true };
	snprintf(x->res.error, sizeof(x->res.error), "abandoned: vigied was asked to stop");
	done(x, arg);
	send_free(x);
}

/* Takes slot i out of the loop (the last one takes its place), then hands
 * its transfer (out of its multi handle unless abandoned) to done(): a
 * record's wait drives the others only. */
static void slot_end(struct loop *l, size_t i, bool abandoned)
{
	struct slot s = l->s[i];

	l->s[i] = l->s[--l->n];
	if (abandoned) {
		abandon(s.m, s.x, l->done, l->arg);
	} else {
		l->done(s.x, l->arg);
		send_free(s.x);
	}
	curl_multi_cleanup(s.m);
}

/* Drives s once: curl_multi_perform, with the stretches it waited for. */
static void perform(struct slot *s)
{
	long long now = mono_ms();
	int still;

	if (s->last_ms && now - s->last_ms >= 1000)
		s->held_ms += now - s->last_ms;
	curl_multi_perform(s->m, &still);
	s->last_ms = mono_ms();
}

/* A transfer that timed out after it waited for the loop says so: its
 * server may not be at fault (SPEC 9's reason, in the log and vigie
 * status). */
static void say_held(struct xfer *x, CURLcode rc, long long held_ms)
{
	size_t n = strlen(x->res.error);

	if (rc == CURLE_OPERATION_TIMEDOUT && held_ms >= 1000 && n < sizeof(x->res.error))
		snprintf(x->res.error + n, sizeof(x->res.error) - n, " (%lld s of it "
		    "spent by vigied on other transfers, or waiting for the database to "
		    "record one, not by this server)", (held_ms + 500) / 1000);
}

/* Drives slot i once. True when its transfer ended (the slot is gone). */
static bool drive(struct loop *l, size_t i)
{
	struct slot *s = &l->s[i];
	struct xfer *x = s->x;
	CURLMsg *msg;
	int left;

	perform(s);
	while ((msg = curl_multi_info_read(s->m, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		if (x->t.stopped) {	/* aborted by its progress call */
			slot_end(l, i, true);
			return true;
		}
		if (x->is_mail)
			smtp_classify(x, msg->data.result);
		else
			send_classify_http(x, msg->data.result);
		if (!x->res.ok)
			say_held(x, msg->data.result, s->held_ms);
		curl_multi_remove_handle(s->m, x->t.h);
		if (x->res.ok && send_next_part(x)) {
			curl_multi_add_handle(s->m, x->t.h);
			return false;
		}
		slot_end(l, i, false);
		return true;
	}
	return false;
}

/* Drives every webhook (and Alertmanager refresh) once. */
static void drive_webhooks(struct loop *l)
{
	for (size_t i = 0; i < l->n;)
		if (l->s[i].x->is_mail || !drive(l, i))
			i++;
}

/* Drives every transfer once, webhooks first. True when an email ended:
 * curl may have waited on its server meanwhile, and the webhooks are
 * driven again at once (the caller sweeps again without waiting). */
static bool sweep(struct loop *l)
{
	drive_webhooks(l);
	for (size_t i = 0; i < l->n; i++)
		if (l->s[i].x->is_mail && drive(l, i))
			return true;
	return false;
}

/* Waits up to cap ms for any transfer's socket or timer. */
static void wait_any(struct loop *l, long cap)
{
	struct pollfd pf[MAX_PARALLEL * 4];
	nfds_t n = 0;

	for (size_t i = 0; i < l->n; i++) {
		fd_set r, w, e;
		int max = -1;
		long ms = -1;

		FD_ZERO(&r);
		FD_ZERO(&w);
		FD_ZERO(&e);
		if (curl_multi_fdset(l->s[i].m, &r, &w, &e, &max) != CURLM_OK)
			max = -1;
		for (int fd = 0; fd <= max && n < sizeof(pf) / sizeof(*pf); fd++) {
			short ev = (short)((FD_ISSET(fd, &r) ? POLLIN : 0) |
			    (FD_ISSET(fd, &w) ? POLLOUT : 0) | (FD_ISSET(fd, &e) ? POLLPRI : 0));
			if (ev)
				pf[n++] = (struct pollfd){ .fd = fd, .events = ev };
		}
		/* Nothing to watch (a name being resolved): curl's advice. */
		if (max < 0 && cap > 100)
			cap = 100;
		if (curl_multi_timeout(l->s[i].m, &ms) == CURLM_OK && ms >= 0 && ms < cap)
			cap = ms;
	}
	if (cap > 0)
		poll(pf, n, (int)cap);
}

/* The wait hook (progress.h) while a loop runs: its transfers are driven
 * on for ms, what ends among them is handed over by the loop afterwards. */
static void loop_wait(long ms)
{
	long long end = mono_ms() + ms, left;

	while ((left = end - mono_ms()) > 0) {
		for (size_t i = 0; i < current->n; i++)
			perform(&current->s[i]);
		wait_any(current, left < 100 ? left : 100);
	}
}

void send_run(struct xfer *(*next)(void *), void *next_arg,
    progress_fn *tick, void *tick_arg,
    void (*done)(struct xfer *, void *), void *arg)
{
	struct loop l = { .done = done, .arg = arg }, *outer = current;
	bool more = true;

	current = &l;
	progress_set_wait(loop_wait);
	while (more || l.n > 0) {
		/* Asked to stop: what has not started waits for the next run,
		 * what is in flight is abandoned (SPEC 8: finish the current
		 * transaction, exit). The hook also feeds the watchdog. */
		if (tick && tick(tick_arg)) {
			while (l.n > 0)
				slot_end(&l, l.n - 1, true);
			break;
		}
		while (more && l.n < MAX_PARALLEL) {
			struct xfer *x = next(next_arg);
			CURLM *m;
			/* None now: asked again while transfers run (one may free
			 * what waits behind it), done when none does. */
			if (!x) {
				more = l.n > 0;
				break;
			}
			if (!(m = curl_multi_init()))
				xalloc_die();
			curl_multi_add_handle(m, x->t.h);
			l.s[l.n++] = (struct slot){ x, m, mono_ms(), 0 };
		}
		if (sweep(&l))
			continue;
		if (l.n > 0) {
			progress_idle();	/* the daemon's inbox, meanwhile */
			wait_any(&l, 250);
		}
	}
	current = outer;
	progress_set_wait(outer ? loop_wait : NULL);
}
