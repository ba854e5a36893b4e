#!/usr/bin/python3
"""The stand-in prints what drbd-utils 9.22 printed on DRBD 8.4.11 in the same state.

For every state captured in tests/fixtures/drbd/84 (tests/real-drbd/capture-84.py), puts
the stand-in into that state and compares, byte for byte, the stdout, stderr and exit
code of `drbdsetup events2 --now r0` and `drbdadm role|cstate|dstate r0`, and of the
refusals drbdadm answers (held open, Outdated, two Primaries, not configured).
/proc/drbd is compared on its state words only: its counters are the kernel's.
"""

import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures", "drbd", "84")

UP = {"up": "true"}
STATES = {
    "primary-connected": dict(UP, role="Primary"),
    "secondary-connected": dict(UP, peer_role="Primary"),
    "primary-peer-down": dict(UP, role="Primary", peer_connection="Connecting"),
    "secondary-peer-down": dict(UP, peer_connection="Connecting"),
    "standalone": dict(UP, peer_connection="StandAlone"),
    "outdated-standalone": dict(UP, disk="Outdated", peer_connection="StandAlone"),
    "diskless": dict(UP, disk="Diskless"),
    "peer-diskless": dict(UP, peer_disk="Diskless"),
    "diskless-peer-primary": dict(UP, disk="Diskless", peer_role="Primary"),
    "primary-sync-source": dict(UP, role="Primary", peer_disk="Inconsistent"),
    "secondary-sync-target": dict(UP, disk="Inconsistent", peer_role="Primary"),
    "secondary-inconsistent": dict(UP, disk="Inconsistent", peer_disk="Inconsistent"),
    "down": {"up": "false"},
}
REFUSALS = {  # fixture -> (state, command)
    "error.primary-while-peer-primary": (dict(UP, peer_role="Primary"), ["drbdadm", "primary", "r0"]),
    "error.secondary-held-open": (dict(UP, role="Primary", open="true"), ["drbdadm", "secondary", "r0"]),
    "error.down-held-open": (dict(UP, role="Primary", open="true"), ["drbdadm", "down", "r0"]),
    "error.primary-outdated": (dict(UP, disk="Outdated", peer_connection="StandAlone"), ["drbdadm", "primary", "r0"]),
    "not-in-config.role": ({}, ["drbdadm", "role", "r9"]),
    "not-in-config.sh-minor": ({}, ["drbdadm", "sh-minor", "r9"]),
    "not-in-config.adjust": ({}, ["drbdadm", "adjust", "r9"]),
    "down.secondary": ({"up": "false"}, ["drbdadm", "secondary", "r0"]),
    "down.down": ({"up": "false"}, ["drbdadm", "down", "r0"]),
    "primary-connected.adjust": (dict(UP, role="Primary"), ["drbdadm", "adjust", "r0"]),
    "primary-sh-minor": (dict(UP, role="Primary"), ["drbdadm", "sh-minor", "r0"]),
    "primary-sh-dev": (dict(UP, role="Primary"), ["drbdadm", "sh-dev", "r0"]),
}
COMMANDS = {"events2-now": ["drbdsetup", "events2", "--now", "r0"], "role": ["drbdadm", "role", "r0"],
            "cstate": ["drbdadm", "cstate", "r0"], "dstate": ["drbdadm", "dstate", "r0"]}


def captured_exits():
    exits = {}
    with open(os.path.join(FIXTURES, "CAPTURED")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            name, _node, code, _command = line.rstrip("\n").split("\t")
            exits[name] = int(code)
    return exits


def fixture(name):
    path = os.path.join(FIXTURES, name)
    if not os.path.exists(path):
        return ""
    with open(path) as f:
        return f.read()


def state_words(proc):
    return re.findall(r"^\s*(\d+): cs:(\S+) ro:(\S+) ds:(\S+)", proc, re.M)


def main():
    exits = captured_exits()
    failures, checks = 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, SFT_DRBD_STANDIN=tmp, PATH=HERE + ":" + os.environ.get("PATH", ""))
        control = [os.path.join(HERE, "standin.py")]

        def setup(settings):
            subprocess.run(control + ["init", "r0"], env=env, check=True)
            if settings:
                subprocess.run(control + ["set", "r0"] + [f"{k}={v}" for k, v in settings.items()], env=env, check=True)

        def compare(name, argv):
            nonlocal failures, checks
            r = subprocess.run(argv, env=env, capture_output=True, text=True)
            want = (exits[name], fixture(name), fixture(name + ".stderr"))
            got = (r.returncode, r.stdout, r.stderr)
            checks += 1
            if got != want:
                failures += 1
                print(f"FAIL: {name} ({' '.join(argv)}): got {got!r}, captured {want!r}")
            else:
                print(f"ok: {name}")

        for state, settings in STATES.items():
            for suffix, argv in COMMANDS.items():
                setup(settings)
                compare(f"{state}.{suffix}", argv)
            proc_want = state_words(fixture(f"{state}.proc-drbd"))
            proc_want = [w for w in proc_want if w[0] == "0"]
            with open(os.path.join(tmp, "proc-drbd")) as f:
                proc_got = state_words(f.read())
            checks += 1
            if proc_got != proc_want:
                failures += 1
                print(f"FAIL: {state}.proc-drbd: got {proc_got}, captured {proc_want}")
            else:
                print(f"ok: {state}.proc-drbd")
        for name, (settings, argv) in REFUSALS.items():
            setup(settings)
            compare(name, argv)
    print(f"{checks - failures} of {checks} match the capture")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
