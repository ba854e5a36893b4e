#!/bin/bash
# Self-test of the OCI mock: starts it on a seed written here and talks to it with
# curl and openssl only, signing requests by hand as OCI's signing scheme says.
# Prints "PASS: <what>" per check and stops at the first failure (non-zero exit).
#
#   bash tests/mock-oci/selftest.sh

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PYTHON3=/usr/bin/python3
[[ -x $PYTHON3 ]] || PYTHON3=$(command -v python3)
T=$(mktemp -d /tmp/mock-oci-selftest.XXXXXX)
MOCK_PID=

cleanup() {
  if [[ -n $MOCK_PID ]]; then
    kill "$MOCK_PID" 2>/dev/null || true
    wait "$MOCK_PID" 2>/dev/null || true
  fi
  rm -rf "$T"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*"
  echo "--- last response ($T/headers, $T/body):"
  sed 's/^/    /' "$T/headers" "$T/body" 2>/dev/null | head -30 || true
  echo "--- mock stderr (tail):"
  tail -20 "$T/mock.err" 2>/dev/null | sed 's/^/    /' || true
  exit 1
}

pass() { echo "PASS: $*"; }

# jget FILE PYTHON-EXPR: evaluates EXPR with d = the file's JSON (empty output for None).
jget() {
  "$PYTHON3" -c 'import json, sys
d = json.load(open(sys.argv[1]))
v = eval(sys.argv[2])
print("" if v is None else v if isinstance(v, str) else json.dumps(v))' "$1" "$2"
}

header() {  # header NAME: the value of a header in the last response
  tr -d '\r' <"$T/headers" | awk -v n="${1,,}" 'BEGIN { FS = ": " } tolower($1) == n { print $2 }' | tail -1
}

# --- keys and seed --------------------------------------------------------------

openssl genrsa -out "$T/api.pem" 2048 2>/dev/null
openssl rsa -in "$T/api.pem" -pubout -out "$T/api.pub" 2>/dev/null
openssl genrsa -out "$T/other.pem" 2048 2>/dev/null
FINGERPRINT=$(openssl rsa -in "$T/api.pem" -pubout -outform DER 2>/dev/null | openssl md5 -c | sed 's/.*= //')

TENANCY=ocid1.tenancy.oc1..aaaaaaaaselftesttenancy
USER=ocid1.user.oc1..aaaaaaaaselftestuser
COMP=ocid1.compartment.oc1..aaaaaaaaselftestcomp
SUBNET=ocid1.subnet.oc1.iad.aaaaaaaaselftestsubnet
NODE1=ocid1.instance.oc1.iad.aaaaaaaaselftestnode1
VNIC1=ocid1.vnic.oc1.iad.aaaaaaaaselftestvnic1
KEY_ID="$TENANCY/$USER/$FINGERPRINT"

cat >"$T/hook.sh" <<EOF
#!/bin/sh
echo "\$MOCK_ACTION \$MOCK_STATE \$MOCK_INSTANCE_NAME \$MOCK_INSTANCE_ID" >>"$T/hook.log"
EOF
chmod +x "$T/hook.sh"

cat >"$T/seed.json" <<EOF
{
  "tenancy": "$TENANCY",
  "region": "us-ashburn-1",
  "users": [{"id": "$USER", "fingerprint": "$FINGERPRINT", "publicKeyFile": "api.pub"}],
  "compartments": [{"id": "$COMP", "name": "selftest"}],
  "instances": [
    {"id": "$NODE1", "displayName": "node1"},
    {"displayName": "node2"},
    {"displayName": "node3"}
  ],
  "subnets": [{"id": "$SUBNET", "cidrBlock": "10.0.0.0/24"}],
  "vnics": [
    {"id": "$VNIC1", "subnetId": "$SUBNET", "privateIp": "10.0.0.11", "hostnameLabel": "node1",
     "instanceId": "node1"},
    {"subnetId": "$SUBNET", "privateIp": "10.0.0.12", "hostnameLabel": "node2", "instanceId": "node2"}
  ],
  "privateIps": [{"id": "ocid1.privateip.oc1.iad.aaaaaaaaselftestvip", "ipAddress": "10.0.0.100",
                  "vnicId": "$VNIC1"}],
  "self": "node1",
  "timing": {"stop_seconds": 1, "start_seconds": 1, "reset_seconds": 1, "public_ip_assign_seconds": 1},
  "page_size": 2
}
EOF

