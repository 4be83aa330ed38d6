/* The Prometheus textfile of the daemon (SPEC 8, daemon/metrics.c): cycle
 * duration, alerts by severity, notifications pending and failed, last
 * import time, rules and units, for node_exporter's textfile collector. */
#ifndef VIGIE_METRICS_H
#define VIGIE_METRICS_H

#include "vigie/cycle.h"

/* Writes the metrics of a cycle to path atomically (temporary file in the
 * same folder, fsync, rename), mode 0644 whatever the umask. Returns 0 or
 * -1 with errno set. */
int metrics_write(const char *path, const struct cycle_report *r);

#endif
