#!/usr/bin/env bash
# Checks Vigil's TLS with testssl.sh (Debian: apt-get install testssl.sh): starts Vigil with the launcher
# over HTTPS on a throwaway self-signed certificate (or checks a running server given with --target),
# runs testssl.sh (protocols, cipher categories, ciphers per protocol, forward secrecy, headers), prints
# the summary, and fails when a protocol below TLS 1.2 or a weak cipher is offered.
#   scripts/tls/check-tls.sh [--port 18443] [--target HOST:PORT] [--out DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
port=18443
target=""
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --target) target="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "check-tls: unknown option $1" >&2; exit 2 ;;
  esac
done
testssl_bin="$(command -v testssl || command -v testssl.sh || true)"
[ -n "$testssl_bin" ] || { echo "check-tls: testssl.sh is not installed (apt-get install -y testssl.sh)" >&2; exit 2; }
work="$(mktemp -d)"
[ -n "$out" ] || out="$work"
mkdir -p "$out"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work/data" "$work/tls"
}
trap cleanup EXIT

if [ -z "$target" ]; then
  mkdir -p "$work/tls"
  # A throwaway certificate for this run only; never kept.
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
    -keyout "$work/tls/key.pem" -out "$work/tls/cert.pem" 2>/dev/null
  "$here/vigil" start --port "$port" --data-dir "$work/data" --log-format text -- \
    --server.ssl.bundle=vigil \
    --spring.ssl.bundle.pem.vigil.keystore.certificate="file:$work/tls/cert.pem" \
    --spring.ssl.bundle.pem.vigil.keystore.private-key="file:$work/tls/key.pem" \
    >"$out/vigil.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 180); do
    if curl -skf "https://127.0.0.1:$port/actuator/health" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then echo "check-tls: Vigil did not start; see $out/vigil.log" >&2; exit 1; fi
    sleep 1
  done
  target="127.0.0.1:$port"
fi

report="$out/testssl.txt"
# -p protocols, -s cipher categories, -f forward secrecy, -E ciphers per protocol, -h HTTP headers (HSTS).
"$testssl_bin" --quiet --color 0 --warnings off --sneaky -p -s -f -E -h "$target" >"$report" 2>&1 || true
cat "$report"

failed=0
for old in "SSLv2" "SSLv3" "TLS 1 " "TLS 1.1"; do
  line="$(grep -E "^ *${old} " "$report" | head -1 || true)"
  if [ -z "$line" ] || ! grep -q "not offered" <<<"$line"; then
    echo "check-tls: FAIL: $old is offered or was not tested: ${line:-no line}" >&2
    failed=1
  fi
done
for weak in "NULL ciphers" "Anonymous NULL" "Export ciphers" "LOW: 64 Bit" "Triple DES" "Obsolete CBC ciphers"; do
  line="$(grep -F "$weak" "$report" | head -1 || true)"
  if [ -z "$line" ] || ! grep -q "not offered" <<<"$line"; then
    echo "check-tls: FAIL: $weak: ${line:-no line}" >&2
    failed=1
  fi
done
if grep -Eq "_CBC_|CBC|RC4|3DES|_SHA *$" <(sed -n '/Testing ciphers per protocol/,/Testing robust forward secrecy\|Testing HTTP header/p' "$report" | grep -E "^ x[0-9a-f]{2,}"); then
  echo "check-tls: FAIL: a CBC, RC4, 3DES or SHA-1 MAC suite is offered" >&2
  failed=1
fi
if [ "$failed" -ne 0 ]; then exit 1; fi
echo "check-tls: OK: TLS 1.2 and 1.3 only, AEAD suites with forward secrecy only (report: $report)"
