/*
 * libFuzzer target for one reader, chosen at build time with
 * -DREADER=reader_csv (reader_tsv, reader_ndjson, reader_xml, reader_json).
 * The input is a whole file as a firm might export it.  See fuzz_common.h
 * for what is checked beyond "no crash, no sanitizer report".
 */
#include "fuzz_common.h"

#ifndef READER
#error "build with -DREADER=reader_csv (or another reader)"
#endif

static struct parse_options opt = { .delimiter = ',', .header = 1 };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_load_map(&opt);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_reader(&READER, &opt, data, size);
	return 0;
}
