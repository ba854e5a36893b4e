#!/bin/bash
# The real-DRBD tier: builds the guests with the project's binaries, then runs a scenario.
#   tests/real-drbd/run.sh agent|cluster AGENT FENCE_PEER UNFENCE_PEER FENCE_OCI
# agent: agent-scenario.py in busybox guests (about a minute); cluster:
# cluster-scenario.py in Debian guests running Pacemaker (about ten minutes; the Debian
# root is built with debootstrap the first time). AGENT, FENCE_PEER and UNFENCE_PEER
# are the built ocf:sft:drbd, sft-fence-peer and sft-unfence-peer, FENCE_OCI the built
# fence_oci (the cluster's fence device, against the mock OCI API). The work directory
# is $SFT_REAL_DRBD_WORK (default /var/tmp/sft-real-drbd): downloads stay there between
# runs, and a disk file system there gives the guests O_DIRECT. Needs qemu-system-x86,
# busybox-static, cpio, debootstrap and apt-get download.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage="usage: run.sh agent|cluster AGENT FENCE_PEER UNFENCE_PEER FENCE_OCI"
scenario=${1:?$usage} agent=${2:?$usage} fence=${3:?$usage} unfence=${4:?$usage} fence_oci=${5:?$usage}
work=${SFT_REAL_DRBD_WORK:-/var/tmp/sft-real-drbd}
for tool in qemu-system-x86_64 busybox cpio debootstrap; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/install-deps.sh installs it)"; exit 1; }
done
mkdir -p "$work"
stage=$work/stage-$scenario
rm -rf "$stage"
mkdir -p "$stage/usr/lib/ocf/resource.d/sft" "$stage/usr/lib/drbd"
install -m 0755 "$agent" "$stage/usr/lib/ocf/resource.d/sft/drbd"
install -m 0755 "$fence" "$stage/usr/lib/drbd/sft-fence-peer"
install -m 0755 "$unfence" "$stage/usr/lib/drbd/sft-unfence-peer"
strip "$stage/usr/lib/ocf/resource.d/sft/drbd" "$stage/usr/lib/drbd/sft-fence-peer" "$stage/usr/lib/drbd/sft-unfence-peer"
case $scenario in
  agent)
    # No cluster in these guests: the attribute tools are stood in for.
    mkdir -p "$stage/usr/sbin"
    for tool in crm_attribute attrd_updater; do
      install -m 0755 "$here/../drbd-standin/pacemaker/attribute-tool" "$stage/usr/sbin/$tool"
    done
    "$here/build-guest.sh" "$work" "$stage"
    exec /usr/bin/python3 "$here/agent-scenario.py" "$work" ;;
  cluster)
    install -D -m 0755 "$fence_oci" "$stage/usr/sbin/fence_oci"
    strip "$stage/usr/sbin/fence_oci"
    "$here/build-guest.sh" "$work"
    "$here/build-cluster-image.sh" "$work" "$stage"
    exec /usr/bin/python3 "$here/cluster-scenario.py" "$work" ;;
  *) echo "$usage" >&2; exit 2 ;;
esac
