"""Two qemu guests joined by a private link, driven over a serial control channel.

    bed = Bed(work, disk_mib=64, disks=1) # WORK holds vmlinuz and initrd.img (build-guest.sh);
                                          # each guest gets /dev/vda, /dev/vdb... of disk_mib
                                          # (root_image=IMG: a copy of a Debian root as /dev/vda
                                          # first, each guest's own, kept across restarts)
    a, b = bed.start("alpha", "bravo")    # both boot in parallel; returns once both answer
    out = a.run("drbdadm up r0")          # raises GuestError on a non-zero exit
    rc, out = a.call("drbdadm cstate r0") # or gets the exit code back
    a.kill()                              # SIGKILL qemu: a power cut
    bed.restart(a)                        # boots it again on the same disks
    bed.close()                           # kills whatever is left

With Bed(..., oci_ports={443: HTTPS, 80: HTTP}) each guest also has a user-mode NIC
(eth1, 10.0.2.15/24, no route out) on which 10.0.2.100:443 and :80 reach those ports on
the host's loopback, each connection through busybox nc: how the guests' fence_oci
reaches the mock OCI API and its instance metadata.
run/NAME.pid holds each guest's qemu pid, for a hook that powers a guest off.

Each guest runs the project's init.sh. The link is qemu's datagram netdev over unix
sockets, so the host sees no traffic and a killed guest leaves nothing behind. KVM is
used only with real VT-x or AMD-V; otherwise TCG (software emulation), which is slower
but boots a stock Debian kernel anywhere. Every wait is bounded.
"""

import base64
import os
import re
import signal
import socket
import subprocess
import time

LINK_NET = "10.99.0"
OCI_ADDRESS = "10.0.2.100"  # where a guest reaches the host's mock OCI API (oci_ports)


class GuestError(RuntimeError):
    pass


def accelerator():
    """kvm with a hardware hypervisor behind /dev/kvm, else tcg."""
    hardware = os.path.isdir("/sys/module/kvm_intel") or os.path.isdir("/sys/module/kvm_amd")
    if hardware and os.access("/dev/kvm", os.R_OK | os.W_OK):
        return "kvm"
    return "tcg"


