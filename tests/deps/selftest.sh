#!/usr/bin/env bash
# programs.py finds what it is there to find: in a copy of the tree, a package dropped
# from install-deps (the fresh-machine failure: pacemaker-cli-utils), a program a test
# runs and a program only an agent runs (not installed here) dropped from
# scripts/programs are each reported, by name, with exit 1.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
. "$src/tests/lib/checks.sh"
tree=$CHECKS_TMP/tree
mkdir -p "$tree"
(cd "$src" && find . \( -path './build*' -o -path ./.git \) -prune -o -type f -print0 |
  xargs -0 cp --parents -t "$tree")

expect "the tree as it is passes" 0 python3 "$here/programs.py" --root "$tree"

sed -i 's/ pacemaker-cli-utils / /' "$tree/scripts/install-deps.sh"
expect "without pacemaker-cli-utils in install-deps: exit 1" 1 python3 "$here/programs.py" --root "$tree"
contains "crm_mon is named" "$out" "crm_mon: Debian package pacemaker-cli-utils is not in install-deps.sh's debian_packages"
cp "$src/scripts/install-deps.sh" "$tree/scripts/"

sed -i '/^tac /d; s/ tac / /' "$tree/scripts/programs"
expect "without tac in scripts/programs: exit 1" 1 python3 "$here/programs.py" --root "$tree"
contains "tac is named, with a file that runs it" "$out" "tac: run by tests/"
cp "$src/scripts/programs" "$tree/scripts/"

# A program only the agents run is checked whether or not this machine has it.
sed -i '/^btrfs /d' "$tree/scripts/programs"
expect "without btrfs in scripts/programs: exit 1" 1 python3 "$here/programs.py" --root "$tree"
contains "btrfs is named, with the agent source that runs it" "$out" "btrfs: run by agents/filesystem/"
finish
