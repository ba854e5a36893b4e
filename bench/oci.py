#!/usr/bin/env python3
"""`sft oci raw-request` against plain curl, both over the same TLS to the mock OCI API.

bench/oci.py [--sft PATH] [--runs N]. See bench/README.md. Needs no root.
"""
import argparse, os, shutil, statistics, subprocess, sys, time
from pathlib import Path

from mock_oci import control, running_mock, write_config

HERE = Path(__file__).resolve().parent


def timed(argv, env):
    t = time.perf_counter()
    r = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ms = (time.perf_counter() - t) * 1000
    return ms, r


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--sft", default=shutil.which("sft") or str(HERE.parent / "build/tools/sft/sft"))
    p.add_argument("--runs", type=int, default=30)
    a = p.parse_args()
    with running_mock("sft-bench-oci.") as (tmp, ready):
        config = write_config(tmp, ready)
        url = f"{ready['api']}/20160918/instances/{ready['self']}"
        env = dict(os.environ, HOME=str(tmp), OCI_METADATA_BASE_URL=ready["imds"],
                   XDG_RUNTIME_DIR=str(tmp / "run"))
        (tmp / "run").mkdir(mode=0o700)
        sft = [a.sft, "oci", "raw-request", "--config-file", str(config), "--cert-bundle", ready["ca"],
               "--http-method", "GET", "--target-uri", url]
        # Same TLS (the mock's CA), same URL; curl does not sign, so OCI would say 401:
        # the difference is what signing, config and key loading cost.
        curl = ["curl", "-sS", "--cacert", ready["ca"], "-o", "/dev/null", url]
        for argv in (sft, curl):  # warm-up, and sft must succeed
            _, r = timed(argv, env)
            if argv is sft and r.returncode:
                sys.exit("sft failed: " + r.stderr.decode())
        times = {"sft": [], "curl": []}
        for _ in range(a.runs):
            times["sft"].append(timed(sft, env)[0])
            times["curl"].append(timed(curl, env)[0])
        med = {k: statistics.median(v) for k, v in times.items()}
        p90 = {k: sorted(v)[int(len(v) * 0.9) - 1] for k, v in times.items()}

        control(ready, "POST", "log/clear")
        ip = [a.sft, "oci", "raw-request", "--auth", "instance_principal", "--endpoint", ready["api"],
              "--auth-endpoint", ready["api"], "--cert-bundle", ready["ca"],
              "--http-method", "GET", "--target-uri", url]
        ok = 0
        for _ in range(10):
            _, r = timed(ip, env)
            ok += r.returncode == 0
        log = control(ready, "GET", "log")
        federations = sum(1 for e in log if e["operation"] == "Federation")

        print(f"sft oci raw-request vs curl, GET over TLS to the mock OCI API, {a.runs} interleaved runs")
        print(f"{'command':<28}{'med ms':>9}{'p90 ms':>9}")
        print(f"{'sft oci raw-request':<28}{med['sft']:>9.2f}{p90['sft']:>9.2f}")
        print(f"{'curl (unsigned)':<28}{med['curl']:>9.2f}{p90['curl']:>9.2f}")
        print(f"overhead ratio sft/curl: {med['sft'] / med['curl']:.2f}x")
        print(f"instance principal: 10 successive processes ({ok} succeeded) made "
              f"{federations} federation call(s) (target: 1)")


if __name__ == "__main__":
    main()
