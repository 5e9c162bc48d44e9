/*
 * Vietnamese text in UTF-8: strict validation, NFC normalisation, display
 * width in terminal columns, folding for search, ASCII transliteration for
 * terminals without UTF-8 and Vietnamese alphabetical order.
 */
#ifndef DVC_UTF8_H
#define DVC_UTF8_H

#include <stddef.h>

#include "status.h"

/*
 * Whether the len bytes at s are well-formed UTF-8: no overlong forms, no
 * surrogates, nothing above U+10FFFF, no truncated sequence and no NUL byte.
 */
int		 utf8_valid(const char *s, size_t len);
/*
 * The length of the longest valid UTF-8 prefix, NUL bytes counted as
 * valid: the offset of the first bad byte, or len when there is none.
 */
size_t		 utf8_valid_prefix(const char *s, size_t len);

/*
 * Validates and converts to Unicode NFC, so a name typed with combining
 * marks compares equal to its precomposed form.  On success *out is a
 * NUL-terminated string, caller frees; on failure (STATUS_ERR_UTF8) *out is
 * NULL.
 */
enum status	 utf8_nfc(const char *s, size_t len, char **out);

/*
 * Display width in terminal columns: combining marks 0, East Asian wide
 * characters 2, control characters 0, others 1.  Invalid bytes count 1.
 */
size_t		 utf8_width(const char *s);
size_t		 utf8_width_n(const char *s, size_t len);

/*
 * The byte length of the longest prefix of s that fits in ncols columns
 * without splitting a character; combining marks that follow the last
 * character that fits stay with it.  Its width goes to *width_out when that
 * is not NULL.
 */
size_t		 utf8_fit(const char *s, size_t ncols, size_t *width_out);

/*
 * Text cut to ncols columns for a screen (caller frees): s whole when it
 * fits, else its longest prefix that fits with mark after it ("…", or
 * "..." on an ASCII terminal), the spaces before the mark dropped, so a
 * reader sees that something is cut.  A mark wider than ncols is cut.
 */
char		*utf8_ellipsize(const char *s, size_t ncols, const char *mark);

/*
 * One row of s wrapped to ncols columns: returns the bytes of the row
 * (up to a newline; when the text goes on, broken after the last space
 * that fits, a word longer than the row cut; at least one character
 * unless s is empty) and sets *next to where the next row starts, the
 * spaces and the newline between them skipped.
 */
size_t		 utf8_wrap(const char *s, size_t ncols, size_t *next);

/*
 * A copy of s (caller frees) of at most max bytes: s itself when it fits,
 * else its longest prefix that ends on a character boundary, followed by
 * "…", within max.  For a field with a byte limit (a provider's
 * transaction_desc), where a title is shortened visibly, never cut in a
 * character.  max must be at least 3.
 */
char		*utf8_shorten(const char *s, size_t max);

/*
 * Folds for search and matching: drops accents and tone marks, maps đ/Đ to
 * d, lower-cases, removes invisible format characters and collapses runs of
 * white space into one space with none at either end.  Vietnamese text
 * folds to plain ASCII ("Đăng ký khai sinh" -> "dang ky khai sinh");
 * letters with no ASCII fold are kept lower-cased.  *out is caller frees,
 * NULL on failure (STATUS_ERR_UTF8).
 */
enum status	 utf8_fold(const char *s, char **out);

/*
 * The words of s as SQLite's unicode61 tokenizer finds them: every run of
 * characters that are neither letters, digits nor of private use
 * (Unicode L, N, Co) becomes one space, none at either end ("1.001193"
 * -> "1 001193").  For text already folded by utf8_fold.  *out is caller
 * frees, NULL on failure (STATUS_ERR_UTF8).
 */
enum status	 utf8_words(const char *s, char **out);

/*
 * Transliterates to ASCII for terminals without UTF-8, case kept, without
 * iconv or locales: "Nguyễn Văn Đức" -> "Nguyen Van Duc", “ ” -> ", ‘ ’ -> ',
 * – — -> -, … -> ..., no-break spaces -> space, • -> *, → -> ->.  Any other
 * character with no ASCII form becomes one '_' (never '?'); invisible format
 * characters are dropped.  *out is caller frees, NULL on failure
 * (STATUS_ERR_UTF8).
 */
enum status	 utf8_to_ascii(const char *s, char **out);

/*
 * Vietnamese alphabetical order (a ă â b c d đ e ê g h i k l m n o ô ơ p q
 * r s t u ư v x y, with f j w z in their Latin places), word by word: each
 * word by its letters without regard to case, then by its tone in
 * dictionary order (ngang, huyền, hỏi, ngã, sắc, nặng).  Ties are broken by
 * case (lower first) and finally by bytes, so only identical strings
 * compare equal.  Returns <0, 0 or >0 like strcmp; NULL sorts as "".
 */
int		 utf8_vi_cmp(const char *a, const char *b);

/*
 * The same order with lengths, as a sqlite3_create_collation() comparator;
 * the strings need not be NUL-terminated and ctx is unused.  Invalid bytes
 * sort as U+FFFD.
 */
int		 utf8_vi_collate(void *ctx, int alen, const void *a, int blen,
		    const void *b);

#endif
