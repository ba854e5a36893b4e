#!/usr/bin/python3
"""Pacemaker runs ocf:sft:drbd in two Debian guests on real DRBD 8.4, with `fencing
resource-and-stonith`, sft-fence-peer and sft-unfence-peer as DRBD's handlers, and
fence_oci as the fence device: the mock OCI API on the host stands in for the cloud,
and its STOP powers a guest off (its qemu is killed).

    tests/real-drbd/cluster-scenario.py WORK

WORK holds vmlinuz, initrd.img and cluster.img (run.sh builds them). One cluster runs
the scenarios one after the other; each checks that no acknowledged record is lost.
  crash: the Primary writes fsync'ed records and loses its power. Pacemaker fences it
     through fence_oci (the instance is STOPPED); the survivor's sft-fence-peer places
     its constraint and answers 7 (fenced); Pacemaker promotes the survivor. The dead
     node boots again, resynchronises, and sft-unfence-peer removes the constraint.
  link: only DRBD's port is cut while the Primary writes. Its I/O freezes, its handler
     finds the peer online in the cluster (the DC's CIB and a controller ping), places
     the constraint and answers 4; writing goes on.
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
ALLOWED = "cibadmin -Q -o constraints 2>/dev/null | grep -o 'operation=\"ne\" value=\"[a-z]*\"' || true"
# Drops DRBD's traffic (port 7789) and nothing else: Corosync still sees both nodes.
CUT_DRBD = """modprobe nf_tables && nft -f - <<'EOF'
table inet cut {
  chain input { type filter hook input priority 0; tcp dport 7789 drop; tcp sport 7789 drop; }
  chain output { type filter hook output priority 0; tcp dport 7789 drop; tcp sport 7789 drop; }
}
EOF
"""


def acked(guest):
    """The last record the guest's writer acknowledged, from its console."""
    with open(guest.console, errors="replace") as f:
        return max((int(n) for n in re.findall(r"ACKED (\d+)", f.read())), default=0)


def last_record(guest):
    """Mounts r0 on the guest (its Primary), reads the last record, unmounts."""
    tail = guest.run("mount /dev/drbd0 /mnt && tail -n 1 /mnt/records; umount /mnt")
    return int(re.search(r"record (\d+)", tail).group(1)), tail


def kernel_answers(guest):
    """What DRBD logged of the fence-peer handler's answers, in order."""
    return re.findall(r"fence-peer helper (?:broken, )?returned (\d+)", guest.run("dmesg"))


def power_cut(bed, cloud, c, victim, survivor):
    """Kills the victim's qemu and waits for the survivor's Pacemaker to fence it."""
    victim.kill()
    survivor.wait_for(f"stonith_admin --history {victim.name} 2>&1", r"(?i)successful|was able to", 240, step=3)
    c.check(f"Pacemaker fenced {victim.name} through fence_oci (the instance is "
            f"{cloud.state(victim.name)})", cloud.state(victim.name) == "STOPPED")


def boot_again(bed, cloud, c, guest, peer):
    """Powers the instance on and boots the guest; waits for DRBD to resynchronise."""
    cloud.power_on(guest.name)
    bed.restart(guest)
    peer.wait_for("crm_mon -1 2>&1", r"Online: \[ alpha bravo \]", 240, step=3)
    peer.wait_for("cat /proc/drbd", r"ds:UpToDate/UpToDate", 240, step=2)
    c.check(f"{guest.name} returned and resynchronised", True)


def crash(bed, cloud, c, primary, survivor):
    primary.run("mount /dev/drbd0 /mnt && " + WRITER)
    time.sleep(5)
    power_cut(bed, cloud, c, primary, survivor)
    last_acked = acked(primary)
    c.check(f"{primary.name} acknowledged records before it died", last_acked > 0, "none")
    survivor.wait_for(cluster.PROMOTED, survivor.name, 180, step=3)
    c.check(f"Pacemaker promoted {survivor.name}", True)
    c.check("sft-fence-peer placed its constraint", survivor.run(CONSTRAINT).strip() == "1",
            survivor.run("cibadmin -Q -o constraints"))
    answers = kernel_answers(survivor)
    c.check(f"DRBD ran it and took its answer: 7, the peer fenced (answers: {answers})", answers[-1:] == ["7"])
    last, tail = last_record(survivor)
    c.check(f"no acknowledged record lost ({primary.name} acked {last_acked}, {survivor.name} has {last})",
            last >= last_acked, tail)
    boot_again(bed, cloud, c, primary, survivor)
    survivor.wait_for(CONSTRAINT, r"^0$", 60, step=2)
    c.check("sft-unfence-peer removed the constraint", True)
    now = survivor.run(cluster.PROMOTED).strip()
    c.check(f"{survivor.name} is still the Promoted one", now == survivor.name, survivor.run("crm_mon -1 2>&1"))


def link(bed, cloud, c, primary, secondary):
    primary.run("mount /dev/drbd0 /mnt && " + WRITER)
    time.sleep(3)
    before = len(kernel_answers(primary))
    primary.run(CUT_DRBD)
    primary.wait_for("cat /proc/drbd", r"cs:(WFConnection|NetworkFailure|BrokenPipe|Timeout)", 60, step=1)
    primary.wait_for("dmesg | grep -c 'fence-peer helper'", r"^[1-9]", 120, step=2)
    answers = kernel_answers(primary)[before:]
    c.check(f"the Primary's handler found the peer online: 4 (answers: {answers})", answers[:1] == ["4"])
    allowed = primary.run(ALLOWED).split()
    c.check(f"the constraint allows the Promoted role only on {primary.name}",
            allowed == ['operation="ne"', f'value="{primary.name}"'], " ".join(allowed))
    held = acked(primary)
    deadline = time.monotonic() + 60
    while acked(primary) <= held and time.monotonic() < deadline:
        time.sleep(1)
    c.check(f"writing goes on after the handler ({held} then {acked(primary)} acknowledged)", acked(primary) > held)


def main():
    work = sys.argv[1]
    bed = Bed(work, disk_mib=64, root_image=os.path.join(work, "cluster.img"))
    cloud = cluster.Cloud(bed, ["alpha", "bravo"])
    bed.oci_ports = cloud.ports
    c = Checks()
    started = time.monotonic()
    try:
        a, b = cluster.start(bed, cloud)
        c.check("both nodes online in Pacemaker, each with fence_oci for the other", True)
        cluster.initial_sync(a, b)
        primary, secondary = cluster.create_clone(a, b)
        c.check(f"Pacemaker promoted {primary.name}", "Primary/Secondary" in primary.run("drbdadm role r0"),
                primary.run("drbdadm role r0"))
        attributes = primary.run("crm_mon -1 -A 2>&1")
        c.check("crm_mon -A shows the role attribute", "drbd-r0-role" in attributes, attributes)
        crash(bed, cloud, c, primary, secondary)
        # The survivor is the Primary now.
        link(bed, cloud, c, secondary, primary)
    except GuestError as e:
        c.check("the scenarios ran to their end", False, str(e))
        cluster.describe(bed)
    finally:
        bed.close()
        cloud.close()
    print(f"cluster scenarios: {time.monotonic() - started:.0f} s, {c.failures} failed", flush=True)
    sys.exit(1 if c.failures else 0)


if __name__ == "__main__":
    main()
