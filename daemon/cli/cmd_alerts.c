/* The alert commands (SPEC 10): `vigie alerts`, `ack`, `silence`,
 * `silences`, `unsilence`, `history` and `status`. They read and write the
 * same tables as the daemon's cycle, in short transactions (WAL, busy
 * timeout), so they work while vigied runs on the database. An
 * acknowledgement is an event row and a change of the alert row; its note
 * stays in the database and in `vigie history`, and is never sent. */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/alertdb.h"
#include "vigie/cli.h"
#include "vigie/rules.h"
#include "vigie/sources.h"
#include "vigie/text.h"
#include "vigie/unit.h"

#define JSON_OUT (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

/* Long-only options, as bits above any character getopt returns. */
enum {
	O_ALL = 1 << 8, O_BY = 1 << 9, O_NOTE = 1 << 10, O_RULE = 1 << 11,
	O_UNIT = 1 << 12, O_UNTIL = 1 << 13, O_REASON = 1 << 14, O_FORMAT = 1 << 15,
};

struct opts {
	const char *config, *by, *note, *rule, *unit, *until, *reason;
	bool all;
	int format;
	const char *pos[2];	/* positional arguments */
	int npos;
};

static const char *const usages[][2] = {
	{ "alerts", "[--all] [--format text|json]\n"
	    "Lists active alerts (with --all, inactive ones too) with their\n"
	    "acknowledgement and whether a silence holds their notifications." },
	{ "ack", "ALERT --by NAME [--note TEXT]\n"
	    "Acknowledges the active alert ALERT (RULE@UNIT): no more reminders\n"
	    "for this episode. The note stays in the history; it is never sent." },
	{ "silence", "--rule ID --unit GLOB --until PERIOD --reason TEXT [--by NAME]\n"
	    "Holds the notifications of rule ID (or * for every rule) for units\n"
	    "matching GLOB up to and including PERIOD. Alerts still change state\n"
	    "and are recorded. Prints the new silence's id." },
	{ "silences", "[--all] [--format text|json]\n"
	    "Lists the silences in force (with --all, expired and removed ones too)." },
	{ "unsilence", "SID\nRemoves the silence SID." },
	{ "history", "ALERT [--format text|json]\n"
	    "Every transition, acknowledgement and notification (with its\n"
	    "outcome) of the alert ALERT (RULE@UNIT), in time order." },
	{ "status", "[--format text|json]\n"
	    "The last cycle, data coverage (latest period, units, stale units,\n"
	    "last import), the outbox and the pull sources." },
};

static void usage(FILE *out, const char *cmd)
{
	for (size_t i = 0; i < sizeof(usages) / sizeof(usages[0]); i++)
		if (!strcmp(usages[i][0], cmd))
			fprintf(out, "usage: vigie %s [-c CONFIG] %s\n", cmd, usages[i][1]);
}

/* Returns -1 to go on, else the exit code. */
static int parse_opts(int argc, char **argv, unsigned allowed, int maxpos,
    struct opts *o)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "all", no_argument, NULL, O_ALL },
		{ "by", required_argument, NULL, O_BY },
		{ "note", required_argument, NULL, O_NOTE },
		{ "rule", required_argument, NULL, O_RULE },
		{ "unit", required_argument, NULL, O_UNIT },
		{ "until", required_argument, NULL, O_UNTIL },
		{ "reason", required_argument, NULL, O_REASON },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = argv[0];
	int c;

	memset(o, 0, sizeof(*o));
	o->format = FMT_TEXT;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:h", longopts, NULL)) != -1) {
		if (c >= O_ALL && !(allowed & (unsigned)c))
			return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
		switch (c) {
		case 'c': o->config = optarg; break;
		case O_ALL: o->all = true; break;
		case O_BY: o->by = optarg; break;
		case O_NOTE: o->note = optarg; break;
		case O_RULE: o->rule = optarg; break;
		case O_UNIT: o->unit = optarg; break;
		case O_UNTIL: o->until = optarg; break;
		case O_REASON: o->reason = optarg; break;
		case O_FORMAT:
			o->format = parse_format(optarg);
			if (o->format < 0)
				return cli_usage_error(cmd, "unknown format '%s': "
				    "use text or json", optarg);
			break;
		case 'h':
			usage(stdout, cmd);
			return 0;
		case ':':
			return cli_usage_error(cmd, "option '%s' needs a value",
			    argv[optind - 1]);
		default:
			return cli_usage_error(cmd, "unknown option '%s'",
			    argv[optind - 1]);
		}
	}
	for (; optind < argc; optind++) {
		if (o->npos >= maxpos)
			return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
		o->pos[o->npos++] = argv[optind];
	}
	return -1;
}

