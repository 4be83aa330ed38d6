/* The audit log (daemon/store/audit.c, SPEC 3): every acknowledgement,
 * note, silence, login to the console and export, with time, who and what.
 * Append-only but for retention. */
#ifndef VIGIE_STORE_AUDIT_H
#define VIGIE_STORE_AUDIT_H

#include <stddef.h>
#include <stdint.h>
#include "vigie/store.h"

struct audit_entry {
	int64_t id, at;
	char *actor;	/* the console user, or the operating-system user */
	char *via;	/* "cli", "web" or "daemon" */
	char *action;	/* "ack", "close", "note", "silence", "login", "export"... */
	char *object;	/* an alert id, a unit, a file name; or NULL */
	char *detail;	/* free text without personal data; or NULL */
};
/* Appends an entry at now. 0 or -1. */
int store_audit_add(struct store *st, const char *actor, const char *via,
    const char *action, const char *object, const char *detail, int64_t now);
/* Entries at or after since (0: all), oldest first. 0 and a new array (free
 * with store_audit_free), or -1. */
int store_audit_list(struct store *st, int64_t since, struct audit_entry **v,
    size_t *n);
void store_audit_free(struct audit_entry *v, size_t n);
/* Whether the log holds, at or after since, an entry of actor via via with
 * that action, object and detail (what a page says was done is what the
 * record says was done). 1, 0, or -1. */
int store_audit_has(struct store *st, const char *actor, const char *via,
    const char *action, const char *object, const char *detail, int64_t since);

#endif
