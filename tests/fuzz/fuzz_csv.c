/* libFuzzer harness: the CSV importer's parser on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>
#include "vigie/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_batch b = { 0 };
	struct diags d = { 0 };

	for (int g = GRAN_MONTH; g <= GRAN_WEEK; g++) {
		if (csv_parse("fuzz.csv", (const char *)data, size, (enum granularity)g, CSV_ANY_PERIOD, &b, &d) == 0)
			import_batch_free(&b);
		diags_free(&d);
	}
	return 0;
}
