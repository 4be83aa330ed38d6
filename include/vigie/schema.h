/* The database schema as forward migrations: migration i brings the schema
 * from user_version i to i+1. Append only; never edit a shipped one. */
#ifndef VIGIE_SCHEMA_H
#define VIGIE_SCHEMA_H

extern const char *const schema_migrations[];
extern const int schema_version;	/* number of migrations */

#endif
