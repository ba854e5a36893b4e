# The mock OCI API (tests/mock-oci) for shell tests. Source it, then:
#
#   mock_start [SEED.json]   starts a fresh mock in a scratch directory and sets
#                            MOCK_DIR, MOCK_API (https://127.0.0.1:N), MOCK_IMDS
#                            (http://127.0.0.1:M/opc/v2), MOCK_CA, MOCK_CONTROL,
#                            MOCK_CONFIG (an OCI config file for its API key) and
#                            MOCK_TENANCY; it is stopped and removed when the shell exits
#   mock_control METHOD PATH [JSON]   a /_mock/ call; prints the answer
#   mock_count OPERATION [STATUS]     how many logged requests match
#   mock_id COLLECTION NAME           an OCID from the effective seed
#
# Needs /usr/bin/python3 with python3-cryptography, and curl.

MOCK_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MOCK_PYTHON3=/usr/bin/python3
[[ -x $MOCK_PYTHON3 ]] || MOCK_PYTHON3=$(command -v python3)
MOCK_PID=

mock_stop() {
  if [[ -n $MOCK_PID ]]; then
    kill "$MOCK_PID" 2>/dev/null
    wait "$MOCK_PID" 2>/dev/null
    MOCK_PID=
  fi
  [[ -n ${MOCK_DIR:-} ]] && rm -rf "$MOCK_DIR"
  return 0
}

# mock_json FILE EXPR: EXPR evaluated in Python with d = the file's JSON.
mock_json() {
  "$MOCK_PYTHON3" -c 'import json, sys
d = json.load(open(sys.argv[1]))
v = eval(sys.argv[2])
print("" if v is None else v if isinstance(v, str) else json.dumps(v))' "$1" "$2"
}

mock_start() {
  MOCK_DIR=$(mktemp -d /tmp/sft-mock-oci.XXXXXX)
  local seed_args=()
  [[ -n ${1:-} ]] && seed_args=(--seed "$1")
  "$MOCK_PYTHON3" "$MOCK_LIB_DIR/../mock-oci/mock_oci.py" --dir "$MOCK_DIR" "${seed_args[@]}" \
    2>"$MOCK_DIR/mock.err" &
  MOCK_PID=$!
  local i
  for ((i = 0; i < 600; i++)); do
    [[ -f $MOCK_DIR/ready.json ]] && break
    kill -0 "$MOCK_PID" 2>/dev/null || { echo "mock-oci exited: $(cat "$MOCK_DIR/mock.err")"; return 1; }
    sleep 0.05
  done
  [[ -f $MOCK_DIR/ready.json ]] || { echo "mock-oci did not start"; return 1; }
  local r=$MOCK_DIR/ready.json
  MOCK_API=$(mock_json "$r" 'd["api"]')
  MOCK_IMDS=$(mock_json "$r" 'd["imds"]')
  MOCK_CA=$(mock_json "$r" 'd["ca"]')
  MOCK_CONTROL=$(mock_json "$r" 'd["control"]')
  MOCK_TENANCY=$(mock_json "$r" 'd["tenancy"]')
  MOCK_CONFIG=$MOCK_DIR/oci-config
  # A config file only when the mock made the key (a seed may bring its own).
  [[ $(mock_json "$r" 'len(d["api_keys"])') -gt 0 ]] || return 0
  MOCK_KEY=$(mock_json "$r" 'd["api_keys"][0]["private_key"]')
  chmod 600 "$MOCK_KEY"
  cat >"$MOCK_CONFIG" <<CONF
[DEFAULT]
user=$(mock_json "$r" 'd["api_keys"][0]["user"]')
fingerprint=$(mock_json "$r" 'd["api_keys"][0]["fingerprint"]')
key_file=$MOCK_KEY
tenancy=$MOCK_TENANCY
region=$(mock_json "$r" 'd["region"]')
CONF
}

mock_control() {
  curl -sS --fail-with-body -X "$1" -H 'content-type: application/json' ${3:+--data "$3"} "$MOCK_CONTROL/$2"
}

mock_count() {
  mock_control GET log >"$MOCK_DIR/log.json" || return 1
  mock_json "$MOCK_DIR/log.json" "sum(1 for e in d if e['operation'] == '$1' and ('${2:-}' == '' or e['status'] == int('${2:-0}')))"
}

mock_id() {
  mock_json "$MOCK_DIR/effective-seed.json" \
    "next(x['id'] for x in d['$1'] if '$2' in (x.get('displayName'), x.get('name'), x.get('ipAddress'), x.get('privateIp'), x.get('id')))"
}
