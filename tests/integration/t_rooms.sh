#!/usr/bin/env bash
# The house rules of README.md "Hacking", checked on the tree and the
# binaries: no SQLite outside daemon/store/ and no <sqlite3.h> in a public
# header; vigied links none of the CLI; no include runs back up the rooms
# (a room includes only headers of its own room or of lower ones, and the
# sibling rooms ingest/ and notify/ never include each other; vigied's main,
# daemon/vigied.c, sits with the rooms above the daemon, whose code it wires
# in: the report room renders the scheduled report); every header
# of include/vigie/ belongs to a room; no file of daemon/ over 600 lines but
# the CSV reader.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
cd "$SRC" || fail "no source tree"

# 1. SQL stays in the store.
out=$(grep -rn 'sqlite3_' daemon rules include | grep -v '^daemon/store/')
[ -z "$out" ] || fail "sqlite3_ outside daemon/store/:
$out"
out=$(grep -rln 'sqlite3\.h' include)
[ -z "$out" ] || fail "<sqlite3.h> in a public header: $out"

# 2. The daemon links no CLI code (daemon/cli/ builds libvigie-cli.a).
syms=$(nm -j "$VIGIE_BIN/vigied" 2>/dev/null || nm "$VIGIE_BIN/vigied" | awk '{print $NF}')
out=$(echo "$syms" | grep -E '^(cmd_|cli_|print_table)' | sort -u)
[ -z "$out" ] || fail "vigied links CLI code: $out"

# 3. Rooms, lowest first; a header's room is where its module lives.
rank() {
	case $1 in
	rules) echo 1;; util) echo 2;; store) echo 3;; ingest|notify) echo 4;;
	daemon) echo 5;; cli|web|report|main) echo 6;; *) echo 0;;
	esac
}
header_room() {
	case $1 in
	period|unit|diag|msg|yaml|names|xalloc|series|cells|moves|expr|rules|engine|history|hidden|lifecycle|progress) echo rules;;
	log|fileio|text|secret|transport|config|osuser|password|typo|version) echo util;;
	store|store_*|batch|notice|schema) echo store;;
	csv|inbox|sources|importcheck) echo ingest;;
	route|deliver|mail|mime|wording|webhook|retry) echo notify;;
	cycle|metrics|watch|renamecheck) echo daemon;;
	cli) echo cli;;
	web_*) echo web;;
	report) echo report;;
	*) echo unknown;;
	esac
}
for h in include/vigie/*.h; do
	n=$(basename "$h" .h)
	[ "$(header_room "$n")" != unknown ] ||
		fail "include/vigie/$n.h belongs to no room: add it to tests/integration/t_rooms.sh and README.md (Hacking)"
done
file_room() {
	case $1 in
	rules/*) echo rules;;
	daemon/vigied.c) echo main;;
	daemon/*/*) d=${1#daemon/}; echo "${d%%/*}";;
	daemon/*) echo daemon;;
	include/vigie/*) header_room "$(basename "$1" .h)";;
	esac
}
bad=
for f in rules/*.[ch] daemon/*.[ch] daemon/*/*.[ch] include/vigie/*.h; do
	[ -e "$f" ] || continue
	fr=$(file_room "$f")
	for inc in $(sed -n 's/^#include "vigie\/\([a-z_]*\)\.h".*/\1/p' "$f"); do
		hr=$(header_room "$inc")
		if [ "$(rank "$hr")" -gt "$(rank "$fr")" ] ||
		   { [ "$(rank "$hr")" = 4 ] && [ "$fr" != "$hr" ] && [ "$(rank "$fr")" = 4 ]; }; then
			bad="$bad
$f ($fr) includes vigie/$inc.h ($hr)"
		fi
	done
done
[ -z "$bad" ] || fail "includes that run back up:$bad"

# 4. Files of daemon/ stay small, but for parsers that do one job.
out=$(wc -l daemon/*.[ch] daemon/*/*.[ch] | awk '$2 != "total" && $1 > 600 && $2 != "daemon/ingest/csv.c"')
[ -z "$out" ] || fail "files of daemon/ over 600 lines: $out"
exit 0
