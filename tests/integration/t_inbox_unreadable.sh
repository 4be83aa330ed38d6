#!/usr/bin/env bash
# A file dropped in the inbox that the daemon's user cannot read (written
# by an SFTP or rsync job as another user, mode 0600): it would stay there,
# tried and logged every cycle, and HR would believe the month imported.
# It is rejected (SPEC 8): moved to rejected/ with NAME.errors.txt saying
# which user could not read it, whose file it is and what to do; the
# daemon goes on (exit 0) and imports the next file.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config ""
mkdir "$T/db"
sed -i "s|^database: .*|database: $T/db/vigie.db|" "$T/vigie.yaml"
printf 'rules:\n  - id: c\n    title: C\n    value: conflicts\n    above: { warning: 2 }\n' \
    >"$T/rules.d/r.yaml"
# Root reads any file: the daemon runs as nobody then, the file is root's.
as_nobody
me=$(id -un)
[ ${#as[@]} -eq 0 ] || me=nobody
owner=$(id -un)
printf 'unit,period,headcount,conflicts\nacme/a,2026-01,20,1\n' >"$T/inbox/.hr.csv"
chmod 0200 "$T/inbox/.hr.csv"
touch -d '-10 seconds' "$T/inbox/.hr.csv"
mv "$T/inbox/.hr.csv" "$T/inbox/hr.csv"
expect_exit 0 "${as[@]}" "$VIGIED" -c "$T/vigie.yaml" --once
[ -e "$T/inbox/hr.csv" ] && fail "the unreadable file stays in the inbox"
[ -e "$T/inbox/rejected/hr.csv" ] || fail "the unreadable file is not in rejected/"
expect_eq "$(cat "$T/inbox/rejected/hr.csv.errors.txt")" "hr.csv: error: cannot be read by $me, the user vigied runs as (Permission denied; the file is $owner's, mode 0200): make it readable by that user (its group, mode 0640) and drop it in again" \
	"the errors beside it"
expect_grep "hr.csv rejected, nothing imported" "$T/err"
# Made readable and dropped in again: imported.
chmod 0644 "$T/inbox/rejected/hr.csv"
mv "$T/inbox/rejected/hr.csv" "$T/inbox/hr.csv"
expect_exit 0 "${as[@]}" "$VIGIED" -c "$T/vigie.yaml" --once
[ -e "$T/inbox/processed/hr.csv" ] || { cat "$T/err"; fail "hr.csv not imported once readable"; }
exit 0
