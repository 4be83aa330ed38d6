#!/usr/bin/env bash
# A team renamed (vigie rename) keeps who follows it: a console account
# whose scope is the team, or under it, follows it as silences do (the
# output counts it); one whose scope holds it otherwise (its site) is left
# as it is. A route of vigie.yaml whose scope held the old path and not
# the new one is said, at its file:line:col (the command does not write
# the configuration), so that the team's alerts do not silently go to
# another route.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config "smtp:
  url: smtp://127.0.0.1:25
  from: vigie@example.org
recipients:
  social-worker:
    - scope: [\"acme/s/b\"]
      email: [nuit@example.org]
    - scope: [\"acme/s/**\"]
      email: [site@example.org]"
conflicts_rule
printf 'unit,period,headcount,conflicts\nacme/s/a,2026-01,20,1\nacme/s/b,2026-01,20,1\nacme/s/b/x,2026-01,8,0\n' >jan.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import jan.csv
for u in "nuit acme/s/b" "sous acme/s/b/**" "site acme/s/**"; do
	echo 'un mot de passe assez long' | expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" \
		user add ${u% *} --role social-worker --scope "${u#* }" --password-stdin
done
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" rename --dry-run acme/s/b acme/s/night
expect_grep "would rename acme/s/b to acme/s/night: 2 units, 4 values, 0 alerts, 0 notes, 0 silences, 2 accounts" "$T/out"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" user list --format json
expect_grep '"scopes": [
      "acme/s/b"
    ]' "$T/out"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" rename acme/s/b acme/s/night
expect_eq "$(cat "$T/out")" "renamed acme/s/b to acme/s/night: 2 units, 4 values, 0 alerts, 0 notes, 0 silences, 2 accounts"
expect_eq "$(cat "$T/err")" "vigie rename: warning: $T/vigie.yaml:10:15: recipients: social-worker: the scope \"acme/s/b\" held acme/s/b, not acme/s/night: write the new path there, then reload vigied"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" user list
expect_eq "$(awk '{ print $1, $3 }' "$T/out")" "NAME SCOPES
nuit acme/s/night
site acme/s/**
sous acme/s/night/**"
exit 0
