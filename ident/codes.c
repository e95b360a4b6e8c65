#include <string.h>

#include "ident_int.h"

/* The repairs (the last member) are what normalise reports. */
const struct code_info ident_codes[CODE_COUNT] = {
	[RECEIPT_MISSING] = { "receipt.missing", SEV_ERROR, "required receipt number is missing" },
	[RECEIPT_PLACEHOLDER] = { "receipt.placeholder", SEV_INFO, "placeholder read as no value" , 1 },
	[RECEIPT_FLOAT_SUFFIX] = { "receipt.float_suffix", SEV_INFO, "trailing .0 from a float round trip removed" , 1 },
	[RECEIPT_SCIENTIFIC_RECOVERED] = { "receipt.scientific_recovered", SEV_WARNING, "rebuilt from scientific notation" , 1 },
	[RECEIPT_SCIENTIFIC_NOTATION] = { "receipt.scientific_notation", SEV_ERROR, "scientific notation: digits were lost" },
	[RECEIPT_REFORMATTED] = { "receipt.reformatted", SEV_INFO, "spaces, separators, wrappers or case removed" , 1 },
	[RECEIPT_LOOKALIKE_FIXED] = { "receipt.lookalike_fixed", SEV_INFO, "look-alike characters replaced" , 1 },
	[RECEIPT_BAD_CHARACTER] = { "receipt.bad_character", SEV_ERROR, "3 letters then 10 digits expected" },
	[RECEIPT_ALL_ZERO] = { "receipt.all_zero", SEV_ERROR, "the 10 digits are all zero" },
	[RECEIPT_BAD_LENGTH] = { "receipt.bad_length", SEV_ERROR, "13 characters expected" },
	[RECEIPT_MISSING_PREFIX] = { "receipt.missing_prefix", SEV_ERROR, "10 digits without the 3-letter office code" },
	[RECEIPT_UNKNOWN_PREFIX] = { "receipt.unknown_prefix", SEV_ERROR, "office code not in the prefix registry" },
	[RECEIPT_RARE_PREFIX] = { "receipt.rare_prefix", SEV_WARNING, "rarely seen office code" },
	[RECEIPT_IMPLAUSIBLE_DATE] = { "receipt.implausible_date", SEV_WARNING, "fiscal year or workday out of range" },
	[RECEIPT_ASTERISK] = { "receipt.asterisk", SEV_WARNING, "asterisk kept as on the notice" },
	[RECEIPT_DUPLICATE] = { "receipt.duplicate", SEV_WARNING, "receipt number seen in an earlier record" },

	[ANUMBER_MISSING] = { "anumber.missing", SEV_ERROR, "required A-Number is missing" },
	[ANUMBER_PLACEHOLDER] = { "anumber.placeholder", SEV_INFO, "placeholder read as no value" , 1 },
	[ANUMBER_FLOAT_SUFFIX] = { "anumber.float_suffix", SEV_INFO, "trailing .0 from a float round trip removed" , 1 },
	[ANUMBER_SCIENTIFIC_RECOVERED] = { "anumber.scientific_recovered", SEV_WARNING, "rebuilt from scientific notation" , 1 },
	[ANUMBER_SCIENTIFIC_NOTATION] = { "anumber.scientific_notation", SEV_ERROR, "scientific notation: digits were lost" },
	[ANUMBER_REFORMATTED] = { "anumber.reformatted", SEV_INFO, "spaces, separators, wrappers, prefix words or case changed" , 1 },
	[ANUMBER_LOOKALIKE_FIXED] = { "anumber.lookalike_fixed", SEV_INFO, "look-alike characters replaced" , 1 },
	[ANUMBER_BAD_CHARACTER] = { "anumber.bad_character", SEV_ERROR, "A and 7 to 9 digits expected" },
	[ANUMBER_ALL_ZERO] = { "anumber.all_zero", SEV_ERROR, "all digits are zero" },
	[ANUMBER_TOO_SHORT] = { "anumber.too_short", SEV_ERROR, "fewer than 7 digits" },
	[ANUMBER_TOO_LONG] = { "anumber.too_long", SEV_ERROR, "more than 9 digits" },
	[ANUMBER_REPEATED_DIGIT] = { "anumber.repeated_digit", SEV_WARNING, "one digit repeated: a placeholder typed by hand" },
	[ANUMBER_LOOKS_LIKE_RECEIPT] = { "anumber.looks_like_receipt", SEV_ERROR, "a receipt number: columns swapped?" },
	[ANUMBER_LOOKS_LIKE_OAN] = { "anumber.looks_like_oan", SEV_ERROR, "an online account number: columns swapped?" },
	[ANUMBER_PADDED] = { "anumber.padded", SEV_INFO, "zeros added to reach 9 digits" , 1 },
	[ANUMBER_CONFLICTING_NAME] = { "anumber.conflicting_name", SEV_WARNING, "same A-Number with a different client name" },

	[OAN_MISSING] = { "oan.missing", SEV_ERROR, "required online account number is missing" },
	[OAN_PLACEHOLDER] = { "oan.placeholder", SEV_INFO, "placeholder read as no value" , 1 },
	[OAN_FLOAT_SUFFIX] = { "oan.float_suffix", SEV_INFO, "trailing .0 from a float round trip removed" , 1 },
	[OAN_SCIENTIFIC_RECOVERED] = { "oan.scientific_recovered", SEV_WARNING, "rebuilt from scientific notation" , 1 },
	[OAN_SCIENTIFIC_NOTATION] = { "oan.scientific_notation", SEV_ERROR, "scientific notation: digits were lost" },
	[OAN_REFORMATTED] = { "oan.reformatted", SEV_INFO, "spaces, separators, wrappers or case removed" , 1 },
	[OAN_LOOKALIKE_FIXED] = { "oan.lookalike_fixed", SEV_INFO, "look-alike characters replaced" , 1 },
	[OAN_BAD_CHARACTER] = { "oan.bad_character", SEV_ERROR, "digits only expected" },
	[OAN_ALL_ZERO] = { "oan.all_zero", SEV_ERROR, "all digits are zero" },
	[OAN_BAD_LENGTH] = { "oan.bad_length", SEV_ERROR, "wrong number of digits" },
	[OAN_LOOKS_LIKE_ANUMBER] = { "oan.looks_like_anumber", SEV_ERROR, "an A-Number: columns swapped?" },
	[OAN_LOOKS_LIKE_RECEIPT] = { "oan.looks_like_receipt", SEV_ERROR, "a receipt number: columns swapped?" },
	[OAN_SHARED_ACCOUNT] = { "oan.shared_account", SEV_ERROR, "same account number on another person's record" },
	[OAN_UNEXPECTED_FOR_CONSULAR] = { "oan.unexpected_for_consular", SEV_WARNING, "account number on a consular processing record" },
	[OAN_MISSING_FOR_ONLINE_FILING] = { "oan.missing_for_online_filing", SEV_WARNING, "no account number on an online filing" },
};

