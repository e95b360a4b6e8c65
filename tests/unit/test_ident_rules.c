/* Loading schema data, rules files (overrides), today's fiscal year. */

#include <unistd.h>

#include "test_ident_util.h"

#define PREFIXES_OK "{\"common\": {\"EAC\": \"Vermont\", \"IOE\": \"online\"}, " \
	"\"rare\": {\"VSC\": \"old Vermont\"}, \"no_layout\": [\"IOE\"]}"
#define IDENTIFIERS_OK "{\"placeholders\": [\"N/A\"], \"receipt\": {\"max_workday\": 270}, " \
	"\"anumber\": {\"min_digits\": 7, \"max_digits\": 9, \"prefix_words\": [\"USCIS\"]}, " \
	"\"oan\": {\"length\": 12}}"

/* Loads rules from the given texts; on failure returns NULL and err. */
static struct ident_rules *load_texts(const char *prefixes,
				      const char *identifiers, char *err,
				      size_t errlen)
{
	char p[256], i[256];

	snprintf(p, sizeof p, "%s", write_file("prefixes.json", prefixes));
	snprintf(i, sizeof i, "%s", write_file("identifiers.json", identifiers));
	return ident_rules_load(p, i, err, errlen);
}

static void assert_load_fails(const char *prefixes, const char *identifiers,
			      const char *message_part)
{
	char err[256] = "";
	struct ident_rules *rules = load_texts(prefixes, identifiers, err, sizeof err);

	if (rules)
		fail_msg("loaded, expected failure with \"%s\"", message_part);
	if (!strstr(err, message_part))
		fail_msg("message \"%s\" lacks \"%s\"", err, message_part);
}

static void test_shipped_files_load(void **state)
{
	struct ident_rules *rules = load_shipped_rules();
	struct ident_verdict v;

	(void)state;
	assert_int_equal(ident_check(rules, IDENT_RECEIPT, "EAC2190012345", 13, 0, &v), 0);
	ident_rules_free(rules);
	ident_rules_free(NULL);
}

static void test_syntax_error_names_file_line_column(void **state)
{
	char err[256];
	const char *path = write_file("bad.json", "{\n  \"common\": {\n    \"EAC\" \"x\"\n}\n");

	(void)state;
	assert_null(ident_rules_load(path, SHIPPED_IDENTIFIERS, err, sizeof err));
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, ".json:3:"));
}

static void test_missing_file(void **state)
{
	char err[256];

	(void)state;
	assert_null(ident_rules_load("no/such/prefixes.json", SHIPPED_IDENTIFIERS, err, sizeof err));
	assert_non_null(strstr(err, "no/such/prefixes.json"));
}

static void test_semantic_errors(void **state)
{
	(void)state;
	assert_load_fails("{\"common\": {\"EAC\": \"a\", \"EAC\": \"b\"}, \"rare\": {}}",
			  IDENTIFIERS_OK, "duplicate");
	assert_load_fails("{\"common\": {\"EA\": \"a\"}, \"rare\": {}}", IDENTIFIERS_OK,
			  "\"EA\" is not 3 upper-case letters");
	assert_load_fails("{\"common\": {\"EAC\": \"a\"}, \"rare\": {\"EAC\": \"b\"}}",
			  IDENTIFIERS_OK, "listed twice");
	assert_load_fails("{\"common\": {\"EAC\": \"a\"}}", IDENTIFIERS_OK, "rare: expected an object");
	assert_load_fails("{\"common\": {}, \"rare\": {}, \"colour\": 1}", IDENTIFIERS_OK,
			  "colour: unknown key");
	assert_load_fails("{\"common\": {}, \"rare\": {}, \"no_layout\": [\"IOE\"]}",
			  IDENTIFIERS_OK, "no_layout[0]: not a listed office code");
	assert_load_fails("[]", IDENTIFIERS_OK, "top level");
	assert_load_fails(PREFIXES_OK,
			  "{\"placeholders\": [], \"receipt\": {\"max_workday\": 270}, "
			  "\"anumber\": {\"min_digits\": 7, \"max_digits\": 9, \"prefix_words\": []}, "
			  "\"oan\": {\"length\": \"12\"}}", "oan.length: expected an integer");
	assert_load_fails(PREFIXES_OK,
			  "{\"placeholders\": [], \"receipt\": {\"max_workday\": 270}, "
			  "\"anumber\": {\"min_digits\": 9, \"max_digits\": 7, \"prefix_words\": []}, "
			  "\"oan\": {\"length\": 12}}", "anumber.max_digits: 7 is outside 9..20");
	assert_load_fails(PREFIXES_OK,
			  "{\"placeholders\": [3], \"receipt\": {\"max_workday\": 270}, "
			  "\"anumber\": {\"min_digits\": 7, \"max_digits\": 9, \"prefix_words\": []}, "
			  "\"oan\": {\"length\": 12}}", "placeholders[0]: expected a string");
	assert_load_fails(PREFIXES_OK, "{\"placeholders\": []}", "receipt: expected an object");
}

