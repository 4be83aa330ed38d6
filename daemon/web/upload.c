/* A form that sends a file (multipart/form-data, the import page's): its
 * small fields become an urlencoded body, so that the CSRF check and
 * field() read them as any form's, and its files are kept apart in
 * r->uploads. libmicrohttpd's post processor reads the parts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "vigie/text.h"
#include "vigie/web_html.h"
#include "vigie/xalloc.h"
#include "import_impl.h"
#include "web_impl.h"

struct split {
	FILE *fields;		/* the urlencoded body being written */
	bool first;
	bool skipping;		/* a file past WEB_IMPORT_FILES */
	struct req *r;
};

static enum MHD_Result part(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *filename, const char *content_type, const char *encoding,
    const char *data, uint64_t off, size_t size)
{
	struct split *s = cls;
	struct req *r = s->r;

	if (filename) {
		struct upload *u = r->nuploads ? &r->uploads[r->nuploads - 1] : NULL;

		/* A file's first bytes start a new one (an empty part is
		 * called at 0 too, and may be followed by its data there);
		 * past WEB_IMPORT_FILES, the others are read and left out. */
		if (off == 0 && (!u || u->len || strcmp(u->name, filename))) {
			if ((s->skipping = r->nuploads == WEB_IMPORT_FILES)) {
				r->uploads_over = true;
				return MHD_YES;
			}
			r->uploads = xreallocarray(r->uploads, r->nuploads + 1,
			    sizeof(*r->uploads));
			u = &r->uploads[r->nuploads++];
			*u = (struct upload){ xstrdup(filename), xstrdup(""), 0 };
		}
		if (s->skipping)
			return MHD_YES;
		u->data = xrealloc(u->data, u->len + size + 1);
		memcpy(u->data + u->len, data, size);
		u->len += size;
		u->data[u->len] = '\0';
		return MHD_YES;
	}
	if (off == 0) {
		if (!s->first)
			putc('&', s->fields);
		s->first = false;
		html_url(s->fields, key, false);
		putc('=', s->fields);
	}
	html_url_n(s->fields, data, size, false);
	return MHD_YES;
}

bool upload_split(struct req *r)
{
	const char *type = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE);
	struct split s = { .first = true, .r = r };
	struct MHD_PostProcessor *pp;
	char *body = NULL;
	size_t len = 0;
	bool ok;

	if (!r->post || !type || strncasecmp(type, MHD_HTTP_POST_ENCODING_MULTIPART_FORMDATA,
	    strlen(MHD_HTTP_POST_ENCODING_MULTIPART_FORMDATA)))
		return true;
	if (!(s.fields = open_memstream(&body, &len)))
		xalloc_die();
	pp = MHD_create_post_processor(r->conn, 16 * 1024, part, &s);
	ok = pp && MHD_post_process(pp, r->body ? r->body : "", r->len) == MHD_YES;
	if (pp && MHD_destroy_post_processor(pp) != MHD_YES)
		ok = false;
	fclose(s.fields);
	free(r->body);
	r->body = body;
	r->len = len;
	return ok;
}

/* The file's name as the import records it: its last path component (an
 * old browser sends the whole path), at most 100 bytes of UTF-8 (a name
 * that is none has '_' for its other bytes, as for its controls), or
 * "import.csv". */
char *upload_file_name(const char *sent)
{
	const char *b = sent ? sent : "";
	char *name;
	size_t len;
	bool utf8;

	for (const char *p = b; *p; p++)
		if (*p == '/' || *p == '\\')
			b = p + 1;
	name = xstrndup(*b ? b : "import.csv", 100);
	len = strlen(name);
	while (len > 0 && (name[len - 1] & 0xc0) == 0x80)	/* a cut character */
		len--;
	if (len > 0 && (unsigned char)name[len - 1] >= 0xc0)
		len--;
	name[len] = '\0';
	utf8 = text_utf8_valid(name, len);
	for (char *p = name; *p; p++) {
		const unsigned char *u = (const unsigned char *)p;
		if (*u < ' ' || *u == 0x7f || (*u >= 0x80 && !utf8))
			*p = '_';
		/* The marks and overrides of direction (U+200E, U+200F,
		 * U+202A to U+202E, U+2066 to U+2069), which would show the
		 * name reversed in the import and audit logs. */
		else if (u[0] == 0xe2 && ((u[1] == 0x80 && ((u[2] >= 0x8e && u[2] <= 0x8f) ||
		    (u[2] >= 0xaa && u[2] <= 0xae))) || (u[1] == 0x81 && u[2] >= 0xa6 &&
		    u[2] <= 0xa9))) {
			memmove(p + 1, p + 3, strlen(p + 3) + 1);
			*p = '_';
		}
	}
	return name[0] ? name : (free(name), xstrdup("import.csv"));
}
