/*
 * The line mode's text for a speech synthesiser (dvc --plain --speech):
 * a line as the line mode would write it, reworded so that a screen
 * reader or espeak-ng reads it as a person would say it.  Dates become
 * "ngày 7 tháng 12 năm 2026", times "14 giờ 50", ranges "từ 1 đến 6";
 * control codes, login codes, document ids and long numbers (a phone, a
 * CCCD) go character by character; a masked number ("001******001")
 * its digits spelled and its stars counted ("6 số ẩn"); codes in groups
 * (a dossier's, a procedure's) group by group, each spelled; "…", "→",
 * box drawing and block characters (a QR code) go, " — " becomes a
 * pause, and a key the help names alone ("?", "<", "-") is said by its
 * name.  Web addresses and paths are left as they are.  The compact form
 * stays the line mode's default, for braille.
 */
#ifndef DVC_SPEECH_H
#define DVC_SPEECH_H

#include "status.h"

/* s reworded for speech, in lang's words.  Caller frees. */
char	*speech_text(const char *s, enum lang lang);

#endif