/* Loads the configuration and opens the store; returns 0 or the exit code. */
static int open_all(const struct opts *o, struct config **cfg, struct store **st)
{
	int ex = 0;

	*st = NULL;
	*cfg = cli_load_config(o->config, &ex);
	if (!*cfg)
		return ex;
	ex = cli_open_store(*cfg, st);
	if (ex) {
		config_free(*cfg);
		*cfg = NULL;
	}
	return ex;
}

static void close_all(struct config *cfg, struct store *st)
{
	if (st)
		store_close(st);
	if (cfg)
		config_free(cfg);
}

static int db_error(const char *cmd, struct store *st)
{
	fprintf(stderr, "vigie %s: database error: %s\n", cmd, store_errmsg(st));
	return EX_IOERR;
}

static const char *col_text(sqlite3_stmt *q, int i)
{
	return (const char *)sqlite3_column_text(q, i);
}

static json_t *json_text_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *json_real_col(sqlite3_stmt *q, int i)
{
	return sqlite3_column_type(q, i) == SQLITE_NULL ? json_null() :
	    json_real(sqlite3_column_double(q, i));
}

static json_t *json_period_col(sqlite3_stmt *q, int i, enum granularity g)
{
	char pb[PERIOD_BUFSZ];

	return sqlite3_column_type(q, i) == SQLITE_NULL ? json_null() :
	    json_string(period_format(g, sqlite3_column_int(q, i), pb));
}

static json_t *json_time_col(sqlite3_stmt *q, int i)
{
	char tb[32];

	return sqlite3_column_type(q, i) == SQLITE_NULL ? json_null() :
	    json_string(text_iso8601(sqlite3_column_int64(q, i), tb));
}

/* Text cells: a number with the rule's decimals, "-" for NULL. */
static char *cell_real(sqlite3_stmt *q, int i, int decimals)
{
	char buf[64];

	if (sqlite3_column_type(q, i) == SQLITE_NULL)
		return strdup("-");
	return strdup(format_number(buf, sizeof(buf), sqlite3_column_double(q, i),
	    decimals, LOC_EN));
}

static char *cell_period(sqlite3_stmt *q, int i, enum granularity g)
{
	char pb[PERIOD_BUFSZ];

	if (sqlite3_column_type(q, i) == SQLITE_NULL)
		return strdup("-");
	return strdup(period_format(g, sqlite3_column_int(q, i), pb));
}

static char *cell_time(sqlite3_stmt *q, int i)
{
	char tb[32];

	if (sqlite3_column_type(q, i) == SQLITE_NULL)
		return strdup("-");
	return strdup(text_iso8601(sqlite3_column_int64(q, i), tb));
}

static char *cell_text(const char *s)
{
	return strdup(s && *s ? s : "-");
}

/* A growing table of owned cells, printed with print_table. */
struct table {
	char **cells;
	size_t n, ncols;
};

static void table_add(struct table *t, char *cell)
{
	char **nc = realloc(t->cells, (t->n + 1) * sizeof(*nc));

	if (!nc) {
		free(cell);
		return;
	}
	t->cells = nc;
	t->cells[t->n++] = cell;
}

/* Prints the table (unless out is NULL), then frees it. */
static void table_print_free(struct table *t, FILE *out)
{
	if (out && t->ncols && t->n >= t->ncols)
		print_table(out, (const char *const *)t->cells, t->n / t->ncols, t->ncols);
	for (size_t i = 0; i < t->n; i++)
		free(t->cells[i]);
	free(t->cells);
}

static void print_json(json_t *j)
{
	char *s = json_dumps(j, JSON_OUT | JSON_ENCODE_ANY);

	if (s)
		printf("%s\n", s);
	free(s);
	json_decref(j);
}

