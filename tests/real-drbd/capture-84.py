#!/usr/bin/python3
"""Captures what DRBD 8.4 and drbd-utils 9 really print, for the parsers' fixtures.

    tests/real-drbd/capture-84.py WORK OUT

WORK holds vmlinuz and initrd.img (build-guest.sh WORK). Two guests, alpha and bravo,
each with two disks: resources r0 (minor 0, /dev/vda) and r1 (minor 1, /dev/vdb). The
script walks them through the states the agent must read and saves, for each, the exact
stdout of `drbdsetup events2 --now`, /proc/drbd, `drbdadm role|cstate|dstate` and a
few more into OUT/NAME, and one
line per file into OUT/CAPTURED (node, exit code, command); stderr, when there is
any, goes to OUT/NAME.stderr. Rerun it to refresh
the fixtures after a kernel or drbd-utils update; the files are committed.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guests import Bed, GuestError  # noqa: E402

CONFIG = """global { usage-count no; }
common {
  net { protocol C; ping-int 3; connect-int 2; }
  disk { c-plan-ahead 0; resync-rate 2M; }
}
resource r0 {
  on alpha { device /dev/drbd0; disk /dev/vda; address 10.99.0.1:7789; meta-disk internal; }
  on bravo { device /dev/drbd0; disk /dev/vda; address 10.99.0.2:7789; meta-disk internal; }
}
resource r1 {
  on alpha { device /dev/drbd1; disk /dev/vdb; address 10.99.0.1:7790; meta-disk internal; }
  on bravo { device /dev/drbd1; disk /dev/vdb; address 10.99.0.2:7790; meta-disk internal; }
}
"""


class Capture:
    def __init__(self, out):
        self.out = out
        os.makedirs(out, exist_ok=True)
        self.lines = []

    def save(self, guest, name, command):
        rc, stdout = guest.call(f"{command} 2>/dev/null")
        _, stderr = guest.call(f"{command} 2>&1 >/dev/null")
        with open(os.path.join(self.out, name), "w") as f:
            f.write(stdout)
        if stderr:
            with open(os.path.join(self.out, name + ".stderr"), "w") as f:
                f.write(stderr)
        self.lines.append(f"{name}\t{guest.name}\t{rc}\t{command}")
        print(f"  {name}: exit {rc}", flush=True)

    def state(self, guest, prefix, resource="r0"):
        """events2, /proc/drbd and the three drbdadm words for one resource."""
        self.save(guest, f"{prefix}.events2-now", f"drbdsetup events2 --now {resource}")
        self.save(guest, f"{prefix}.proc-drbd", "cat /proc/drbd")
        for word in ("role", "cstate", "dstate"):
            self.save(guest, f"{prefix}.{word}", f"drbdadm {word} {resource}")

    def finish(self):
        with open(os.path.join(self.out, "CAPTURED"), "w") as f:
            f.write("# file\tnode\texit\tcommand (stderr, when any, in FILE.stderr)\n")
            f.write("\n".join(self.lines) + "\n")


def main():
    work, out = sys.argv[1], sys.argv[2]
    bed = Bed(work, disk_mib=32, disks=2)
    cap = Capture(out)
    try:
        a, b = bed.start("alpha", "bravo")
        for g in (a, b):
            g.run(f"cat >/etc/drbd.conf <<'EOF'\n{CONFIG}EOF")
        cap.save(a, "version", "drbdadm --version")
        cap.save(a, "loaded-no-resource.proc-drbd", "cat /proc/drbd")
        cap.save(a, "not-in-config.sh-minor", "drbdadm sh-minor r9")
        cap.save(a, "not-in-config.adjust", "drbdadm adjust r9")
        cap.save(a, "unconfigured.role", "drbdadm role r0")
        cap.save(a, "unconfigured.cstate", "drbdadm cstate r0")
        cap.save(a, "unconfigured.dstate", "drbdadm dstate r0")
        cap.save(a, "unconfigured.sh-minor", "drbdadm sh-minor r0")
        cap.save(a, "not-in-config.role", "drbdadm role r9")
        cap.save(a, "unconfigured.status-json", "drbdsetup status r0 --json")
        cap.save(a, "unconfigured.status", "drbdsetup status r0")
        cap.save(a, "unconfigured.events2-now", "drbdsetup events2 --now r0")
        for g in (a, b):
            g.run("drbdadm -- --force create-md all && drbdadm up all")
        a.wait_for("drbdadm cstate r0", r"^Connected", 60)
        b.wait_for("drbdadm cstate r1", r"^Connected", 60)
        cap.state(a, "secondary-inconsistent")
        a.run("drbdadm primary --force all")
        a.wait_for("cat /proc/drbd", r"cs:SyncSource", 30)
        cap.state(a, "primary-sync-source")
        cap.state(b, "secondary-sync-target")
        a.run("drbdadm disk-options --resync-rate=500M all")
        a.wait_for("cat /proc/drbd", r"(?s)0: cs:Connected.*ds:UpToDate/UpToDate.*1: cs:Connected.*ds:UpToDate/UpToDate", 120)
        a.run("drbdadm secondary r1")
        cap.state(a, "primary-connected")
        cap.state(b, "secondary-connected")
        cap.state(a, "two-resources-r1", resource="r1")
        cap.save(a, "dstate-all", "drbdadm dstate all")
        cap.save(b, "error.primary-while-peer-primary", "drbdadm primary r0")
        a.run("mkfs.ext4 -q /dev/drbd0 && mount /dev/drbd0 /mnt/data")
        cap.save(a, "error.secondary-held-open", "drbdadm secondary r0")
        cap.save(a, "error.down-held-open", "drbdadm down r0")
        a.run("umount /mnt/data")
        cap.save(a, "primary-connected.adjust", "drbdadm adjust r0")
        cap.save(a, "primary-connected.events2-now-all", "drbdsetup events2 --now")
        cap.save(a, "primary-connected.status", "drbdsetup status r0 --verbose")

        b.run("drbdadm down r0")
        a.wait_for("drbdadm cstate r0", r"^WFConnection", 30)
        cap.state(a, "primary-peer-down")
        cap.state(b, "down")
        cap.save(b, "down.down", "drbdadm down r0")
        cap.save(b, "down.secondary", "drbdadm secondary r0")
        cap.save(a, "primary-peer-down.status", "drbdsetup status r0 --verbose")
        a.run("drbdadm secondary r0")
        cap.state(a, "secondary-peer-down")
        a.run("drbdadm disconnect r0")
        cap.state(a, "standalone")

        b.run("drbdadm up r0")
        b.wait_for("drbdadm cstate r0", r"^WFConnection", 30)
        b.run("drbdadm disconnect r0 && drbdadm outdate r0")
        cap.state(b, "outdated-standalone")
        cap.save(b, "error.primary-outdated", "drbdadm primary r0")
        a.run("drbdadm connect r0")
        b.run("drbdadm connect r0")
        a.wait_for("cat /proc/drbd", r"0: cs:Connected ro:Secondary/Secondary ds:UpToDate/UpToDate", 60)
        b.run("drbdadm detach r0")
        cap.state(b, "diskless")
        cap.state(a, "peer-diskless")
        a.run("drbdadm primary r0")
        cap.state(b, "diskless-peer-primary")
        cap.save(a, "primary-sh-minor", "drbdadm sh-minor r0")
        cap.save(a, "primary-sh-dev", "drbdadm sh-dev r0")
        cap.save(a, "primary-sh-resources", "drbdadm sh-resources")
        cap.save(a, "peer-diskless.status", "drbdsetup status r0 --verbose")
    except GuestError as e:
        print(f"capture-84: {e}", file=sys.stderr)
        return 1
    finally:
        bed.close()
        cap.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
