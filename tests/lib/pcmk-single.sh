#!/bin/bash
# pcmk-single.sh start|stop|status
#
# A throw-away single-node Corosync + Pacemaker cluster on loopback, for tests on a
# machine without systemd (Debian 12: pacemaker 2.1, corosync 3.1). Run as root.
#
#   SFT_PCMK_STATE    state dir: pid files, logs, generated config (default /run/sft-pcmk-test)
#   SFT_PCMK_NODE     node name (default: uname -n, or node1 if that is unusable)
#   SFT_PCMK_TIMEOUT  seconds start waits for the node to be online with a DC (default 60)
#   PCMK_*            passed on to the pacemaker daemons (e.g. PCMK_debug=yes)
#   SFT_PCMK_ENV      more VAR=value words for the daemons and so the agents they run,
#                     e.g. "PATH=/stand-ins:/usr/sbin:/usr/bin" (no spaces in values)
#
# Exit codes: 0 ok; 1 failure or refusal (one line on stderr); 2 usage.
# status: 0 ours and ready; 1 ours but not ready, or a cluster that is not ours; 3 stopped.
set -u -o pipefail
export LC_ALL=C

STATE=${SFT_PCMK_STATE:-/run/sft-pcmk-test}
TIMEOUT=${SFT_PCMK_TIMEOUT:-60}
MARK=sft-pcmk-test                         # tags every system change we make
OWNER="SFT_PCMK_OWNER=$STATE"              # in the environment of every process we start
COROSYNC_CONF=/etc/corosync/corosync.conf
# Directories the daemons write state into. Anything already there is moved aside
# (to DIR.sft-pcmk-test-orig, beside it so a wiped /run cannot lose it) and put back by stop.
DATA_DIRS="/var/lib/pacemaker/cib /var/lib/pacemaker/pengine /var/lib/pacemaker/blackbox
           /var/lib/pacemaker/cores /var/lib/corosync"
PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

