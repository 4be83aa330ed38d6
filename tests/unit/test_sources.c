/* Pull sources driven directly (no daemon): an HTTP export served by
 * tests/data/sources/server.py on 127.0.0.1, and SQLite sources. */
#include <criterion/criterion.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "vigie/config.h"
#include "vigie/sources.h"
#include "vigie/store.h"
#include "testdb.h"

static char dir[64];
static pid_t server;
static int port;

static char *path_in(const char *name)
{
	char *p;

	cr_assert_geq(asprintf(&p, "%s/%s", dir, name), 0);
	return p;
}

static void put(const char *name, const char *text, mode_t mode)
{
	char *p = path_in(name);
	FILE *f = fopen(p, "w");

	cr_assert_not_null(f, "%s", p);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(chmod(p, mode), 0);
	free(p);
}

static void setup(void)
{
	char *portfile;

	snprintf(dir, sizeof(dir), "/tmp/vigie-sources-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	put("docs", "", 0600);	/* placeholder replaced by a folder below */
	{
		char *p = path_in("docs");
		cr_assert_eq(unlink(p), 0);
		cr_assert_eq(mkdir(p, 0700), 0);
		free(p);
	}
	put("docs/rps.csv", "unit,period,indicator,value\nacme/a,2025-01,headcount,20\n"
	    "acme/a,2025-01,conflicts,1\n", 0644);
	put("token", "tok-123\n", 0600);
	put("sirh.token", "tok-123\n", 0600);
	server = fork();
	cr_assert_geq(server, 0);
	if (server == 0) {
		execl("/usr/bin/python3", "python3", "tests/data/sources/server.py", dir,
		    (char *)NULL);
		_exit(127);
	}
	portfile = path_in("port");
	for (int i = 0; i < 100 && !port; i++) {
		FILE *f = fopen(portfile, "r");
		if (f) {
			if (fscanf(f, "%d", &port) != 1)
				port = 0;
			fclose(f);
		}
		if (!port)
			usleep(100000);
	}
	free(portfile);
	cr_assert_gt(port, 0, "the test server did not start");
}

static void teardown(void)
{
	char cmd[128];

	if (server > 0) {
		kill(server, SIGTERM);
		waitpid(server, NULL, 0);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

/* A configuration in dir with these sources, and a fresh store. */
static struct config *load(const char *sources, struct store **st)
{
	char *text, *p = path_in("vigie.yaml"), *err = NULL;
	struct diags d = { 0 };
	struct config *c;

	cr_assert_geq(asprintf(&text, "database: vigie.db\nsources:\n%s", sources), 0);
	put("vigie.yaml", text, 0600);
	c = config_load(p, &d);
	cr_assert_not_null(c, "%s", diags_to_string(&d, 0));
	cr_assert_eq(store_open(c->database, c->period, st, &err), 0, "%s", err);
	free(text);
	free(p);
	return c;
}

static long long q1(struct store *st, const char *sql)
{
	char *db = path_in("vigie.db");
	long long v = tdb_int(db, sql);

	(void)st;
	free(db);
	return v;
}

static char *qs(struct store *st, const char *sql)
{
	char *db = path_in("vigie.db");
	char *v = tdb_text(db, sql);

	(void)st;
	free(db);
	return v;
}

static int requests(void)
{
	char *p = path_in("requests.log"), line[256];
	FILE *f = fopen(p, "r");
	int n = 0;

	free(p);
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n;
}

static char *http_source(const char *extra)
{
	char *s;

	cr_assert_geq(asprintf(&s, "  - name: sirh\n    type: http\n    url: http://127.0.0.1:%d/rps.csv\n"
	    "    token_file: sirh.token\n    timeout: 5s\n%s", port, extra), 0);
	return s;
}

TestSuite(sources, .init = setup, .fini = teardown, .timeout = 30);

Test(sources, http_imports_once_then_gets_304)
{
	struct store *st;
	char *src = http_source("");
	struct config *c = load(src, &st);
	int n = -1;

	cr_assert_eq(sources_pull(st, c, 1000, NULL, NULL, &n), 0);
	cr_expect_eq(n, 1);
	cr_expect_eq(store_count_values(st), 2);
	cr_assert_eq(sources_pull(st, c, 1001, NULL, NULL, &n), 0);
	cr_expect_eq(n, 0);
	cr_expect_eq(requests(), 2);
	cr_expect_eq(q1(st, "SELECT count(*) FROM import_log"), 1);
	cr_expect_eq(q1(st, "SELECT last_success FROM source_state"), 1001);
	store_close(st);
	config_free(c);
	free(src);
}

Test(sources, every_limits_how_often_a_source_is_fetched)
{
	struct store *st;
	char *src = http_source("    every: 1h\n");
	struct config *c = load(src, &st);
	int n;

	cr_assert_eq(sources_pull(st, c, 1000, NULL, NULL, &n), 0);
	cr_assert_eq(sources_pull(st, c, 1000 + 3599, NULL, NULL, &n), 0);
	cr_expect_eq(requests(), 1);
	cr_assert_eq(sources_pull(st, c, 1000 + 3600, NULL, NULL, &n), 0);
	cr_expect_eq(requests(), 2);
	store_close(st);
	config_free(c);
	free(src);
}

Test(sources, a_failure_is_recorded_and_retried_at_the_next_cycle)
{
	struct store *st;
	char *src = http_source("    every: 1d\n");
	struct config *c = load(src, &st);
	struct source_status *v;
	size_t nv;
	int n;

	put("token", "other\n", 0600);
	cr_assert_eq(sources_pull(st, c, 1000, NULL, NULL, &n), 0);
	cr_expect_eq(n, 0);
	char *e = qs(st, "SELECT last_error FROM source_state");
	char want[256];
	snprintf(want, sizeof(want), "http://127.0.0.1:%d/rps.csv: HTTP status 401 (check the token)", port);
	cr_expect_str_eq(e, want);
	free(e);
	cr_assert_eq(sources_status(st, c, &v, &nv), 0);
	cr_assert_eq(nv, 1);
	cr_expect_str_eq(v[0].name, "sirh");
	cr_expect_str_eq(v[0].type, "http");
	cr_expect_str_eq(v[0].last_error, want);
	cr_expect_eq(v[0].last_error_at, 1000);
	cr_expect_eq(v[0].last_success, 0);
	sources_status_free(v, nv);

	put("token", "tok-123\n", 0600);
	cr_assert_eq(sources_pull(st, c, 1060, NULL, NULL, &n), 0);	/* not a day later */
	cr_expect_eq(n, 1);
	cr_assert_eq(sources_status(st, c, &v, &nv), 0);
	cr_expect_null(v[0].last_error);
	cr_expect_eq(v[0].last_success, 1060);
	cr_expect_eq(v[0].next_run, 1060 + 86400);
	sources_status_free(v, nv);
	store_close(st);
	config_free(c);
	free(src);
}

Test(sources, a_token_file_readable_by_others_is_refused)
{
	struct store *st;
	char *src = http_source("");
	struct config *c = load(src, &st);
	int n;

	put("sirh.token", "tok-123\n", 0644);
	cr_assert_eq(sources_pull(st, c, 1000, NULL, NULL, &n), 0);
	cr_expect_eq(n, 0);
	cr_expect_eq(requests(), 0, "no request without a usable token");
	char *e = qs(st, "SELECT last_error FROM source_state");
	cr_assert_not_null(e);
	cr_expect_null(strstr(e, "tok-123"));
	free(e);
	store_close(st);
	config_free(c);
	free(src);
}

Test(sources, sqlite_results_become_a_long_csv_with_the_same_validation)
{
	struct store *st;
	struct config *c;
	sqlite3 *w;
	char *p = path_in("w.db");
	int n;

	cr_assert_eq(sqlite3_open(p, &w), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(w, "CREATE TABLE t(u, p, i, v);"
	    "INSERT INTO t VALUES('acme/a', '2025-01', 'headcount', 20),"
	    " ('acme/a', '2025-02', 'headcount', 20.5), ('acme/b', '2025-01', 'conflicts', NULL);",
	    NULL, NULL, NULL), SQLITE_OK);
	c = load("  - {name: w, type: sqlite, path: w.db, query: 'SELECT * FROM t WHERE v IS NOT NULL'}\n"
	    "  - {name: nulls, type: sqlite, path: w.db, query: 'SELECT * FROM t'}\n"
	    "  - {name: two, type: sqlite, path: w.db, query: 'SELECT 1; SELECT 2'}\n", &st);
	cr_assert_eq(sources_pull(st, c, 1000, NULL, NULL, &n), 0);
	cr_expect_eq(n, 1);
	cr_expect_eq(store_count_values(st), 2);
	cr_expect_eq(q1(st, "SELECT count(*) FROM import_log WHERE source = 'w'"), 1);
	char *e = qs(st, "SELECT last_error FROM source_state WHERE name = 'nulls'");
	cr_assert_not_null(e);
	cr_expect(!strncmp(e, "nulls:4:", 8), "%s", e);
	free(e);
	e = qs(st, "SELECT last_error FROM source_state WHERE name = 'two'");
	cr_assert_not_null(e);
	cr_expect(strstr(e, "the query must be a single statement") != NULL, "%s", e);
	free(e);
	/* the same result again imports nothing; a change imports */
	cr_assert_eq(sources_pull(st, c, 1001, NULL, NULL, &n), 0);
	cr_expect_eq(n, 0);
	cr_assert_eq(sqlite3_exec(w, "UPDATE t SET v = 21 WHERE p = '2025-02'", NULL, NULL, NULL), SQLITE_OK);
	cr_assert_eq(sources_pull(st, c, 1002, NULL, NULL, &n), 0);
	cr_expect_eq(n, 1);
	sqlite3_close(w);
	store_close(st);
	config_free(c);
	free(p);
}

/* The rows of `vigie status` and their JSON, through the one encoding the
 * command prints (its text table is checked in t_sources.sh). */
Test(sources, status_rows_and_their_json_as_vigie_status_prints_them)
{
	struct store *st;
	struct config *c = load("  - {name: gone, type: sqlite, path: missing.db, query: 'SELECT 1'}\n"
	    "  - {name: idle, type: sqlite, path: missing.db, query: 'SELECT 1', every: 1d}\n", &st);
	struct source_status *v = NULL;
	char *db = path_in("vigie.db"), want[2048];
	size_t nv;
	int n;

	/* only "gone" has run: run both, then forget idle's state */
	cr_assert_eq(sources_pull(st, c, 86400, NULL, NULL, &n), 0);
	tdb_exec(db, "DELETE FROM source_state WHERE name = 'idle'");
	cr_assert_eq(sources_status(st, c, &v, &nv), 0);
	cr_assert_eq(nv, 2);
	cr_expect_str_eq(v[0].type, "sqlite");
	cr_expect_eq(v[0].last_run, 86400);
	cr_expect_eq(v[0].last_success, 0);
	cr_expect_eq(v[0].next_run, 86400, "a failed source is due at the next cycle");
	cr_expect_eq(v[1].last_run, 0);
	cr_expect_null(v[1].last_error);
	json_t *j = sources_status_json(v, nv);
	char *buf = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	snprintf(want, sizeof(want),
	    "[\n"
	    "  {\n"
	    "    \"name\": \"gone\",\n"
	    "    \"type\": \"sqlite\",\n"
	    "    \"last_run\": \"1970-01-02T00:00:00Z\",\n"
	    "    \"last_success\": null,\n"
	    "    \"last_error\": \"%s/missing.db: cannot open: unable to open database file (No such file or directory)\",\n"
	    "    \"last_error_at\": \"1970-01-02T00:00:00Z\",\n"
	    "    \"next_run\": \"1970-01-02T00:00:00Z\"\n"
	    "  },\n"
	    "  {\n"
	    "    \"name\": \"idle\",\n"
	    "    \"type\": \"sqlite\",\n"
	    "    \"last_run\": null,\n"
	    "    \"last_success\": null,\n"
	    "    \"last_error\": null,\n"
	    "    \"last_error_at\": null,\n"
	    "    \"next_run\": null\n"
	    "  }\n"
	    "]", realpath(dir, (char[PATH_MAX]){0}));
	cr_expect_str_eq(buf, want);
	free(buf);
	json_decref(j);
	free(db);
	sources_status_free(v, nv);
	store_close(st);
	config_free(c);
}
