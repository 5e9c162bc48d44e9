/*
 * JSON documents as the client and server exchange them, on top of cJSON:
 * strict parsing of untrusted bytes and typed field access that says which
 * field is wrong and why.
 *
 * json_parse() takes an explicit length and refuses, before cJSON sees the
 * input, invalid UTF-8 (overlongs, surrogates, past U+10FFFF, truncated
 * sequences), NUL bytes, raw control characters, \u0000 and lone
 * surrogates inside strings, and nesting deeper than JSON_MAX_DEPTH; after
 * parsing it refuses trailing garbage and any object that repeats a key,
 * at any depth.  json_parse_path() names where.
 */
#ifndef DVC_JSON_H
#define DVC_JSON_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "status.h"

/* Most nested objects and arrays a document may have; the top counts. */
#define JSON_MAX_DEPTH	64

/*
 * Parses len bytes of data, which need not be NUL-terminated.  On success
 * *out is the document (caller frees with cJSON_Delete).  On failure *out is
 * NULL, the return is STATUS_ERR_UTF8 (invalid UTF-8, a lone surrogate),
 * STATUS_ERR_JSON (with the byte offset in err), STATUS_ERR_DUPLICATE
 * (naming the key in err) or STATUS_ERR_TOOBIG (nesting), and err holds an
 * English message.  err may
 * be NULL or errsz 0.
 */
enum status	 json_parse(const char *data, size_t len, cJSON **out,
		    char *err, size_t errsz);

/* The longest path json_parse_path() writes, its NUL included. */
#define JSON_PATH_MAX	256

/*
 * json_parse, and the path of the value at fault where there is one,
 * keys joined by '.' and array elements as "[i]": the value that holds
 * invalid UTF-8, a lone surrogate (\ud800 with no low half), \u0000, a
 * control character or a NUL ("data.nyc_dia_chi.street"), or the key that
 * appears twice ("data.ho_ten"), also named in err; "" when the fault is
 * in no value (malformed JSON, too deep) and on success.  path may be
 * NULL or pathsz 0; a longer path is cut and ends in "...".
 */
enum status	 json_parse_path(const char *data, size_t len, cJSON **out,
		    char *err, size_t errsz, char *path, size_t pathsz);

/*
 * What a getter found wrong: the field's name, the status (STATUS_OK when
 * nothing: STATUS_ERR_MISSING, _TYPE or _INVALID), the bounds a number
 * was out of (STATUS_ERR_INVALID from json_get_int) and a message in
 * English such as: field "cccd" is missing.
 */
struct json_err {
	char		field[64];
	enum status	status;
	long long	min, max;
	char		message[160];
};

/* Clears e to STATUS_OK and empty strings. */
void		 json_err_clear(struct json_err *);

/*
 * The typed getters.  obj is an object (anything else counts as having no
 * fields).  When the field is absent or JSON null and required is 0, they
 * return STATUS_OK and leave *out as it was, so the caller sets the default
 * first; when required is 1 that is STATUS_ERR_MISSING.  A value of the
 * wrong type is STATUS_ERR_TYPE; a value out of range STATUS_ERR_INVALID.
 * On error e (may be NULL) says which field and why.  Strings and
 * sub-objects returned point into obj and live as long as it does.
 */
enum status	 json_get_string(const cJSON *obj, const char *key,
		    int required, const char **out, struct json_err *e);
/* An integral number in [min, max] (and within +/-2^53, exact in a double). */
enum status	 json_get_int(const cJSON *obj, const char *key, int required,
		    long long min, long long max, long long *out,
		    struct json_err *e);
/* *out is set to 0 or 1. */
enum status	 json_get_bool(const cJSON *obj, const char *key, int required,
		    int *out, struct json_err *e);
enum status	 json_get_object(const cJSON *obj, const char *key,
		    int required, const cJSON **out, struct json_err *e);
enum status	 json_get_array(const cJSON *obj, const char *key,
		    int required, const cJSON **out, struct json_err *e);
/*
 * An identifier (CCCD, phone number, code) which must be a non-empty
 * string: a JSON number is a type error, because numbers lose leading
 * zeros and every CCCD starts with 0.  The caller checks the format.
 */
enum status	 json_get_id(const cJSON *obj, const char *key, int required,
		    const char **out, struct json_err *e);

/*
 * Reads and parses a file of at most max bytes.  On failure err names the
 * file and the problem: STATUS_ERR_IO, STATUS_ERR_TOOBIG or json_parse's.
 */
enum status	 json_load_file(const char *path, size_t max, cJSON **out,
		    char *err, size_t errsz);

/* The document without whitespace; caller frees.  Never NULL. */
char		*json_print(const cJSON *);

#endif
