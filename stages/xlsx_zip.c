/*
 * Why libzip and not minizip: libzip (Debian libzip-dev) is maintained,
 * opens an archive from any seekable source (a file or a buffer, so tests
 * and the fuzz target read from memory), checks the archive's consistency
 * on request, reports encryption per entry, and gives an error code and
 * text for every failure.  The minizip in Debian (1.1) reads from memory
 * only through an I/O table of one's own and says little about what went
 * wrong.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "diag.h"
#include "xlsx_zip.h"

/* Whether libzip's error ERR is running out of memory, its own or
 * zlib's. */
static int out_of_memory(zip_error_t *err)
{
	int code = zip_error_code_zip(err);
	return code == ZIP_ER_MEMORY || (code == ZIP_ER_ZLIB && zip_error_code_system(err) == Z_MEM_ERROR);
}

/* ERRNO_SEEN is errno after the failed open, which was 0 before it:
 * libzip's open tries each end-of-central-directory record it finds and,
 * when reading one fails (for want of memory too), says only "not a zip
 * archive"; ENOMEM tells that case apart. */
static int bad_archive(struct xlsx_zip *z, zip_error_t *err, int errno_seen)
{
	int code = zip_error_code_zip(err);
	if (out_of_memory(err) || (code == ZIP_ER_NOZIP && errno_seen == ENOMEM))
		return diag_nomem("parse");
	const char *what = code == ZIP_ER_NOZIP ? "not a zip archive, or a truncated one"
			   : code == ZIP_ER_INCONS ? "a damaged zip archive" : "an unreadable zip archive";
	return diag(ST_INPUT, "parse", "%s: %s (%s)", z->name, what, zip_error_strerror(err));
}

/* Reports the failure ERR of the entry E: WHAT, then libzip's words. */
static int entry_failed(struct xlsx_entry *e, zip_error_t *err, const char *what)
{
	if (out_of_memory(err))
		return diag_nomem("parse");
	return diag(ST_INPUT, "parse", "%s: %s: %s(%s)", e->z->name, e->name, what, zip_error_strerror(err));
}

/* Copies the rest of a pipe into an unlinked temporary file. */
static int spool(struct xlsx_zip *z, struct input *in)
{
	char buf[64 * 1024];
	unsigned long long total = 0;
	ssize_t n;

	z->spool = tmpfile();
	if (!z->spool)
		return diag(ST_SYSTEM, "parse", "%s: cannot make a temporary file for the workbook: %s",
			    z->name, strerror(errno));
	while ((n = input_read_raw(in, buf, sizeof(buf))) > 0) {
		total += (unsigned long long)n;
		if (total > XLSX_MAX_SPOOL)
			return diag(ST_INPUT, "parse", "%s: a workbook read from a pipe may have at most "
				    "2 GiB (give it as a file)", z->name);
		if (fwrite(buf, 1, (size_t)n, z->spool) != (size_t)n)
			return diag(ST_SYSTEM, "parse", "%s: cannot write the temporary copy: %s", z->name,
				    strerror(errno));
	}
	if (n < 0)
		return ST_INPUT;
	if (fflush(z->spool) != 0)
		return diag(ST_SYSTEM, "parse", "%s: cannot write the temporary copy: %s", z->name,
			    strerror(errno));
	return ST_OK;
}

