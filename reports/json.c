/* json.c - the JSON renderer: the result's canonical form (res_dump). */
#include "rpt_common.h"

#include <stdlib.h>

static dr_err render_json(const res_result *r, dr_buf *out, bool color)
{
	char *text = res_dump(r);
	dr_buf_puts(out, text);
	free(text);
	return DR_OK;
}

const rpt_format rpt_json_format = {
	.name = "json",
	.extension = "json",
	.summary = "the canonical result (schema/result.schema.json)",
	.render = render_json,
};