/* Finds an alert row by "RULE@UNIT"; 0 found, 1 absent, -1 error. */
static int find_alert(struct store *st, const char *id, int64_t *aid, bool *active)
{
	char *rule = NULL, *unit = NULL;
	sqlite3_stmt *q;
	int rc;

	if (lifecycle_split_id(id, &rule, &unit) != 0)
		return 1;
	if (sqlite3_prepare_v2(store_db(st), "SELECT id, active FROM alert WHERE rule = ?"
	    " AND unit = ?", -1, &q, NULL) != SQLITE_OK) {
		free(rule);
		free(unit);
		return -1;
	}
	sqlite3_bind_text(q, 1, rule, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 2, unit, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*aid = sqlite3_column_int64(q, 0);
		*active = sqlite3_column_int(q, 1) != 0;
	}
	sqlite3_finalize(q);
	free(rule);
	free(unit);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

/* ------------------------------------------------------------ alerts */

int cmd_alerts(int argc, char **argv)
{
	struct opts o;
	struct config *cfg;
	struct store *st;
	struct silence_set sil = { 0 };
	sqlite3_stmt *q = NULL;
	enum granularity g;
	int32_t latest;
	int ex, rc;

	if ((ex = parse_opts(argc, argv, O_ALL | O_FORMAT, 0, &o)) >= 0)
		return ex;
	if ((ex = open_all(&o, &cfg, &st)))
		return ex;
	g = store_granularity(st);
	latest = store_latest_period(st);
	if (alertdb_silences_load(st, &sil) != 0 ||
	    sqlite3_prepare_v2(store_db(st), "SELECT a.rule, a.unit, a.active, a.severity,"
	    " a.value, a.threshold, a.since, a.period, a.acked_by, a.acked_at,"
	    " (SELECT e.decimals FROM event e WHERE e.alert = a.id AND e.decimals"
	    " IS NOT NULL ORDER BY e.id DESC LIMIT 1)"
	    " FROM alert a WHERE a.active OR ? ORDER BY a.rule, a.unit", -1, &q,
	    NULL) != SQLITE_OK) {
		ex = db_error(argv[0], st);
		goto out;
	}
	sqlite3_bind_int(q, 1, o.all);
	json_t *arr = o.format == FMT_JSON ? json_array() : NULL;
	struct table t = { .ncols = o.all ? 10 : 9 };
	const char *hdr[] = { "ALERT", "SEVERITY", "VALUE", "THRESHOLD", "SINCE",
	    "PERIOD", "ACKED-BY", "ACKED-AT", "SILENCED", "STATE" };
	if (!arr)
		for (size_t i = 0; i < t.ncols; i++)
			table_add(&t, strdup(hdr[i]));
	size_t rows = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *rule = col_text(q, 0), *unit = col_text(q, 1);
		bool silenced = lifecycle_silenced(sil.v, sil.n, rule, unit, latest);
		char *id = NULL;
		if (asprintf(&id, "%s@%s", rule, unit) < 0)
			break;
		rows++;
		if (arr) {
			json_t *a = json_object();
			json_object_set_new(a, "id", json_string(id));
			json_object_set_new(a, "rule", json_string(rule));
			json_object_set_new(a, "unit", json_string(unit));
			json_object_set_new(a, "severity", json_text_or_null(col_text(q, 3)));
			json_object_set_new(a, "value", json_real_col(q, 4));
			json_object_set_new(a, "threshold", json_real_col(q, 5));
			json_object_set_new(a, "since", json_period_col(q, 6, g));
			json_object_set_new(a, "period", json_period_col(q, 7, g));
			json_object_set_new(a, "acked_by", json_text_or_null(col_text(q, 8)));
			json_object_set_new(a, "acked_at", json_time_col(q, 9));
			json_object_set_new(a, "silenced", json_boolean(silenced));
			json_array_append_new(arr, a);
			free(id);
			continue;
		}
		int dec = sqlite3_column_type(q, 10) == SQLITE_NULL ? 1 : sqlite3_column_int(q, 10);
		bool active = sqlite3_column_int(q, 2) != 0;
		table_add(&t, id);
		table_add(&t, cell_text(col_text(q, 3)));
		/* An active alert without a value is below the anonymity
		 * floor: say so rather than show a blank. */
		table_add(&t, active && sqlite3_column_type(q, 4) == SQLITE_NULL ?
		    strdup("hidden") : cell_real(q, 4, dec));
		table_add(&t, cell_real(q, 5, dec));
		table_add(&t, cell_period(q, 6, g));
		table_add(&t, cell_period(q, 7, g));
		table_add(&t, cell_text(col_text(q, 8)));
		table_add(&t, cell_time(q, 9));
		table_add(&t, strdup(silenced ? "yes" : "no"));
		if (o.all)
			table_add(&t, strdup(active ? "active" : "resolved"));
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		json_decref(arr);
		table_print_free(&t, NULL);
		ex = db_error(argv[0], st);
		goto out;
	}
	if (arr)
		print_json(arr);
	else if (rows == 0)
		printf(o.all ? "no alerts\n" : "no active alerts\n");
	table_print_free(&t, rows ? stdout : NULL);
out:
	alertdb_silences_free(&sil);
	close_all(cfg, st);
	return ex;
}

/* --------------------------------------------------------------- ack */