/* Each kind's block must list the common codes in enum ident_common order. */
_Static_assert(ANUMBER_ALL_ZERO - ANUMBER_MISSING == COMMON_ALL_ZERO, "anumber block");
_Static_assert(OAN_ALL_ZERO - OAN_MISSING == COMMON_ALL_ZERO, "oan block");
_Static_assert(RECEIPT_ALL_ZERO - RECEIPT_MISSING == COMMON_ALL_ZERO, "receipt block");
_Static_assert(OAN_BAD_CHARACTER - OAN_MISSING == COMMON_BAD_CHARACTER, "oan block");

static const enum ident_code kind_base[] = {
	[IDENT_RECEIPT] = RECEIPT_MISSING,
	[IDENT_ANUMBER] = ANUMBER_MISSING,
	[IDENT_OAN] = OAN_MISSING,
};

enum ident_code common_code(enum ident_kind kind, enum ident_common which)
{
	return (enum ident_code)(kind_base[kind] + which);
}

int code_lookup(const char *name)
{
	for (int i = 0; i < CODE_COUNT; i++)
		if (strcmp(ident_codes[i].name, name) == 0)
			return i;
	return -1;
}

const char *ident_kind_name(enum ident_kind kind)
{
	switch (kind) {
	case IDENT_RECEIPT: return "receipt";
	case IDENT_ANUMBER: return "anumber";
	case IDENT_OAN: return "oan";
	}
	return "unknown";
}
