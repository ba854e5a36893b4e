#!/usr/bin/python3
"""Pacemaker runs ocf:sft:drbd in two Debian guests, with sft-fence-peer and
sft-unfence-peer as DRBD's handlers, on real DRBD 8.4.

    tests/real-drbd/cluster-scenario.py WORK

WORK holds vmlinuz, initrd.img and cluster.img (run.sh builds them). Steps:
  1. both guests boot systemd, Corosync and Pacemaker; both nodes online;
  2. DRBD metadata and the initial sync (the administrator's one-time steps);
  3. the promotable clone of ocf:sft:drbd is created; Pacemaker promotes one node;
  4. the Primary writes fsync'ed records and is killed (SIGKILL of its qemu);
  5. the survivor's DRBD runs sft-fence-peer, which places its constraint; Pacemaker
     promotes the survivor; no record the dead node acknowledged is missing;
  6. the dead node boots again, Pacemaker starts it, DRBD resynchronises it, and
     sft-unfence-peer removes the constraint.
Prints one line per check and exits 1 when any failed.
"""

import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster  # noqa: E402
from checks import Checks  # noqa: E402
from guests import Bed, GuestError  # noqa: E402

WRITER = r"""cat >/tmp/writer.sh <<'EOF'
i=0
while :; do
  i=$((i + 1))
  echo "record $i" | dd of=/mnt/records oflag=append conv=notrunc,fsync 2>/dev/null && echo "ACKED $i" >/dev/ttyS0
done
EOF
setsid sh /tmp/writer.sh </dev/null >/dev/null 2>&1 &
"""
CONSTRAINT = "cibadmin -Q -o constraints 2>/dev/null | grep -c 'id=\"sft-fence-peer-r0\"' || true"


def main():
    work = sys.argv[1]
    bed = Bed(work, disk_mib=64, root_image=os.path.join(work, "cluster.img"))
    c = Checks()
    started = time.monotonic()
    try:
        a, b = cluster.start(bed)
        c.check("both nodes online in Pacemaker", True)
        cluster.initial_sync(a, b)
        primary, survivor = cluster.create_clone(a, b)
        c.check(f"Pacemaker promoted {primary.name}", "Primary/Secondary" in primary.run("drbdadm role r0"),
                primary.run("drbdadm role r0"))
        attributes = primary.run("crm_mon -1 -A 2>&1")
        c.check("crm_mon -A shows the role attribute", "drbd-r0-role" in attributes, attributes)

        primary.run("mount /dev/drbd0 /mnt && " + WRITER)
        time.sleep(5)
        primary.kill()
        with open(primary.console, errors="replace") as f:
            acked = [int(n) for n in re.findall(r"ACKED (\d+)", f.read())]
        last_acked = max(acked, default=0)
        c.check(f"{primary.name} acknowledged records before it died", last_acked > 0, "none")

        survivor.wait_for(cluster.PROMOTED, survivor.name, 180, step=3)
        c.check(f"Pacemaker promoted {survivor.name}", True)
        c.check("sft-fence-peer placed its constraint", survivor.run(CONSTRAINT).strip() == "1",
                survivor.run("cibadmin -Q -o constraints"))
        kernel = survivor.run("dmesg | grep -i 'fence-peer' | tail -n 3")
        # Without a fence device (stonith-enabled=false): 5 (lost, not fenced), or 7 if Pacemaker records it down.
        c.check("DRBD ran it and took its answer", re.search(r"fence-peer helper returned [57]", kernel) is not None,
                kernel)
        survivor.run("mount /dev/drbd0 /mnt")
        tail = survivor.run("tail -n 1 /mnt/records")
        last = int(re.search(r"record (\d+)", tail).group(1))
        c.check(f"no acknowledged record lost ({primary.name} acked {last_acked}, {survivor.name} has {last})",
                last >= last_acked, tail)
        survivor.run("umount /mnt")

        bed.restart(primary)
        survivor.wait_for("crm_mon -1 2>&1", r"Online: \[ alpha bravo \]", 240, step=3)
        survivor.wait_for("cat /proc/drbd", r"ds:UpToDate/UpToDate", 240, step=2)
        c.check(f"{primary.name} returned and resynchronised", True)
        survivor.wait_for(CONSTRAINT, r"^0$", 60, step=2)
        c.check("sft-unfence-peer removed the constraint", True)
        now = survivor.run(cluster.PROMOTED).strip()
        c.check(f"{survivor.name} is still the Promoted one", now == survivor.name, survivor.run("crm_mon -1 2>&1"))
    except GuestError as e:
        c.check("the scenario ran to its end", False, str(e))
        cluster.describe(bed)
    finally:
        bed.close()
    print(f"real-drbd cluster scenario: {c.failures} failed, {time.monotonic() - started:.0f} s, "
          f"accelerator {bed.accel}")
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main())
