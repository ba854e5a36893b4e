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
from guests import Bed, GuestError  # noqa: E402

CONFIG = """resource r0 {
  net { protocol C; ping-int 3; connect-int 2; }
  disk { fencing resource-only; c-plan-ahead 0; resync-rate 500M; }
  handlers {
    fence-peer "/usr/lib/drbd/sft-fence-peer --timeout=60";
    after-resync-target "/usr/lib/drbd/sft-unfence-peer";
  }
  on alpha { device /dev/drbd0; disk /dev/vdb; address 10.99.0.1:7789; meta-disk internal; }
  on bravo { device /dev/drbd0; disk /dev/vdb; address 10.99.0.2:7789; meta-disk internal; }
}
"""
CLONE = """<clone id="r0-clone">
  <meta_attributes id="r0-clone-meta">
    <nvpair id="r0-clone-promotable" name="promotable" value="true"/>
    <nvpair id="r0-clone-promoted-max" name="promoted-max" value="1"/>
    <nvpair id="r0-clone-promoted-node-max" name="promoted-node-max" value="1"/>
    <nvpair id="r0-clone-clone-max" name="clone-max" value="2"/>
    <nvpair id="r0-clone-clone-node-max" name="clone-node-max" value="1"/>
    <nvpair id="r0-clone-notify" name="notify" value="true"/>
  </meta_attributes>
  <primitive id="r0" class="ocf" provider="sft" type="drbd">
    <instance_attributes id="r0-params">
      <nvpair id="r0-params-drbd_resource" name="drbd_resource" value="r0"/>
    </instance_attributes>
    <operations>
      <op id="r0-monitor-promoted" name="monitor" interval="5s" role="Promoted" timeout="20s"/>
      <op id="r0-monitor-unpromoted" name="monitor" interval="6s" role="Unpromoted" timeout="20s"/>
    </operations>
  </primitive>
</clone>"""
WRITER = r"""cat >/tmp/writer.sh <<'EOF'
i=0
while :; do
  i=$((i + 1))
  echo "record $i" | dd of=/mnt/records oflag=append conv=notrunc,fsync 2>/dev/null && echo "ACKED $i" >/dev/ttyS0
done
EOF
setsid sh /tmp/writer.sh </dev/null >/dev/null 2>&1 &
"""
PROMOTED = "crm_mon -1 2>&1 | sed -n '/Promoted:/s/.*Promoted: \\[ \\(.*\\) \\]/\\1/p'"
CONSTRAINT = "cibadmin -Q -o constraints 2>/dev/null | grep -c 'id=\"sft-fence-peer-r0\"' || true"

failures = 0


def check(what, passed, detail=""):
    global failures
    print(f"{'ok' if passed else 'FAIL'}: {what}{'' if passed else ': ' + detail}", flush=True)
    if not passed:
        failures += 1


def main():
    work = sys.argv[1]
    bed = Bed(work, disk_mib=64, root_image=os.path.join(work, "cluster.img"))
    started = time.monotonic()
    try:
        a, b = bed.start("alpha", "bravo")
        guests = {"alpha": a, "bravo": b}
        a.wait_for("crm_mon -1 2>&1", r"Online: \[ alpha bravo \]", 240, step=3)
        check("both nodes online in Pacemaker", True)
        a.run("crm_attribute -t crm_config -n stonith-enabled -v false")

        for g in guests.values():
            g.run(f"cat >/etc/drbd.d/r0.res <<'EOF'\n{CONFIG}EOF\ndrbdadm -- --force create-md r0 >/dev/null 2>&1 && drbdadm up r0")
        a.wait_for("cat /proc/drbd", r"cs:Connected", 60)
        a.run("drbdadm primary --force r0")
        a.wait_for("cat /proc/drbd", r"ds:UpToDate/UpToDate", 180)
        a.run("mkfs.ext4 -q /dev/drbd0 && drbdadm secondary r0")
        for g in guests.values():
            g.run("drbdadm down r0")

        a.run(f"cibadmin -C -o resources -X '{CLONE}'")
        out = a.wait_for(PROMOTED, r"alpha|bravo", 180, step=3).strip()
        primary = guests[out]
        survivor = b if primary is a else a
        check(f"Pacemaker promoted {primary.name}", "Primary/Secondary" in primary.run("drbdadm role r0"),
              primary.run("drbdadm role r0"))
        survivor.wait_for("cat /proc/drbd", r"ro:Secondary/Primary ds:UpToDate/UpToDate", 60)
        check("crm_mon -A shows the role attribute",
              "drbd-r0-role" in primary.run("crm_mon -1 -A 2>&1"), primary.run("crm_mon -1 -A 2>&1"))

        primary.run("mount /dev/drbd0 /mnt && " + WRITER)
        time.sleep(5)
        primary.kill()
        with open(primary.console, errors="replace") as f:
            acked = [int(n) for n in re.findall(r"ACKED (\d+)", f.read())]
        last_acked = max(acked, default=0)
        check(f"{primary.name} acknowledged records before it died", last_acked > 0, "none")

        survivor.wait_for(PROMOTED, survivor.name, 180, step=3)
        check(f"Pacemaker promoted {survivor.name}", True)
        check("sft-fence-peer placed its constraint", survivor.run(CONSTRAINT).strip() == "1",
              survivor.run("cibadmin -Q -o constraints"))
        journal = survivor.run("journalctl -q -t sft-fence-peer --no-pager 2>/dev/null | tail -n 3; "
                               "dmesg | grep -i 'fence-peer' | tail -n 3")
        check("DRBD ran it and took its answer", re.search(r"fence-peer helper returned [47]", journal) is not None,
              journal)
        survivor.run("mount /dev/drbd0 /mnt")
        tail = survivor.run("tail -n 1 /mnt/records")
        last = int(re.search(r"record (\d+)", tail).group(1))
        check(f"no acknowledged record lost ({primary.name} acked {last_acked}, {survivor.name} has {last})",
              last >= last_acked, tail)
        survivor.run("umount /mnt")

        bed.restart(primary)
        survivor.wait_for("crm_mon -1 2>&1", r"Online: \[ alpha bravo \]", 240, step=3)
        survivor.wait_for("cat /proc/drbd", r"ds:UpToDate/UpToDate", 240, step=2)
        check(f"{primary.name} returned and resynchronised", True)
        survivor.wait_for(CONSTRAINT, r"^0$", 60, step=2)
        check("sft-unfence-peer removed the constraint", True)
        check(f"{survivor.name} is still the Promoted one", survivor.run(PROMOTED).strip() == survivor.name,
              survivor.run("crm_mon -1 2>&1"))
    except GuestError as e:
        check("the scenario ran to its end", False, str(e))
        for g in bed.guests:
            if g.proc and g.proc.poll() is None:
                try:
                    print(f"--- {g.name}: what it says now", flush=True)
                    print(g.call("crm_mon -1 -A 2>&1; cat /proc/drbd; cibadmin -Q -o constraints; "
                                 "journalctl -q --no-pager -t sft-fence-peer -t sft-unfence-peer -t drbd | tail -n 20; "
                                 "dmesg | grep -i drbd | tail -n 25; "
                                 "journalctl -q --no-pager -u pacemaker | grep -i -E 'r0|drbd' | tail -n 30",
                                 timeout=60)[1], flush=True)
                except GuestError as more:
                    print(f"--- {g.name}: {more}")
    finally:
        bed.close()
    print(f"real-drbd cluster scenario: {failures} failed, {time.monotonic() - started:.0f} s, accelerator {bed.accel}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
