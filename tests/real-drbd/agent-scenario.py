#!/usr/bin/python3
"""ocf:sft:drbd against real DRBD 8.4 in two qemu guests, alpha and bravo.

    tests/real-drbd/agent-scenario.py WORK

WORK holds vmlinuz and initrd.img built with the agent (run.sh does both). The agent is
driven the way Pacemaker would drive it, one action at a time, with the attribute tools
stood in for (tests/drbd-standin/pacemaker) since no cluster runs here:
  1. start on both: DRBD comes up and connects; Inconsistent data is not promoted;
  2. after the initial sync, promote alpha; write a filesystem and checksum it;
  3. switchover to bravo through the agent (demote, promote) and back, checksums equal;
  4. alpha is SIGKILLed while appending fsync'ed records; bravo's monitor marks its
     replication degraded (an attribute), its score drops to the peer-unknown rung, the
     agent promotes it, and no record alpha acknowledged is missing;
  5. alpha boots again, the agent starts it, it resyncs from bravo, and the data moves
     back to it through the agent;
  6. stop on both takes DRBD down.
Prints one line per check and exits 1 when any failed.
"""

import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks  # noqa: E402
from guests import Bed, GuestError  # noqa: E402

CONFIG = """global { usage-count no; }
resource r0 {
  net { protocol C; ping-int 3; connect-int 2; }
  disk { c-plan-ahead 0; resync-rate 500M; }
  on alpha { device /dev/drbd0; disk /dev/vda; address 10.99.0.1:7789; meta-disk internal; }
  on bravo { device /dev/drbd0; disk /dev/vda; address 10.99.0.2:7789; meta-disk internal; }
}
"""
OCF_ENV = ("OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=drbd:0 OCF_RESKEY_drbd_resource=r0 "
           "OCF_RESKEY_wfc_timeout=5s OCF_RESKEY_CRM_meta_timeout=60000 OCF_RESKEY_CRM_meta_clone_max=2 "
           "OCF_RESKEY_CRM_meta_promotable=true SFT_DRBD_STANDIN=/run/attributes HA_LOGFACILITY=none "
           # The agent alone, with no cluster to fence or handler to call: the resource runs
           # without fencing, which validate-all refuses unless told.
           "OCF_RESKEY_unsafe_without_fencing=true")
AGENT = "/usr/lib/ocf/resource.d/sft/drbd"
CHECKSUM = "cd /mnt/data && find . -type f ! -name records ! -path './lost+found/*' | sort | xargs sha256sum | sha256sum"
WRITER = r"""cat >/tmp/writer.sh <<'EOF'
i=0
while :; do
  i=$((i + 1))
  echo "record $i" | dd of=/mnt/data/records oflag=append conv=notrunc,fsync 2>/dev/null && echo "ACKED $i" >/dev/ttyS0
done
EOF
setsid sh /tmp/writer.sh </dev/null >/dev/null 2>&1 &
"""

CHECKS = Checks()
check = CHECKS.check


def agent(guest, action, interval=0):
    """(exit code, output) of one agent action in the guest."""
    return guest.call(f"env {OCF_ENV} OCF_RESKEY_CRM_meta_interval={interval} {AGENT} {action}", timeout=120)


def expect(guest, action, code, what, interval=0):
    rc, out = agent(guest, action, interval)
    check(f"{guest.name}: {what} (exit {rc})", rc == code, f"wanted {code}; output: {out}")
    return out


def score(guest):
    return attribute(guest, "promotion")


def attribute(guest, name):
    return guest.call(f"cat /run/attributes/attributes/{name} 2>/dev/null || echo none")[1].strip()


def console_acked(guest):
    """The last record the writer acknowledged, from the guest's console (0: none)."""
    with open(guest.console, errors="replace") as f:
        return max((int(n) for n in re.findall(r"ACKED (\d+)", f.read())), default=0)


