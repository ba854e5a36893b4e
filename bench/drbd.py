#!/usr/bin/env python3
"""ocf:sft:drbd against ocf:linbit:drbd: the cost of a steady monitor, on real DRBD.

    bench/drbd.py [--build DIR] [--runs N]

Boots the real-DRBD tier's two Debian guests (tests/real-drbd: Debian's kernel with its
DRBD 8.4, Corosync and Pacemaker), lets Pacemaker promote r0 with ocf:sft:drbd, puts
the cluster in maintenance mode, and then, on the Unpromoted node (Secondary,
Connected, UpToDate), runs N monitors of each agent, interleaved, with the same state
and the same environment. Reports per agent: median wall time, processes started per
monitor (/proc/stat's fork counter, less the measuring shell's own), and attribute
tool runs per monitor (crm_attribute, attrd_updater, crm_master: strace -f of one run);
and the ratio of the medians. Asserts nothing. See bench/README.md.
"""
import argparse
import datetime
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests" / "real-drbd"))
import cluster  # noqa: E402
from guests import Bed  # noqa: E402

TARGETS = {"wall ratio": 10.0, "forks": 1, "attribute writes": 0}
# What Pacemaker gives a recurring Unpromoted monitor of a promotable clone instance.
ENV = ("OCF_ROOT=/usr/lib/ocf OCF_RESKEY_drbd_resource=r0 OCF_RESKEY_CRM_meta_interval=30000 "
       "OCF_RESKEY_CRM_meta_timeout=20000 OCF_RESKEY_CRM_meta_clone_max=2 OCF_RESKEY_CRM_meta_clone_node_max=1 "
       "OCF_RESKEY_CRM_meta_promoted_max=1 OCF_RESKEY_CRM_meta_master_max=1 OCF_RESKEY_CRM_meta_promoted_node_max=1 "
       "OCF_RESKEY_CRM_meta_master_node_max=1 OCF_RESKEY_CRM_meta_notify=true OCF_RESKEY_CRM_meta_role=Unpromoted "
       "OCF_RESKEY_CRM_meta_globally_unique=false HA_LOGFACILITY=none")
AGENTS = {  # name -> (instance, path); each instance its own promotion attribute
    "sft": ("r0:1", "/usr/lib/ocf/resource.d/sft/drbd"),
    "linbit": ("linbit-r0:1", "/usr/lib/ocf/resource.d/linbit/drbd"),
}
# One timed monitor: its wall time in ns, and the fork counter's delta around it. The
# agent is started as Pacemaker starts it, with one exec (no `env` in between).
TIMED = r"""export {env}
f0=$(awk '/^processes/ {{print $2}}' /proc/stat); t0=$(date +%s%N)
OCF_RESOURCE_INSTANCE={instance} {path} monitor >/dev/null 2>&1; rc=$?
t1=$(date +%s%N); f1=$(awk '/^processes/ {{print $2}}' /proc/stat)
echo "rc=$rc ns=$((t1 - t0)) forks=$((f1 - f0))"
"""


def build(work, build_dir):
    stage = work / "stage-bench"
    subprocess.run(["rm", "-rf", str(stage)], check=True)
    (stage / "usr/lib/ocf/resource.d/sft").mkdir(parents=True)
    (stage / "usr/lib/drbd").mkdir(parents=True)
    (stage / "usr/lib/ocf/lib/heartbeat").mkdir(parents=True)
    copies = {build_dir / "agents/drbd/drbd": stage / "usr/lib/ocf/resource.d/sft/drbd",
              build_dir / "drbd-glue/handlers/sft-fence-peer": stage / "usr/lib/drbd/sft-fence-peer",
              build_dir / "drbd-glue/handlers/sft-unfence-peer": stage / "usr/lib/drbd/sft-unfence-peer"}
    # ocf:linbit:drbd (from the guests' drbd-utils) sources resource-agents' shell library.
    for f in Path("/usr/lib/ocf/lib/heartbeat").glob("ocf-*"):
        copies[f] = stage / "usr/lib/ocf/lib/heartbeat" / f.name
    for src, dst in copies.items():
        subprocess.run(["install", "-m", "0755", str(src), str(dst)], check=True)
    subprocess.run(["strip", str(stage / "usr/lib/ocf/resource.d/sft/drbd")], check=True)
    rd = ROOT / "tests" / "real-drbd"
    subprocess.run(["bash", str(rd / "build-guest.sh"), str(work)], check=True)
    subprocess.run(["bash", str(rd / "build-cluster-image.sh"), str(work), str(stage)], check=True)