/* A firm extends the data without a rebuild. */
static void test_data_changes_behaviour(void **state)
{
	char err[256];
	struct ident_rules *rules = load_texts(
		"{\"common\": {\"ABC\": \"new office\"}, \"rare\": {}}",
		"{\"placeholders\": [\"nope\"], \"receipt\": {\"max_workday\": 100}, "
		"\"anumber\": {\"min_digits\": 8, \"max_digits\": 8, \"prefix_words\": [\"ALIEN NO\"]}, "
		"\"oan\": {\"length\": 10}}", err, sizeof err);
	struct ident_verdict v;

	(void)state;
	if (!rules)
		fail_msg("%s", err);
	assert_int_equal(ident_check(rules, IDENT_RECEIPT, "ABC2115012345", 13, 0, &v), 0);
	assert_non_null(ident_verdict_find(&v, "receipt.implausible_date"));
	assert_int_equal(ident_check(rules, IDENT_RECEIPT, "EAC2190012345", 13, 0, &v), 1);
	assert_non_null(ident_verdict_find(&v, "receipt.unknown_prefix"));
	assert_int_equal(ident_check(rules, IDENT_OAN, "1234567890", 10, 0, &v), 0);
	assert_int_equal(ident_check(rules, IDENT_OAN, "123456789012", 12, 0, &v), 1);
	assert_int_equal(ident_check(rules, IDENT_ANUMBER, "alien no 12345678", 17, 0, &v), 0);
	assert_string_equal(v.value, "A12345678");
	assert_int_equal(ident_check(rules, IDENT_ANUMBER, "A012345678", 10, 0, &v), 1);
	assert_non_null(ident_verdict_find(&v, "anumber.too_long"));
	assert_int_equal(ident_check(rules, IDENT_OAN, "No-Pe", 5, 0, &v), 0);
	assert_non_null(ident_verdict_find(&v, "oan.placeholder"));
	assert_int_equal(ident_check(rules, IDENT_OAN, "N/A", 3, 0, &v), 1);
	ident_rules_free(rules);
}

static void test_overrides(void **state)
{
	struct ident_rules *rules = load_shipped_rules();
	struct ident_verdict v;
	enum severity sev;
	char err[256];
	const char *path = write_file("rules.json",
		"{\"description\": \"firm rules\", \"codes\": {"
		"\"receipt.rare_prefix\": \"info\", \"anumber.repeated_digit\": \"off\", "
		"\"receipt.unknown_prefix\": \"warning\", \"oan.shared_account\": \"warning\"}}");

	(void)state;
	if (ident_rules_apply_overrides(rules, path, err, sizeof err) < 0)
		fail_msg("%s", err);
	ident_check(rules, IDENT_RECEIPT, "VSC2190012345", 13, 0, &v);
	assert_int_equal(ident_verdict_find(&v, "receipt.rare_prefix")->severity, SEV_INFO);
	ident_check(rules, IDENT_ANUMBER, "A111111111", 10, 0, &v);
	assert_int_equal(v.nfindings, 0);
	/* no longer an error, so the value is normalised */
	assert_int_equal(ident_check(rules, IDENT_RECEIPT, "xyz-2190012345", 14, 0, &v), 0);
	assert_string_equal(v.value, "XYZ2190012345");
	assert_int_equal(ident_rules_code(rules, "oan.shared_account", &sev), 1);
	assert_int_equal(sev, SEV_WARNING);
	assert_int_equal(ident_rules_code(rules, "anumber.repeated_digit", &sev), 0);
	assert_int_equal(ident_rules_code(rules, "oan.nonsense", &sev), -1);
	ident_rules_free(rules);
}

