/*
 * The steps of the dossier flow in the real dvc, driven through the pty
 * harness (tui.h): shared by the scenarios in tests/tui/ and the client
 * benchmarks in bench/, so both walk the same path.  Each step checks
 * the screens it passes (text, and the cursor on the focused item) and
 * returns 0, or -1 after printing the screen to stderr.
 */
#ifndef DVC_TEST_FLOW_H
#define DVC_TEST_FLOW_H

#include <stddef.h>

struct test_citizen;
struct test_phone;
struct tui;

/*
 * The time a step waits for each screen: a deadline for a loaded machine,
 * not a measurement (a wait ends as soon as the screen is there).
 */
#define FLOW_WAIT_MS	60000

/* From home, logged in: "+ Thêm chữ ký" (VNPT, 0912345678); ends home. */
int	 flow_add_signature(struct tui *);
/*
 * From home: the search without diacritics, the procedure "Xóa đăng ký
 * thường trú" (1.003197), "s": the wizard's first page.
 */
int	 flow_open_wizard(struct tui *);
/*
 * The first page: the identity's data fixed, the phone (last: the one the
 * portal offers from the dossier before, waited for and typed over; NULL
 * when there was none), the address (the street in Telex).
 */
int	 flow_fill_first_page(struct tui *, const struct test_citizen *,
	    const char *last);
/*
 * The rest of the form, the file at attach (NULL: none), the review,
 * the signature, "Ký số": ends on the wait with the phone's request in
 * id and its control code in cc, both checked against the screen, as is
 * its list of documents.
 */
int	 flow_fill_and_sign(struct tui *, struct test_phone *,
	    const char *attach, char *id, size_t idsz, char cc[5]);
/* From a signed signing: "Nộp hồ sơ"; the dossier's code into code. */
int	 flow_submit(struct tui *, char *code, size_t codesz);
/* From the receipt, Tab to "Về trang chủ" and Enter: home.  0 or -1. */
int	 flow_home(struct tui *);

#endif
