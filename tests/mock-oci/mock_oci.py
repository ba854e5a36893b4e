#!/usr/bin/python3
"""A stand-in for the OCI API, for tests: Core Services (compute, virtual network),
DNS, the federation endpoint and IMDS, on loopback, with checked request signatures,
simulated lifecycles, fault injection and a request log.

    mock_oci.py --dir DIR [--seed SEED.json] [--hook CMD]

Writes DIR/ca.pem, DIR/server.pem, DIR/server-key.pem, DIR/effective-seed.json and,
once both listeners accept connections, DIR/ready.json. Exits on SIGTERM or SIGINT.
See README.md beside this file.
"""

import sys

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import threading  # noqa: E402

import control  # noqa: E402
import identity  # noqa: E402
import seed as seedlib  # noqa: E402
import server  # noqa: E402
import tls  # noqa: E402
from model import Hooks, Model  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Mock OCI API for tests")
    parser.add_argument("--dir", required=True, help="directory for certificates, keys and ready.json")
    parser.add_argument("--seed", help="seed JSON (default: the built-in seed)")
    parser.add_argument("--hook", help="command run on instance power transitions (overrides the seed's)")
    parser.add_argument("--san", action="append", default=[],
                        help="another DNS name for the HTTPS certificate (clients that reach the mock through a "
                             "forwarded port under that name); repeatable")
    return parser.parse_args()


def write_json_atomically(path: str, doc) -> None:
    """Readers polling for the file never see half of it."""
    tmp = f"{path}.tmp.{os.getpid()}"
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)


def ready_document(directory: str, https: server.Listener, http: server.Listener, seed: dict) -> dict:
    ca = os.path.join(directory, "ca.pem")
    api_keys = [{"user": u["id"], "fingerprint": u["fingerprint"],
                 "key_id": f"{seed['tenancy']}/{u['id']}/{u['fingerprint']}", "private_key": u["privateKeyFile"]}
                for u in seed["users"] if u.get("privateKeyFile")]
    return {"https_port": https.port, "http_port": http.port, "ca": ca, "pid": os.getpid(),
            "api": f"https://127.0.0.1:{https.port}", "imds": f"http://127.0.0.1:{http.port}/opc/v2",
            "control": f"http://127.0.0.1:{http.port}/_mock", "tenancy": seed["tenancy"],
            "region": seed["region"], "self": seed["self"], "api_keys": api_keys,
            "effective_seed": os.path.join(directory, "effective-seed.json")}


def main() -> int:
    args = parse_args()
    directory = os.path.abspath(args.dir)
    os.makedirs(directory, exist_ok=True)
    ready_path = os.path.join(directory, "ready.json")
    if os.path.exists(ready_path):
        os.unlink(ready_path)  # a leftover from an earlier run must not look ready
    try:
        seed = seedlib.load(args.seed, os.path.join(directory, "keys"))
    except (seedlib.SeedError, OSError, ValueError) as e:
        print(f"mock-oci: bad seed: {e}", file=sys.stderr)
        return 2

    pki = tls.Pki(directory, extra_names=args.san)
    model = Model(seed, Hooks(args.hook or seed["hook"]))
    if model.self_id:  # issued now, so the first IMDS request does not wait for a key
        pki.identity(model.items["instances"][model.self_id], model.tenancy)
    svc = server.Services(model, pki, identity.Tokens(), control.RequestLog(), control.Faults(),
                          control.RetryTokens())
    dispatcher = server.Dispatcher(svc)
    https = server.Listener("https", dispatcher, server.tls_context(pki.server_cert_file, pki.server_key_file))
    http = server.Listener("http", dispatcher)
    for listener in (https, http):
        # A short poll interval makes shutdown() on SIGTERM quick.
        threading.Thread(target=listener.serve_forever, args=(0.1,), name=listener.listener, daemon=True).start()

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    write_json_atomically(os.path.join(directory, "effective-seed.json"), seed)
    write_json_atomically(ready_path, ready_document(directory, https, http, seed))
    print(f"mock-oci: ready: api https://127.0.0.1:{https.port} imds/control http://127.0.0.1:{http.port}",
          file=sys.stderr, flush=True)

    while not stop.wait(60):  # signals interrupt the wait
        pass
    for listener in (https, http):
        listener.shutdown()
        listener.server_close()
    if os.path.exists(ready_path):
        os.unlink(ready_path)
    print("mock-oci: stopped", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
