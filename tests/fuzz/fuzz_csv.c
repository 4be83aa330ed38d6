/* libFuzzer harness: the CSV importer's parser on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>
#include "vigie/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_batch b = { 0 };
	struct diags d = { 0 }, w = { 0 };

	/* With warnings: X_max above X is looked for in every accepted file.
	 * Weeks in the console's French (msg.h), months in English. */
	for (int g = GRAN_MONTH; g <= GRAN_WEEK; g++) {
		d.fr = w.fr = g == GRAN_WEEK;
		if (csv_parse_warn("fuzz.csv", (const char *)data, size, (enum granularity)g,
		    CSV_ANY_PERIOD, &b, &d, &w) == 0)
			import_batch_free(&b);
		diags_free(&d);
		diags_free(&w);
	}
	return 0;
}
