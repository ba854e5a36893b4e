#!/bin/sh
# The guest's end of the control channel (its second serial port): the host sends
# "ID BASE64\n"; the guest runs the decoded script with sh and answers its output, then
# "\n@@done ID RC@@\n". Started by init (busybox guests) or a systemd unit (Debian).
exec 3<>/dev/ttyS1
stty raw -echo <&3
printf '\n@@ready@@\n' >&3
while IFS=' ' read -r id encoded <&3; do
  printf '%s' "$encoded" | base64 -d >/tmp/command.sh
  sh /tmp/command.sh >/tmp/command.out 2>&1 </dev/null
  rc=$?
  cat /tmp/command.out >&3
  printf '\n@@done %s %s@@\n' "$id" "$rc" >&3
done
