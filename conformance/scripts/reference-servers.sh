#!/usr/bin/env bash
# Runs the conformance suite (server mode) against the Python reference servers — sqlrooms-duckdb-server
# 0.2.2 and the newest sqlrooms-server — each installed from PyPI into a throwaway virtual environment,
# bound to 127.0.0.1, once without and once with auth, with the committed expected-failures files.
# Not part of `pnpm test`. Where PyPI cannot be reached it says so and exits 0.
# REPORTS=DIR keeps the JSON reports there (to draft an expected-failures file from them:
# scripts/expected-failures-from-report.py).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pkg="$(dirname "$here")"
cli="$pkg/dist/cli.js"
[ -f "$cli" ] || { echo "build the package first: pnpm --filter @duckwire/conformance build" >&2; exit 2; }
work="$(mktemp -d)"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
status=0

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

run_one() { # name requirement module expected-failures-file
  local name="$1" requirement="$2" module="$3" expected="$4"
  local venv="$work/$name"
  if ! python3 -m venv "$venv" >/dev/null 2>&1; then echo "$name: cannot create a virtual environment; skipped"; return; fi
  if ! "$venv/bin/pip" install -q --disable-pip-version-check "$requirement" >"$work/$name-pip.log" 2>&1; then
    echo "$name: PyPI cannot be reached (or $requirement cannot be installed); skipped"; tail -2 "$work/$name-pip.log"; return
  fi
  echo "$name: $("$venv/bin/pip" show "${requirement%%=*}" 2>/dev/null | grep '^Version')"
  for token in "" "conformance-token"; do
    local port; port="$(free_port)"
    local args=(--port "$port" --db-path "$work/$name.duckdb")
    [ -n "$token" ] && args+=(--auth-token "$token")
    "$venv/bin/python" "$here/loopback.py" "$module" "${args[@]}" >"$work/$name-server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 150); do python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
    local suite=(server --url "ws://127.0.0.1:$port/" --json "$work/$name-$([ -n "$token" ] && echo auth || echo noauth).json")
    if [ -f "$expected" ]; then suite+=(--expected-failures "$expected"); else echo "($expected not written yet: every difference is reported as a failure)"; fi
    [ -n "$token" ] && suite+=(--auth-token "$token")
    echo "== $name, auth $([ -n "$token" ] && echo on || echo off)"
    node "$cli" "${suite[@]}" | tail -3 || status=1
    [ -n "${REPORTS:-}" ] && mkdir -p "$REPORTS" && cp "$work/$name-$([ -n "$token" ] && echo auth || echo noauth).json" "$REPORTS/"
    kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; server_pid=""
    rm -f "$work/$name.duckdb" "$work/$name.duckdb.wal"
  done
}

run_one sqlrooms-duckdb-server "sqlrooms-duckdb-server==0.2.2" pkg.__main__ "$pkg/expected-failures/sqlrooms-duckdb-server.json"
run_one sqlrooms-server "sqlrooms-server" sqlrooms.server.__main__ "$pkg/expected-failures/sqlrooms-server.json"
exit $status
