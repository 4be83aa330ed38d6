/* The follow-up part of an alert's page (followup_box.c). Private to
 * daemon/web/. */
#ifndef VIGIE_WEB_FOLLOWUP_BOX_H
#define VIGIE_WEB_FOLLOWUP_BOX_H

#include <stddef.h>

struct req;
struct console_alert;
struct note;

/* The « Suivi » section: who follows the alert, since when, how it was
 * closed, and the forms the user may use on it. */
void followup_box(struct req *r, const struct console_alert *a);
/* What the redirect after a POST (done=...) says, from the record, not
 * from the URL alone, or NULL; a note's is said under the notes
 * (r->notes_done). */
const char *done_text(struct req *r, const struct console_alert *a,
    const char *done, const struct note *notes, size_t nnotes);
/* An action that wrote nothing (done=already, or done=unclosed through
 * the login): who did it first, or that it was not recorded. */
void done_already(struct req *r, const struct console_alert *a, const char *done);

#endif
