#!/usr/bin/env python3
"""ocf:sft:Filesystem against ocf:heartbeat:Filesystem on a real loop device.

Run as root: bench/filesystem.py [--agent PATH] [--runs N]. See bench/README.md.
"""
import argparse, ctypes, datetime, json, os, platform, re, signal, statistics
import shutil, subprocess, sys, tempfile, time
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEARTBEAT = "/usr/lib/ocf/resource.d/heartbeat/Filesystem"
INSTALLED = Path("/usr/lib/ocf/resource.d/sft/Filesystem")
IMAGE_MIB = 512  # mkfs.xfs (xfsprogs >= 5.19) refuses filesystems under 300 MB
TARGETS = {"monitor depth 0": 20.0, "monitor depth 20": 10.0}
# (label, steps of (action, OCF_CHECK_LEVEL), filesystem mounted beforehand)
ACTIONS = [("monitor depth 0", [("monitor", "0")], True),
           ("monitor depth 20", [("monitor", "20")], True),
           ("start+stop", [("start", None), ("stop", None)], False)]
RSS_NOTE = ("peak RSS = ru_maxrss from wait4 on the agent process: the largest resident "
            "set (KiB) reached by the agent or by any descendant it reaped; the agent is "
            "started by /bin/sh so this Python process's own RSS (which the kernel carries "
            "across exec) is not counted")


class Abort(Exception):
    pass


def sh(*argv):
    r = subprocess.run(argv, capture_output=True, text=True)
    if r.returncode:
        raise Abort(f"{' '.join(argv)} failed ({r.returncode}): {r.stderr.strip()}")
    return r.stdout.strip()


