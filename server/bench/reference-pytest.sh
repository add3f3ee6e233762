#!/usr/bin/env bash
# Runs the SQLRooms reference server's own pytest suite (test_websocket.py, test_auth.py,
# test_concurrency.py from the installed `sqlrooms-server` package) against duckwire, with only the
# spawn command swapped for `duckwire-server` (and its fixed ports swapped for free loopback ones),
# no added wait: the drop-in check of issue 8 §6. The suite is read from the virtual environment,
# never copied into this repository. Not part of `pnpm test`.
# Usage: server/bench/reference-pytest.sh [VENV [pytest selection…]]
#   VENV: a venv with sqlrooms-server (default: a throwaway one, sqlrooms-server from PyPI)
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cli="$(dirname "$here")/dist/cli.cjs"
[ -f "$cli" ] || { echo "build the server first: pnpm --filter @duckwire/server build" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
venv="${1:-}"
selection=("${@:2}")
[ ${#selection[@]} -gt 0 ] || selection=(test_websocket.py test_auth.py test_concurrency.py)
if [ -z "$venv" ]; then
  venv="$work/venv"
  python3 -m venv "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check sqlrooms-server \
    || { echo "PyPI cannot be reached (or sqlrooms-server cannot be installed); skipped"; exit 0; }
fi
"$venv/bin/python" -c 'import pytest, pytest_asyncio, aiohttp' 2>/dev/null \
  || "$venv/bin/pip" install -q --disable-pip-version-check pytest pytest-asyncio aiohttp \
  || { echo "cannot install pytest into $venv; skipped"; exit 0; }
tests="$("$venv/bin/python" -c 'import os, sqlrooms.server as s; print(os.path.join(os.path.dirname(s.__file__), "tests"))')"
echo "sqlrooms-server $("$venv/bin/pip" show sqlrooms-server 2>/dev/null | sed -n 's/^Version: //p'), suite from $tests"
DUCKWIRE_CLI="$cli" "$venv/bin/python" - "$tests" "$work" <<'PY'
# Copy the three files, swapping only the spawn command and the fixed port of each fixture.
import os, re, sys
src, dst = sys.argv[1], sys.argv[2]
spawn = re.compile(r'\[\s*sys\.executable,\s*"-m",\s*"sqlrooms\.server",', re.S)
port = re.compile(r'^(\s*)port = 30\d\d\d$', re.M)
free_port = ('import socket as _s\n'
             'def _free_port():\n'
             '    with _s.socket() as s:\n'
             '        s.bind(("127.0.0.1", 0))\n'
             '        return s.getsockname()[1]\n')
for name in ("test_websocket.py", "test_auth.py", "test_concurrency.py"):
    text = open(os.path.join(src, name)).read()
    text, spawns = spawn.subn(f'["node", {os.environ["DUCKWIRE_CLI"]!r}, "--host", "127.0.0.1",', text)
    text, ports = port.subn(r'\1port = _free_port()', text)
    assert spawns == 1 and ports == 1, f"{name}: the fixture changed shape ({spawns} spawns, {ports} ports)"
    open(os.path.join(dst, name), "w").write(free_port + text)
PY
cd "$work" && "$venv/bin/python" -m pytest -q -p no:cacheprovider -o asyncio_mode=auto \
  "${selection[@]}"
