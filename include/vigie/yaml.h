/* A small YAML document tree built with libyaml, keeping every node's
 * position so that configuration and rule errors can name FILE:LINE:COLUMN.
 * Aliases share nodes (no copy) under an expansion budget, so an alias bomb
 * is an error, not an explosion. */
#ifndef VIGIE_YAML_H
#define VIGIE_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include "vigie/diag.h"

#define YAML_MAX_BYTES (4u << 20)	/* larger documents are refused */

enum ynode_type { Y_SCALAR, Y_SEQ, Y_MAP };
enum yscalar_style { YS_PLAIN, YS_SINGLE, YS_DOUBLE, YS_LITERAL, YS_FOLDED };

struct ynode {
	enum ynode_type type;
	int line, col;		/* 1-based position of the node's first character */
	/* Y_SCALAR */
	char *str;		/* NUL-terminated value (may contain NULs: use len) */
	size_t len;
	enum yscalar_style style;
	size_t start, end;	/* byte offsets of the scalar's source text */
	size_t weight;		/* nodes in the subtree, aliases expanded */
	/* Y_SEQ: items[0..n); Y_MAP: keys[0..n) and vals[0..n) */
	struct ynode **items, **keys, **vals;
	size_t n;
};

struct ydoc {
	char *file;
	char *buf;		/* copy of the source text */
	size_t len;
	struct ynode *root;	/* NULL for an empty document */
	struct ynode **all;	/* arena: every node, freed with the document */
	size_t nall, capall;
};

/* Parses buf as one YAML document. Returns a new document (caller frees with
 * ydoc_free) or NULL after adding errors to d. A duplicate key is an error
 * in d that still returns the document (lookups find the first), so that
 * the rest is checked too: callers judge validity by d, not by the
 * document. */
struct ydoc *ydoc_parse(const char *file, const char *buf, size_t len,
    struct diags *d);
/* Reads a file (or a pipe or a device named on purpose) up to
 * YAML_MAX_BYTES + 1 bytes (the parser refuses more): a NUL-terminated
 * buffer (caller frees) with its length, or NULL after adding the error to
 * d. A folder is not a file. */
char *ydoc_read(const char *file, size_t *len, struct diags *d);
/* Reads the file then parses it; a missing or unreadable file is an error. */
struct ydoc *ydoc_load(const char *file, struct diags *d);
void ydoc_free(struct ydoc *doc);

/* Fills pos[0..n->len] (line, col for each byte of the scalar's value, and
 * one past the end) by aligning the value with its source text. Where the
 * alignment is not possible, every entry is the scalar's own position. */
struct srcpos { int line, col; };
void ydoc_scalar_positions(const struct ydoc *doc, const struct ynode *n,
    struct srcpos *pos);

/* Helpers for validators. */
const char *ynode_type_name(const struct ynode *n);	/* "a string", "a list", "a mapping" */
bool yscalar_is_null(const struct ynode *n);		/* ~, null, empty plain */
int yscalar_bool(const struct ynode *n, bool *out);	/* 0 ok, -1 not a boolean */
int yscalar_double(const struct ynode *n, double *out);	/* finite number */
int yscalar_int(const struct ynode *n, long long *out);
/* Closest candidate to word by edit distance (at most 2 edits or a third of
 * its length), or NULL. */
const char *closest_word(const char *word, const char *const *cands, size_t n);
/* The one report of a key that a mapping does not take, for every YAML file
 * Vigie reads (configuration, rule files, rule tests), at the key's place:
 *   unknown key "K"[ in WHERE] (did you mean "S"?)
 *   unknown key "K"[ in WHERE] (known keys: A, B, C)
 * The suggestion is hint when not NULL (a synonym the caller knows), else
 * the closest of known[0..n). where (may be NULL) names the mapping. */
void ykey_unknown(struct diags *d, const char *file, const struct ynode *k,
    const char *const *known, size_t n, const char *hint, const char *where);
/* Reports with ykey_unknown every key of mapping m not among known[0..n);
 * returns how many. */
size_t ymap_check_keys(struct diags *d, const char *file, const struct ynode *m,
    const char *const *known, size_t n, const char *where);

#endif
