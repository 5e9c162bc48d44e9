/*
 * Vietnamese typing without an input method: the Telex and VNI
 * conventions, as Unikey applies them, for the text fields of the
 * terminal client and the questions of its line mode.
 *
 * A key either is plain text, or it changes the word just before the
 * cursor: in Telex "aa" -> â, "aw" -> ă, "ee" -> ê, "oo" -> ô, "ow" -> ơ,
 * "uw" -> ư ("uow" -> ươ), "w" alone -> ư, "dd" -> đ, and the tones
 * s (sắc) f (huyền) r (hỏi) x (ngã) j (nặng), z removing the tone; in VNI
 * 6 -> circumflex, 7 -> horn, 8 -> breve, 9 -> đ, 1 to 5 the tones and
 * 0 removing it.  Typing the same change twice undoes it and keeps the
 * key as a letter ("ass" -> "as", "dd" + "d" -> "dd").  The tone goes on
 * the vowel the spelling rules say, and moves when the vowels change
 * ("Nguyeenx" and "Nguyenxe" both give "Nguyễn").  Output is NFC.
 */
#ifndef DVC_TELEX_H
#define DVC_TELEX_H

#include <stddef.h>
#include <stdint.h>

enum telex_method {
	TELEX_OFF,
	TELEX_TELEX,
	TELEX_VNI
};

/*
 * Applies key (a Unicode code point) to the text before the cursor, the
 * len bytes of UTF-8 at before.  Returns 1 when the key changed the word
 * at the end of that text: the caller replaces its last *replace_len
 * bytes with *replacement (UTF-8, NFC, caller frees).  Returns 0 when the
 * key is plain text to insert as typed.
 */
int		 telex_key(enum telex_method, const char *before, size_t len,
		    uint32_t key, size_t *replace_len, char **replacement);

/*
 * Types a whole string of keys into empty text, as the line mode does
 * with a line read from the user.  Caller frees; NULL if keys is not
 * valid UTF-8.
 */
char		*telex_type(enum telex_method, const char *keys);

/* "Telex", "VNI" or "" (off): the indicator a field shows. */
const char	*telex_name(enum telex_method);
/*
 * The method as a stored word ("telex", "vni", "off"), and back
 * (anything else is TELEX_OFF).
 */
const char	*telex_key_name(enum telex_method);
enum telex_method telex_parse(const char *);

#endif