log() { echo "pcmk-single: $*" >&2; }
die() { log "$*"; exit 1; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Alive and not a zombie (our daemons stay our children until start exits).
alive() {
  local st
  [[ ${1:-} =~ ^[0-9]+$ ]] && st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  st=${st##*) }; [ "${st%% *}" != Z ]
}

# Processes we started (and their children, resource agents included), by their
# environment: robust against pid reuse, and pacemakerd's children call setsid.
our_pids() {
  grep -lzxF "$OWNER" /proc/[0-9]*/environ 2>/dev/null | sed 's|^/proc/\([0-9]*\)/.*|\1|'
}
is_ours() { grep -qzxF "$OWNER" "/proc/$1/environ" 2>/dev/null; }

# Cluster daemons running now. comm is cut to 15 characters ("pacemaker-contr").
daemon_pids() {
  local f c
  for f in /proc/[0-9]*/comm; do
    { read -r c < "$f"; } 2>/dev/null || continue
    [[ $c =~ ^(corosync|pacemakerd|pacemaker-.*)$ ]] || continue
    f=${f#/proc/}; alive "${f%/comm}" && echo "${f%/comm}"
  done
}

foreign_pids() {
  local p out=""
  for p in $(daemon_pids); do is_ours "$p" || out+="$p "; done
  echo "${out% }"
}

# pid of one of our daemons, if it runs
daemon_pid() {
  local p; p=$(cat "$STATE/$1.pid" 2>/dev/null) && alive "$p" && is_ours "$p" && echo "$p"
}

ready() {  # our node online and a DC elected, from crm_mon's XML
  local x n; n=$(cat "$STATE/node" 2>/dev/null) || return 1
  x=$(timeout 10 crm_mon -1 --output-as=xml 2>/dev/null) || return 1
  [ "$(xmllint --xpath "boolean(/pacemaker-result/summary/current_dc[@present='true'])
        and boolean(/pacemaker-result/nodes/node[@name='$n'][@online='true'])" - \
        <<< "$x" 2>/dev/null)" = true ]
}

node_name() {
  local n=${SFT_PCMK_NODE:-$(uname -n)}
  n=${n%%.*}
  # pacemaker treats "localhost" specially; corosync wants a plain name
  if [[ $n == localhost* ]] || ! [[ $n =~ ^[A-Za-z0-9][A-Za-z0-9_-]*$ ]]; then n=node1; fi
  echo "$n"
}

write_corosync_conf() {  # one key per line: corosync rejects "node { key: ..." on one line
  cat <<EOF
# $MARK: written by pcmk-single.sh; "pcmk-single.sh stop" puts the original back
totem {
    version: 2
    cluster_name: sft-test
    transport: knet
    crypto_cipher: none
    crypto_hash: none
}
nodelist {
    node {
        ring0_addr: 127.0.0.1
        name: $1
        nodeid: 1
    }
}
quorum {
    provider: corosync_votequorum
}
logging {
    to_syslog: no
    to_stderr: no
    to_logfile: yes
    logfile: $STATE/corosync.log
    timestamp: on
}
EOF
}

seed_cib() {  # the default dc-deadtime (20 s) would make start take ~23 s instead of ~5 s
  local f=$STATE/seed-cib.xml kv
  cibadmin --empty > "$f" || return 1
  for kv in dc-deadtime=2s stonith-enabled=false no-quorum-policy=ignore; do
    CIB_file=$f crm_attribute -t crm_config -n "${kv%%=*}" -v "${kv#*=}" || return 1
  done
  install -o hacluster -g haclient -m 600 "$f" /var/lib/pacemaker/cib/cib.xml
}

# --- system files: change only after a backup; undo only what carries our mark ---

save_system_files() {
  local d
  if [ ! -e "$COROSYNC_CONF.$MARK-orig" ] && [ ! -e "$COROSYNC_CONF.$MARK-none" ]; then
    if [ -e "$COROSYNC_CONF" ]; then cp -p "$COROSYNC_CONF" "$COROSYNC_CONF.$MARK-orig"
    else : > "$COROSYNC_CONF.$MARK-none"; fi || return 1
  fi
  for d in $DATA_DIRS; do
    if [ -n "$(ls -A "$d" 2>/dev/null)" ] && [ ! -e "$d.$MARK-orig" ]; then
      mkdir -p "$d.$MARK-orig" && find "$d" -mindepth 1 -maxdepth 1 -exec mv -t "$d.$MARK-orig" {} +
    fi
  done
  [ -d /run/crm ] || : > "$STATE/made-run-crm"   # pacemakerd creates it
}

restore_system_files() {
  local d hosts
  # /etc/hosts may be a bind mount: rewrite it in place rather than sed -i (rename)
  if grep -q "# $MARK\$" /etc/hosts 2>/dev/null; then
    hosts=$(grep -v "# $MARK\$" /etc/hosts); printf '%s\n' "$hosts" > /etc/hosts
  fi
  if [ -e "$STATE/made-run-crm" ]; then rmdir /run/crm 2>/dev/null; rm -f "$STATE/made-run-crm"; fi
  # The corosync.conf backup is made first and removed last: while it exists, the
  # system holds our changes. Without it, touch nothing (someone else's CIB, say).
  [ -e "$COROSYNC_CONF.$MARK-orig" ] || [ -e "$COROSYNC_CONF.$MARK-none" ] || return 0
  for d in $DATA_DIRS; do
    [ -d "$d" ] && find "$d" -mindepth 1 -delete
    if [ -d "$d.$MARK-orig" ]; then
      find "$d.$MARK-orig" -mindepth 1 -maxdepth 1 -exec mv -t "$d" {} + && rmdir "$d.$MARK-orig"
    fi
  done
  if [ -e "$COROSYNC_CONF.$MARK-orig" ]; then mv -f "$COROSYNC_CONF.$MARK-orig" "$COROSYNC_CONF"
  else
    grep -qs "^# $MARK:" "$COROSYNC_CONF" && rm -f "$COROSYNC_CONF"
    rm -f "$COROSYNC_CONF.$MARK-none"
  fi
}

# --- daemons ---

# launch NAME CMD...: detached (own session, no tty), with a clean environment like a
# service manager would give, plus our mark; NAME.pid is written by the process itself.
launch() {
  local name=$1 v; shift
  local -a envs=(PATH=/usr/sbin:/usr/bin:/sbin:/bin "$OWNER" "PCMK_logfile=$STATE/pacemaker.log")
  for v in $(compgen -e); do [[ $v == PCMK_* && $v != PCMK_logfile ]] && envs+=("$v=${!v}"); done
  local word
  for word in ${SFT_PCMK_ENV:-}; do envs+=("$word"); done
  # shellcheck disable=SC2016  # $$ and $@ belong to the inner shell
  setsid env -i "${envs[@]}" bash -c 'echo $$ > "$0"; exec "$@"' "$STATE/$name.pid" "$@" \
    < /dev/null > "$STATE/$name.out" 2>&1 &
  local end=$(( $(now_ms) + 5000 ))
  until daemon_pid "$name" > /dev/null; do
    [ "$(now_ms)" -lt "$end" ] || return 1
    sleep 0.05
  done
}

wait_gone() {  # wait_gone SECONDS PID...: true once all are gone
  local end=$(( $(now_ms) + $1 * 1000 )) p left; shift
  while :; do
    left=""; for p in "$@"; do alive "$p" && left+="$p "; done
    [ -z "$left" ] && return 0
    [ "$(now_ms)" -lt "$end" ] || return 1
    sleep 0.1
  done
}

show_logs() {
  local f
  for f in corosync.log corosync.out pacemaker.log pacemakerd.out; do
    [ -s "$STATE/$f" ] || continue
    echo "----- $STATE/$f (tail)" >&2; tail -n 30 "$STATE/$f" >&2
  done
}

fail_start() { show_logs; do_stop quiet; die "$@"; }

do_start() {
  local t0 node foreign end c
  t0=$(now_ms)
  for c in xmllint corosync corosync-cfgtool pacemakerd crm_mon cibadmin crm_attribute; do
    command -v "$c" > /dev/null || die "missing command: $c"
  done
  [ -z "$(our_pids)" ] || die "refusing to start: already running (state $STATE); run stop first"
  foreign=$(foreign_pids)
  [ -z "$foreign" ] || die "refusing to start: a cluster not started by this harness runs (pids $foreign)"
  do_stop quiet   # undo whatever an earlier run that was never stopped left behind

  node=$(node_name)
  mkdir -p "$STATE" || die "cannot create $STATE"
  chmod 755 "$STATE"
  rm -f "$STATE"/*.log "$STATE"/*.out "$STATE"/*.pid
  echo "$node" > "$STATE/node"
  save_system_files || fail_start "cannot back up $COROSYNC_CONF or the state dirs"
  getent hosts "$node" > /dev/null || printf '127.0.0.1 %s # %s\n' "$node" "$MARK" >> /etc/hosts
  write_corosync_conf "$node" > "$STATE/corosync.conf" || fail_start "cannot write corosync.conf"
  cp "$STATE/corosync.conf" "$COROSYNC_CONF" || fail_start "cannot write $COROSYNC_CONF"
  seed_cib || fail_start "cannot seed the CIB"
  # the pacemaker daemons run as hacluster and open the log themselves
  install -o hacluster -g haclient -m 660 /dev/null "$STATE/pacemaker.log"

  end=$(( $(now_ms) + TIMEOUT * 1000 ))
  launch corosync corosync -f || fail_start "corosync did not start"
  until timeout 5 corosync-cfgtool -s > /dev/null 2>&1; do
    [ -n "$(daemon_pid corosync)" ] || fail_start "corosync exited during start"
    [ "$(now_ms)" -lt "$end" ] || fail_start "corosync not up after ${TIMEOUT}s"
    sleep 0.1
  done
  launch pacemakerd pacemakerd || fail_start "pacemakerd did not start"
  until ready; do
    [ -n "$(daemon_pid pacemakerd)" ] || fail_start "pacemakerd exited during start"
    [ -n "$(daemon_pid corosync)" ] || fail_start "corosync exited during start"
    [ "$(now_ms)" -lt "$end" ] || fail_start "node $node not online with a DC after ${TIMEOUT}s"
    sleep 0.25
  done
  log "started: node $node online with a DC in $(( $(now_ms) - t0 )) ms"
}

do_stop() {
  local quiet=${1:-} t0 p left ours f parts foreign
  t0=$(now_ms)
  # dead daemons (zombies too) have no readable environment: add the pid files
  ours=" $(our_pids | tr '\n' ' ') $(cat "$STATE"/*.pid 2>/dev/null | tr '\n' ' ') "
  # pacemakerd stops the resources first, so it gets the longer wait; then corosync
  if p=$(daemon_pid pacemakerd); then
    kill -TERM "$p" 2>/dev/null; wait_gone 60 "$p" || log "pacemakerd did not stop in 60 s; killing"
  fi
  if p=$(daemon_pid corosync); then
    kill -TERM "$p" 2>/dev/null; wait_gone 15 "$p" || log "corosync did not stop in 15 s; killing"
  fi
  left=$(our_pids | tr '\n' ' ')
  if [ -n "$left" ]; then
    # shellcheck disable=SC2086  # a list of pids
    kill -KILL $left 2>/dev/null
    # shellcheck disable=SC2086
    wait_gone 10 $left || log "still alive after KILL: $left"
  fi
  # libqb IPC buffers outlive killed daemons: dirs qb-SERVER-CLIENT-N-XXXXXX/ and
  # files qb-corosync-PID-blackbox-*
  for f in /dev/shm/qb-*; do
    IFS=- read -ra parts <<< "${f#/dev/shm/}"
    for p in "${parts[@]}"; do
      [[ $p =~ ^[0-9]+$ && $ours == *" $p "* ]] && { rm -rf "$f"; break; }
    done
  done
  rm -f "$STATE"/*.pid
  foreign=$(foreign_pids)
  if [ -n "$foreign" ]; then  # its CIB and corosync.conf are in use: leave them
    log "not restoring system files: a cluster not started here runs (pids $foreign)"
  else
    restore_system_files
  fi
  [ -n "$quiet" ] || log "stopped in $(( $(now_ms) - t0 )) ms"
  return 0
}

do_status() {
  local p c foreign left
  foreign=$(foreign_pids)
  if [ -n "$foreign" ]; then echo "not ours: cluster daemons running (pids $foreign)"; return 1; fi
  p=$(daemon_pid pacemakerd); c=$(daemon_pid corosync)
  if [ -z "$p" ] && [ -z "$c" ]; then
    left=$(our_pids | tr '\n' ' ')
    [ -z "$left" ] || { echo "daemons gone, leftovers running (pids ${left% }); run stop"; return 1; }
    echo "stopped"; return 3
  fi
  echo "corosync pid ${c:-none}, pacemakerd pid ${p:-none}, state $STATE"
  timeout 10 crm_mon -1 2>&1
  ready && return 0
  echo "not ready"; return 1
}

[ "$(id -u)" = 0 ] || die "must run as root"
case ${1:-} in
  start) do_start ;;
  stop) do_stop ;;
  status) do_status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