int cmd_ack(int argc, char **argv)
{
	struct opts o;
	struct config *cfg;
	struct store *st;
	sqlite3_stmt *q = NULL;
	int64_t aid = 0;
	bool active = false;
	int ex, r;

	if ((ex = parse_opts(argc, argv, O_BY | O_NOTE, 1, &o)) >= 0)
		return ex;
	if (o.npos != 1)
		return cli_usage_error(argv[0], "which alert? give RULE@UNIT");
	if (!o.by || !*o.by)
		return cli_usage_error(argv[0], "say who acknowledges with --by NAME");
	if ((ex = open_all(&o, &cfg, &st)))
		return ex;
	if (store_begin(st) != 0) {
		ex = db_error(argv[0], st);
		goto out;
	}
	r = find_alert(st, o.pos[0], &aid, &active);
	if (r != 0 || !active) {
		store_rollback(st);
		if (r < 0)
			ex = db_error(argv[0], st);
		else {
			fprintf(stderr, "vigie ack: %s: %s (see vigie alerts%s)\n", o.pos[0],
			    r ? "no such alert" : "not active, nothing to acknowledge",
			    r ? " --all" : "");
			ex = EX_DATAERR;
		}
		goto out;
	}
	time_t now = time(NULL);
	if (sqlite3_prepare_v2(store_db(st), "UPDATE alert SET acked_by = ?, acked_at = ?,"
	    " ack_note = ? WHERE id = ?", -1, &q, NULL) != SQLITE_OK)
		goto dberr;
	sqlite3_bind_text(q, 1, o.by, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 2, now);
	if (o.note)
		sqlite3_bind_text(q, 3, o.note, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 4, aid);
	r = sqlite3_step(q);
	sqlite3_finalize(q);
	if (r != SQLITE_DONE)
		goto dberr;
	if (sqlite3_prepare_v2(store_db(st), "INSERT INTO event(at, alert, kind, rule, unit,"
	    " period, severity, value, threshold, since, author, note)"
	    " SELECT ?, id, 'ack', rule, unit, period, severity, value, threshold, since,"
	    " ?, ? FROM alert WHERE id = ?", -1, &q, NULL) != SQLITE_OK)
		goto dberr;
	sqlite3_bind_int64(q, 1, now);
	sqlite3_bind_text(q, 2, o.by, -1, SQLITE_TRANSIENT);
	if (o.note)
		sqlite3_bind_text(q, 3, o.note, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 4, aid);
	r = sqlite3_step(q);
	sqlite3_finalize(q);
	if (r != SQLITE_DONE || store_commit(st) != 0)
		goto dberr;
	printf("acknowledged %s by %s\n", o.pos[0], o.by);
	goto out;
dberr:
	ex = db_error(argv[0], st);
	store_rollback(st);
out:
	close_all(cfg, st);
	return ex;
}

/* ----------------------------------------------------------- silences */

static bool valid_rule_id(const char *s)
{
	if (!strcmp(s, "*"))
		return true;
	if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '_' || *s == '-'))
			return false;
	return true;
}

