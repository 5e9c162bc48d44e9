/*
 * The citizen's signature settings ("Cập nhật chữ ký") as the client
 * reads and writes them: the list from GET /api/v1/signatures, the body
 * of "+ Thêm chữ ký" / "Lưu lại" (POST, or PUT to edit), the answer's
 * field errors, and the signature image checked as its path is typed
 * (the file exists and is a PNG or JPEG by its content).  The account is
 * not asked: it is the citizen's CCCD from VNeID, shown as fixed, and a
 * signature stored with another account is listed as invalid with why.
 * No curses; the file is the only I/O.
 */
#ifndef DVC_SIGNATURE_H
#define DVC_SIGNATURE_H

#include <stddef.h>

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
 * The portal's error answer {error, message, fields}: the message, and
 * one message per form field (NULL where none).  Fields the form does
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

#endif