# --- start ------------------------------------------------------------------------

"$PYTHON3" "$HERE/mock_oci.py" --dir "$T/mock" --seed "$T/seed.json" --hook "$T/hook.sh" 2>"$T/mock.err" &
MOCK_PID=$!
for _ in $(seq 100); do
  [[ -f $T/mock/ready.json ]] && break
  kill -0 "$MOCK_PID" 2>/dev/null || fail "the mock exited during start-up"
  sleep 0.1
done
[[ -f $T/mock/ready.json ]] || fail "no ready.json after 10 s"
HTTPS_PORT=$(jget "$T/mock/ready.json" 'd["https_port"]')
HTTP_PORT=$(jget "$T/mock/ready.json" 'd["http_port"]')
CA=$(jget "$T/mock/ready.json" 'd["ca"]')
[[ $(jget "$T/mock/ready.json" 'd["pid"]') == "$MOCK_PID" ]] || fail "ready.json pid"
pass "started; ready.json names ports $HTTPS_PORT (https) and $HTTP_PORT (http)"

# --- signing by hand --------------------------------------------------------------

# api METHOD TARGET [BODY]: a signed request; STATUS, $T/headers and $T/body hold the answer.
# Overrides: SIGN_KEY, SIGN_KEY_ID, SIGN_DATE, SIGN_BODY (the body the signature
# covers, if not the one sent), EXTRA_HEADER (one more "Name: value").
api() {
  local method=$1 target=$2 body=${3-}
  local key=${SIGN_KEY:-$T/api.pem} key_id=${SIGN_KEY_ID:-$KEY_ID}
  local date=${SIGN_DATE:-$(LC_ALL=C date -u '+%a, %d %b %Y %H:%M:%S GMT')}
  local host="127.0.0.1:$HTTPS_PORT" headers="date (request-target) host"
  local text="date: $date
(request-target): ${method,,} $target
host: $host"
  local -a args=(-H "date: $date")
  if [[ $method == POST || $method == PUT || $method == PATCH ]]; then
    local signed_body=${SIGN_BODY-$body}
    local sha length
    sha=$(printf '%s' "$signed_body" | openssl dgst -sha256 -binary | base64 -w0)
    length=$(printf '%s' "$signed_body" | wc -c)
    headers+=" content-length content-type x-content-sha256"
    text+="
content-length: $length
content-type: application/json
x-content-sha256: $sha"
    args+=(-H "content-type: application/json" -H "x-content-sha256: $sha" --data-binary "$body")
  fi
  local signature
  signature=$(printf '%s' "$text" | openssl dgst -sha256 -sign "$key" | base64 -w0)
  local auth="Signature version=\"1\",keyId=\"$key_id\",algorithm=\"rsa-sha256\""
  args+=(-H "authorization: $auth,headers=\"$headers\",signature=\"$signature\"")
  [[ -z ${EXTRA_HEADER:-} ]] || args+=(-H "$EXTRA_HEADER")
  STATUS=$(curl -sS --cacert "$CA" -X "$method" -o "$T/body" -D "$T/headers" -w '%{http_code}' \
    "${args[@]}" "https://$host$target")
}

plain() {  # plain METHOD URL-PATH [curl args...]: the http listener (IMDS, control)
  local method=$1 path=$2
  shift 2
  STATUS=$(curl -sS -X "$method" -o "$T/body" -D "$T/headers" -w '%{http_code}' "$@" "http://127.0.0.1:$HTTP_PORT$path")
}

expect() {  # expect STATUS WHAT
  [[ $STATUS == "$1" ]] || fail "$2: HTTP $STATUS, expected $1"
}

# --- signatures -------------------------------------------------------------------

api GET "/20160918/instances/$NODE1"
expect 200 "GET with a good signature"
[[ $(jget "$T/body" 'd["displayName"]') == node1 ]] || fail "GetInstance body"
[[ -n $(header opc-request-id) && -n $(header etag) ]] || fail "opc-request-id and etag headers"
pass "GET signed with the API key -> 200 (with opc-request-id and etag)"

api PUT "/20160918/privateIps/ocid1.privateip.oc1.iad.aaaaaaaaselftestvip" '{"displayName": "vip"}'
expect 200 "PUT with a good signature"
[[ $(jget "$T/body" 'd["displayName"]') == vip ]] || fail "UpdatePrivateIp did not apply"
pass "PUT with a body, signed -> 200"

