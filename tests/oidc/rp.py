#!/usr/bin/python3
# A relying party written by others against dvc-server's OpenID Provider:
# Authlib (python3-authlib) through the device grant and through the
# authorization code flow with PKCE, the browser step over plain HTTP and
# the phone step by dvc-phone; PyJWT (python3-jwt) verifying the id_token
# and the access token against the JWKS.  Each refusal the provider owes
# is asserted here; what the tokens say is printed as one JSON line for
# tests/integration/test_oidc.c to compare with the demo citizen.
#
# Usage: rp.py device|code ISSUER CLIENT_ID PHONE CCCD PASSCODE [REDIRECT]
import base64
import json
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse

import jwt
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey
from authlib.jose import jwt as authlib_jwt
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken, IDToken

DEVICE = "urn:ietf:params:oauth:grant-type:device_code"
WAIT_S = 60


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def phone_approve(phone, server, code, cccd, passcode):
    """The citizen approves on the VNeID app: dvc-phone login."""
    subprocess.run([phone, "--server", server, "login", code, "--cccd",
                    cccd, "--passcode", passcode], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=WAIT_S)


def verify_pyjwt(token, jwks_uri, iss, aud):
    """PyJWT: the signature by a key of the JWKS, iss, aud, exp."""
    key = jwt.PyJWKClient(jwks_uri).get_signing_key_from_jwt(token).key
    claims = jwt.decode(token, key, algorithms=["ES256"], audience=aud,
                        issuer=iss, options={"require": ["exp", "iat"]})
    # A token changed in one character of its claims is refused.
    head, body, sig = token.split(".")
    text = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    text["sub"] = "someone-else"
    forged = ".".join([head, base64.urlsafe_b64encode(json.dumps(
        text).encode()).decode().rstrip("="), sig])
    try:
        jwt.decode(forged, key, algorithms=["ES256"], audience=aud,
                   issuer=iss)
        raise AssertionError("PyJWT took a forged token")
    except jwt.InvalidSignatureError:
        pass
    try:
        jwt.decode(token, key, algorithms=["ES256"], audience="not-" + aud,
                   issuer=iss)
        raise AssertionError("PyJWT took another audience")
    except jwt.InvalidAudienceError:
        pass
    return claims


def verify_authlib(id_token, jwks, iss, client_id, cls, nonce=None):
    """Authlib: the id_token as OpenID Connect Core §3.1.3.7 checks it."""
    params = {"client_id": client_id}
    if nonce is not None:
        params["nonce"] = nonce
    claims = authlib_jwt.decode(
        id_token, JsonWebKey.import_key_set(jwks), claims_cls=cls,
        claims_options={"iss": {"essential": True, "value": iss}},
        claims_params=params)
    claims.validate(leeway=5)
    return dict(claims)


def device_flow(disc, client_id, phone, server, cccd, passcode):
    rp = OAuth2Session(client_id, scope="openid profile",
                       token_endpoint_auth_method="none")
    r = rp.post(disc["device_authorization_endpoint"], withhold_token=True,
                data={"client_id": client_id, "scope": "openid profile"})
    check(r.status_code == 200, "device_authorization %d" % r.status_code)
    da = r.json()
    phone_approve(phone, server, da["verification_uri_complete"], cccd,
                  passcode)
    deadline = time.time() + WAIT_S
    while True:
        try:
            return rp, rp.fetch_token(disc["token_endpoint"],
                                      grant_type=DEVICE,
                                      device_code=da["device_code"])
        except Exception as e:  # authlib's OAuthError
            if getattr(e, "error", "") not in ("authorization_pending",
                                               "slow_down"):
                raise
            check(time.time() < deadline, "no tokens in time")
            time.sleep(da.get("interval", 5))


def refusals(disc, client_id, redirect):
    """What the authorization endpoint owes a bad request."""
    auth = disc["authorization_endpoint"]
    good = {"response_type": "code", "client_id": client_id,
            "redirect_uri": redirect, "state": "s t&ä",
            "code_challenge": create_s256_code_challenge("v" * 43),
            "code_challenge_method": "S256", "scope": "openid"}
    # Never a redirect to a URI the client did not register.
    r = requests.get(auth, params=dict(good, redirect_uri=redirect + "x"),
                     allow_redirects=False)
    check(r.status_code == 400 and "Location" not in r.headers,
          "an unregistered redirect_uri: %d" % r.status_code)
    r = requests.get(auth, params=dict(good, client_id="nobody"),
                     allow_redirects=False)
    check(r.status_code == 400 and "Location" not in r.headers,
          "an unknown client: %d" % r.status_code)
    # The rest goes back with error and the state unchanged.
    for change, error in (({"code_challenge_method": "plain"},
                           "invalid_request"),
                          ({"code_challenge": None}, "invalid_request"),
                          ({"response_type": "token"},
                           "unsupported_response_type"),
                          ({"scope": "openid email"}, "invalid_scope")):
        q = {k: v for k, v in dict(good, **change).items() if v is not None}
        r = requests.get(auth, params=q, allow_redirects=False)
        check(r.status_code == 303, "%s: %d" % (change, r.status_code))
        loc = r.headers["Location"]
        check(loc.startswith(redirect + "?"), "redirected to " + loc)
        back = urllib.parse.parse_qs(urllib.parse.urlsplit(loc).query)
        check(back.get("error") == [error], "%s: %s" % (change, loc))
        check(back.get("state") == ["s t&ä"], "state changed: " + loc)


