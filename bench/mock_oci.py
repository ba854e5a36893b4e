"""The mock OCI API (tests/mock-oci) for the benchmarks: start it, talk to /_mock/."""
import contextlib, json, shutil, signal, subprocess, sys, tempfile, time
from pathlib import Path

MOCK = Path(__file__).resolve().parent.parent / "tests" / "mock-oci" / "mock_oci.py"


def start_mock(tmp):
    """Starts the mock with its built-in seed in tmp/mock; returns (process, ready.json)."""
    d = tmp / "mock"
    proc = subprocess.Popen(["/usr/bin/python3", str(MOCK), "--dir", str(d)],
                            stdout=subprocess.DEVNULL, stderr=open(tmp / "mock.err", "w"))
    for _ in range(600):
        if (d / "ready.json").exists():
            return proc, json.loads((d / "ready.json").read_text())
        if proc.poll() is not None:
            sys.exit("mock exited: " + (tmp / "mock.err").read_text())
        time.sleep(0.05)
    sys.exit("mock did not start")


def control(ready, method, path, body=None):
    """One /_mock/ call; the answer as JSON (None when empty)."""
    argv = ["curl", "-sS", "-X", method, f"{ready['control']}/{path}"]
    if body is not None:
        argv += ["-H", "content-type: application/json", "--data", json.dumps(body)]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    return json.loads(out) if out.strip() else None


def write_config(tmp, ready):
    """An OCI config file for the mock's generated API key; returns its path."""
    key = ready["api_keys"][0]
    Path(key["private_key"]).chmod(0o600)
    config = tmp / "config"
    config.write_text(f"[DEFAULT]\nuser={key['user']}\nfingerprint={key['fingerprint']}\n"
                      f"key_file={key['private_key']}\ntenancy={ready['tenancy']}\nregion={ready['region']}\n")
    return config


@contextlib.contextmanager
def running_mock(prefix):
    """A fresh mock in a new scratch directory: yields (directory, ready.json); stops the
    mock and removes the directory afterwards, however the block ends."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    proc = None
    try:
        proc, ready = start_mock(tmp)
        yield tmp, ready
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGTERM)
            proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)
