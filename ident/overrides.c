#include <jansson.h>
#include <string.h>

#include "ident_int.h"
#include "rules_json.h"

/* The user's rules file: per-code severities and codes switched off. */

/* Reads one code setting: "off" or a severity name. */
static int read_setting(struct json_ctx *ctx, const char *code, json_t *value,
			unsigned char *enabled, enum severity *sev)
{
	const char *text = json_is_string(value) ? json_string_value(value) : NULL;

	if (text && strcmp(text, "off") == 0) {
		*enabled = 0;
		return 0;
	}
	if (!text || severity_parse(text, sev) < 0)
		return ctx_fail(ctx, "codes.%s: expected \"info\", \"warning\", \"error\" or \"off\"",
				code);
	*enabled = 1;
	return 0;
}

int ident_rules_apply_overrides(struct ident_rules *rules,
				const char *rules_path, char *err, size_t errlen)
{
	static const char *const keys[] = { "description", "codes", NULL };
	struct json_ctx ctx = { rules_path, err, errlen };
	enum severity severity[CODE_COUNT];
	unsigned char enabled[CODE_COUNT];
	json_t *root = ctx_load(&ctx), *codes, *value;
	const char *code;
	int rc;

	if (!root)
		return -1;
	memcpy(severity, rules->severity, sizeof severity);
	memcpy(enabled, rules->enabled, sizeof enabled);
	codes = json_object_get(root, "codes");
	rc = ctx_check_keys(&ctx, root, "", keys);
	if (rc == 0 && !json_is_object(codes))
		rc = ctx_fail(&ctx, "codes: expected an object of code settings");
	if (rc == 0) {
		json_object_foreach(codes, code, value) {
			int id = code_lookup(code);

			if (id < 0) {
				rc = ctx_fail(&ctx, "codes.%s: unknown code", code);
				break;
			}
			rc = read_setting(&ctx, code, value, &enabled[id], &severity[id]);
			if (rc < 0)
				break;
		}
	}
	json_decref(root);
	if (rc == 0) {
		memcpy(rules->severity, severity, sizeof severity);
		memcpy(rules->enabled, enabled, sizeof enabled);
	}
	return rc;
}

int ident_rules_code(const struct ident_rules *rules, const char *code,
		     enum severity *sev)
{
	int id = code_lookup(code);

	if (id < 0)
		return -1;
	if (!rules->enabled[id])
		return 0;
	*sev = rules->severity[id];
	return 1;
}

static int read_number(const char *s, int ndigits)
{
	int n = 0;

	for (int i = 0; i < ndigits; i++) {
		if (!is_digit(s[i]))
			return -1;
		n = n * 10 + (s[i] - '0');
	}
	return n;
}

static int days_in_month(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return days[month - 1] + (month == 2 && leap);
}

int ident_rules_set_today(struct ident_rules *rules, const char *date)
{
	int year, month, day;

	if (strlen(date) != 10 || date[4] != '-' || date[7] != '-')
		return -1;
	year = read_number(date, 4);
	month = read_number(date + 5, 2);
	day = read_number(date + 8, 2);
	if (year < 1 || month < 1 || month > 12 || day < 1 ||
	    day > days_in_month(year, month))
		return -1;
	rules->fiscal_year = month >= 10 ? year + 1 : year;
	return 0;
}