int cmd_silence(int argc, char **argv)
{
	struct opts o;
	struct config *cfg;
	struct store *st;
	sqlite3_stmt *q;
	enum granularity g;
	int32_t until;
	size_t errpos;
	const char *msg;
	int ex;

	if ((ex = parse_opts(argc, argv, O_RULE | O_UNIT | O_UNTIL | O_REASON | O_BY,
	    0, &o)) >= 0)
		return ex;
	if (!o.rule || !o.unit || !o.until || !o.reason)
		return cli_usage_error(argv[0], "--rule, --unit, --until and --reason "
		    "are all required");
	if (!valid_rule_id(o.rule))
		return cli_usage_error(argv[0], "'%s' is not a rule id (or * for every "
		    "rule)", o.rule);
	if ((msg = unit_glob_check(o.unit, &errpos)))
		return cli_usage_error(argv[0], "--unit '%s': %s at byte %zu", o.unit,
		    msg, errpos + 1);
	if (period_parse(o.until, strlen(o.until), &g, &until) != 0)
		return cli_usage_error(argv[0], "--until '%s' is not a period (YYYY-MM "
		    "or YYYY-Www)", o.until);
	if (!*o.reason)
		return cli_usage_error(argv[0], "--reason must say why");
	if ((ex = open_all(&o, &cfg, &st)))
		return ex;
	if (g != store_granularity(st)) {
		ex = cli_usage_error(argv[0], "--until '%s' is a %s, but this database "
		    "holds %ss", o.until, granularity_name(g),
		    granularity_name(store_granularity(st)));
		goto out;
	}
	if (sqlite3_prepare_v2(store_db(st), "INSERT INTO silence(rule, unit_glob,"
	    " until_period, reason, author, created_at) VALUES(?, ?, ?, ?, ?, ?)",
	    -1, &q, NULL) != SQLITE_OK) {
		ex = db_error(argv[0], st);
		goto out;
	}
	const char *by = o.by ? o.by : getenv("USER");
	sqlite3_bind_text(q, 1, o.rule, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 2, o.unit, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(q, 3, until);
	sqlite3_bind_text(q, 4, o.reason, -1, SQLITE_TRANSIENT);
	if (by)
		sqlite3_bind_text(q, 5, by, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 6, time(NULL));
	if (sqlite3_step(q) != SQLITE_DONE)
		ex = db_error(argv[0], st);
	else
		printf("%lld\n", (long long)sqlite3_last_insert_rowid(store_db(st)));
	sqlite3_finalize(q);
	if (!ex && store_latest_period(st) > until)
		fprintf(stderr, "vigie silence: note: %s is before the latest period "
		    "in the database; this silence holds nothing\n", o.until);
out:
	close_all(cfg, st);
	return ex;
}

int cmd_silences(int argc, char **argv)
{
	struct opts o;
	struct config *cfg;
	struct store *st;
	sqlite3_stmt *q;
	enum granularity g;
	int32_t latest;
	int ex, rc;

	if ((ex = parse_opts(argc, argv, O_ALL | O_FORMAT, 0, &o)) >= 0)
		return ex;
	if ((ex = open_all(&o, &cfg, &st)))
		return ex;
	g = store_granularity(st);
	latest = store_latest_period(st);
	if (sqlite3_prepare_v2(store_db(st), "SELECT id, rule, unit_glob, until_period,"
	    " reason, author, created_at, removed_at FROM silence"
	    " WHERE ? OR (removed_at IS NULL AND until_period >= ?) ORDER BY id",
	    -1, &q, NULL) != SQLITE_OK) {
		ex = db_error(argv[0], st);
		goto out;
	}
	sqlite3_bind_int(q, 1, o.all);
	sqlite3_bind_int(q, 2, latest);
	json_t *arr = o.format == FMT_JSON ? json_array() : NULL;
	struct table t = { .ncols = 8 };
	const char *hdr[] = { "ID", "RULE", "UNIT", "UNTIL", "STATE", "BY", "CREATED",
	    "REASON" };
	size_t rows = 0;
	if (!arr)
		for (size_t i = 0; i < t.ncols; i++)
			table_add(&t, strdup(hdr[i]));
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *state = sqlite3_column_type(q, 7) != SQLITE_NULL ? "removed" :
		    sqlite3_column_int(q, 3) < latest ? "expired" : "active";
		char idb[32];
		rows++;
		snprintf(idb, sizeof(idb), "%lld", (long long)sqlite3_column_int64(q, 0));
		if (arr) {
			json_t *s = json_object();
			json_object_set_new(s, "id", json_integer(sqlite3_column_int64(q, 0)));
			json_object_set_new(s, "rule", json_string(col_text(q, 1)));
			json_object_set_new(s, "unit", json_string(col_text(q, 2)));
			json_object_set_new(s, "until", json_period_col(q, 3, g));
			json_object_set_new(s, "reason", json_string(col_text(q, 4)));
			json_object_set_new(s, "by", json_text_or_null(col_text(q, 5)));
			json_object_set_new(s, "created_at", json_time_col(q, 6));
			json_object_set_new(s, "removed_at", json_time_col(q, 7));
			json_object_set_new(s, "state", json_string(state));
			json_array_append_new(arr, s);
			continue;
		}
		table_add(&t, strdup(idb));
		table_add(&t, cell_text(col_text(q, 1)));
		table_add(&t, cell_text(col_text(q, 2)));
		table_add(&t, cell_period(q, 3, g));
		table_add(&t, strdup(state));
		table_add(&t, cell_text(col_text(q, 5)));
		table_add(&t, cell_time(q, 6));
		table_add(&t, cell_text(col_text(q, 4)));
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		json_decref(arr);
		arr = NULL;
		ex = db_error(argv[0], st);
	}
	if (arr)
		print_json(arr);
	else if (!ex && rows == 0)
		printf("no silences\n");
	table_print_free(&t, !ex && rows ? stdout : NULL);
out:
	close_all(cfg, st);
	return ex;
}

int cmd_unsilence(int argc, char **argv)
{
	struct opts o;
	struct config *cfg;
	struct store *st;
	sqlite3_stmt *q;
	char *end;
	long long sid;
	int ex;

	if ((ex = parse_opts(argc, argv, 0, 1, &o)) >= 0)
		return ex;
	if (o.npos != 1)
		return cli_usage_error(argv[0], "which silence? give its id (see vigie silences)");
	sid = strtoll(o.pos[0], &end, 10);
	if (*end || end == o.pos[0] || sid <= 0)
		return cli_usage_error(argv[0], "'%s' is not a silence id", o.pos[0]);
	if ((ex = open_all(&o, &cfg, &st)))
		return ex;
	if (sqlite3_prepare_v2(store_db(st), "UPDATE silence SET removed_at = ?"
	    " WHERE id = ? AND removed_at IS NULL", -1, &q, NULL) != SQLITE_OK) {
		ex = db_error(argv[0], st);
		goto out;
	}
	sqlite3_bind_int64(q, 1, time(NULL));
	sqlite3_bind_int64(q, 2, sid);
	if (sqlite3_step(q) != SQLITE_DONE)
		ex = db_error(argv[0], st);
	else if (sqlite3_changes(store_db(st)) == 0) {
		fprintf(stderr, "vigie unsilence: no silence %lld in force (see vigie "
		    "silences --all)\n", sid);
		ex = EX_DATAERR;
	} else
		printf("removed silence %lld\n", sid);
	sqlite3_finalize(q);
out:
	close_all(cfg, st);
	return ex;
}

/* ------------------------------------------------------------ history */

