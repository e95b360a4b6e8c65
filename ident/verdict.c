#include <string.h>

#include "ident_int.h"

void verdict_add(struct ident_verdict *v, const struct ident_rules *rules,
		 enum ident_code code, const char *suggestion,
		 const char *message)
{
	struct ident_finding *f;

	if (!rules->enabled[code] || v->nfindings == IDENT_MAX_FINDINGS)
		return;
	f = &v->findings[v->nfindings++];
	f->code = code_name(code);
	f->severity = rules->severity[code];
	f->repair = ident_codes[code].repair;
	f->message = message ? message : code_default_message(code);
	f->suggestion[0] = '\0';
	if (suggestion) {
		size_t n = strlen(suggestion);

		if (n >= sizeof f->suggestion)
			n = sizeof f->suggestion - 1;
		memcpy(f->suggestion, suggestion, n);
		f->suggestion[n] = '\0';
	}
	if (f->severity == SEV_ERROR)
		v->nerrors++;
}

const struct ident_finding *ident_verdict_find(const struct ident_verdict *v,
					       const char *code)
{
	for (int i = 0; i < v->nfindings; i++)
		if (strcmp(v->findings[i].code, code) == 0)
			return &v->findings[i];
	return NULL;
}
