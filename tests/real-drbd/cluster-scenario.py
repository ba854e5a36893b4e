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
     the constraint and answers 4; writing goes on. The Secondary restarts and comes
     back Consistent, unconnected; then the Primary loses its power. The survivor's data
     is stale: Pacemaker does not promote it, it publishes no promotion score, a
     manual `drbdadm primary` is refused (the handler answers 1), and validate-all
     refuses the same resource with fencing dont-care. The Primary boots again and
     resynchronises the Secondary, whose link breaks just as the resync ends: the
     constraint stays; the next resync removes it; nothing acknowledged is lost. The Primary boots
     again, resynchronises the Secondary, and nothing it acknowledged is lost.
  split: the Primary's interface goes down, so DRBD and Corosync both lose the peer,
     DRBD first. The Secondary wins the fence race (the Primary's fence device waits
     30 s, pcmk_delay_base); the Primary's handler never answers 4 (its frozen I/O
     acknowledges nothing the Secondary lacks); the Secondary is promoted with 7.
     Again with a fence that takes 40 s, longer than the Primary's handler waits: it
     answers 1 and its I/O stays frozen until the fence ends it.
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

# The after-resync-target handler held until /run/unfence-go (at most 60 s), so that a
# scenario can break the link between the end of a resync and the handler's look.
HOLD_UNFENCE = """sed -i 's|after-resync-target .*|after-resync-target "touch /run/unfence-held; \
i=0; while [ ! -e /run/unfence-go ] \\&\\& [ $i -lt 300 ]; do sleep 0.2; i=$((i+1)); done; \
/usr/lib/drbd/sft-unfence-peer; touch /run/unfence-done";|' /etc/drbd.d/r0.res
rm -f /run/unfence-held /run/unfence-go /run/unfence-done
"""

# validate-all of r0 as configured, but with fencing dont-care (a copy of the
# configuration): the agent must refuse it.
DONT_CARE = """{ echo 'global { usage-count no; }'; sed 's/resource-and-stonith/dont-care/' /etc/drbd.d/r0.res; } >/tmp/dont-care.conf
OCF_ROOT=/usr/lib/ocf OCF_RESKEY_drbd_resource=r0 OCF_RESKEY_drbdconf=/tmp/dont-care.conf HA_LOGFACILITY=none \
  /usr/lib/ocf/resource.d/sft/drbd validate-all 2>&1
"""


def acked(guest):
    """The last record the guest's writer acknowledged, from its console (which a boot
    starts afresh: read it before the guest boots again)."""
    with open(guest.console, errors="replace") as f:
        return max((int(n) for n in re.findall(r"ACKED (\d+)", f.read())), default=0)


def write(guest):
    """Mounts r0 on the guest (its Primary) and starts the writer; returns once it has
    acknowledged a record."""
    held = acked(guest)
    guest.run("mount /dev/drbd0 /mnt && " + WRITER)
    if not writes_on(guest, held):
        raise GuestError(f"{guest.name}: the writer acknowledged nothing within 60 s")


def writes_on(guest, held):
    """Whether the writer acknowledges a record after the `held`-th within 60 s."""
    deadline = time.monotonic() + 60
    while acked(guest) <= held and time.monotonic() < deadline:
        time.sleep(0.5)
    return acked(guest) > held


def last_record(guest):
    """Mounts r0 on the guest (its Primary), reads the last record, unmounts."""
    tail = guest.run("mount /dev/drbd0 /mnt && tail -n 1 /mnt/records; umount /mnt")
    return int(re.search(r"record (\d+)", tail).group(1)), tail


def kernel_answers(guest):
    """What DRBD logged of the fence-peer handler's answers, in order."""
    return re.findall(r"fence-peer helper (?:broken, )?returned (\d+)", guest.run("dmesg"))


def wait_answers(guest, before, timeout):
    """The handler's answers after the first `before`, once there is one (or [] after
    `timeout` seconds)."""
    deadline = time.monotonic() + timeout
    while len(answers := kernel_answers(guest)) <= before and time.monotonic() < deadline:
        time.sleep(2)
    return answers[before:]


def console_answers(guest, since):
    """The handler's answers among the kernel messages on the guest's console after
    offset `since` (follow_kernel copies them there): what a guest that lost its power
    had said."""
    with open(guest.console, errors="replace") as f:
        f.seek(since)
        return re.findall(r"fence-peer helper (?:broken, )?returned (\d+)", f.read())


def follow_kernel(guest):
    """Copies the guest's new kernel messages to its console, which outlives it."""
    guest.run("setsid dmesg --follow-new </dev/null >/dev/ttyS0 2>&1 &")


