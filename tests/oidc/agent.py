#!/usr/bin/python3
# oidc-agent (Debian's oidc-agent-cli) logs in against dvc-server's
# identity provider through the device grant: its own agent on a socket
# of this run, oidc-gen with the public client dvc uses, the citizen
# approving on the phone (dvc-phone) the user code oidc-gen prints, and
# oidc-token handing out the access token, which is printed for
# tests/integration/test_oidc.c to use at the portal.
#
# Usage: agent.py ISSUER CLIENT_ID PHONE CCCD PASSCODE WORKDIR
import json
import os
import re
import signal
import subprocess
import sys
import time

WAIT_S = 60


def main():
    iss, client_id, phone, cccd, passcode, work = sys.argv[1:7]
    server = iss.rsplit("/idp", 1)[0]
    env = dict(os.environ, HOME=work, TMPDIR=work)
    sock = os.path.join(work, "agent.sock")
    out = subprocess.run(["oidc-agent", "--json", "--socket-path", sock],
                         env=env, capture_output=True, text=True, check=True,
                         timeout=WAIT_S)
    agent = json.loads(out.stdout)
    env["OIDC_SOCK"] = agent["socket"]
    gen = None
    try:
        # The answers oidc-gen would ask for are all given: no prompt.
        gen = subprocess.Popen(
            ["oidc-gen", "--issuer=" + iss, "--client-id=" + client_id,
             "--client-secret=", "--flow=device", "--scope=openid profile",
             "--redirect-uri=", "--no-save", "--confirm-default",
             "--no-url-call", "--pw-cmd=echo unused", "-m", "dvc"],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        text = ""
        deadline = time.time() + WAIT_S
        while "enter the code" not in text and time.time() < deadline:
            line = gen.stdout.readline()
            if line == "":
                break
            text += line
        m = re.search(r"enter the code: ([A-Z]{4}-[A-Z]{4})",
                      text + gen.stdout.readline())
        if m is None:
            raise SystemExit("oidc-gen showed no user code:\n" + text)
        subprocess.run([phone, "--server", server, "login", m.group(1),
                        "--cccd", cccd, "--passcode", passcode], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=WAIT_S)
        rest, _ = gen.communicate(timeout=WAIT_S)
        if gen.returncode != 0:
            raise SystemExit("oidc-gen failed:\n" + text + rest)
        tok = subprocess.run(["oidc-token", "dvc"], env=env,
                             capture_output=True, text=True, timeout=WAIT_S)
        if tok.returncode != 0 or tok.stdout.count(".") != 2:
            raise SystemExit("oidc-token failed: " + tok.stdout + tok.stderr)
        print(tok.stdout.strip())
    finally:
        if gen is not None and gen.poll() is None:
            gen.kill()
            gen.wait()
        os.kill(int(agent["dpid"]), signal.SIGTERM)


if __name__ == "__main__":
    main()
