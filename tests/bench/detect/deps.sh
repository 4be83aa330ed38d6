#!/bin/sh
# What make bench-detect needs beyond the build dependencies (contrib/deps.sh):
# R with the surveillance package (Debian r-cran-surveillance) and Debian's
# /usr/bin/python3. Installs what is missing with apt-get when run as root
# on Debian; otherwise prints the exact command and fails.
set -eu
PKGS="r-cran-surveillance python3"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
if [ -z "$missing" ]; then
	# Installed: check that R loads it (a broken R library is not a
	# missing package, and apt-get cannot fix it).
	if Rscript --vanilla -e 'suppressPackageStartupMessages(library(surveillance))' \
		>/dev/null 2>&1; then
		exit 0
	fi
	echo "bench-detect: r-cran-surveillance is installed but R cannot load it:" >&2
	Rscript --vanilla -e 'library(surveillance)' >&2 || true
	exit 1
fi
cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
	echo "bench-detect: missing dependencies; run as root:" >&2
	echo "  apt-get update && $cmd" >&2
	echo "(or run the benchmark without the R peer: make bench-detect PEER=0)" >&2
	exit 1
fi
echo "bench-detect: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
$cmd >/dev/null
