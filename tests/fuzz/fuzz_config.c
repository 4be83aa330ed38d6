/* libFuzzer harness: the configuration loader. */
#include <stddef.h>
#include <stdint.h>
#include "vigie/config.h"
#include "fuzz_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_path("config");
	struct diags d = { 0 };

	if (fuzz_write(path, data, size) != 0)
		return 0;
	config_free(config_load(path, &d));
	diags_free(&d);
	unlink(path);
	return 0;
}
