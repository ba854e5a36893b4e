#!/usr/bin/python3
"""Stand-in drbdadm and drbdsetup: a DRBD 8.4 node with one peer, for machines that
cannot load the DRBD module.

Installed as drbdadm, drbdsetup and drbdsetup-84 (symbolic links to this file) in a
directory put first in PATH. They keep the state of each resource in $SFT_DRBD_STANDIN/state.json and
print what drbd-utils 9.22 prints on a DRBD 8.4.11 kernel in that state, byte for byte
where tests/fixtures/drbd/84 holds a capture (errors and their exit codes included).
$SFT_DRBD_STANDIN/proc-drbd is kept as /proc/drbd would read; ocf:sft:drbd reads it
when SFT_PROC_DRBD names it. Every call is appended to $SFT_DRBD_STANDIN/calls.

Run as standin.py it is the test's handle on the peer and the kernel:
    standin.py init r0 [r1...]          resources in the configuration (minors 0, 1...)
    standin.py set r0 KEY=VALUE...      peer_connection=Connecting disk=Outdated open=true
    standin.py get r0 KEY               one value
    standin.py unload                   no module loaded (no proc-drbd)
Keys: up, role, disk, peer_connection, peer_role, peer_disk, open (the device is held
open), primary_refusals (drbdadm primary fails that many times first), fencing and
fence_peer (what drbdadm dump all prints; empty: not set).
"""

import fcntl
import json
import os
import sys

DIR = os.environ.get("SFT_DRBD_STANDIN", "/run/sft-drbd-standin")
STATE = os.path.join(DIR, "state.json")
PROC = os.path.join(DIR, "proc-drbd")
VERSION = "version: 8.4.11 (api:1/proto:86-101)\nsrcversion: F73C670A7EC572DB9CF3E5B \n"
REPLICATION_84 = {"Established": "Connected"}


def load():
    with open(STATE) as f:
        return json.load(f)


def save(state):
    tmp = STATE + ".tmp"
    with open(tmp, "w") as f:
        json.dump(state, f, indent=1)
    os.replace(tmp, STATE)
    write_proc(state)