struct hist_line {
	int64_t at, seq;
	json_t *json;
	char *cells[6];
};

static int cmp_hist(const void *a, const void *b)
{
	const struct hist_line *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int history_notifications(sqlite3 *db, int64_t ev, const char *evkind,
    struct hist_line **lines, size_t *n)
{
	sqlite3_stmt *q;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT m.channel, m.target, m.role, m.status,"
	    " m.attempts, m.last_error, COALESCE(m.sent_at,"
	    " (SELECT max(a.at) FROM attempt a WHERE a.message = m.id), m.created_at)"
	    " FROM message_item i JOIN message m ON m.id = i.message"
	    " WHERE i.event = ? ORDER BY m.id", -1, &q, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(q, 1, ev);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct hist_line *nl = realloc(*lines, (*n + 1) * sizeof(*nl));
		char tb[32], *detail = NULL;
		const char *status = col_text(q, 3), *err = col_text(q, 5);
		int attempts = sqlite3_column_int(q, 4);
		if (!nl)
			break;
		*lines = nl;
		struct hist_line *l = &(*lines)[(*n)++];
		memset(l, 0, sizeof(*l));
		l->at = sqlite3_column_int64(q, 6);
		l->seq = ev * 2 + 1;
		bool failed_err = err && strcmp(status, "sent");
		if (asprintf(&detail, "%s %s (%s, %s): %s%s%.0d%s%s%s", col_text(q, 0),
		    col_text(q, 1), col_text(q, 2), evkind, status,
		    attempts ? " after " : "", attempts,
		    attempts ? (attempts > 1 ? " attempts" : " attempt") : "",
		    failed_err ? ", last error: " : "", failed_err ? err : "") < 0)
			detail = NULL;
		l->cells[0] = strdup(text_iso8601(l->at, tb));
		l->cells[1] = strdup("notification");
		l->cells[2] = strdup("-");
		l->cells[3] = strdup("-");
		l->cells[4] = strdup("-");
		l->cells[5] = detail ? detail : strdup("?");
		json_t *j = json_object();
		json_object_set_new(j, "at", json_string(tb));
		json_object_set_new(j, "kind", json_string("notification"));
		json_object_set_new(j, "event", json_string(evkind));
		json_object_set_new(j, "channel", json_string(col_text(q, 0)));
		json_object_set_new(j, "target", json_string(col_text(q, 1)));
		json_object_set_new(j, "role", json_string(col_text(q, 2)));
		json_object_set_new(j, "status", json_string(status));
		json_object_set_new(j, "attempts", json_integer(attempts));
		json_object_set_new(j, "error", json_text_or_null(err));
		l->json = j;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

int cmd_history(int argc, char **argv)
{
	struct opts o;
	struct config *cfg;
	struct store *st;
	sqlite3_stmt *q = NULL;
	struct hist_line *lines = NULL;
	size_t n = 0;
	int64_t aid = 0;
	bool active;
	enum granularity g;
	int ex, rc;

	if ((ex = parse_opts(argc, argv, O_FORMAT, 1, &o)) >= 0)
		return ex;
	if (o.npos != 1)
		return cli_usage_error(argv[0], "which alert? give RULE@UNIT");
	if ((ex = open_all(&o, &cfg, &st)))
		return ex;
	g = store_granularity(st);
	rc = find_alert(st, o.pos[0], &aid, &active);
	if (rc != 0) {
		if (rc < 0)
			ex = db_error(argv[0], st);
		else {
			fprintf(stderr, "vigie history: %s: no such alert (see vigie alerts "
			    "--all)\n", o.pos[0]);
			ex = EX_DATAERR;
		}
		goto out;
	}
	if (sqlite3_prepare_v2(store_db(st), "SELECT id, at, kind, period, severity,"
	    " prev_severity, value, threshold, author, note, silenced, decimals"
	    " FROM event WHERE alert = ? ORDER BY at, id", -1, &q, NULL) != SQLITE_OK) {
		ex = db_error(argv[0], st);
		goto out;
	}
	sqlite3_bind_int64(q, 1, aid);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t ev = sqlite3_column_int64(q, 0);
		const char *kind = col_text(q, 2), *sev = col_text(q, 4);
		const char *prev = col_text(q, 5), *author = col_text(q, 8);
		const char *note = col_text(q, 9);
		bool silenced = sqlite3_column_int(q, 10) != 0;
		int dec = sqlite3_column_type(q, 11) == SQLITE_NULL ? 1 : sqlite3_column_int(q, 11);
		char tb[32], *detail = NULL, *thr;
		struct hist_line *nl = realloc(lines, (n + 1) * sizeof(*nl));
		if (!nl)
			break;
		lines = nl;
		struct hist_line *l = &lines[n++];
		memset(l, 0, sizeof(*l));
		l->at = sqlite3_column_int64(q, 1);
		l->seq = ev * 2;
		thr = cell_real(q, 7, dec);
		int w;
		if (!strcmp(kind, "ack"))
			w = asprintf(&detail, "by %s%s%s", author ? author : "?",
			    note ? ": " : "", note ? note : "");
		else
			w = asprintf(&detail, "%s%s%sthreshold %s%s", prev ? "from " : "",
			    prev ? prev : "", prev ? ", " : "", thr,
			    silenced ? ", silenced: not notified" : "");
		if (w < 0)
			detail = NULL;
		free(thr);
		l->cells[0] = strdup(text_iso8601(l->at, tb));
		l->cells[1] = strdup(kind);
		l->cells[2] = cell_period(q, 3, g);
		l->cells[3] = cell_text(sev);
		l->cells[4] = strcmp(kind, "ack") && sqlite3_column_type(q, 6) == SQLITE_NULL ?
		    strdup("hidden") : cell_real(q, 6, dec);
		l->cells[5] = detail ? detail : strdup("-");
		if (o.format == FMT_JSON) {
			json_t *j = json_object();
			json_object_set_new(j, "at", json_string(tb));
			json_object_set_new(j, "kind", json_string(kind));
			json_object_set_new(j, "period", json_period_col(q, 3, g));
			json_object_set_new(j, "severity", json_text_or_null(sev));
			json_object_set_new(j, "prev_severity", json_text_or_null(prev));
			json_object_set_new(j, "value", json_real_col(q, 6));
			json_object_set_new(j, "threshold", json_real_col(q, 7));
			json_object_set_new(j, "silenced", json_boolean(silenced));
			if (!strcmp(kind, "ack")) {
				json_object_set_new(j, "by", json_text_or_null(author));
				json_object_set_new(j, "note", json_text_or_null(note));
			}
			l->json = j;
		}
		if (history_notifications(store_db(st), ev, kind, &lines, &n) != 0) {
			rc = SQLITE_ERROR;
			break;
		}
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		ex = db_error(argv[0], st);
		goto out;
	}
	if (n > 1)
		qsort(lines, n, sizeof(*lines), cmp_hist);
	if (o.format == FMT_JSON) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++) {
			json_array_append(arr, lines[i].json);
		}
		print_json(arr);
	} else {
		struct table t = { .ncols = 6 };
		const char *hdr[] = { "TIME", "EVENT", "PERIOD", "SEVERITY", "VALUE", "DETAIL" };
		for (size_t i = 0; i < 6; i++)
			table_add(&t, strdup(hdr[i]));
		for (size_t i = 0; i < n; i++)
			for (size_t k = 0; k < 6; k++) {
				table_add(&t, lines[i].cells[k]);
				lines[i].cells[k] = NULL;
			}
		table_print_free(&t, stdout);
	}
