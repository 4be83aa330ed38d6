#!/usr/bin/env bash
# A file whose name is too long to take a suffix (NAME.errors.txt,
# NAME.1, up to NAME_MAX, 255 bytes) is kept under a name cut to 200
# bytes, ending in "~.csv", and the notice names it: its errors are beside
# it, and a second file of the same name is moved too (NAME.1 cut alike),
# told once, not rejected and told again at every cycle. Imported files
# are cut the same way in processed/.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

port=$(free_port)
notify_webhook "$T/tickets.log" "$port"
make_config "locale: en
webhooks:
  tickets:
    url: http://127.0.0.1:$port/hook
    timeout: 5s
recipients:
  ops:
    - webhook: [tickets]"
conflicts_rule
put() { cat >"$T/.stage" && touch -d '1 minute ago' "$T/.stage" && mv "$T/.stage" "$T/inbox/$1"; }
bad() { printf 'unit;period;headcount\n"acme/x";2026-13;abc\n'; }
# notices: each rejected file's id and summary posted, the folder as T.
notices() {
	$PY - "$T/tickets.log" "$T" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    for a in json.loads(json.loads(l)["body"])["alerts"]:
        print(a["id"], a["summary"].replace(sys.argv[2], "T"), sep="|")
PY
}
L=$(printf 'L%.0s' $(seq 1 240)).csv	# 244 bytes
M=$(printf 'M%.0s' $(seq 1 251)).csv	# 255 bytes
Lcut=$(printf 'L%.0s' $(seq 1 195))~.csv
Mcut=$(printf 'M%.0s' $(seq 1 195))~.csv
Mcut1=$(printf 'M%.0s' $(seq 1 193))~.csv.1

bad | put "$L"
bad | put "$M"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_no_grep "cannot" "$T/err"
expect_grep "$L rejected, nothing imported; moved to $T/inbox/rejected/$Lcut with the errors in $Lcut.errors.txt:" "$T/err"
expect_grep "$L:2:" "$T/inbox/rejected/$Lcut.errors.txt"
expect_grep "$M:2:" "$T/inbox/rejected/$Mcut.errors.txt"
expect_eq "$(notices)" \
"vigie-rejected-file:$Lcut|Nothing was imported: 2 errors, the first at line 2, column 10. The file is in T/inbox/rejected as $Lcut, with its errors in $Lcut.errors.txt.
vigie-rejected-file:$Mcut|Nothing was imported: 2 errors, the first at line 2, column 10. The file is in T/inbox/rejected as $Mcut, with its errors in $Mcut.errors.txt." \
	"the notices of the two long names"

# The 255-byte name again: NAME.1 would be 257 bytes.
: >"$T/tickets.log"
bad | put "$M"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_no_grep "cannot" "$T/err"
expect_grep "$M rejected, nothing imported; moved to $T/inbox/rejected/$Mcut1 with the errors in $Mcut1.errors.txt:" "$T/err"
expect_eq "$(notices)" \
"vigie-rejected-file:$Mcut1|Nothing was imported: 2 errors, the first at line 2, column 10. The file is in T/inbox/rejected as $Mcut1, with its errors in $Mcut1.errors.txt." \
	"the notice of the second file of the 255-byte name"
expect_eq "$(ls "$T/inbox" | grep -c csv)" 0 "files left in the inbox"
: >"$T/tickets.log"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_no_grep "$M" "$T/err"
expect_eq "$(grep -c . "$T/tickets.log")" 0 "posts at the next cycle"

# A long name of Latin-1 bytes (a Windows export): shown escaped, four
# bytes each, the notice whole.
E=$(printf '\xe9%.0s' $(seq 1 210)).csv
Ecut=$(printf '\\xe9%.0s' $(seq 1 195))~.csv
: >"$T/tickets.log"
bad | put "$E"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notices)" \
"vigie-rejected-file:$Ecut|Nothing was imported: 2 errors, the first at line 2, column 10. The file is in T/inbox/rejected as $Ecut, with its errors in $Ecut.errors.txt." \
	"the notice of a long Latin-1 name"

# Imported twice under the 255-byte name: both in processed/.
printf 'unit,period,headcount,conflicts\nacme/a,2026-01,20,1\n' | put "$M"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
printf 'unit,period,headcount,conflicts\nacme/a,2026-01,20,2\n' | put "$M"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_no_grep "cannot" "$T/err"
expect_eq "$(ls "$T/inbox/processed" | tr '\n' ' ')" "$Mcut $Mcut1 " "processed/"
exit 0
