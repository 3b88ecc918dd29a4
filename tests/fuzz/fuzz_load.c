/*
 * fuzz_load.c - libFuzzer target for the scenario loader: any bytes must
 * either load or fail with diagnostics, never crash, leak or hang; what
 * loads is also linted, so the rules see every odd-but-valid scenario.
 * Built and run by "make fuzz", seeded with scenarios/ and tests/bad/.
 */
#include <stddef.h>
#include <stdint.h>

#include "lint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dr_diags diags = {0};
	scenario *s = NULL;
	if (scn_load_buffer("fuzz.yaml", (const char *)data, size, &s, &diags) == DR_OK) {
		scn_lint_findings findings = {0};
		scn_lint_run(s, &findings);
		json_decref(scn_lint_json(&findings));
		scn_lint_findings_release(&findings);
		scn_free(s);
	}
	dr_diags_release(&diags);
	return 0;
}
