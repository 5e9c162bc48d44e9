/*
 * The citizen's signature settings ("Cập nhật chữ ký") as the client
 * reads and writes them: the list from GET /api/v1/signatures, the body
 * of "+ Thêm chữ ký" / "Lưu lại" (POST, or PUT to edit), the answer's
 * field errors, and the signature image checked as its path is typed
 * (the file exists and is a PNG or JPEG by its content).  The account is
 * not asked: it is the citizen's CCCD from VNeID, shown as fixed, and a
 * signature stored with another account is listed as invalid with why.
 *
 * Flows (flow.h) that the curses screen, the line mode and the wizard's
 * choice of a signature drive alike: the list, with a delete and the
 * list asked again after it (signature_listing), the form
 * (signature_form: filled for an edit, checked as typed, saved with POST
 * or PUT and then the image, the portal's errors put by their fields),
 * and both on one run (signature_settings).
 * No curses; the image file is the only I/O.
 */
#ifndef DVC_SIGNATURE_H
#define DVC_SIGNATURE_H

#include <stddef.h>

#include "client/api.h"
#include "client/flow.h"
#include "client/request.h"
#include "status.h"

/* The form's fields, in the seed's order. */
enum signature_field {
	SIGNATURE_F_IMAGE,	/* the image's path (optional) */
	SIGNATURE_F_NAME,	/* Tên chữ ký* */
	SIGNATURE_F_PHONE,	/* Số điện thoại ký số* */
	SIGNATURE_F_KEYWORD,	/* Từ khóa định vị vị trí* */
	SIGNATURE_F_TYPE,	/* Loại chữ ký số: NEAC Sign */
	SIGNATURE_F_ACCOUNT,	/* Tài khoản: the CCCD from VNeID, shown */
	SIGNATURE_F_PROVIDER,	/* Nhà cung cấp */
	SIGNATURE_F__N
};

/* The API's name of a field ("phone"); "" for the image. */
const char	*signature_field_key(enum signature_field);

struct signature {
	char	*id;
	char	*name;
	char	*phone;
	char	*keyword;
	char	*account;
	char	*provider;
	char	*provider_name;
	char	*type_name;	/* "NEAC Sign" */
	int	 has_image;
	char	*valid_to;	/* the certificate's end, ISO 8601; may be "" */
	int	 invalid;	/* stored with another's account: cannot sign */
	char	*invalid_reason;	/* why, when invalid; else NULL */
};

struct signature_list {
	struct signature	*items;
	size_t			 n;
};

/* {items: [...]}; 0 or a status with a message in err. */
enum status	 signature_list_parse(const char *body, size_t len,
		    struct signature_list *, char *err, size_t errsz);
void		 signature_list_free(struct signature_list *);
/* One signature, as POST and PUT answer. */
enum status	 signature_parse(const char *body, size_t len,
		    struct signature *, char *err, size_t errsz);
void		 signature_free(struct signature *);

/*
 * What "Lưu lại" sends; NULL or "" members are left out.  There is no
 * account: the portal takes the citizen's own CCCD from the token.
 */
struct signature_input {
	const char	*name;
	const char	*phone;
	const char	*keyword;
	const char	*provider;
};

/*
 * The account as the form shows it, fixed: "CCCD theo VNeID: <cccd>"
 * (cccd may be NULL while it is not known yet); static storage.
 */
const char	*signature_account_text(const char *cccd, enum lang);

/* The JSON body, with type "neac"; caller frees. */
char		*signature_input_json(const struct signature_input *);

/*
 * The portal's error answer {error, message, fields} in dvc's words
 * (client/refusal.h), in lang: the message for its code, and the words
 * for each form field's code (NULL where none).  Fields the form does
 * not have are added to the message.  Caller frees with
 * signature_errors_free.
 */
struct signature_errors {
	char	*message;
	char	*fields[SIGNATURE_F__N];
};

void		 signature_errors_parse(const char *body, size_t len,
		    long http_status, enum lang, struct signature_errors *);
void		 signature_errors_free(struct signature_errors *);
/* Whether any field has a message. */
int		 signature_errors_any(const struct signature_errors *);

/*
 * Checks the image at path: STATUS_OK with a description ("PNG
 * 400×120, 12 KB") in msg, else a message for people in msg.  The empty
 * path is STATUS_OK with msg "" (the image is optional).  When data is
 * not NULL and the image is good, *data and *len get its bytes (caller
 * frees).
 */
enum status	 signature_image_check(const char *path, enum lang,
		    char *msg, size_t msgsz, char **data, size_t *len);

/*
 * Checks a signing phone number: STATUS_OK when it is a mobile number in
 * use, else STATUS_ERR_INVALID with what is wrong in msg.  typing: as it
 * is being typed, a number still too short is let be.
 */
enum status	 signature_phone_check(const char *v, int typing, enum lang,
		    char *msg, size_t msgsz);

/* The requests, each with the access token. */
/* GET /api/v1/signatures. */
void		 signature_list_request(struct request *);
/* POST /api/v1/signatures, or PUT /api/v1/signatures/{id} (id not NULL). */
void		 signature_save_request(struct request *, const char *id,
		    const struct signature_input *);
/* PUT /api/v1/signatures/{id}/image: len bytes of a PNG or JPEG. */
void		 signature_image_request(struct request *, const char *id,
		    const char *data, size_t len);
/* GET /api/v1/signatures/{id}/image. */
void		 signature_image_get_request(struct request *, const char *id);
/* DELETE /api/v1/signatures/{id}. */
void		 signature_delete_request(struct request *, const char *id);

