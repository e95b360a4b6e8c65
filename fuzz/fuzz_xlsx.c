/*
 * libFuzzer target for the xlsx reader.  An input that starts with "PK" is
 * a whole workbook (the zip container and libzip's handling of it are
 * fuzzed); any other input is made into a valid workbook first, so that
 * the fuzzer spends its time in the XML parts: two little-endian 16-bit
 * lengths, then the shared strings and the styles of those lengths, then
 * the worksheet (the rest).  Each run goes through fuzz_reader() (see
 * fuzz_common.h for the checks).
 */
#include <zip.h>

#include "fuzz_common.h"

static struct parse_options opt = { .delimiter = ',', .header = 1 };

static const char workbook[] =
	"<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
	"<workbookPr date1904=\"0\"/><sheets><sheet name=\"Cases\" sheetId=\"1\" r:id=\"rId1\"/>"
	"</sheets></workbook>";
static const char rels[] =
	"<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"x/sharedStrings\" Target=\"sharedStrings.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"x/styles\" Target=\"styles.xml\"/></Relationships>";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_load_map(&opt);
	return 0;
}

static void add(zip_t *za, const char *name, const void *p, size_t n)
{
	zip_source_t *s = zip_source_buffer(za, p, n, 0);
	if (!s || zip_file_add(za, name, s, 0) < 0)
		abort();
}

/* Zips the parts into a workbook in memory; returns its bytes (malloc'd). */
static uint8_t *make_workbook(const uint8_t *data, size_t size, size_t *len)
{
	size_t ls = data[0] | (size_t)data[1] << 8, ly = data[2] | (size_t)data[3] << 8;
	const uint8_t *p = data + 4, *end = data + size;
	size_t strings = ls < (size_t)(end - p) ? ls : (size_t)(end - p);
	const uint8_t *styles = p + strings;
	size_t nstyles = ly < (size_t)(end - styles) ? ly : (size_t)(end - styles);
	const uint8_t *sheet = styles + nstyles;
	zip_error_t err;
	zip_source_t *buf = zip_source_buffer_create(NULL, 0, 0, &err);
	zip_t *za;

	if (!buf)
		abort();
	zip_source_keep(buf);
	za = zip_open_from_source(buf, ZIP_TRUNCATE, &err);
	if (!za)
		abort();
	add(za, "xl/workbook.xml", workbook, sizeof(workbook) - 1);
	add(za, "xl/_rels/workbook.xml.rels", rels, sizeof(rels) - 1);
	add(za, "xl/sharedStrings.xml", p, strings);
	add(za, "xl/styles.xml", styles, nstyles);
	add(za, "xl/worksheets/sheet1.xml", sheet, (size_t)(end - sheet));
	if (zip_close(za) < 0 || zip_source_open(buf) < 0 || zip_source_seek(buf, 0, SEEK_END) < 0)
		abort();
	zip_int64_t n = zip_source_tell(buf);
	uint8_t *out = malloc(n > 0 ? (size_t)n : 1);
	if (n < 0 || !out || zip_source_seek(buf, 0, SEEK_SET) < 0 || zip_source_read(buf, out, (zip_uint64_t)n) != n)
		abort();
	zip_source_close(buf);
	zip_source_free(buf);
	*len = (size_t)n;
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
		fuzz_reader(&reader_xlsx, &opt, data, size);
		return 0;
	}
	if (size < 4)
		return 0;
	size_t len;
	uint8_t *zip = make_workbook(data, size, &len);
	fuzz_reader(&reader_xlsx, &opt, zip, len);
	free(zip);
	return 0;
}