class Guest:
    def __init__(self, bed, name, index):
        self.bed, self.name, self.index = bed, name, index
        self.addr = f"{LINK_NET}.{index + 1}"
        self.disks = [os.path.join(bed.run, f"{name}.vd{chr(ord('a') + i)}.img") for i in range(bed.disks)]
        self.root = os.path.join(bed.run, f"{name}.root.img") if bed.root_image else None
        self.console = os.path.join(bed.run, f"{name}.console")
        self.control = os.path.join(bed.run, f"{name}.control")
        self.proc = None
        self.sock = None
        self.sequence = 0
        self.pending = b""

    def make_disks(self):
        if self.root:  # the node's own root, as a real node has: a restart keeps what it wrote
            subprocess.run(["cp", "--sparse=always", "--reflink=auto", self.bed.root_image, self.root], check=True)
        for disk in self.disks:
            with open(disk, "wb") as f:
                f.truncate(self.bed.disk_mib << 20)

    def boot(self):
        """Starts qemu on the guest's disks as they are (a restart keeps them)."""
        self.sequence, self.pending = 0, b""
        here, peer = self.bed.link_socket(self.index), self.bed.link_socket(1 - self.index)
        for path in (self.control, here):
            if os.path.exists(path):
                os.unlink(path)
        accel = self.bed.accel
        # O_DIRECT where the file system has it (a power cut then loses only what the
        # guest did not flush); tmpfs has none.
        cache = "cache=none,aio=native" if self.bed.direct_io else "cache=writeback"
        root, extra = [], ""
        if self.root:  # a full Debian root; DRBD's disks follow
            root = ["-drive", f"file={self.root},if=virtio,format=raw,{cache}"]
            extra = f" root=/dev/vda systemd.hostname={self.name} systemd.show_status=0"
        cmd = [
            "qemu-system-x86_64", "-nodefaults", "-display", "none", "-no-reboot",
            "-accel", accel, "-cpu", "host" if accel == "kvm" else "max", "-smp", "1", "-m", str(self.bed.memory_mib),
            "-kernel", os.path.join(self.bed.work, "vmlinuz"),
            "-initrd", os.path.join(self.bed.work, "initrd.img"),
            "-append", f"console=ttyS0 quiet panic=-1 node={self.name} addr={self.addr}/24{extra}",
            "-serial", f"file:{self.console}",
            "-chardev", f"socket,id=control,path={self.control},server=on,wait=off",
            "-serial", "chardev:control",
            *root, *[arg for disk in self.disks for arg in ("-drive", f"file={disk},if=virtio,format=raw,{cache}")],
            "-netdev", f"dgram,id=link,local.type=unix,local.path={here},remote.type=unix,remote.path={peer}",
            "-device", f"virtio-net-pci,netdev=link,mac=52:54:00:99:00:{self.index + 1:02x}",
        ]
        if self.bed.oci_ports:
            # restrict=on: the guest reaches nothing but the forwarded ports.
            forwards = ",".join(f"guestfwd=tcp:{OCI_ADDRESS}:{guest_port}-cmd:/bin/busybox nc 127.0.0.1 {host_port}"
                                for guest_port, host_port in self.bed.oci_ports.items())
            cmd += ["-netdev", f"user,id=oci,restrict=on,{forwards}",
                    "-device", f"virtio-net-pci,netdev=oci,mac=52:54:00:0c:00:{self.index + 1:02x}"]
            cmd[cmd.index("-append") + 1] += " oci=10.0.2.15/24"
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(self.bed.run, f"{self.name}.qemu.log"), "w"))
        with open(os.path.join(self.bed.run, f"{self.name}.pid"), "w") as f:
            f.write(f"{self.proc.pid}\n")
        # qemu drops serial output while no client is connected: attach at once.
        deadline = time.monotonic() + 30
        while True:
            if self.proc.poll() is not None:
                raise GuestError(f"{self.name}: qemu exited with {self.proc.returncode} (see {self.name}.qemu.log)")
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(self.control)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise GuestError(f"{self.name}: no control socket after 30 s")
                time.sleep(0.05)

    def wait_ready(self, timeout):
        self._read_until(b"@@ready@@\n", timeout, "the guest's control loop")

    def _read_until(self, marker, timeout, what):
        deadline = time.monotonic() + timeout
        self.sock.settimeout(0.5)
        while marker not in self.pending:
            if time.monotonic() > deadline:
                tail = self.pending[-400:].decode(errors="replace")
                raise GuestError(f"{self.name}: {what} did not finish within {timeout} s; last output: {tail!r}")
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                continue
            if not chunk:
                raise GuestError(f"{self.name}: control channel closed during {what}")
            self.pending += chunk
        before, _, after = self.pending.partition(marker)
        self.pending = after
        return before

    def call(self, script, timeout=120):
        """Runs script with sh in the guest; (exit code, combined output)."""
        self.sequence += 1
        encoded = base64.b64encode(script.encode()).decode()
        self.sock.sendall(f"{self.sequence} {encoded}\n".encode())
        head = f"@@done {self.sequence} ".encode()
        out = self._read_until(head, timeout, f"`{script.strip()[:60]}`")
        rest = self._read_until(b"@@\n", 5, "the exit code")
        text = out.decode(errors="replace")  # the output, exactly, and the loop's newline
        return int(rest), text[:-1] if text.endswith("\n") else text

    def run(self, script, timeout=120):
        """Runs script; its output, or GuestError with it when the exit code is not 0."""
        rc, out = self.call(script, timeout)
        if rc != 0:
            raise GuestError(f"{self.name}: `{script.strip()}` exited {rc}:\n{out}")
        return out

    def wait_for(self, script, pattern, timeout, step=0.5):
        """Runs script until its output matches pattern (a regex); the output."""
        deadline = time.monotonic() + timeout
        while True:
            _, out = self.call(script, timeout=max(5, timeout))
            if re.search(pattern, out):
                return out
            if time.monotonic() > deadline:
                raise GuestError(f"{self.name}: `{script}` never matched {pattern!r} within {timeout} s; last: {out!r}")
            time.sleep(step)

    def kill(self):
        """A power cut: SIGKILL to qemu."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()


class Bed:
    def __init__(self, work, disk_mib=64, disks=1, root_image=None, memory_mib=512, oci_ports=None):
        self.work = os.path.abspath(work)
        self.oci_ports = oci_ports
        self.run = os.path.join(self.work, "run")
        os.makedirs(self.run, exist_ok=True)
        self.disk_mib, self.disks = disk_mib, disks
        self.root_image, self.memory_mib = root_image, memory_mib
        self.accel = accelerator()
        self.direct_io = self._has_direct_io()
        self.guests = []

    def _has_direct_io(self):
        probe = os.path.join(self.run, ".direct-io-probe")
        try:
            fd = os.open(probe, os.O_CREAT | os.O_WRONLY | os.O_DIRECT, 0o600)
            os.close(fd)
            return True
        except OSError:
            return False
        finally:
            if os.path.exists(probe):
                os.unlink(probe)

    def link_socket(self, index):
        return os.path.join(self.run, f"link{index}.sock")

    def start(self, *names, timeout=300):
        if len(names) != 2:
            raise ValueError("the link joins exactly two guests")
        self.guests = [Guest(self, name, i) for i, name in enumerate(names)]
        for g in self.guests:
            g.make_disks()
            g.boot()
        for g in self.guests:
            g.wait_ready(timeout)
        return self.guests

    def restart(self, guest, timeout=300):
        """Boots a guest again on its disks (after kill(), a power cut)."""
        guest.kill()
        guest.boot()
        guest.wait_ready(timeout)

    def close(self):
        for g in self.guests:
            g.kill()
