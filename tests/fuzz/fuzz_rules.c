/* libFuzzer harness: rule files (YAML, validation, expressions, templates). */
#include <stddef.h>
#include <stdint.h>
#include "vigie/rules.h"
#include "fuzz_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_path("rules");
	struct diags d = { 0 };

	if (fuzz_write(path, data, size) != 0)
		return 0;
	struct ruleset *rs = ruleset_load_files(&path, 1, NULL, &d);
	if (rs) {
		/* Render every summary once: templates are part of the input. */
		for (size_t i = 0; i < rs->n; i++) {
			struct template_vars tv = { "acme/a", "2026-01", "2025-12",
			    SEV_WARNING, 1.5, 1.0 };
			free(rule_render_summary(&rs->rules[i], &tv, LOC_FR));
		}
		ruleset_free(rs);
	}
	diags_free(&d);
	unlink(path);
	return 0;
}