out:
	for (size_t i = 0; i < n; i++) {
		json_decref(lines[i].json);
		for (size_t k = 0; k < 6; k++)
			free(lines[i].cells[k]);
	}
	free(lines);
	close_all(cfg, st);
	return ex;
}

/* ------------------------------------------------------------- status */

int cmd_status(int argc, char **argv)
{
	struct opts o;
	struct config *cfg;
	struct store *st;
	sqlite3 *db;
	sqlite3_stmt *q;
	struct alertdb_counts cnt;
	struct source_status *src = NULL;
	size_t nsrc = 0;
	enum granularity g;
	int32_t latest;
	int64_t last_import;
	char pb[PERIOD_BUFSZ], tb[32];
	int ex;

	if ((ex = parse_opts(argc, argv, O_FORMAT, 0, &o)) >= 0)
		return ex;
	if ((ex = open_all(&o, &cfg, &st)))
		return ex;
	db = store_db(st);
	g = store_granularity(st);
	latest = store_latest_period(st);
	last_import = store_last_import_time(st);
	if (alertdb_counts(st, &cnt) != 0 ||
	    (cfg->nsources && sources_status(st, cfg, &src, &nsrc) != 0)) {
		ex = db_error(argv[0], st);
		goto out;
	}

	json_t *j = json_object(), *jc = json_null(), *stale = json_array();
	/* Last cycle that recorded anything. */
	if (sqlite3_prepare_v2(db, "SELECT started_at, duration_ms, period, transitions,"
	    " evaluated FROM cycle ORDER BY id DESC LIMIT 1", -1, &q, NULL) == SQLITE_OK) {
		if (sqlite3_step(q) == SQLITE_ROW) {
			jc = json_object();
			json_object_set_new(jc, "at", json_time_col(q, 0));
			json_object_set_new(jc, "duration_ms", sqlite3_column_type(q, 1) ==
			    SQLITE_NULL ? json_null() : json_integer(sqlite3_column_int64(q, 1)));
			json_object_set_new(jc, "period", json_period_col(q, 2, g));
			json_object_set_new(jc, "transitions", json_integer(sqlite3_column_int(q, 3)));
		}
		sqlite3_finalize(q);
	}
	json_object_set_new(j, "last_cycle", jc);

	json_int_t units = 0;
	if (sqlite3_prepare_v2(db, "SELECT count(DISTINCT unit) FROM series", -1, &q,
	    NULL) == SQLITE_OK) {
		if (sqlite3_step(q) == SQLITE_ROW)
			units = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
	}
	/* A unit's latest period: the end of its longest series (trimmed). */
	if (sqlite3_prepare_v2(db, "SELECT u.path, max(s.p0 + length(s.vals) / 8 - 1)"
	    " AS last FROM series s JOIN unit u ON u.id = s.unit GROUP BY s.unit"
	    " HAVING last < ? ORDER BY u.path",
	    -1, &q, NULL) == SQLITE_OK) {
		sqlite3_bind_int(q, 1, latest);
		while (sqlite3_step(q) == SQLITE_ROW) {
			json_t *s = json_object();
			json_object_set_new(s, "unit", json_string(col_text(q, 0)));
			json_object_set_new(s, "latest_period", json_period_col(q, 1, g));
			json_array_append_new(stale, s);
		}
		sqlite3_finalize(q);
	}
	json_t *jd = json_object();
	json_object_set_new(jd, "latest_period", latest >= 0 ?
	    json_string(period_format(g, latest, pb)) : json_null());
	json_object_set_new(jd, "units", json_integer(units));
	json_object_set_new(jd, "stale_units", stale);
	json_object_set_new(jd, "last_import", last_import ?
	    json_string(text_iso8601(last_import, tb)) : json_null());
	json_object_set_new(j, "data", jd);
	json_t *ja = json_object();
	json_object_set_new(ja, "active", json_integer((json_int_t)cnt.active));
	json_object_set_new(ja, "warning", json_integer((json_int_t)cnt.warning));
	json_object_set_new(ja, "critical", json_integer((json_int_t)cnt.critical));
	json_object_set_new(j, "alerts", ja);
	json_t *jo = json_object();
	json_object_set_new(jo, "pending", json_integer((json_int_t)cnt.pending));
	json_object_set_new(jo, "failed", json_integer((json_int_t)cnt.failed));
	json_object_set_new(j, "outbox", jo);
	json_t *js = json_array();
	for (size_t i = 0; i < nsrc; i++) {
		json_t *s = json_object();
		json_object_set_new(s, "name", json_string(src[i].name));
		json_object_set_new(s, "type", json_string(src[i].type));
		json_object_set_new(s, "last_run", src[i].last_run ?
		    json_string(text_iso8601(src[i].last_run, tb)) : json_null());
		json_object_set_new(s, "last_success", src[i].last_success ?
		    json_string(text_iso8601(src[i].last_success, tb)) : json_null());
		json_object_set_new(s, "last_error", json_text_or_null(src[i].last_error));
		json_object_set_new(s, "next_run", src[i].next_run ?
		    json_string(text_iso8601(src[i].next_run, tb)) : json_null());
		json_array_append_new(js, s);
	}
	json_object_set_new(j, "sources", js);

	if (o.format == FMT_JSON) {
		print_json(j);
		goto out;
	}
	/* Text: one labelled line per topic. */
	json_t *lc = json_object_get(j, "last_cycle");
	if (json_is_object(lc)) {
		json_t *dur = json_object_get(lc, "duration_ms");
		json_t *per = json_object_get(lc, "period");
		printf("last cycle:   %s", json_string_value(json_object_get(lc, "at")));
		if (json_is_integer(dur))
			printf(", %.2f s", (double)json_integer_value(dur) / 1000.0);
		if (json_is_string(per))
			printf(", period %s", json_string_value(per));
		printf(", %lld transitions\n",
		    (long long)json_integer_value(json_object_get(lc, "transitions")));
	} else {
		printf("last cycle:   none recorded\n");
	}
	printf("data:         latest period %s, %lld units, %zu stale, last import %s\n",
	    latest >= 0 ? period_format(g, latest, pb) : "none", (long long)units,
	    json_array_size(stale),
	    last_import ? text_iso8601(last_import, tb) : "never");
	for (size_t i = 0; i < json_array_size(stale); i++) {
		json_t *s = json_array_get(stale, i);
		printf("stale unit:   %s (latest %s)\n",
		    json_string_value(json_object_get(s, "unit")),
		    json_string_value(json_object_get(s, "latest_period")));
	}
	printf("alerts:       %zu active (%zu critical, %zu warning)\n", cnt.active,
	    cnt.critical, cnt.warning);
	printf("outbox:       %zu pending, %zu failed\n", cnt.pending, cnt.failed);
	json_decref(j);
	if (nsrc) {
		printf("\n");
		sources_status_print(stdout, src, nsrc, 0);
	}
out:
	sources_status_free(src, nsrc);
	close_all(cfg, st);
	return ex;
}
