#!/usr/bin/env bash
# The installed agents' meta-data: OCF 1.1, valid against pcs's ocf-1.1.rng and our
# own DTD (named in its DOCTYPE), and readable by pcs and Pacemaker.
. "$(dirname "$0")/lib.sh"
need_root
for name in Filesystem drbd; do
  agent=$SFT_AGENT_DIR/$name
  md="$workdir/$name.xml"
  check "$name: meta-data exits 0 as an unprivileged user" su nobody -s /bin/sh -c "$agent meta-data > /dev/null"
  "$agent" meta-data >"$md"
  check "$name: meta-data declares OCF 1.1" bash -c "xmllint --xpath 'string(/resource-agent/version)' '$md' | grep -qx 1.1"
  check "$name: meta-data is valid against pcs's ocf-1.1.rng" xmllint --noout --relaxng /usr/share/pcs/data/ocf-1.1.rng "$md"
  check "$name: meta-data is valid against the DTD in its DOCTYPE" xmllint --noout --valid "$md"
  check "$name: every parameter has a shortdesc and a longdesc" \
    bash -c "[ \"\$(xmllint --xpath 'count(//parameter[not(shortdesc) or not(longdesc)])' '$md')\" = 0 ]"
  check "$name: pcs resource describe lists every parameter" bash -c "
    out=\$(pcs resource describe ocf:sft:$name 2>&1) || exit 1
    for p in \$(xmllint --xpath '//parameter/@name' '$md' | sed 's/ name=\"\\([^\"]*\\)\"/\\1 /g'); do
      grep -q \"^  \$p\" <<<\"\$out\" || { echo missing \$p; exit 1; }
    done"
  check "$name: crm_resource --show-metadata reads it" \
    bash -c "crm_resource --show-metadata ocf:sft:$name | grep -q '<version>1.1</version>'"
done
finish