class Bench:
    def __init__(self, agents, runs, tmp):
        self.agents, self.runs, self.tmp = agents, runs, tmp
        self.mnt, self.log = tmp / "mnt", tmp / "agent.stderr"
        self.mnt.mkdir()
        img = tmp / "fs.img"
        with open(img, "wb") as f:
            f.truncate(IMAGE_MIB << 20)
        self.fa = [(os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
                   (os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0),
                   (os.POSIX_SPAWN_OPEN, 2, str(self.log),
                    os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)]
        self.dev = sh("losetup", "--find", "--show", str(img))  # last: cleanup() undoes it

    def cleanup(self):
        """Unmount and detach; False if the mount point is still busy."""
        for _ in range(20):
            if subprocess.run(["umount", str(self.mnt)], capture_output=True).returncode:
                if not os.path.ismount(self.mnt):
                    break
                time.sleep(0.1)
        subprocess.run(["losetup", "-d", self.dev], capture_output=True)
        return not os.path.ismount(self.mnt)

    def mkfs(self, fstype):
        self.set_mounted(False)
        sh(f"mkfs.{fstype}", "-f" if fstype == "xfs" else "-F", "-q", self.dev)
        self.env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "OCF_ROOT": "/usr/lib/ocf",
                    "OCF_RESOURCE_INSTANCE": "fsbench", "OCF_RESKEY_device": self.dev,
                    "OCF_RESKEY_directory": str(self.mnt), "OCF_RESKEY_fstype": fstype}
        self.fstype = fstype

    def set_mounted(self, want):
        if want and not os.path.ismount(self.mnt):
            sh("mount", "-t", self.fstype, self.dev, str(self.mnt))
        elif not want and os.path.ismount(self.mnt):
            sh("umount", str(self.mnt))

    def step_env(self, level):
        return self.env if level is None else dict(self.env, OCF_CHECK_LEVEL=level)

    def check(self, name, action, level, code):
        if code != 0:
            depth = "" if level is None else f", OCF_CHECK_LEVEL={level}"
            err = self.log.read_text(errors="replace").strip()[-600:]
            raise Abort(f"{name} {action} ({self.fstype}{depth}) exited {code}, expected 0"
                        f"\n  agent: {self.agents[name]}\n  stderr: {err or '(empty)'}")

    def timed(self, name, steps):
        """Wall and CPU ms of the steps, each a posix_spawn (vfork+exec) and wait4."""
        wall = cpu = 0.0
        for action, level in steps:
            argv = [self.agents[name], action]
            t0 = time.perf_counter()
            pid = os.posix_spawn(argv[0], argv, self.step_env(level), file_actions=self.fa)
            _, status, ru = os.wait4(pid, 0)
            wall += time.perf_counter() - t0
            cpu += ru.ru_utime + ru.ru_stime
            self.check(name, action, level, os.waitstatus_to_exitcode(status))
        return wall * 1e3, cpu * 1e3

    def peak_rss(self, name, steps):
        """ru_maxrss of the agent forked by a small /bin/sh that hands us its pid.

        A process's peak RSS survives exec, so a child of this Python process would
        report Python's own size; we are the subreaper that the agent is orphaned to.
        """
        rss = 0
        for action, level in steps:
            r, w = os.pipe()
            script = '"$@" 3>&- & echo $! >&3'
            shell = os.posix_spawn("/bin/sh", ["sh", "-c", script, "sh", self.agents[name],
                                   action], self.step_env(level),
                                   file_actions=self.fa + [(os.POSIX_SPAWN_DUP2, w, 3)])
            os.close(w)
            os.waitpid(shell, 0)
            with os.fdopen(r) as f:
                pid = int(f.read())
            _, status, ru = os.wait4(pid, 0)
            self.check(name, action, level, os.waitstatus_to_exitcode(status))
            rss = max(rss, ru.ru_maxrss)
        return rss

    def strace(self, name, steps, calls):
        """Successful calls among `calls` over the steps, traced with strace -f."""
        out, n = self.tmp / "strace.out", 0
        for i, (action, level) in enumerate(steps, 1):
            argv = ["strace", "-f", "-qq", "-e", f"trace={calls}", "-o", str(out),
                    self.agents[name], action]
            with open(self.log, "w") as err:
                code = subprocess.run(argv, env=self.step_env(level), stdin=subprocess.DEVNULL,
                                      stdout=subprocess.DEVNULL, stderr=err).returncode
            self.check(name, action, level, code)
            trace, pending = out.read_text(), {}
            for line in trace.splitlines():
                pid, call = re.match(r"(\d+)\s+(.*)", line).groups()  # pids are padded
                if call.endswith("<unfinished ...>"):
                    pending[pid] = call.removesuffix("<unfinished ...>")
                    continue
                if resumed := re.match(r"<\.\.\. \w+ resumed>(.*)", call):
                    call = pending.pop(pid, "") + resumed[1]
                m = re.match(r"(\w+)\(.*\)\s+= (-?\d+)", call)
                if m and m[1] == "execve":
                    n += m[2] == "0"
                elif m:
                    n += int(m[2]) > 0 and "CLONE_THREAD" not in call
            if calls == "execve" and n < i:  # the agent's own execve must be there
                raise Abort(f"strace output not understood: {trace[:300]!r}")
        return n

    def measure(self, label, steps, mounted):
        self.set_mounted(mounted)
        for name in self.agents:  # warm-up, not counted
            self.timed(name, steps)
        samples = {name: ([], []) for name in self.agents}
        for _ in range(self.runs):
            for name in self.agents:  # interleaved: sft, heartbeat, sft, heartbeat, ...
                wall, cpu = self.timed(name, steps)
                samples[name][0].append(wall)
                samples[name][1].append(cpu)
        row = {"action": label, "fstype": self.fstype}
        for name, (wall, cpu) in samples.items():
            row[name] = {"median_ms": statistics.median(wall), "p90_ms": p90(wall),
                         "cpu_median_ms": statistics.median(cpu), "peak_rss_kib":
                         self.peak_rss(name, steps), "children":
                         self.strace(name, steps, "clone,clone3,fork,vfork"),
                         "execs": self.strace(name, steps, "execve") - len(steps),
                         "wall_ms": wall, "cpu_ms": cpu}
        row["ratio"] = row["heartbeat"]["median_ms"] / row["sft"]["median_ms"]
        row["target_ratio"] = TARGETS.get(label)
        return row


