#!/usr/bin/env bash
# vigie unsilence SID (SPEC 10): an id is digits, and a number too large to
# be one is refused as such (exit 64) rather than read as another id.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config
C=(-c "$T/vigie.yaml")
expect_exit 0 "$VIGIE" "${C[@]}" silence --rule r --unit acme --until 2025-01 --reason test
expect_eq "$(cat "$T/out")" "1"
for id in 99999999999999999999 18446744073709551617 " 1" "+1" 1x 0; do
	expect_exit 64 "$VIGIE" "${C[@]}" unsilence "$id"
	expect_eq "$(cat "$T/err")" "vigie unsilence: '$id' is not a silence id (see vigie unsilence --help)" "unsilence '$id'"
done
# The silence is still there, and a well-formed id removes it.
expect_exit 0 "$VIGIE" "${C[@]}" unsilence 1
exit 0