SIGN_BODY='{"displayName": "vip"}' api PUT "/20160918/privateIps/ocid1.privateip.oc1.iad.aaaaaaaaselftestvip" \
  '{"displayName": "evil"}'
expect 401 "tampered body"
[[ $(jget "$T/body" 'd["code"]') == NotAuthenticated ]] || fail "tampered body error code"
pass "body changed after signing -> 401 NotAuthenticated"

SIGN_KEY=$T/other.pem api GET "/20160918/instances/$NODE1"
expect 401 "wrong key"
pass "signed with another key under the same keyId -> 401"

SIGN_DATE=$(LC_ALL=C date -u -d '-10 minutes' '+%a, %d %b %Y %H:%M:%S GMT') api GET "/20160918/instances/$NODE1"
expect 401 "old date"
pass "date 10 minutes old -> 401"

SIGN_KEY_ID="$TENANCY/$USER/00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff" api GET "/20160918/instances/$NODE1"
expect 401 "unknown fingerprint"
pass "unknown keyId -> 401"

api GET "/20160918/instances/ocid1.instance.oc1.iad.aaaaaaaanosuchinstance"
expect 404 "unknown instance"
[[ $(jget "$T/body" 'd["code"]') == NotAuthorizedOrNotFound ]] || fail "404 code"
pass "unknown instance -> 404 NotAuthorizedOrNotFound"

# --- IMDS -------------------------------------------------------------------------

plain GET /opc/v2/instance/
expect 401 "IMDS without the bearer header"
pass "IMDS without Authorization: Bearer Oracle -> 401"

plain GET /opc/v2/instance/ -H 'Authorization: Bearer Oracle'
expect 200 "IMDS instance"
[[ $(jget "$T/body" 'd["id"]') == "$NODE1" && $(jget "$T/body" 'd["regionInfo"]["regionKey"]') == IAD ]] ||
  fail "IMDS instance document"
plain GET /opc/v2/instance/region -H 'Authorization: Bearer Oracle'
[[ $(cat "$T/body") == iad ]] || fail "IMDS /instance/region"
plain GET /i/node2/opc/v2/vnics/ -H 'Authorization: Bearer Oracle'
[[ $(jget "$T/body" 'd[0]["privateIp"]') == 10.0.0.12 ]] || fail "per-instance IMDS vnics"
plain GET /opc/v2/instance/ -H 'Authorization: Bearer Oracle' -H 'X-Forwarded-For: 10.1.1.1'
expect 400 "IMDS with X-Forwarded-For"
pass "IMDS with Bearer Oracle -> instance, region, per-instance vnics; proxied -> 400"

# --- paging -----------------------------------------------------------------------

api GET "/20160918/instances?compartmentId=$COMP"
expect 200 "ListInstances page 1"
NEXT=$(header opc-next-page)
[[ $(jget "$T/body" 'len(d)') == 2 && -n $NEXT ]] || fail "page 1: 2 items and opc-next-page"
api GET "/20160918/instances?compartmentId=$COMP&page=$NEXT"
[[ $(jget "$T/body" 'len(d)') == 1 && -z $(header opc-next-page) ]] || fail "page 2: 1 item, no opc-next-page"
api GET "/20160918/instances"
expect 400 "ListInstances without compartmentId"
pass "ListInstances pages by 2 with opc-next-page; no compartmentId -> 400"

# --- faults -----------------------------------------------------------------------

plain POST /_mock/faults -H 'content-type: application/json' \
  --data-binary '[{"operation": "GetInstance", "status": 429, "code": "TooManyRequests", "retry_after": 2}]'
expect 200 "adding a fault rule"
api GET "/20160918/instances/$NODE1"
expect 429 "faulted GetInstance"
[[ $(header retry-after) == 2 && $(jget "$T/body" 'd["code"]') == TooManyRequests ]] || fail "429 details"
api GET "/20160918/instances/$NODE1"
expect 200 "GetInstance after the fault"
pass "fault rule: 429 TooManyRequests with Retry-After: 2 once, then 200"

# --- federation (instance principals) ---------------------------------------------

for f in cert key intermediate; do
  plain GET "/opc/v2/identity/$f.pem" -H 'Authorization: Bearer Oracle' && cp "$T/body" "$T/id-$f.pem"
