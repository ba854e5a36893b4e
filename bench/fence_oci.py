#!/usr/bin/env python3
"""fence_oci against fence_aws (fence-agents): metadata cost, and the OCI API calls one
off action makes against the mock OCI API.

bench/fence_oci.py [--agent PATH] [--runs N]. See bench/README.md. Needs no root.
"""
import argparse, json, shutil, statistics, subprocess, sys, time
from pathlib import Path

from mock_oci import control, running_mock, write_config

HERE = Path(__file__).resolve().parent
ANCHOR = "/usr/sbin/fence_aws"


def timed(argv, stdin=None):
    t = time.perf_counter()
    r = subprocess.run(argv, input=stdin, capture_output=True, text=True)
    return (time.perf_counter() - t) * 1000, r


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--agent", default=shutil.which("fence_oci") or str(HERE.parent / "build/stonith/fence_oci/fence_oci"))
    p.add_argument("--runs", type=int, default=30)
    a = p.parse_args()

    # 1. metadata, interleaved, as pacemaker-fenced and pcs ask for it.
    ours, theirs = [], []
    for argv in ([a.agent, "-o", "metadata"], [ANCHOR, "-o", "metadata"]):
        _, r = timed(argv)
        if r.returncode:
            sys.exit(f"{argv[0]} failed: {r.stderr}")
    for _ in range(a.runs):
        ours.append(timed([a.agent, "-o", "metadata"])[0])
        theirs.append(timed([ANCHOR, "-o", "metadata"])[0])
    mo, mt = statistics.median(ours), statistics.median(theirs)
    print(f"metadata, {a.runs} interleaved runs")
    print(f"{'agent':<12}{'med ms':>9}{'p90 ms':>9}")
    print(f"{'fence_oci':<12}{mo:>9.2f}{sorted(ours)[int(len(ours) * 0.9) - 1]:>9.2f}")
    print(f"{'fence_aws':<12}{mt:>9.2f}{sorted(theirs)[int(len(theirs) * 0.9) - 1]:>9.2f}")
    print(f"ratio fence_aws/fence_oci: {mt / mo:.1f}x (target >= 50x)")

    # 2. API calls per off action, against the mock (stop takes its 1 s).
    with running_mock("sft-bench-fence.") as (tmp, ready):
        config = write_config(tmp, ready)
        seed = json.loads(Path(ready["effective_seed"]).read_text())
        node2 = next(i["id"] for i in seed["instances"] if i["displayName"] == "node2")
        stdin = "\n".join([f"action=off", f"plug={node2}", "auth=api_key", f"config_file={config}",
                           f"endpoint={ready['api']}", f"cert_bundle={ready['ca']}",
                           f"metadata_url={ready['imds']}", f"compartment={seed['instances'][0]['compartmentId']}"])
        control(ready, "POST", "log/clear")
        ms, r = timed([a.agent], stdin + "\n")
        if r.returncode:
            sys.exit("fence_oci off failed: " + r.stderr)
        log = control(ready, "GET", "log")
        ops = {}
        for e in log:
            ops[e["operation"]] = ops.get(e["operation"], 0) + 1
        print(f"\noff of one instance (STOP takes 1 s in the mock): {ms:.0f} ms, API calls: "
              + ", ".join(f"{k} {v}" for k, v in sorted(ops.items())))
        print(f"InstanceAction calls: {ops.get('InstanceAction', 0)} (target: 1); the rest are the status "
              f"check, the race check (IMDS + GetInstance of this node) and the polls")


if __name__ == "__main__":
    main()