def wait_fenced(cloud, c, victim, survivor, timeout=240):
    """Waits for survivor's cluster to fence victim: the instance STOPPED (only fence_oci
    stops one) and Pacemaker showing the node cleanly OFFLINE, its fencing confirmed."""
    deadline = time.monotonic() + timeout
    while cloud.state(victim.name) != "STOPPED":
        if time.monotonic() > deadline:
            raise GuestError(f"{victim.name}: its instance is {cloud.state(victim.name)} after {timeout} s")
        time.sleep(1)
    survivor.wait_for("crm_mon -1 2>&1", rf"OFFLINE: \[ {victim.name} \]", timeout, step=2)
    c.check(f"Pacemaker fenced {victim.name} through fence_oci (the instance is STOPPED)", True)


def power_cut(cloud, c, victim, survivor):
    """Kills the victim's qemu and waits for the survivor's Pacemaker to fence it."""
    victim.kill()
    wait_fenced(cloud, c, victim, survivor)


def boot_again(bed, cloud, guest, peer):
    """Powers the instance on and boots the guest (its root as it left it); waits for
    Pacemaker to see both nodes."""
    cloud.power_on(guest.name)
    bed.restart(guest)
    peer.wait_for("crm_mon -1 2>&1", r"Online: \[ alpha bravo \]", 240, step=3)


def resynchronised(bed, cloud, c, guest, peer):
    """Boots the guest again and waits for DRBD to resynchronise and sft-unfence-peer to
    remove the constraint."""
    boot_again(bed, cloud, guest, peer)
    peer.wait_for("cat /proc/drbd", r"ds:UpToDate/UpToDate", 240, step=2)
    c.check(f"{guest.name} returned and resynchronised", True)
    peer.wait_for(CONSTRAINT, r"^0$", 60, step=2)
    c.check("sft-unfence-peer removed the constraint", True)


def promoted(a, b):
    """The guest Pacemaker promotes, once it has."""
    name = a.wait_for(cluster.PROMOTED, r"alpha|bravo", 180, step=3).strip()
    return a if name == a.name else b


def no_loss(c, guest, last_acked, writer):
    last, tail = last_record(guest)
    c.check(f"no acknowledged record lost ({writer.name} acked {last_acked}, {guest.name} has {last})",
            last >= last_acked, tail)


def crash(bed, cloud, c, primary, survivor):
    write(primary)
    power_cut(cloud, c, primary, survivor)
    last_acked = acked(primary)
    c.check(f"{primary.name} acknowledged records before it died", last_acked > 0, "none")
    survivor.wait_for(cluster.PROMOTED, survivor.name, 180, step=3)
    c.check(f"Pacemaker promoted {survivor.name}", True)
    c.check("sft-fence-peer placed its constraint", survivor.run(CONSTRAINT).strip() == "1",
            survivor.run("cibadmin -Q -o constraints"))
    answers = kernel_answers(survivor)
    c.check(f"DRBD ran it and took its answer: 7, the peer fenced (answers: {answers})", answers[-1:] == ["7"])
    no_loss(c, survivor, last_acked, primary)
    resynchronised(bed, cloud, c, primary, survivor)
    now = survivor.run(cluster.PROMOTED).strip()
    c.check(f"{survivor.name} is still the Promoted one", now == survivor.name, survivor.run("crm_mon -1 2>&1"))