def p90(xs):
    return statistics.quantiles(xs, n=10, method="inclusive")[-1] if len(xs) > 1 else xs[0]


def print_table(rows):
    head = ["action", "fstype", "sft med ms", "hb med ms", "ratio hb/sft", "target",
            "sft p90", "hb p90", "sft cpu", "hb cpu", "sft procs/execs", "hb procs/execs",
            "sft RSS KiB", "hb RSS KiB"]
    lines = [head]
    for r in rows:
        s, h, t = r["sft"], r["heartbeat"], r["target_ratio"]
        target = f">= {t:.0f}x {'met' if r['ratio'] >= t else 'missed'}" if t else "-"
        lines.append([r["action"], r["fstype"], f"{s['median_ms']:.2f}",
                      f"{h['median_ms']:.2f}", f"{r['ratio']:.1f}x", target,
                      f"{s['p90_ms']:.2f}", f"{h['p90_ms']:.2f}", f"{s['cpu_median_ms']:.2f}",
                      f"{h['cpu_median_ms']:.2f}", f"{s['children']}/{s['execs']}",
                      f"{h['children']}/{h['execs']}", str(s["peak_rss_kib"]),
                      str(h["peak_rss_kib"])])
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    for i, line in enumerate(lines):
        print(" | ".join(c.ljust(w) if j < 2 else c.rjust(w)
                         for j, (c, w) in enumerate(zip(line, widths))))
        if i == 0:
            print("-+-".join("-" * w for w in widths))


def main():
    built = HERE.parent / "build/agents/filesystem/Filesystem"
    default = INSTALLED if INSTALLED.exists() else built
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--agent", default=str(default), help=f"sft agent (default {default})")
    ap.add_argument("--runs", type=int, default=30, help="timed runs per agent and action")
    args = ap.parse_args()
    agents = {"sft": str(Path(args.agent).resolve()), "heartbeat": HEARTBEAT}
    if os.geteuid() != 0:
        sys.exit("bench/filesystem.py: run as root (it mounts a loop device)")
    for path in agents.values():
        if not os.access(path, os.X_OK):
            sys.exit(f"bench/filesystem.py: no executable agent at {path}")
    if args.runs < 1:
        sys.exit("bench/filesystem.py: --runs must be at least 1")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally below
    ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER, for peak_rss()
    rows, bench, tmp = [], None, Path(tempfile.mkdtemp(prefix="sft-bench-fs-"))
    try:
        bench = Bench(agents, args.runs, tmp)
        for fstype in ("xfs", "ext4"):
            bench.mkfs(fstype)
            for label, steps, mounted in ACTIONS:
                print(f"{fstype}: {label} x {args.runs} ...", file=sys.stderr)
                rows.append(bench.measure(label, steps, mounted))
    except Abort as e:
        sys.exit(f"bench/filesystem.py: aborted: {e}")
    except KeyboardInterrupt:
        sys.exit("bench/filesystem.py: interrupted")
    finally:  # also on Ctrl-C and SIGTERM; never rmtree through a live mount
        if bench is None or bench.cleanup():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"bench/filesystem.py: {tmp}/mnt is still mounted; left {tmp}",
                  file=sys.stderr)
    print(f"sft: {agents['sft']}\nheartbeat: {HEARTBEAT}\nruns: {args.runs} per agent "
          f"and action, interleaved; times are wall ms of spawn+wait4, cpu = user+sys of "
          f"the agent and its reaped descendants (median)\n")
    print_table(rows)
    print(f"\nprocs/execs: successful clone/clone3/fork/vfork that made a process / "
          f"successful execve, not counting the agent's own (strace -f, one run)\n{RSS_NOTE}")
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    meta = {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "host": platform.node(), "kernel": platform.release(), "cpus": os.cpu_count(),
            "runs": args.runs, "agents": agents, "image_mib": IMAGE_MIB, "rss": RSS_NOTE}
    (out / "latest.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=1) + "\n")
    print(f"\nwrote {out / 'latest.json'}")


if __name__ == "__main__":
    main()