done
openssl genrsa -out "$T/session.pem" 2048 2>/dev/null
strip() { grep -v -- '-----' "$1" | tr -d '\n'; }
FED_BODY=$(printf '{"certificate": "%s", "publicKey": "%s", "intermediateCertificates": ["%s"]}' \
  "$(strip "$T/id-cert.pem")" "$(openssl rsa -in "$T/session.pem" -pubout 2>/dev/null | strip /dev/stdin)" \
  "$(strip "$T/id-intermediate.pem")")
CERT_SHA1=$(openssl x509 -in "$T/id-cert.pem" -noout -fingerprint -sha1 | sed 's/.*=//')
SIGN_KEY=$T/id-key.pem SIGN_KEY_ID="$TENANCY/fed-x509/$CERT_SHA1" api POST /v1/x509 "$FED_BODY"
expect 200 "federation"
TOKEN=$(jget "$T/body" 'd["token"]')
SIGN_KEY=$T/session.pem SIGN_KEY_ID="ST\$$TOKEN" api GET "/20160918/instances/$NODE1"
expect 200 "GET signed with the security token"
plain POST /_mock/tokens/expire
SIGN_KEY=$T/session.pem SIGN_KEY_ID="ST\$$TOKEN" api GET "/20160918/instances/$NODE1"
expect 401 "GET with an expired token"
pass "federation: IMDS certificate -> /v1/x509 -> token signs requests; expired token -> 401"

# --- InstanceAction STOP, retry token, hook ----------------------------------------

EXTRA_HEADER="opc-retry-token: selftest-stop-1" api POST "/20160918/instances/$NODE1?action=STOP" ''
expect 200 "empty POST (InstanceAction STOP)"
[[ $(jget "$T/body" 'd["lifecycleState"]') == STOPPING ]] || fail "STOP did not answer STOPPING"
EXTRA_HEADER="opc-retry-token: selftest-stop-1" api POST "/20160918/instances/$NODE1?action=STOP" ''
expect 200 "replayed STOP"
[[ $(jget "$T/body" 'd["lifecycleState"]') == STOPPING ]] || fail "replay did not give the first answer"
pass "empty POST signed -> 200 STOPPING; same opc-retry-token -> the first answer again"
api POST "/20160918/instances/$NODE1?action=START" ''
expect 409 "START while STOPPING"
pass "START while STOPPING -> 409 IncorrectState"
for _ in $(seq 30); do
  api GET "/20160918/instances/$NODE1"
  [[ $(jget "$T/body" 'd["lifecycleState"]') == STOPPED ]] && break
  sleep 0.2
done
[[ $(jget "$T/body" 'd["lifecycleState"]') == STOPPED ]] || fail "never STOPPED"
pass "InstanceAction STOP: STOPPING -> STOPPED after stop_seconds"

for _ in $(seq 20); do
  grep -q "STOP STOPPED node1" "$T/hook.log" 2>/dev/null && break
  sleep 0.1
done
grep -q "STOP STOPPING node1 $NODE1" "$T/hook.log" || fail "hook: no STOPPING line"
grep -q "STOP STOPPED node1 $NODE1" "$T/hook.log" || fail "hook: no STOPPED line"
pass "hook ran for STOPPING and STOPPED with MOCK_* variables"

# --- the request log --------------------------------------------------------------

plain GET /_mock/log
expect 200 "request log"
cp "$T/body" "$T/log.json"
logged() {  # logged CONDITION: how many log entries e satisfy the Python condition
  jget "$T/log.json" "sum(1 for e in d if $1)"
}
[[ $(logged 'e["operation"] == "GetInstance" and e["signature_ok"] and e["key_id_kind"] == "api_key"') -ge 3 ]] ||
  fail "log: signed GetInstance calls"
[[ $(logged 'e["operation"] == "InstanceAction" and e["replayed"] and e["retry_token"] == "selftest-stop-1"') == 1 ]] ||
  fail "log: replayed InstanceAction"
for reason in "x-content-sha256 does not match" "signature does not verify" "away from the server clock" \
  "is not the key of user" "security token was expired"; do
  [[ $(logged "e['signature_ok'] is False and '$reason' in e['reject_reason']") == 1 ]] ||
    fail "log: no rejected request with reason '$reason'"
done
[[ $(logged 'e["fault"] and e["status"] == 429') == 1 ]] || fail "log: fault"
[[ $(logged 'e["operation"] == "Federation" and e["key_id_kind"] == "fed-x509"') == 1 ]] || fail "log: federation"
pass "request log records operations, signature verdicts and reasons, faults, replays"

echo "all mock-oci self-tests passed"