/* A bad rules file is reported and changes nothing. */
static void test_bad_overrides_change_nothing(void **state)
{
	struct ident_rules *rules = load_shipped_rules();
	enum severity sev;
	char err[256];
	const char *unknown = write_file("unknown.json",
		"{\"codes\": {\"receipt.rare_prefix\": \"off\", \"receipt.typo\": \"info\"}}");
	const char *bad = write_file("bad.json",
		"{\"codes\": {\"receipt.rare_prefix\": \"off\", \"receipt.asterisk\": \"loud\"}}");

	(void)state;
	assert_int_equal(ident_rules_apply_overrides(rules, unknown, err, sizeof err), -1);
	assert_non_null(strstr(err, "codes.receipt.typo: unknown code"));
	assert_int_equal(ident_rules_apply_overrides(rules, bad, err, sizeof err), -1);
	assert_non_null(strstr(err, "codes.receipt.asterisk"));
	assert_int_equal(ident_rules_code(rules, "receipt.rare_prefix", &sev), 1);
	assert_int_equal(sev, SEV_WARNING);
	assert_int_equal(ident_rules_apply_overrides(rules, write_file("x.json", "{\"code\": {}}"),
						     err, sizeof err), -1);
	ident_rules_free(rules);
}

static void test_today(void **state)
{
	struct ident_rules *rules = load_shipped_rules();
	static const char *const bad[] = {
		"2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "20241101",
		"2024-1-01", "2024-11-1x", "", "0000-01-01",
	};
	struct ident_verdict v;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (ident_rules_set_today(rules, bad[i]) == 0)
			fail_msg("accepted %s", bad[i]);
	assert_int_equal(ident_rules_set_today(rules, "2024-02-29"), 0);

	/* The fiscal year starts on 1 October. */
	assert_int_equal(ident_rules_set_today(rules, "2024-09-30"), 0);
	ident_check(rules, IDENT_RECEIPT, "EAC2515012345", 13, 0, &v);
	assert_non_null(ident_verdict_find(&v, "receipt.implausible_date"));
	assert_int_equal(ident_rules_set_today(rules, "2024-10-01"), 0);
	ident_check(rules, IDENT_RECEIPT, "EAC2515012345", 13, 0, &v);
	assert_int_equal(v.nfindings, 0);
	ident_rules_free(rules);

	/* Without a date the future-year check is skipped, workdays are not. */
	rules = ident_rules_load(SHIPPED_PREFIXES, SHIPPED_IDENTIFIERS, NULL, 0);
	assert_non_null(rules);
	ident_check(rules, IDENT_RECEIPT, "EAC9915012345", 13, 0, &v);
	assert_int_equal(v.nfindings, 0);
	ident_check(rules, IDENT_RECEIPT, "EAC9900012345", 13, 0, &v);
	assert_non_null(ident_verdict_find(&v, "receipt.implausible_date"));
	ident_rules_free(rules);
}

/* Rules are equal when their data is: two loads of the same files, dates
 * of one fiscal year; a rules file, another fiscal year or other schema
 * data make them differ. */
static void test_equal(void **state)
{
	struct ident_rules *a = load_shipped_rules(), *b = load_shipped_rules();
	char err[256];

	(void)state;
	assert_int_equal(ident_rules_equal(a, b), 1);
	assert_int_equal(ident_rules_set_today(b, "2025-09-30"), 0); /* still fiscal 2025 */
	assert_int_equal(ident_rules_equal(a, b), 1);
	assert_int_equal(ident_rules_set_today(b, "2025-10-01"), 0);
	assert_int_equal(ident_rules_equal(a, b), 0);
	assert_int_equal(ident_rules_set_today(b, TEST_TODAY), 0);
	assert_int_equal(ident_rules_equal(a, b), 1);

	const char *off = write_file("off.json", "{\"codes\": {\"receipt.rare_prefix\": \"off\"}}");
	assert_int_equal(ident_rules_apply_overrides(b, off, err, sizeof err), 0);
	assert_int_equal(ident_rules_equal(a, b), 0);
	ident_rules_free(b);

	const char *sev = write_file("sev.json", "{\"codes\": {\"anumber.padded\": \"warning\"}}");
	b = load_shipped_rules();
	assert_int_equal(ident_rules_apply_overrides(b, sev, err, sizeof err), 0);
	assert_int_equal(ident_rules_equal(a, b), 0);
	ident_rules_free(b);

	b = load_texts(PREFIXES_OK, IDENTIFIERS_OK, err, sizeof err);
	assert_non_null(b);
	assert_int_equal(ident_rules_set_today(b, TEST_TODAY), 0);
	assert_int_equal(ident_rules_equal(a, b), 0);
	ident_rules_free(b);
	ident_rules_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_files_load),
		cmocka_unit_test(test_syntax_error_names_file_line_column),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_semantic_errors),
		cmocka_unit_test(test_data_changes_behaviour),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_bad_overrides_change_nothing),
		cmocka_unit_test(test_today),
		cmocka_unit_test(test_equal),
	};

	return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
