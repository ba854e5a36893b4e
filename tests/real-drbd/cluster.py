"""Pacemaker in the real-DRBD guests (cluster.img): the steps the cluster scenario and
bench/drbd.py share. The image holds DRBD resource r0 on each guest's /dev/vdb with
sft's handlers (build-cluster-image.sh)."""

import time

from guests import GuestError

# r0 as a promotable clone of ocf:sft:drbd.
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
      <nvpair id="r0-params-unsafe" name="unsafe_without_fencing" value="true"/>
    </instance_attributes>
    <operations>
      <op id="r0-monitor-promoted" name="monitor" interval="5s" role="Promoted" timeout="20s"/>
      <op id="r0-monitor-unpromoted" name="monitor" interval="6s" role="Unpromoted" timeout="20s"/>
    </operations>
  </primitive>
</clone>"""

# The node where r0 is Promoted, from crm_mon's XML (its text differs with one node or two).
PROMOTED = ("crm_mon -1 --output-as=xml 2>/dev/null | grep -A1 '<resource id=\"r0\".* role=\"Promoted\"' | "
            "sed -n 's/.*<node name=\"\\([^\"]*\\)\".*/\\1/p'")


def start(bed):
    """Boots alpha and bravo and waits for both to be online in Pacemaker (fencing off:
    there is no fence device in the guests). Returns them."""
    a, b = bed.start("alpha", "bravo")
    a.wait_for("crm_mon -1 2>&1", r"Online: \[ alpha bravo \]", 240, step=3)
    a.run("crm_attribute -t crm_config -n stonith-enabled -v false")
    return a, b


def initial_sync(a, b):
    """The administrator's one-time steps: metadata, a full sync from alpha, an ext4 on
    it; then r0 down on both, for Pacemaker to run."""
    for g in (a, b):
        g.run("drbdadm -- --force create-md r0 >/dev/null 2>&1 && drbdadm up r0")
    a.wait_for("cat /proc/drbd", r"cs:Connected", 60)
    a.run("drbdadm primary --force r0")
    a.wait_for("cat /proc/drbd", r"ds:UpToDate/UpToDate", 180)
    a.run("mkfs.ext4 -q /dev/drbd0 && drbdadm secondary r0")
    for g in (a, b):
        g.run("drbdadm down r0")


def create_clone(a, b):
    """Creates the clone and waits for Pacemaker to promote one node: (Primary, Secondary)."""
    a.run(f"cibadmin -C -o resources -X '{CLONE}'")
    name = a.wait_for(PROMOTED, r"alpha|bravo", 180, step=3).strip()
    primary, secondary = (a, b) if name == "alpha" else (b, a)
    secondary.wait_for("cat /proc/drbd", r"ro:Secondary/Primary ds:UpToDate/UpToDate", 60)
    return primary, secondary


def describe(bed):
    """What each running guest says about the cluster and DRBD, for a failure report."""
    for g in bed.guests:
        if not (g.proc and g.proc.poll() is None):
            continue
        try:
            print(f"--- {g.name}: what it says now", flush=True)
            print(g.call("crm_mon -1 -A 2>&1; cat /proc/drbd; cibadmin -Q -o constraints; "
                         "journalctl -q --no-pager -t sft-fence-peer -t sft-unfence-peer -t drbd | tail -n 20; "
                         "dmesg | grep -i drbd | tail -n 25; "
                         "journalctl -q --no-pager -u pacemaker | grep -i -E 'r0|drbd' | tail -n 30",
                         timeout=60)[1], flush=True)
        except GuestError as more:
            print(f"--- {g.name}: {more}")
