/* The import reader's messages in the reader's language: English for the
 * commands, the inbox and the logs (SPEC 4 quotes them), French for the
 * console's import page under `locale: fr` (struct diags' fr).
 *
 * As gettext does, a message is keyed by its English text. Each one the
 * reader may show is registered where it is written (MSG_KEY puts a
 * pointer to it in the section "vigie_msgs" of the binary), so that the
 * unit tests find every message of every linked object and check that it
 * has its French, with the same conversions, and that the table keeps no
 * French of a message that is gone (tests/unit/test_msg.c). A format stays
 * a literal in the call, where -Wformat checks it (msg_tr is a format_arg
 * function, as gettext is). */
#ifndef VIGIE_MSG_H
#define VIGIE_MSG_H

#include <stdbool.h>
#include <stddef.h>

#define MSG_KEY(s) ({ static const char *const msg_key_ \
	__attribute__((section("vigie_msgs"), used)) = (s); (void)msg_key_; })

/* en, registered, in French when fr: a phrase given to a %s. */
#define MSG(fr, en) (MSG_KEY(en), msg_tr((fr), (en)))
/* en, registered, unchanged: a phrase translated later by msg_tr
 * (gettext's N_), as unit_path_check's reasons. */
#define MSG_N(en) (MSG_KEY(en), (en))
/* diags_add of a message in d's language (and d->also's, diag.h). */
#define diags_add_tr(d, file, line, col, fmt, ...) (MSG_KEY(fmt), \
	diags_add_msg((d), (file), (line), (col), fmt, ##__VA_ARGS__))

/* snprintf of a message in French when fr. */
#define msg_snprintf(fr, buf, size, fmt, ...) (MSG_KEY(fmt), \
	snprintf((buf), (size), msg_tr((fr), fmt), ##__VA_ARGS__))

/* The French of en when fr and the table has it, else en. */
const char *msg_tr(bool fr, const char *en) __attribute__((format_arg(2)));

/* The table, for the tests: the French of en, or NULL; its i-th entry. */
const char *msg_fr(const char *en);
size_t msg_count(void);
void msg_at(size_t i, const char **en, const char **fr);

#endif
