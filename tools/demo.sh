#!/usr/bin/env bash
# `make demo`: the local Cognito emulator on 127.0.0.1:9090 and the app on
# 127.0.0.1:8080 (trunk serve, with the Trunk.toml proxy routes pointing at the
# emulator). Ctrl+C stops both.
set -euo pipefail
EMULATOR_PORT=9090
APP_URL=http://127.0.0.1:8080

cargo build -q --locked -p cognito-emulator
pids=()
stop() { trap - EXIT INT TERM; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM

target/debug/cognito-emulator --port "$EMULATOR_PORT" &
pids+=($!)
trunk serve --offline &
pids+=($!)

cat <<EOT

  Cognito API Tester demo
  -----------------------
  App:            $APP_URL  (open it once trunk says it is serving)
  Fill the form with the demo client the emulator printed above:
    Client ID      demo-client-id
    Client secret  demo-client-secret
    Domain         http://127.0.0.1:$EMULATOR_PORT
    Scope          demo/example
    API URL        http://127.0.0.1:$EMULATOR_PORT/dev
  Other demo clients (Domain and Scope as above):
    other-scope-client     / other-scope-secret           a token without the API's scope (401; 403 on /dev/jwt/pets)
    rotating-client        / rotating-secret-old or -new  two active secrets: either works
    special-secret-client  / special/secret+with=chars    works with "Secret in body"; invalid_client with a
                                                          form-urlencoded Basic header (Cognito does not decode it)
    client-token-client    / client-token-secret          GetClientToken only (POST http://127.0.0.1:$EMULATOR_PORT/)
  User sign-in (Grant: Authorization code (PKCE)), managed login on the emulator:
    User           demo-user / Demo-password-1  (email demo-user@example.com)
    Clients        user-client (no secret) or user-client-secret / user-client-secret-value
    Scope          openid email demo/example    Redirect URI $APP_URL/
    Its ID token reaches GET http://127.0.0.1:$EMULATOR_PORT/dev/id-token-only (Send token: ID token).
  JWT authorizer API:     http://127.0.0.1:$EMULATOR_PORT/dev/jwt/pets
  Direct calls use the emulator's CORS; tick "Route through proxy" to go through trunk's /proxy/ routes.
  Ctrl+C stops both.

EOT
wait -n "${pids[@]}"
