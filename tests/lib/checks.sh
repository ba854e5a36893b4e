# Checks for shell tests that print one line per check and count failures:
#
#   ok WHAT / bad WHAT            a passed / failed check
#   expect WHAT CODE CMD...       runs CMD; its stdout and stderr land in $out and $err;
#                                 passes when it exits with CODE
#   contains WHAT TEXT PART       passes when PART is in TEXT
#   finish                        "all checks passed" and exit 0, or the count and exit 1

failures=0
CHECKS_TMP=$(mktemp -d /tmp/sft-checks.XXXXXX)
out=
err=

ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; failures=$((failures + 1)); }

expect() {
  local what=$1 want=$2; shift 2
  "$@" >"$CHECKS_TMP/out" 2>"$CHECKS_TMP/err"
  local got=$?
  out=$(cat "$CHECKS_TMP/out"); err=$(cat "$CHECKS_TMP/err")
  if [[ $got -eq $want ]]; then ok "$what (exit $got)"; else bad "$what: exit $got, wanted $want; stdout: $out; stderr: $err"; fi
}

contains() {
  if [[ $2 == *"$3"* ]]; then ok "$1"; else bad "$1: '$3' not in:"; echo "$2"; fi
}

finish() {
  rm -rf "$CHECKS_TMP"
  [[ $failures -eq 0 ]] && { echo "all checks passed"; exit 0; }
  echo "$failures check(s) failed"; exit 1
}