/* Where one of the flows below stands. */
enum signature_state {
	SIGNATURE_IDLE,		/* nothing asked */
	SIGNATURE_WANTED,	/* asked, to be sent */
	SIGNATURE_LOADING,	/* sent, not answered yet */
	SIGNATURE_READY,	/* answered as hoped */
	SIGNATURE_FAILED	/* message says why */
};

/*
 * The list, and a delete from it.  The list shown stays until the next
 * answer replaces it (a failure empties it); answers counts the answers
 * taken.  A delete that succeeds asks for the list again in the same
 * run, so the list that follows it is the portal's.
 */
struct signature_listing {
	enum signature_state	 state;		/* of the list */
	enum lang		 lang;
	struct signature_list	 list;
	unsigned		 answers;
	char			 message[256];	/* why the list failed */
	enum signature_state	 deleting;	/* of the last delete */
	char			*delete_id;
	char			 delete_message[256];
	int			 sending_delete;	/* what is on the way */
};

extern const struct flow_ops signature_listing_flow;

void		 signature_listing_init(struct signature_listing *, enum lang);
void		 signature_listing_free(struct signature_listing *);
/* Asks for the list (again); pump the flow's run. */
void		 signature_listing_load(struct signature_listing *);
/*
 * Asks to delete item i of the list (then the list again): 1, or 0 when
 * i is not in the list or a delete is already asked.
 */
int		 signature_listing_delete(struct signature_listing *, size_t i);

/*
 * "+ Thêm chữ ký" or "Sửa chữ ký": the values as typed (the image's
 * path, the name, the phone, the keyword; the provider as an index of
 * the portal's providers), the image checked as its path is set and its
 * bytes kept for the preview and the upload; "Lưu lại" sends POST (a new
 * one) or PUT, then, when an image is given, PUT .../image.  On a
 * refusal errors holds the portal's words by field and message its
 * message; a failure on the way has only message.  When the signature is
 * saved (SIGNATURE_READY) id is its id; image_sent says the image went
 * too, image_failed that it did not (image_msg says why): the signature
 * is saved without it and a save again is a PUT.  An answer that comes
 * after the form was started again is dropped.  Editing a signature that
 * has an image fetches that image first (current, current_state), to be
 * shown; a save asked meanwhile follows it.  The phone number is checked
 * as it is typed and again whole when left and on "Lưu lại"; its words
 * are errors.fields[SIGNATURE_F_PHONE].
 */
struct signature_form {
	enum signature_state	 state;
	enum lang		 lang;
	char			*id;		/* edited or saved; NULL: new */
	char			*v[SIGNATURE_F__N];	/* "" when none */
	size_t			 provider;	/* api_info's providers */
	int			 image_ok;	/* the path is "" or good */
	char			 image_msg[256];	/* the check's words */
	char			*image;		/* its bytes, when good */
	size_t			 image_len;
	int			 image_sent;
	int			 image_failed;
	struct signature_errors	 errors;
	char			 message[256];
	int			 step;		/* the form's or the image's */
	struct request		 want;		/* while SIGNATURE_WANTED */
	enum signature_state	 current_state;	/* of the image it has */
	char			*current;	/* its bytes, when READY */
	size_t			 current_len;
	char			 current_desc[64];	/* "PNG 400×120, 12 KB" */
	int			 save_after;	/* a save waits for it */
};

extern const struct flow_ops signature_form_flow;

void		 signature_form_init(struct signature_form *, enum lang);
void		 signature_form_free(struct signature_form *);
/*
 * Starts the form again: empty for a new signature (sig NULL), else
 * filled with sig, its provider found among info's (info may be NULL).
 */
void		 signature_form_edit(struct signature_form *,
		    const struct signature *sig, const struct api_info *info);
/*
 * Sets field f (the image's path, the name, the phone or the keyword)
 * to a copy of v, forgetting the portal's error about it; the image's
 * path is checked at once (image_ok, image_msg, image).
 */
void		 signature_form_set(struct signature_form *,
		    enum signature_field f, const char *v);
/* Whether a save is asked or on the way. */
int		 signature_form_saving(const struct signature_form *);
/* The whole check of a field the citizen leaves (the phone number). */
void		 signature_form_leave(struct signature_form *,
		    enum signature_field f);
/*
 * "Lưu lại": checks the image and the phone number again and asks for
 * the save with the provider chosen among info's.  0 when nothing is to
 * be sent: a save is on the way, the image is wrong (image_ok 0,
 * image_msg says why) or the phone number is (its field's words); else 1
 * (pump the flow's run).
 */
int		 signature_form_save(struct signature_form *,
		    const struct api_info *info);
/*
 * What becomes of the image a signature being edited has, for people:
 * loading, kept by a save (with what it is), replaced by the one typed,
 * kept until a valid one is typed, or kept though it could not be
 * shown; "" for a new signature or one without an image.
 */
void		 signature_form_image_note(const struct signature_form *,
		    char *out, size_t outsz);
/*
 * The first field the portal found wrong, in the form's order (the
 * image, the name, the phone, the keyword, the account, the provider),
 * or -1.
 */
int		 signature_form_wrong(const struct signature_form *);

/*
 * "Cập nhật chữ ký" whole: the list and the form on one run, so that
 * the list is asked again as soon as a save ends, in the same run as
 * the save (as the listing does after a delete).  The form's requests
 * go first.
 */
struct signature_settings {
	struct signature_listing list;
	struct signature_form	 form;
	int			 sending_form;	/* what is on the way */
};

extern const struct flow_ops signature_settings_flow;

void		 signature_settings_init(struct signature_settings *,
		    enum lang);
void		 signature_settings_free(struct signature_settings *);

#endif