def main():
    work = sys.argv[1]
    bed = Bed(work, disk_mib=64)
    started = time.monotonic()
    try:
        a, b = bed.start("alpha", "bravo")
        for g in (a, b):
            g.run(f"cat >/etc/drbd.conf <<'EOF'\n{CONFIG}EOF\ndrbdadm -- --force create-md r0 >/dev/null 2>&1")
            expect(g, "validate-all", 0, "validate-all")
            expect(g, "monitor", 7, "probe before start")

        # 1. start
        expect(a, "start", 0, "start (no peer yet: waits wfc_timeout, then succeeds)")
        expect(b, "start", 0, "start")
        a.wait_for("drbdadm cstate r0", r"^Connected", 30)
        check("both connected", True)
        expect(a, "monitor", 0, "monitor of Inconsistent data", interval=20000)
        check("alpha: replication degraded", attribute(a, "drbd-r0-replication") == "degraded",
              attribute(a, "drbd-r0-replication"))
        check("alpha: no score for Inconsistent data", score(a) == "none", score(a))
        out = expect(a, "promote", 1, "promote of Inconsistent data is refused")
        check("alpha: with the reason", "refusing to promote" in out, out)

        # 2. initial sync (the administrator's one-time step), then promote alpha
        a.run("drbdadm primary --force r0")
        a.wait_for("cat /proc/drbd", r"ds:UpToDate/UpToDate", 120)
        a.run("drbdadm secondary r0")
        expect(a, "monitor", 0, "monitor after the initial sync", interval=20000)
        check("alpha: replication ok", attribute(a, "drbd-r0-replication") == "ok",
              attribute(a, "drbd-r0-replication"))
        check("alpha: score 10000", score(a) == "10000", score(a))
        expect(a, "promote", 0, "promote")
        expect(a, "monitor", 8, "monitor of the Primary", interval=20000)
        expect(b, "monitor", 0, "monitor of the Secondary", interval=20000)
        a.run("mkfs.ext4 -q -F /dev/drbd0 && mount -t ext4 /dev/drbd0 /mnt/data && "
              "dd if=/dev/urandom of=/mnt/data/blob bs=1M count=8 2>/dev/null && "
              "mkdir /mnt/data/files && for i in $(seq 1 100); do echo \"file $i\" >/mnt/data/files/$i; done && sync")
        sum_a = a.run(CHECKSUM).split()[0]

        # 3. switchover and back
        for src, dst in ((a, b), (b, a)):
            src.run("umount /mnt/data")
            expect(src, "demote", 0, "demote")
            expect(dst, "promote", 0, "promote")
            dst.run("mount -t ext4 /dev/drbd0 /mnt/data")
            got = dst.run(CHECKSUM).split()[0]
            check(f"{dst.name}: the data after switchover matches", got == sum_a, f"{got} != {sum_a}")

        # 4. alpha dies while writing
        a.run(WRITER)
        # Power is cut while the writer runs: once it has acknowledged 50 records.
        deadline = time.monotonic() + 120
        while console_acked(a) < 50 and time.monotonic() < deadline:
            time.sleep(0.2)
        a.kill()
        last_acked = console_acked(a)
        check("alpha acknowledged records before it died", last_acked > 0, "none")
        b.wait_for("drbdadm cstate r0", r"^WFConnection", 60)
        expect(b, "monitor", 0, "monitor with the peer gone", interval=20000)
        check("bravo: replication degraded", attribute(b, "drbd-r0-replication") == "degraded",
              attribute(b, "drbd-r0-replication"))
        check("bravo: score 1000 with the peer unknown", score(b) == "1000", score(b))
        expect(b, "promote", 0, "promote after the Primary died")
        b.run("mount -t ext4 /dev/drbd0 /mnt/data")
        got = b.run(CHECKSUM).split()[0]
        check("bravo: the data matches", got == sum_a, f"{got} != {sum_a}")
        tail = b.run("tail -n 1 /mnt/data/records")
        last_on_b = int(re.search(r"record (\d+)", tail).group(1))
        check(f"no acknowledged record lost (alpha acked {last_acked}, bravo has {last_on_b})",
              last_on_b >= last_acked, tail)
        b.run("echo 'after failover' >/mnt/data/files/new && sync")
        sum_b = b.run(CHECKSUM).split()[0]
        expect(b, "monitor", 8, "monitor of the Primary without its peer", interval=20000)

        # 5. alpha returns and takes the data back
        bed.restart(a)
        a.run(f"cat >/etc/drbd.conf <<'EOF'\n{CONFIG}EOF")  # the guest's root is in memory
        expect(a, "monitor", 7, "probe after the reboot")
        expect(a, "start", 0, "start after the reboot")
        b.wait_for("cat /proc/drbd", r"ds:UpToDate/UpToDate", 120)
        expect(a, "monitor", 0, "monitor after the resync", interval=20000)
        expect(b, "monitor", 8, "monitor of the Primary with its peer back", interval=20000)
        b.run("umount /mnt/data")
        expect(b, "demote", 0, "demote")
        expect(a, "promote", 0, "promote")
        a.run("mount -t ext4 /dev/drbd0 /mnt/data")
        got = a.run(CHECKSUM).split()[0]
        check("alpha: it has bravo's writes", got == sum_b, f"{got} != {sum_b}")
        a.run("umount /mnt/data")

        # 6. stop
        for g in (a, b):
            expect(g, "stop", 0, "stop")
            check(f"{g.name}: DRBD is down", "cs:" not in g.run("cat /proc/drbd"), g.run("cat /proc/drbd"))
            expect(g, "monitor", 7, "monitor after stop", interval=20000)
    except GuestError as e:
        check("the scenario ran to its end", False, str(e))
    finally:
        bed.close()
    print(f"real-drbd agent scenario: {CHECKS.failures} failed, {time.monotonic() - started:.0f} s, "
          f"accelerator {bed.accel}")
    return 1 if CHECKS.failures else 0


if __name__ == "__main__":
    sys.exit(main())
