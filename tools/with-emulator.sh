#!/usr/bin/env bash
# Runs a command beside a local emulator on 127.0.0.1:$EMULATOR_PORT (default 9292),
# exported to the command as EMULATOR_URL; the emulator stops when the command ends.
# Used by `make test-browser`: browser tests get tokens from it and verify them.
set -euo pipefail
port="${EMULATOR_PORT:-9292}"
export EMULATOR_URL="http://127.0.0.1:$port"
cargo build -q --locked -p cognito-emulator
log="target/emulator-$port.log"
target/debug/cognito-emulator --port "$port" >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT
# Wait for it to listen (RSA key generation takes a moment), or for it to die.
for _ in $(seq 1 200); do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "with-emulator: the emulator stopped at start:" >&2
    cat "$log" >&2
    exit 1
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    "$@"
    exit $?
  fi
  sleep 0.05
done
echo "with-emulator: nothing listened on $EMULATOR_URL within 10 s" >&2
exit 1
