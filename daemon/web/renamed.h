/* The pages of a unit renamed or moved by `vigie rename` (renamed.c):
 * the links of the emails sent before it lead to its name of today, and
 * its alerts' pages say when it changed. Private to daemon/web/. */
#ifndef VIGIE_WEB_RENAMED_H
#define VIGIE_WEB_RENAMED_H

#include <stdbool.h>

struct req;
struct console_alert;

/* A GET of /alerts/ID that finds no alert the user sees: when no alert
 * has that name and vigie rename moved the one that had it (the name
 * vigie history gives), and the user sees it under its name of today,
 * answers with a redirect there, the query kept, and returns true; else
 * false, and the caller answers 404, as for any alert out of scope. */
bool renamed_alert(struct req *r, const char *id);
/* The same for /units/UNIT, a path that holds no data today: to the path
 * the renames gave it (followed through the later ones), if the user sees
 * that unit and it holds data. */
bool renamed_unit(struct req *r, const char *unit);
/* On alert a's page, over its history: each rename that moved it, « Unité
 * renommée : OLD → NEW, le 7 décembre 2026 », the latest first. */
void put_alert_renames(struct req *r, const struct console_alert *a);

/* ---- server.c ---- */
/* The request's query, "?a=1&b=2" encoded again, or "". Caller frees. */
char *request_query(struct req *r);

#endif
