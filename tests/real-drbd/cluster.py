"""Pacemaker in the real-DRBD guests (cluster.img): the steps the cluster scenario and
bench/drbd.py share. The image holds DRBD resource r0 on each guest's /dev/vdb with
fencing resource-and-stonith and sft's handlers (build-cluster-image.sh).

With a Cloud (the mock OCI API on the host, one instance per guest) the cluster fences
for real: fence_oci in the guests asks the mock to STOP an instance, and the mock's hook
kills that guest's qemu. Without one (bench/drbd.py) stonith is off and the clone runs
with unsafe_without_fencing=true."""

import base64
import json
import os
import shutil
import subprocess
import time
import urllib.request

from guests import OCI_ADDRESS, GuestError

HERE = os.path.dirname(os.path.abspath(__file__))
MOCK = os.path.join(HERE, "..", "mock-oci", "mock_oci.py")
OCI_NAME = "oci.test"  # the mock's name in the guests (build-cluster-image.sh's /etc/hosts)


class Cloud:
    """The mock OCI API, standing in for the cloud: an instance per guest, an API user for
    fence_oci, and a hook that powers a guest off when its instance stops."""

    def __init__(self, bed, names):
        self.dir = os.path.join(bed.run, "oci")
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        seed = {"tenancy": "ocid1.tenancy.oc1..aaaaaaaasftrealdrbd", "users": [{"name": "fencer"}],
                "instances": [{"displayName": n} for n in names],
                "timing": {"stop_seconds": 2, "start_seconds": 2, "reset_seconds": 2}}
        with open(os.path.join(self.dir, "seed.json"), "w") as f:
            json.dump(seed, f)
        self.log = open(os.path.join(self.dir, "mock.log"), "w")
        self.proc = subprocess.Popen(
            ["/usr/bin/python3", MOCK, "--dir", self.dir, "--seed", os.path.join(self.dir, "seed.json"),
             "--san", OCI_NAME, "--hook", f"/bin/sh {HERE}/power-off-hook.sh {bed.run}"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log)
        ready = os.path.join(self.dir, "ready.json")
        deadline = time.monotonic() + 30
        while not os.path.exists(ready):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise GuestError(f"the mock OCI API did not start (see {self.dir}/mock.log)")
            time.sleep(0.1)
        with open(ready) as f:
            self.ready = json.load(f)
        self.ports = {443: self.ready["https_port"], 80: self.ready["http_port"]}
        with open(self.ready["effective_seed"]) as f:
            self.instances = {i["displayName"]: i["id"] for i in json.load(f)["instances"]}

    def _control(self, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.ready["control"] + path, data=data,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.load(r)

    def state(self, name):
        """The instance's lifecycleState as the API reports it."""
        return self._control(f"/instances/{name}")["lifecycleState"]

    def power_on(self, name):
        """Marks the instance RUNNING again, for a guest the scenario boots again."""
        self._control("/state/patch", {"instances": {name: {"lifecycleState": "RUNNING"}}})

    def timing(self, **seconds):
        """Sets how long the mock's power transitions take (stop_seconds, ...)."""
        self._control("/state/patch", {"timing": seconds})

    def install(self, guest):
        """fence_oci's configuration in the guest: an API key profile and the mock's CA."""
        key = self.ready["api_keys"][0]
        with open(key["private_key"]) as f:
            pem = f.read()
        with open(self.ready["ca"]) as f:
            ca = f.read()
        config = (f"[DEFAULT]\nuser={key['user']}\nfingerprint={key['fingerprint']}\n"
                  f"tenancy={self.ready['tenancy']}\nregion={self.ready['region']}\n"
                  f"key_file=/etc/sft/oci/fencer.pem\n")
        files = {"config": config, "fencer.pem": pem, "ca.pem": ca}
        script = "umask 077 && mkdir -p /etc/sft/oci && " + " && ".join(
            f"echo {base64.b64encode(text.encode()).decode()} | base64 -d >/etc/sft/oci/{name}"
            for name, text in files.items())
        guest.run(script)

    def device(self, name, runner):
        """The CIB of fence_oci for one node, run from `runner` (whose instance metadata it
        reads for its race check), and the constraint that keeps it off that node."""
        return (f"""<primitive id="fence-{name}" class="stonith" type="fence_oci">
  <instance_attributes id="fence-{name}-params">
    <nvpair id="fence-{name}-auth" name="auth" value="api_key"/>
    <nvpair id="fence-{name}-config" name="config_file" value="/etc/sft/oci/config"/>
    <nvpair id="fence-{name}-endpoint" name="endpoint" value="https://{OCI_NAME}"/>
    <nvpair id="fence-{name}-ca" name="cert_bundle" value="/etc/sft/oci/ca.pem"/>
    <nvpair id="fence-{name}-compartment" name="compartment" value="{self.ready['tenancy']}"/>
    <nvpair id="fence-{name}-imds" name="metadata_url" value="http://{OCI_ADDRESS}/i/{runner}/opc/v2"/>
    <nvpair id="fence-{name}-map" name="pcmk_host_map" value="{name}:{self.instances[name]}"/>
  </instance_attributes>
  <operations><op id="fence-{name}-monitor" name="monitor" interval="120s" timeout="60s"/></operations>
</primitive>""", f'<rsc_location id="fence-{name}-away" rsc="fence-{name}" node="{name}" score="-INFINITY"/>')

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()

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
      <nvpair id="r0-params-unsafe" name="unsafe_without_fencing" value="@UNSAFE@"/>
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


def start(bed, cloud=None):
    """Boots alpha and bravo and waits for both to be online in Pacemaker. With a Cloud,
    fence_oci is each node's fence device and a fenced node stays off (stonith-action=off:
    the scenario boots it again); without one, stonith is off. Returns the guests."""
    a, b = bed.start("alpha", "bravo")
    a.wait_for("crm_mon -1 2>&1", r"Online: \[ alpha bravo \]", 240, step=3)
    if cloud is None:
        a.run("crm_attribute -t crm_config -n stonith-enabled -v false")
        return a, b
    for g in (a, b):
        cloud.install(g)
    for g, runner in ((a, b), (b, a)):
        device, away = cloud.device(g.name, runner.name)
        a.run(f"cibadmin -C -o resources -X '{device}' && cibadmin -C -o constraints -X '{away}'")
    a.run("crm_attribute -t crm_config -n stonith-action -v off && "
          "crm_attribute -t crm_config -n stonith-enabled -v true")
    a.wait_for("crm_mon -1 2>&1", r"fence-alpha\s+\(stonith:fence_oci\):\s+Started bravo", 180, step=3)
    a.wait_for("crm_mon -1 2>&1", r"fence-bravo\s+\(stonith:fence_oci\):\s+Started alpha", 60, step=3)
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


def create_clone(a, b, fencing=True):
    """Creates the clone and waits for Pacemaker to promote one node: (Primary, Secondary).
    fencing=False: a cluster without a fence device (unsafe_without_fencing=true)."""
    a.run(f"cibadmin -C -o resources -X '{CLONE.replace('@UNSAFE@', 'false' if fencing else 'true')}'")
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
