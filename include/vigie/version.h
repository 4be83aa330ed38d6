/* Which build runs: the release (the Makefile's VERSION, VIGIE_VERSION)
 * and the git revision it was built from, which the Makefile writes into
 * $(B)/gen/revision.c, rewritten only when it changes (a new HEAD
 * recompiles that one file and relinks). Said by --version, the metrics'
 * vigie_build_info and the console's stylesheet URL. */
#ifndef VIGIE_VERSION_H
#define VIGIE_VERSION_H

#ifndef VIGIE_VERSION
#define VIGIE_VERSION "0.1.0"
#endif

/* "52472c8": the commit built; "" when not built from a git checkout (a
 * tarball). */
extern const char vigie_revision[];
/* "0.1.0 (revision 52472c8)", or "0.1.0" outside git: what --version
 * prints after the program's name. */
extern const char vigie_version_long[];

#endif
