#!/usr/bin/env bash
# Depth 20 writes its status file as root inside a filesystem its users can write to:
# it must not follow their symbolic links or use their directories.
. "$(dirname "$0")/lib.sh"

make_fs xfs
mnt=$IT_TMP/mnt
victim=$IT_TMP/victim
echo "precious" >"$victim"
resource device="$DEV" directory="$mnt" fstype=xfs statusfile_prefix=.ha/status/
agent start
assert_rc 0 "start"
agent monitor OCF_CHECK_LEVEL=20
assert_rc 0 "depth 20 with a nested statusfile_prefix"
file=$mnt/.ha/status/fs_${IT_NAME}_itnode
[[ -s $file ]] || fail "no status file at $file"
ok "the nested status directories were created"

rm -f "$file" && ln -s "$victim" "$file"
agent monitor OCF_CHECK_LEVEL=20
assert_rc 1 "depth 20 when the status file is a symbolic link"
assert_reason "status file $file"
[[ $(cat "$victim") == precious ]] || fail "the write followed the symbolic link to $victim"
ok "the symbolic link was not followed"

rm -rf "$mnt/.ha" && mkdir -p "$mnt/.ha" && chown nobody "$mnt/.ha"
agent monitor OCF_CHECK_LEVEL=20
assert_rc 1 "depth 20 when a status directory belongs to another user"
assert_reason "not root's"

rm -rf "$mnt/.ha" && ln -s "$IT_TMP" "$mnt/.ha"
agent monitor OCF_CHECK_LEVEL=20
assert_rc 1 "depth 20 when a status directory is a symbolic link"
[[ ! -e $IT_TMP/status ]] || fail "the status directory was created through the symbolic link"
ok "no directory was created through the symbolic link"

rm -f "$mnt/.ha"
agent stop
assert_rc 0 "stop"