def bring_up(bed):
    a, b = cluster.start(bed)
    cluster.initial_sync(a, b)
    _, secondary = cluster.create_clone(a, b, fencing=False)
    a.run("crm_attribute -t crm_config -n maintenance-mode -v true")  # no monitors but ours
    time.sleep(3)
    return secondary


def measure(guest, runs):
    samples = {name: {"ms": [], "forks": []} for name in AGENTS}
    baseline = []
    for _ in range(5):  # the measuring lines' own forks (awk, date) around /bin/true
        out = guest.run(TIMED.format(env="X=1", instance="x", path="/bin/true"))
        baseline.append(int(re.search(r"forks=(\d+)", out).group(1)))
    overhead = min(baseline) - 1  # /bin/true itself is one process, as the agent is
    for i in range(runs + 1):
        for name, (instance, path) in AGENTS.items():
            out = guest.run(TIMED.format(env=ENV, instance=instance, path=path))
            m = re.search(r"rc=(\d+) ns=(\d+) forks=(\d+)", out)
            if int(m.group(1)) != 0:
                raise RuntimeError(f"{name} monitor exited {m.group(1)}")
            if i == 0:
                continue  # warm-up: the first monitor publishes the score
            samples[name]["ms"].append(int(m.group(2)) / 1e6)
            samples[name]["forks"].append(int(m.group(3)) - overhead - 1)
    writes = {}
    for name, (instance, path) in AGENTS.items():
        trace = guest.run(f"strace -f -qq -e trace=execve -o /tmp/trace env {ENV} OCF_RESOURCE_INSTANCE={instance} "
                          f"{path} monitor >/dev/null 2>&1; cat /tmp/trace")
        writes[name] = len(re.findall(r'execve\("[^"]*/(crm_attribute|attrd_updater)"', trace))
    return samples, writes, overhead


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=str(ROOT / "build"), help="the build tree (default: build)")
    ap.add_argument("--runs", type=int, default=20, help="timed monitors per agent (default 20)")
    args = ap.parse_args()
    work = Path(os.environ.get("SFT_REAL_DRBD_WORK", "/var/tmp/sft-real-drbd")).resolve()
    work.mkdir(parents=True, exist_ok=True)
    build(work, Path(args.build).resolve())
    bed = Bed(str(work), disk_mib=64, root_image=str(work / "cluster.img"))
    try:
        guest = bring_up(bed)
        samples, writes, overhead = measure(guest, args.runs)
    finally:
        bed.close()
    rows = {}
    for name, s in samples.items():
        rows[name] = {"median_ms": statistics.median(s["ms"]), "min_ms": min(s["ms"]),
                      "forks_per_monitor": statistics.median(s["forks"]), "attribute_tool_runs": writes[name]}
    ratio = rows["linbit"]["median_ms"] / rows["sft"]["median_ms"]
    print(f"\nsteady Unpromoted monitor, real DRBD 8.4 in a qemu guest ({bed.accel}), {args.runs} runs each")
    print(f"{'agent':8} {'median ms':>10} {'min ms':>8} {'forks':>6} {'attr writes':>12}")
    for name, r in rows.items():
        print(f"{name:8} {r['median_ms']:10.1f} {r['min_ms']:8.1f} {r['forks_per_monitor']:6.0f} "
              f"{r['attribute_tool_runs']:12d}")
    print(f"ratio linbit/sft: {ratio:.1f}x (target >= {TARGETS['wall ratio']:.0f}x); "
          f"sft forks {rows['sft']['forks_per_monitor']:.0f} (target <= {TARGETS['forks']}), "
          f"attribute writes {rows['sft']['attribute_tool_runs']} (target {TARGETS['attribute writes']})")
    meta = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "accelerator": bed.accel, "runs": args.runs, "fork_overhead_subtracted": overhead,
            "agents": {name: path for name, (_, path) in AGENTS.items()}}
    out = HERE / "results" / "drbd-latest.json"
    out.write_text(json.dumps({"meta": meta, "rows": rows, "ratio": ratio, "targets": TARGETS}, indent=1) + "\n")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