/* Whether NAME could land outside the folder the archive is unpacked in. */
static int unsafe_name(const char *name)
{
	if (name[0] == '/' || name[0] == '\\' || (name[0] && name[1] == ':'))
		return 1;
	for (const char *p = name; *p;) {
		size_t n = strcspn(p, "/\\");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 1;
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

/* Refuses archives with unsafe entry names or encrypted entries. */
static int check_entries(struct xlsx_zip *z)
{
	zip_int64_t n = zip_get_num_entries(z->za, 0);

	for (zip_int64_t i = 0; i < n; i++) {
		const char *name = zip_get_name(z->za, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
		zip_stat_t st;
		if (!name || zip_stat_index(z->za, (zip_uint64_t)i, 0, &st) != 0)
			return diag(ST_INPUT, "parse", "%s: a damaged zip archive (entry %lld: %s)", z->name,
				    (long long)i + 1, zip_strerror(z->za));
		if (unsafe_name(name))
			return diag(ST_INPUT, "parse", "%s: the archive has an entry named '%.200s', which "
				    "points outside it; refused", z->name, name);
		if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
			return diag(ST_INPUT, "parse", "%s: the archive's entry '%.200s' is encrypted; "
				    "casepipe cannot read encrypted workbooks", z->name, name);
	}
	return ST_OK;
}

int xlsx_zip_open(struct xlsx_zip *z, struct input *in)
{
	zip_error_t err;
	zip_source_t *src;
	struct stat st;

	memset(z, 0, sizeof(*z));
	z->name = in->name;
	zip_error_init(&err);
	if (in->mem) {
		src = zip_source_buffer_create(in->mem, in->mem_len, 0, &err);
	} else {
		FILE *fp = NULL;
		if (fstat(in->fd, &st) == 0 && S_ISREG(st.st_mode)) {
			int fd = dup(in->fd);
			fp = fd >= 0 ? fdopen(fd, "rb") : NULL;
			if (!fp && fd >= 0)
				close(fd);
			if (!fp)
				return diag(ST_SYSTEM, "parse", "%s: %s", z->name, strerror(errno));
		} else {
			int sst = spool(z, in);
			if (sst != ST_OK)
				return sst;
			fp = z->spool;
			z->spool = NULL; /* the source owns it now */
		}
		src = zip_source_filep_create(fp, 0, -1, &err);
		if (!src)
			fclose(fp);
	}
	if (!src) {
		int st2 = bad_archive(z, &err, 0);
		zip_error_fini(&err);
		return st2;
	}
	errno = 0;
	z->za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
	if (!z->za) {
		int errno_seen = errno;
		zip_source_free(src);
		int st2 = bad_archive(z, &err, errno_seen);
		zip_error_fini(&err);
		return st2;
	}
	zip_error_fini(&err);
	return check_entries(z);
}

void xlsx_zip_close(struct xlsx_zip *z)
{
	if (z->za)
		zip_discard(z->za);
	if (z->spool)
		fclose(z->spool);
	z->za = NULL;
	z->spool = NULL;
}

int xlsx_zip_has(struct xlsx_zip *z, const char *name)
{
	return zip_name_locate(z->za, name, ZIP_FL_ENC_RAW) >= 0;
}

int xlsx_entry_open(struct xlsx_entry *e, struct xlsx_zip *z, const char *name,
		    unsigned long long cap)
{
	zip_stat_t st;

	memset(e, 0, sizeof(*e));
	e->z = z;
	e->cap = cap;
	snprintf(e->name, sizeof(e->name), "%s", name);
	zip_int64_t i = zip_name_locate(z->za, name, ZIP_FL_ENC_RAW);
	if (i < 0)
		return diag(ST_INPUT, "parse", "%s: the workbook has no %.200s", z->name, name);
	if (zip_stat_index(z->za, (zip_uint64_t)i, 0, &st) != 0 || !(st.valid & ZIP_STAT_COMP_SIZE))
		return entry_failed(e, zip_get_error(z->za), "unreadable ");
	e->packed = st.comp_size ? st.comp_size : 1;
	e->f = zip_fopen_index(z->za, (zip_uint64_t)i, 0);
	if (!e->f)
		return entry_failed(e, zip_get_error(z->za), "cannot inflate ");
	return ST_OK;
}

ssize_t xlsx_entry_read(struct xlsx_entry *e, void *buf, size_t n)
{
	if (e->failed)
		return -1;
	zip_int64_t got = zip_fread(e->f, buf, n);
	if (got < 0) {
		e->failed = entry_failed(e, zip_file_get_error(e->f), "damaged ");
		return -1;
	}
	e->inflated += (unsigned long long)got;
	if (e->inflated > e->cap) {
		e->failed = diag(ST_INPUT, "parse", "%s: %s inflates to more than %llu %s; refused as a zip bomb",
		     e->z->name, e->name, e->cap >= (1 << 20) ? e->cap >> 20 : e->cap,
		     e->cap >= (1 << 20) ? "MiB" : "bytes");
		return -1;
	}
	if (e->inflated > XLSX_RATIO_FLOOR && e->inflated / e->packed > XLSX_MAX_RATIO) {
		e->failed = diag(ST_INPUT, "parse", "%s: %s inflates to more than %llu times its compressed size "
		     "(%llu bytes); refused as a zip bomb", e->z->name, e->name, XLSX_MAX_RATIO, e->packed);
		return -1;
	}
	return (ssize_t)got;
}

void xlsx_entry_close(struct xlsx_entry *e)
{
	if (e->f)
		zip_fclose(e->f);
	e->f = NULL;
}