def write_proc(state):
    if not state["loaded"]:
        if os.path.exists(PROC):
            os.unlink(PROC)
        return
    lines = [VERSION.rstrip("\n")]
    by_minor = {r["minor"]: r for r in state["resources"].values() if r["up"]}
    for minor in range(max(by_minor, default=-1) + 1):
        r = by_minor.get(minor)
        if r is None:
            lines.append("")
            continue
        cs = connection_84(r)
        mark = "C" if cs not in ("StandAlone",) else " "
        lines.append(f" {minor}: cs:{cs} ro:{r['role']}/{peer_role(r)} ds:{r['disk']}/{peer_disk(r)} {mark} r-----")
        lines.append("    ns:0 nr:0 dw:0 dr:0 al:0 bm:0 lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:0")
    with open(PROC + ".tmp", "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(PROC + ".tmp", PROC)


def connected(r):
    return r["peer_connection"] == "Connected"


def peer_role(r):
    return r["peer_role"] if connected(r) else "Unknown"


def peer_disk(r):
    return r["peer_disk"] if connected(r) else "DUnknown"


def replication(r):
    if not connected(r):
        return "Off"
    if r["peer_disk"] == "Inconsistent" and r["disk"] == "UpToDate":
        return "SyncSource"
    if r["disk"] == "Inconsistent" and r["peer_disk"] == "UpToDate":
        return "SyncTarget"
    return "Established"


def connection_84(r):
    c = r["peer_connection"]
    if c == "Connecting":
        return "WFConnection"
    if c == "Connected":
        return REPLICATION_84.get(replication(r), replication(r))
    return c


def events2(state, name):
    out = []
    for rname, r in state["resources"].items():
        if (name and rname != name) or not r["up"] or not state["loaded"]:
            continue
        conn = "" if r["peer_connection"] == "StandAlone" else " conn-name:peer"
        out.append(f"exists resource name:{rname} role:{r['role']} suspended:no")
        out.append(f"exists connection name:{rname} peer-node-id:0{conn} connection:{r['peer_connection']} role:{peer_role(r)}")
        out.append(f"exists device name:{rname} volume:0 minor:{r['minor']} disk:{r['disk']}")
        out.append(f"exists peer-device name:{rname} peer-node-id:0{conn} volume:0 replication:{replication(r)} "
                   f"peer-disk:{peer_disk(r)} resync-suspended:no")
    out.append("exists -")
    return "\n".join(out) + "\n"


def dump_all(state):
    """drbdadm dump all as drbd-utils 9.22 prints an 8.4 configuration: each resource
    with its fencing and fence-peer handler (keys fencing and fence_peer; empty: unset)."""
    out = ["# /etc/drbd.conf", "global {", "    usage-count no;", "}", ""]
    for name, r in state["resources"].items():
        out += [f"# resource {name} on standin: not ignored, not stacked", f"resource {name} {{",
                "    on standin {", f"        device           /dev/drbd{r['minor']} minor {r['minor']};",
                "        disk             /dev/vdb;", "        meta-disk        internal;", "    }"]
        if r.get("fencing", "resource-and-stonith"):
            out += ["    disk {", f"        fencing          {r.get('fencing', 'resource-and-stonith')};", "    }"]
        if r.get("fence_peer", "/usr/lib/drbd/sft-fence-peer"):
            out += ["    handlers {", f"        fence-peer       {r.get('fence_peer', '/usr/lib/drbd/sft-fence-peer')};",
                    "    }"]
        out += ["}", ""]
    return "\n".join(out) + "\n"


def fail(code, message):
    sys.stderr.write(message)
    return code


def not_allocated(r, what):
    return fail(10, f"{r['minor']}: Failure: (127) Device minor not allocated\nadditional info from kernel:\n"
                    f"unknown minor\nCommand 'drbdsetup-84 {what} {r['minor']}' terminated with exit code 10\n")


def state_change_failed(r, code, reason, what):
    return fail(code, f"{r['minor']}: State change failed: {reason}\n"
                      f"Command 'drbdsetup-84 {what} {r['minor']}' terminated with exit code {code}\n")


def drbdadm(argv, state):
    args = [a for a in argv if a not in ("--force",)]
    if args[:1] == ["--"]:
        args = args[1:]
    if args[:1] == ["-c"]:
        args = args[2:]
    if args[:1] == ["--stacked"]:
        return fail(1, f"'{args[-1]}' not defined in your config (for this host).\n")
    if args == ["--version"]:
        print("DRBDADM_BUILDTAG=GIT-hash:\\ 409097fe02187f83790b88ac3e0d94f3c167adab\\ reproducible\\ build\\,\\ 2023-01-09\\ 14:51:18")
        print("DRBDADM_API_VERSION=1\nDRBD_KERNEL_VERSION_CODE=0x08040b\nDRBDADM_VERSION_CODE=0x091600\nDRBDADM_VERSION=9.22.0")
        return 0
    if args == ["dump", "all"]:
        sys.stdout.write(dump_all(state))
        return 0
    if len(args) != 2:
        return fail(20, "stand-in drbdadm: expected ACTION RESOURCE\n")
    action, name = args
    r = state["resources"].get(name)
    if r is None:
        return fail(1, f"'{name}' not defined in your config (for this host).\n")
    if action == "sh-minor":
        print(r["minor"])
        return 0
    if action == "sh-dev":
        print(f"/dev/drbd{r['minor']}")
        return 0
    if action in ("adjust", "up"):
        state["loaded"] = True
        r["up"] = True
        return 0
    if action == "down":
        if r["up"] and r["open"] and r["role"] == "Primary":
            return fail(11, f"{name}: State change failed: (-12) Device is held open by someone\n"
                            f"additional info from kernel:\nfailed to demote\n"
                            f"Command 'drbdsetup-84 down {name}' terminated with exit code 11\n")
        r["up"] = False
        r["role"] = "Secondary"
        return 0
    if action == "outdate":
        if r["disk"] in ("UpToDate", "Consistent"):
            r["disk"] = "Outdated"
        return 0
    if action in ("role", "cstate", "dstate"):
        if action == "dstate" and not r["up"]:
            print("Consistent" if r["disk"] == "UpToDate" else r["disk"])
            return 0
        if not r["up"]:
            return not_allocated(r, action)
        print({"role": f"{r['role']}/{peer_role(r)}", "cstate": connection_84(r),
               "dstate": f"{r['disk']}/{peer_disk(r)}"}[action])
        return 0
    if not r["up"]:
        return not_allocated(r, action)
    if action == "primary":
        if r["primary_refusals"] > 0:
            r["primary_refusals"] -= 1
            return state_change_failed(r, 11, "(-1) Multiple primaries not allowed by config", "primary")
        if connected(r) and r["peer_role"] == "Primary":
            return state_change_failed(r, 11, "(-1) Multiple primaries not allowed by config", "primary")
        if r["disk"] != "UpToDate" and not (connected(r) and r["peer_disk"] == "UpToDate" and r["disk"] == "Diskless"):
            return state_change_failed(r, 17, "(-2) Need access to UpToDate data", "primary")
        r["role"] = "Primary"
        return 0
    if action == "secondary":
        if r["open"] and r["role"] == "Primary":
            return state_change_failed(r, 11, "(-12) Device is held open by someone", "secondary")
        r["role"] = "Secondary"
        return 0
    return fail(20, f"stand-in drbdadm: {action} is not modelled\n")


def drbdsetup(argv, state):
    if argv[:2] == ["events2", "--now"] and len(argv) <= 3:
        sys.stdout.write(events2(state, argv[2] if len(argv) == 3 else None))
        return 0
    return fail(20, f"stand-in drbdsetup: {' '.join(argv)} is not modelled\n")


def control(argv):
    if argv[:1] == ["init"]:
        os.makedirs(DIR, exist_ok=True)
        resources = {name: {"minor": i, "up": False, "role": "Secondary", "disk": "UpToDate",
                            "peer_connection": "Connected", "peer_role": "Secondary", "peer_disk": "UpToDate",
                            "open": False, "primary_refusals": 0,
                            "fencing": "resource-and-stonith", "fence_peer": "/usr/lib/drbd/sft-fence-peer"}
                     for i, name in enumerate(argv[1:])}
        save({"loaded": True, "resources": resources})
        return 0
    with locked():
        state = load()
        if argv[:1] == ["unload"]:
            state["loaded"] = False
        elif argv[:1] == ["set"] and len(argv) >= 3:
            r = state["resources"][argv[1]]
            for kv in argv[2:]:
                key, _, value = kv.partition("=")
                if key not in r:
                    return fail(2, f"standin.py: no key {key}\n")
                r[key] = {"true": True, "false": False}.get(value, int(value) if value.isdigit() else value)
        elif argv[:1] == ["get"] and len(argv) == 3:
            print(state["resources"][argv[1]][argv[2]])
            return 0
        else:
            return fail(2, __doc__)
        save(state)
    return 0


class locked:
    def __enter__(self):
        self.f = open(os.path.join(DIR, "lock"), "w")
        fcntl.flock(self.f, fcntl.LOCK_EX)

    def __exit__(self, *exc):
        self.f.close()


def main():
    tool = os.path.basename(sys.argv[0])
    if tool not in ("drbdadm", "drbdsetup", "drbdsetup-84"):
        return control(sys.argv[1:])
    with locked():
        with open(os.path.join(DIR, "calls"), "a") as log:
            log.write(" ".join([tool] + sys.argv[1:]) + "\n")
        state = load()
        rc = (drbdadm if tool == "drbdadm" else drbdsetup)(sys.argv[1:], state)  # -84: the same answers
        save(state)
    return rc


if __name__ == "__main__":
    sys.exit(main())
