#!/bin/bash
# The real-DRBD tier: builds the guests with the project's agent, then runs a scenario.
#   tests/real-drbd/run.sh AGENT [SCENARIO]
# AGENT is the built ocf:sft:drbd; SCENARIO defaults to agent-scenario.py. The work
# directory is $SFT_REAL_DRBD_WORK (default /var/tmp/sft-real-drbd): the downloaded
# packages stay there between runs, and a disk file system there gives the guests
# O_DIRECT. Needs qemu-system-x86, busybox-static, cpio and apt-get download.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
agent=${1:?usage: run.sh AGENT [SCENARIO]}
scenario=${2:-agent-scenario.py}
work=${SFT_REAL_DRBD_WORK:-/var/tmp/sft-real-drbd}
for tool in qemu-system-x86_64 busybox cpio; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/install-deps.sh installs it)"; exit 1; }
done
mkdir -p "$work"
stage=$work/stage
rm -rf "$stage"
mkdir -p "$stage/usr/lib/ocf/resource.d/sft" "$stage/usr/sbin"
install -m 0755 "$agent" "$stage/usr/lib/ocf/resource.d/sft/drbd"
strip "$stage/usr/lib/ocf/resource.d/sft/drbd"
for tool in crm_attribute attrd_updater; do
  install -m 0755 "$here/../drbd-standin/pacemaker/attribute-tool" "$stage/usr/sbin/$tool"
done
"$here/build-guest.sh" "$work" "$stage"
exec /usr/bin/python3 "$here/$scenario" "$work"