def link(bed, cloud, c, primary, secondary):
    write(primary)
    before = len(kernel_answers(primary))
    primary.run(CUT_DRBD)
    primary.wait_for("cat /proc/drbd", r"cs:(WFConnection|NetworkFailure|BrokenPipe|Timeout)", 60, step=1)
    # Its answer to this loss, not one it gave before (a survivor has answered 7 already).
    answers = wait_answers(primary, before, 120)
    c.check(f"the Primary's handler found the peer online: 4 (answers: {answers})", answers[:1] == ["4"])
    allowed = primary.run(ALLOWED).split()
    c.check(f"the constraint allows the Promoted role only on {primary.name}",
            allowed == ['operation="ne"', f'value="{primary.name}"'], " ".join(allowed))
    held = acked(primary)
    c.check(f"writing goes on after the handler ({held} acknowledged, then more)", writes_on(primary, held))

    # The Secondary restarts with the link still cut: it comes back Consistent, unable to
    # know that its data is stale, while the Primary goes on writing.
    power_cut(cloud, c, secondary, primary)
    boot_again(bed, cloud, secondary, primary)
    state = secondary.wait_for("cat /proc/drbd", r"ds:Consistent/DUnknown", 120, step=2)
    c.check(f"{secondary.name} came back unconnected with Consistent data", "ro:Secondary/Unknown" in state, state)
    held = acked(primary)
    c.check(f"{primary.name} still writes", writes_on(primary, held))

    # The Primary dies: the only data left is stale.
    power_cut(cloud, c, primary, secondary)
    last_acked = acked(primary)
    secondary.run("crm_resource --wait --timeout=120s", timeout=150)
    now = secondary.run(cluster.PROMOTED).strip()
    c.check(f"Pacemaker does not promote {secondary.name}", now == "", secondary.run("crm_mon -1 2>&1"))
    rc, score = secondary.call(f"crm_attribute -N {secondary.name} -n master-r0 -l reboot -G -q")
    c.check(f"{secondary.name} publishes no promotion score", rc != 0, score)
    rc, out = secondary.call(DONT_CARE)
    c.check(f"with fencing dont-care, validate-all refuses (exit {rc})", rc == 6 and "dont-care" in out, out)
    before = len(kernel_answers(secondary))
    rc, out = secondary.call("drbdadm primary r0", timeout=300)
    answers = kernel_answers(secondary)[before:]
    # DRBD 8.4 asks the handler again on each of its attempts.
    c.check(f"a manual drbdadm primary is refused (exit {rc}; handler answers: {answers})",
            rc != 0 and answers and set(answers) == {"1"}, out)
    allowed = secondary.run(ALLOWED).split()
    c.check(f"the constraint still allows only {primary.name}",
            allowed == ['operation="ne"', f'value="{primary.name}"'], " ".join(allowed))

    # The Primary returns: its data goes to the Secondary, whose link breaks just as the
    # resync ends (its after-resync-target handler held until the break shows).
    secondary.run(HOLD_UNFENCE)
    boot_again(bed, cloud, primary, secondary)
    secondary.wait_for("ls /run/unfence-held 2>&1", r"^/run/unfence-held$", 240, step=1)
    secondary.run(CUT_DRBD)
    secondary.wait_for("cat /proc/drbd", r"cs:(WFConnection|NetworkFailure|BrokenPipe|Timeout|Unconnected)", 60, step=1)
    secondary.run("touch /run/unfence-go")
    secondary.wait_for("ls /run/unfence-done 2>&1", r"^/run/unfence-done$", 60, step=1)
    allowed = secondary.run(ALLOWED).split()
    c.check(f"a link break at the end of the resync: the constraint stays, only {primary.name}",
            allowed == ['operation="ne"', f'value="{primary.name}"'], " ".join(allowed))
    # A write on the Primary (its mount), then the link back: the next resync ends whole
    # and unfences.
    now = promoted(primary, secondary)
    no_loss(c, now, last_acked, primary)
    secondary.run("sed -i 's|after-resync-target .*|after-resync-target \"/usr/lib/drbd/sft-unfence-peer\";|' "
                  "/etc/drbd.d/r0.res && nft delete table inet cut")
    secondary.wait_for("cat /proc/drbd", r"ds:UpToDate/UpToDate", 120, step=2)
    secondary.wait_for(CONSTRAINT, r"^0$", 60, step=2)
    c.check("after the next resync sft-unfence-peer removed the constraint", True)


HANDLER_LINE = 'fence-peer "/usr/lib/drbd/sft-fence-peer'


def split(bed, cloud, c, primary, secondary, slow=False):
    """slow: the fence that wins takes 40 s (the instance STOPPING), longer than the
    Primary's handler waits (--timeout=15): its answer is 1 and its I/O stays frozen."""
    # The Primary's fence device for the Secondary waits: the Secondary wins the race.
    device = f"fence-{secondary.name}"
    delay = "75s" if slow else "30s"
    primary.run(f"crm_resource --resource {device} --set-parameter pcmk_delay_base --parameter-value {delay} "
                "&& crm_resource --wait --timeout=120s", timeout=150)
    if slow:
        primary.run(f"sed -i 's|{HANDLER_LINE}\"|{HANDLER_LINE} --timeout=15\"|' /etc/drbd.d/r0.res")
        cloud.timing(stop_seconds=40)
    write(primary)
    since = os.path.getsize(primary.console)
    follow_kernel(primary)
    primary.run("ip link set eth0 down")
    wait_fenced(cloud, c, primary, secondary)
    last_acked = acked(primary)
    answers = console_answers(primary, since)
    if slow:
        c.check(f"the Primary's handler gave up before the fence ended: 1, I/O left frozen (answers: {answers})",
                answers[:1] == ["1"] and "4" not in answers)
    else:
        c.check(f"the Primary's handler never answered 4 (answers: {answers})", "4" not in answers)
    secondary.wait_for(cluster.PROMOTED, secondary.name, 180, step=3)
    c.check(f"Pacemaker promoted {secondary.name}", True)
    answers = kernel_answers(secondary)
    c.check(f"its handler answered 7, the peer fenced (answers: {answers})", answers[-1:] == ["7"])
    no_loss(c, secondary, last_acked, primary)
    secondary.run(f"crm_resource --resource {device} --delete-parameter pcmk_delay_base")
    if slow:
        cloud.timing(stop_seconds=2)
    resynchronised(bed, cloud, c, primary, secondary)
    if slow:  # its root keeps what it wrote
        primary.run(f"sed -i 's| --timeout=15\"|\"|' /etc/drbd.d/r0.res")


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
        for slow in (False, True):
            a.run("crm_resource --wait --timeout=120s", timeout=150)  # the cluster settled
            now = promoted(a, b)
            split(bed, cloud, c, now, b if now is a else a, slow=slow)
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