def qr_text(page, work):
    """The page's QR code (SVG squares) drawn as PGM, read by zbarimg."""
    svg = re.search(r'viewBox="0 0 (\d+) \d+".*?<path[^>]* d="([^"]*)"',
                    page)
    check(svg is not None, "no QR code on the page")
    side, scale = int(svg.group(1)), 4
    dark = set((int(x), int(y)) for x, y in
               re.findall(r"M(\d+) (\d+)h1v1h-1z", svg.group(2)))
    rows = bytearray()
    for y in range(side * scale):
        for x in range(side * scale):
            rows.append(0 if (x // scale, y // scale) in dark else 255)
    path = work + "/qr.pgm"
    with open(path, "wb") as f:
        f.write(b"P5 %d %d 255\n" % (side * scale, side * scale) + rows)
    out = subprocess.run(["zbarimg", "--raw", "-q", path],
                         capture_output=True, text=True, timeout=WAIT_S)
    return out.stdout.strip()


def browser(url, phone, server, cccd, passcode):
    """The browser over plain HTTP: the page, the phone, meta refresh."""
    r = requests.get(url, allow_redirects=False)
    check(r.status_code == 303, "authorize: %d" % r.status_code)
    page = r.headers["Location"]
    approved = False
    deadline = time.time() + WAIT_S
    while True:
        r = requests.get(page, allow_redirects=False)
        if r.status_code == 303:
            return r.headers["Location"]
        check(r.status_code == 200, "the page: %d" % r.status_code)
        m = re.search(r'http-equiv="refresh" content="(\d+)"', r.text)
        check(m is not None, "the page does not reload itself")
        code = re.search(r"<strong>([A-Z]{4}-[A-Z]{4})</strong>", r.text)
        check(code is not None and "<svg" in r.text,
              "the page shows no login code or QR code")
        if not approved:
            addr = re.search(r"Địa chỉ: (\S+)</p>", r.text).group(1)
            check(addr.endswith("/d/" + code.group(1).replace("-", "")),
                  "the address is not the code's: " + addr)
            read = qr_text(r.text, tempfile.gettempdir())
            check(read == addr, "the QR code reads %r, not %r" % (read, addr))
            phone_approve(phone, server, code.group(1), cccd, passcode)
            approved = True
        check(time.time() < deadline, "no approval in time")
        time.sleep(int(m.group(1)))


def code_flow(disc, client_id, redirect, phone, server, cccd, passcode):
    refusals(disc, client_id, redirect)
    rp = OAuth2Session(client_id, redirect_uri=redirect,
                       scope="openid profile", code_challenge_method="S256",
                       token_endpoint_auth_method="none")
    verifier = generate_token(48)
    nonce = generate_token(16)
    url, state = rp.create_authorization_url(
        disc["authorization_endpoint"], code_verifier=verifier, nonce=nonce)
    back = browser(url, phone, server, cccd, passcode)
    got = urllib.parse.parse_qs(urllib.parse.urlsplit(back).query)
    check(got.get("state") == [state], "state changed: " + back)
    # A wrong verifier is refused, and does not spend the code.
    r = requests.post(disc["token_endpoint"], data={
        "grant_type": "authorization_code", "code": got["code"][0],
        "redirect_uri": redirect, "client_id": client_id,
        "code_verifier": generate_token(48)})
    check(r.status_code == 400 and r.json()["error"] == "invalid_grant",
          "a wrong code_verifier: %d" % r.status_code)
    token = rp.fetch_token(disc["token_endpoint"], authorization_response=back,
                           code_verifier=verifier)
    # The code is exchanged once.
    r = requests.post(disc["token_endpoint"], data={
        "grant_type": "authorization_code", "code": got["code"][0],
        "redirect_uri": redirect, "client_id": client_id,
        "code_verifier": verifier})
    check(r.status_code == 400 and r.json()["error"] == "invalid_grant",
          "a code used twice: %d" % r.status_code)
    return rp, token, nonce


def main():
    mode, iss, client_id, phone, cccd, passcode = sys.argv[1:7]
    redirect = sys.argv[7] if len(sys.argv) > 7 else None
    server = iss.rsplit("/idp", 1)[0]
    disc = requests.get(iss + "/.well-known/openid-configuration").json()
    check(disc["issuer"] == iss, "discovery names another issuer")
    check("code" in disc["response_types_supported"], "no response type code")
    check(disc["code_challenge_methods_supported"] == ["S256"], "not S256")
    jwks = requests.get(disc["jwks_uri"]).json()
    nonce = None
    if mode == "device":
        rp, token = device_flow(disc, client_id, phone, server, cccd,
                                passcode)
        idt = verify_authlib(token["id_token"], jwks, iss, client_id, IDToken)
    else:
        rp, token, nonce = code_flow(disc, client_id, redirect, phone,
                                     server, cccd, passcode)
        idt = verify_authlib(token["id_token"], jwks, iss, client_id,
                             CodeIDToken, nonce)
    out = {"id_token": idt, "nonce": nonce}
    out["id_token_pyjwt"] = verify_pyjwt(token["id_token"], disc["jwks_uri"],
                                         iss, client_id)
    out["access"] = verify_pyjwt(token["access_token"], disc["jwks_uri"], iss,
                                 client_id)
    out["userinfo"] = rp.get(disc["userinfo_endpoint"]).json()
    # A refresh brings a new id_token of the same login.
    again = rp.refresh_token(disc["token_endpoint"])
    out["refreshed"] = verify_authlib(again["id_token"], jwks, iss, client_id,
                                      IDToken)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
