/* The database schema (see include/vigie/schema.h). Indicator values are
 * stored as one row per (unit, indicator) holding the packed series of its
 * values, integer keys first: loading every series for evaluation is then
 * one sequential read of a few blobs per unit instead of a step per value. */
#include "vigie/schema.h"

const char *const schema_migrations[] = {
	/* 1: everything */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
	/* units and indicators named by imported data */
	"CREATE TABLE unit(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE);"
	"CREATE TABLE indicator(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
	/* the values of one unit and indicator: vals holds little-endian
	 * IEEE-754 doubles for periods p0, p0+1, ... (period.h indices); a
	 * quiet NaN is a period without a value (imported values are finite).
	 * Trimmed: the first and last entries are values. */
	"CREATE TABLE series(unit INTEGER NOT NULL, indicator INTEGER NOT NULL,"
	" p0 INTEGER NOT NULL, vals BLOB NOT NULL,"
	" PRIMARY KEY(unit, indicator)) WITHOUT ROWID;"
	"CREATE TABLE import_log(id INTEGER PRIMARY KEY, at INTEGER NOT NULL,"
	" source TEXT NOT NULL, sha256 TEXT NOT NULL, rows INTEGER NOT NULL,"
	" vals INTEGER NOT NULL, added INTEGER NOT NULL, replaced INTEGER NOT NULL,"
	" unchanged INTEGER NOT NULL);"
	/* one row per rule and unit that has ever been active */
	"CREATE TABLE alert(id INTEGER PRIMARY KEY, rule TEXT NOT NULL, unit TEXT NOT NULL,"
	" active INTEGER NOT NULL, severity TEXT,"	/* 'warning' | 'critical' */
	" value REAL, threshold REAL,"			/* NULL when hidden */
	" period INTEGER,"				/* last evaluated period */
	" since INTEGER,"				/* first period of the episode */
	" notified_period INTEGER,"			/* last firing/reminder period, for repeat_every */
	" acked_by TEXT, acked_at INTEGER, ack_note TEXT,"
	" updated_at INTEGER NOT NULL, UNIQUE(rule, unit));"
	/* append-only history: transitions, acknowledgements, system events.
	 * kind: firing escalated deescalated resolved reminder ack
	 *       stale fresh rejected (alert NULL for system events) */
	"CREATE TABLE event(id INTEGER PRIMARY KEY, at INTEGER NOT NULL,"
	" alert INTEGER REFERENCES alert(id), kind TEXT NOT NULL,"
	" rule TEXT, unit TEXT, period INTEGER, severity TEXT, prev_severity TEXT,"
	" value REAL, threshold REAL, since INTEGER,"
	" title TEXT, summary TEXT, guidance TEXT,"	/* rendered when recorded */
	" labels TEXT,"				/* JSON object of the rule's labels */
	" history TEXT,"			/* JSON [[\"2026-01\", 4.2 | null], ...]: last 12 periods */
	" decimals INTEGER,"
	" author TEXT, note TEXT, silenced INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX event_alert ON event(alert);"
	"CREATE TABLE silence(id INTEGER PRIMARY KEY, rule TEXT NOT NULL,"
	" unit_glob TEXT NOT NULL, until_period INTEGER NOT NULL, reason TEXT NOT NULL,"
	" author TEXT, created_at INTEGER NOT NULL, removed_at INTEGER);"
	/* the outbox: one message per channel target per cycle, written in the
	 * cycle's transaction; items list the events it carries.
	 * status: pending sent failed */
	"CREATE TABLE message(id INTEGER PRIMARY KEY, created_at INTEGER NOT NULL,"
	" cycle INTEGER NOT NULL, channel TEXT NOT NULL,"	/* 'email' | 'webhook' */
	" target TEXT NOT NULL,"			/* address or webhook name */
	" role TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending',"
	" attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL DEFAULT 0,"
	" last_error TEXT, sent_at INTEGER, uid TEXT NOT NULL UNIQUE);"	/* webhook-id / Message-ID */
	"CREATE INDEX message_pending ON message(status, next_at);"
	"CREATE TABLE message_item(message INTEGER NOT NULL REFERENCES message(id),"
	" event INTEGER NOT NULL REFERENCES event(id), PRIMARY KEY(message, event)) WITHOUT ROWID;"
	"CREATE TABLE attempt(id INTEGER PRIMARY KEY, message INTEGER NOT NULL REFERENCES message(id),"
	" at INTEGER NOT NULL, ok INTEGER NOT NULL, status INTEGER, error TEXT);"
	"CREATE TABLE cycle(id INTEGER PRIMARY KEY, started_at INTEGER NOT NULL,"
	" finished_at INTEGER, period INTEGER, evaluated INTEGER NOT NULL DEFAULT 0,"
	" transitions INTEGER NOT NULL DEFAULT 0, duration_ms INTEGER);"
	"CREATE TABLE source_state(name TEXT PRIMARY KEY, etag TEXT, last_modified TEXT,"
	" hash TEXT, last_run INTEGER, last_success INTEGER, last_error TEXT,"
	" last_error_at INTEGER, next_run INTEGER) WITHOUT ROWID;",

	/* 2: following alerts up (SPEC 14), the audit log (SPEC 3), console
	 * accounts and sessions, and alerts whose rule left the rule set. */
	/* an alert is taken in charge (acked_by, acked_at: vigie ack and the
	 * console write the same record), then closed with an outcome:
	 * 'action_taken' | 'false_alarm' | 'no_action_needed'; a new episode
	 * clears both. retired: its rule left the rule set (SPEC 5.4). */
	"ALTER TABLE alert ADD COLUMN closed_by TEXT;"
	"ALTER TABLE alert ADD COLUMN closed_at INTEGER;"
	"ALTER TABLE alert ADD COLUMN outcome TEXT;"
	"ALTER TABLE alert ADD COLUMN retired INTEGER NOT NULL DEFAULT 0;"
	/* the outcome of a "closed" event */
	"ALTER TABLE event ADD COLUMN outcome TEXT;"
	/* notes on an alert or a unit, shown only to the role that wrote them */
	"CREATE TABLE note(id INTEGER PRIMARY KEY, at INTEGER NOT NULL,"
	" role TEXT NOT NULL, author TEXT NOT NULL,"
	" alert INTEGER REFERENCES alert(id), unit TEXT, body TEXT NOT NULL);"
	"CREATE INDEX note_alert ON note(alert);"
	"CREATE INDEX note_unit ON note(unit);"
	/* web console accounts: scopes is a newline-separated list of globs
	 * ('' for the role's routes); hash is crypt(3)'s or Argon2id's string */
	"CREATE TABLE account(name TEXT PRIMARY KEY, role TEXT NOT NULL,"
	" scopes TEXT NOT NULL DEFAULT '', hash TEXT NOT NULL,"
	" created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL) WITHOUT ROWID;"
	/* sessions by the SHA-256 of their cookie token */
	"CREATE TABLE session(token TEXT PRIMARY KEY, account TEXT NOT NULL,"
	" csrf TEXT NOT NULL, created_at INTEGER NOT NULL,"
	" expires_at INTEGER NOT NULL, addr TEXT) WITHOUT ROWID;"
	"CREATE TABLE login_failure(id INTEGER PRIMARY KEY, at INTEGER NOT NULL,"
	" account TEXT, addr TEXT);"
	/* who did what: via 'cli' (the operating-system user), 'web' (the
	 * console user) or 'daemon' */
	"CREATE TABLE audit(id INTEGER PRIMARY KEY, at INTEGER NOT NULL,"
	" actor TEXT NOT NULL, via TEXT NOT NULL, action TEXT NOT NULL,"
	" object TEXT, detail TEXT);"
	"CREATE INDEX audit_at ON audit(at);",

	/* 3: notifications held for a configuration reason, requeued ones,
	 * messages sent in several parts, and idle cycles (SPEC 9, 10). */
	/* failed_config: a message that failed for a configuration reason
	 * (secret, sender, unknown webhook, authentication) keeps status
	 * 'failed' and the fingerprint of its channel's configuration; it is
	 * requeued when that fingerprint changes. NULL for other failures. */
	"ALTER TABLE message ADD COLUMN failed_config TEXT;"
	/* requeued_at: when `vigie retry` or a configuration change put it
	 * back in the queue; its 48 h of retries start again from there */
	"ALTER TABLE message ADD COLUMN requeued_at INTEGER;"
	/* parts_sent: how many of its parts a receiver already has (Teams,
	 * Slack and Mattermost messages split at their receiver's limit) */
	"ALTER TABLE message ADD COLUMN parts_sent INTEGER NOT NULL DEFAULT 0;"
	/* idle: the one row that cycles which wrote nothing keep updating,
	 * so that the time of the last cycle is always known */
	"ALTER TABLE cycle ADD COLUMN idle INTEGER NOT NULL DEFAULT 0;",

	/* 4: a notification is claimed before it is attempted, so that two
	 * processes never send the same one (SPEC 8): claimed_by is the
	 * claiming process ("host:pid:random"), claimed_until when its claim
	 * lapses if it dies before recording the outcome. Imports are looked
	 * up by their content (inbox files already imported). */
	"ALTER TABLE message ADD COLUMN claimed_by TEXT;"
	"ALTER TABLE message ADD COLUMN claimed_until INTEGER;"
	"CREATE INDEX import_log_sha256 ON import_log(sha256);",

	/* 5: the web console's lookups. A unit page reads the alerts of one
	 * unit; sessions end by account (password change, removal); the
	 * login rate limiter counts the failures of an account and of an
	 * address; a successful login stops its account's failures counting. */
	"CREATE INDEX alert_unit ON alert(unit);"
	"CREATE INDEX session_account ON session(account);"
	"CREATE INDEX login_failure_account ON login_failure(account, at);"
	"CREATE INDEX login_failure_addr ON login_failure(addr, at);"
	"ALTER TABLE account ADD COLUMN last_login INTEGER;",

	/* 6: what a digest shows of an event (SPEC 9, 16), recorded with it so
	 * that a message says what the evaluation saw, never recomputed. */
	/* observed, expected: the rule's (NULL when undefined or hidden);
	 * clear: the level that ends the alert; held: active although its
	 * value is short of every threshold (hysteresis); missing: resolved
	 * because the value stayed undefined past carry_over; hidden: the unit
	 * is below the anonymity floor at the period; below: the rule fires
	 * below its thresholds; measure: what observed measures, in words */
	"ALTER TABLE event ADD COLUMN observed REAL;"
	"ALTER TABLE event ADD COLUMN expected REAL;"
	"ALTER TABLE event ADD COLUMN clear REAL;"
	"ALTER TABLE event ADD COLUMN held INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE event ADD COLUMN missing INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE event ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE event ADD COLUMN below INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE event ADD COLUMN measure TEXT;"
	/* terms: JSON {"components": [["absences", 0.03 | null], ...],
	 * "compare": [["entreprise", 6.1 | null], ...]} */
	"ALTER TABLE event ADD COLUMN terms TEXT;"
	/* points: JSON [["2026-01", value, observed, expected, hidden], ...]
	 * for the last 12 periods (null where undefined; hidden 0 or 1);
	 * events recorded since add a sixth, nodata 0 or 1 (the unit has no
	 * headcount there: no data, engine_point), which older rows lack */
	"ALTER TABLE event ADD COLUMN points TEXT;"
	/* guidance_roles: JSON {"hr": "...", ...}, the rule's text for each
	 * role it names; guidance is the text for the others */
	"ALTER TABLE event ADD COLUMN guidance_roles TEXT;",

	/* 7: a value undefined for want of data (an empty cell, a month not
	 * exported yet) is missing, not hidden: only a value the anonymity
	 * floor hides is (SPEC 3). absent, on an alert (its current value)
	 * and on an event, says so; 0, as on older rows, is "hidden". */
	"ALTER TABLE alert ADD COLUMN absent INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE event ADD COLUMN absent INTEGER NOT NULL DEFAULT 0;",

	/* 8: a silence holds notifications, it does not drop them (SPEC 9).
	 * released_at: when a silenced event was routed after all, its silence
	 * over and its alert still active (daemon/release.c); NULL while held,
	 * and for every event that was never silenced. */
	"ALTER TABLE event ADD COLUMN released_at INTEGER;",

	/* 9: the other roles an event went to, read for every event of a
	 * message (store_outbox_notices), by event: without this index each
	 * read scanned every message item ever written, a cycle of n alerts
	 * costing n times the whole history. */
	"CREATE INDEX message_item_event ON message_item(event);",

	/* 10: the events a silence holds (daemon/release.c looks for them at
	 * every cycle): few or none, found without visiting every active
	 * alert (a second at 175,000 of them). */
	"CREATE INDEX event_held ON event(alert) WHERE silenced = 1 AND released_at IS NULL;",

	/* 11: units exist because values name them (SPEC 2): a wide row whose
	 * cells were all empty stored its unit without a value (and a column
	 * left empty its indicator); imports no longer do, and these go. */
	"DELETE FROM unit WHERE id NOT IN (SELECT unit FROM series);"
	"DELETE FROM indicator WHERE id NOT IN (SELECT indicator FROM series);",

	/* 12: a note its author corrected (SPEC 14): when, shown beside it;
	 * NULL for a note never corrected. Its earlier text is not kept. */
	"ALTER TABLE note ADD COLUMN edited_at INTEGER;",

	/* 13: a deleted note's number is never given again: the audit log
	 * names a note by it ("note-delete", "note 12"), which must not come
	 * to mean another note. AUTOINCREMENT needs the table made again. */
	"CREATE TABLE note_new(id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" at INTEGER NOT NULL, role TEXT NOT NULL, author TEXT NOT NULL,"
	" alert INTEGER REFERENCES alert(id), unit TEXT, body TEXT NOT NULL,"
	" edited_at INTEGER);"
	"INSERT INTO note_new(id, at, role, author, alert, unit, body, edited_at)"
	" SELECT id, at, role, author, alert, unit, body, edited_at FROM note;"
	"DROP TABLE note;"
	"ALTER TABLE note_new RENAME TO note;"
	"CREATE INDEX note_alert ON note(alert);"
	"CREATE INDEX note_unit ON note(unit);",

	/* 14: who imported (struct import_origin): the import page lists
	 * whose file October's is. NULL in the rows written before. */
	"ALTER TABLE import_log ADD COLUMN actor TEXT;"
	"ALTER TABLE import_log ADD COLUMN via TEXT;",

	/* 15: what an import was warned of (importcheck.h, csv.h), in the
	 * console's language, so that HR sees on the import page the warning
	 * of a file dropped in the inbox: warnings counts them all, warning_text
	 * keeps the first STORE_WARNINGS_KEPT as "LINE:COL:MESSAGE" lines
	 * (0:0: without a place). 0 and NULL before. (The rows of `vigie
	 * delete` have the sha256 '-', those of `vigie rename` '=': no file.) */
	"ALTER TABLE import_log ADD COLUMN warnings INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE import_log ADD COLUMN warning_text TEXT;",

	/* 16: the role of the account that took an alert in charge, as it was
	 * then: the follow-up is that role's to close (vigie-web(8)), and
	 * stays so when the account is deleted or given another role since.
	 * NULL for a name that was no account (vigie ack --by). The alerts
	 * taken before get their taker's role of today. */
	"ALTER TABLE alert ADD COLUMN acked_role TEXT;"
	"UPDATE alert SET acked_role = (SELECT role FROM account"
	" WHERE name = alert.acked_by) WHERE acked_by IS NOT NULL;",

	/* 17: the cells that stay hidden because they were when their
	 * period's figures were shown (SPEC 3 against time, store.h
	 * store_keep_hidden): a late file for an evaluated period would
	 * otherwise pick another companion for a small team and show the
	 * one hidden until then. By path, as alerts: a department's cell
	 * is a roll-up, with no row in table unit; a rename moves them.
	 * A row of indicator KEPT_BELOW (series.h) keeps its unit under the
	 * floor at its period instead (a headcount corrected since would
	 * show its figures of then); a daemon's first cycle evaluates,
	 * and records those of the periods shown before. */
	"CREATE TABLE kept_hidden(unit TEXT NOT NULL, indicator TEXT NOT NULL,"
	" period INTEGER NOT NULL, PRIMARY KEY(unit, indicator, period)) WITHOUT ROWID;",

	/* 18: the warnings of an inbox file not told yet (its
	 * NAME.warnings.txt, its notice to ops: told at the end of the inbox
	 * pass), recorded with the import itself: the name the file got in
	 * processed/ ('' until it is moved there), NULL once told. A daemon
	 * killed in between tells them at its next pass (SPEC 13). */
	"ALTER TABLE import_log ADD COLUMN untold TEXT;",

	/* 19: an alert already active sent to an address for the first time
	 * (daemon/catchup.c): its item carries the alert's latest notifying
	 * event with catchup 1, shown as the alert stands, never as that
	 * event's change; and the messages of one address, which say whether
	 * it ever had a digest (the « Depuis le dernier envoi » of one). */
	"ALTER TABLE message_item ADD COLUMN catchup INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX message_target ON message(target, channel);",

	/* 20: the inbox file a "rejected" or "warned" event is about, its
	 * name in the inbox: what tells two of them apart for a webhook's
	 * receiver (an id, an Alertmanager label of its own each). */
	"ALTER TABLE event ADD COLUMN file TEXT;",

	/* 21: the rule whose active alert on the same unit held an event
	 * (inhibited_by, rules/inhibit.c): held for every recipient it had
	 * (silenced 1, released like a silence's once that alert is no
	 * longer active), or, silenced 0, only for those the holding alert
	 * reaches; NULL when none held it. */
	"ALTER TABLE event ADD COLUMN inhibited_by TEXT;",

	/* 22: the events an inhibition held for some of their recipients
	 * (silenced 0), which release.c looks for at every cycle as it does
	 * for a silence's (event_held): once the holding alert ends, they go
	 * to the recipients it held them for (daemon/release.c). */
	"CREATE INDEX event_inhibit_held ON event(alert)"
	" WHERE inhibited_by IS NOT NULL AND released_at IS NULL;",
};

const int schema_version = sizeof(schema_migrations) / sizeof(schema_migrations[0]);
