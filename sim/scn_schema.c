/*
 * scn_schema.c - the JSON Schema (draft 2020-12) of the scenario language,
 * generated from the loader's tables (scn_tables.c) so it cannot drift from
 * what "drsim validate" accepts.  Quantities and expressions are strings
 * (or numbers for plain values); their grammar is described in each
 * property's description, the tables' help text.
 */
#include "scn_tables.h"

static json_t *table_schema(const scn_table *t);

static json_t *string_or_number(const char *pattern)
{
	json_t *str = json_pack("{s:s}", "type", "string");
	if (pattern)
		json_object_set_new(str, "pattern", json_string(pattern));
	return json_pack("{s:[o,{s:s}]}", "anyOf", str, "type", "number");
}

#define DURATION_RE "^\\s*-?[0-9.]+(e[-+]?[0-9]+)?\\s*(ms|s|m|h|d|w|y)?\\s*$"
#define SIZE_RE "^\\s*[0-9.]+(e[-+]?[0-9]+)?\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?\\s*$"
#define RATE_RE "^\\s*[0-9.]+(e[-+]?[0-9]+)?\\s*/\\s*[0-9.]*\\s*(s|m|h|d|w|y)\\s*$"

static json_t *field_schema(const scn_field *f)
{
	json_t *j = NULL;
	switch (f->type) {
	case SCN_T_STRING:
	case SCN_T_SITE:
		j = json_pack("{s:s}", "type", "string");
		break;
	case SCN_T_VERSION:
		j = json_pack("{s:i}", "const", 1);
		break;
	case SCN_T_INT:
		j = json_pack("{s:s, s:f}", "type", "integer", "minimum", f->min);
		if (f->max > 0)
			json_object_set_new(j, "maximum", json_real(f->max));
		break;
	case SCN_T_NUMBER:
		j = json_pack("{s:s, s:f}", "type", "number", "minimum", f->min);
		break;
	case SCN_T_PERCENT:
		j = json_pack("{s:s, s:i, s:i}", "type", "number", "exclusiveMinimum", 0, "exclusiveMaximum", 100);
		break;
	case SCN_T_BOOL:
		j = json_pack("{s:s}", "type", "boolean");
		break;
	case SCN_T_DURATION:
		j = string_or_number(DURATION_RE);
		break;
	case SCN_T_SIZE:
		j = string_or_number(SIZE_RE);
		break;
	case SCN_T_RATE:
		j = json_pack("{s:s, s:s}", "type", "string", "pattern", RATE_RE);
		break;
	case SCN_T_EXPR:
		j = string_or_number(NULL);
		break;
	case SCN_T_WINDOW:
		j = json_pack("{s:s, s:s}", "type", "string", "pattern", "^[0-2][0-9]:[0-5][0-9]-[0-2][0-9]:[0-5][0-9]$");
		break;
	case SCN_T_ENUM: {
		json_t *e = json_array();
		for (size_t i = 0; i < f->n_names; i++)
			json_array_append_new(e, json_string(f->names[i]));
		j = json_pack("{s:o}", "enum", e);
		break;
	}
	case SCN_T_STRLIST:
	case SCN_T_RESOURCES:
		j = json_pack("{s:[{s:s},{s:s, s:{s:s}}]}", "anyOf", "type", "string", "type", "array", "items", "type",
			      "string");
		break;
	case SCN_T_OBJECT:
		j = table_schema(f->sub);
		break;
	case SCN_T_LIST:
		j = json_pack("{s:s, s:o}", "type", "array", "items", table_schema(f->sub));
		break;
	case SCN_T_NAMED_MAP:
		j = json_pack("{s:s, s:o}", "type", "object", "additionalProperties", table_schema(f->sub));
		break;
	case SCN_T_RUNBOOKS: {
		json_t *kinds = json_array();
		for (int i = 0; i < SCN__NDIS; i++)
			json_array_append_new(kinds, json_string(scn_disaster_names[i]));
		j = json_pack("{s:s, s:{s:o}, s:{s:s, s:i, s:o}}", "type", "object", "propertyNames", "enum", kinds,
			      "additionalProperties", "type", "array", "minItems", 1, "items", table_schema(f->sub));
		break;
	}
	case SCN_T_PARAMS:
		j = json_pack("{s:s, s:{s:[s,s,s]}}", "type", "object", "additionalProperties", "type", "string",
			      "number", "boolean");
		break;
	case SCN_T_ACTION: {
		json_t *props = json_object();
		for (size_t i = 0; i < scn_n_action_keys; i++)
			json_object_set_new(props, scn_action_keys[i], json_pack("{s:s}", "type", "string"));
		for (size_t i = 0; i < scn_n_action_params; i++)
			json_object_set_new(props, scn_action_params[i],
					    json_pack("{s:[s,s,s]}", "type", "string", "number", "boolean"));
		j = json_pack("{s:[{s:s},{s:s, s:o, s:b}]}", "anyOf", "type", "string", "type", "object", "properties",
			      props, "additionalProperties", 0);
		break;
	}
	}
	if (f->help) {
		dr_buf b = {0};
		dr_buf_puts(&b, f->help);
		if (f->def)
			dr_buf_printf(&b, " (default: %s)", f->def);
		json_object_set_new(j, "description", json_string(b.s));
		dr_buf_release(&b);
	}
	if (f->example && f->type != SCN_T_VERSION)
		json_object_set_new(j, "examples", json_pack("[s]", f->example));
	return j;
}

static json_t *table_schema(const scn_table *t)
{
	json_t *props = json_object(), *req = json_array();
	for (size_t i = 0; i < t->n_fields; i++) {
		const scn_field *f = &t->fields[i];
		json_object_set_new(props, f->key, field_schema(f));
		if (f->required)
			json_array_append_new(req, json_string(f->key));
	}
	json_t *j = json_pack("{s:s, s:o, s:b}", "type", "object", "properties", props, "additionalProperties", 0);
	if (json_array_size(req))
		json_object_set_new(j, "required", req);
	else
		json_decref(req);
	if (t->help)
		json_object_set_new(j, "description", json_string(t->help));
	return j;
}

json_t *scn_json_schema(void)
{
	json_t *j = table_schema(&scn_root_table);
	json_object_set_new(j, "$schema", json_string("https://json-schema.org/draft/2020-12/schema"));
	json_object_set_new(j, "$id", json_string("https://drsim.dev/schema/scenario-1.json"));
	json_object_set_new(j, "title", json_string("drsim scenario"));
	return j;
}
