# Runs the Python SQLRooms server (`sqlrooms-server`) bound to 127.0.0.1 for the benchmark.
# It has no --host flag and its socketify App.listen(port) binds 0.0.0.0; the bench may only use
# loopback, so this wrapper turns App.listen(port) into App.listen({"port", "host": "127.0.0.1"})
# before handing over to the server's own command line (same arguments, e.g. --port 0).
import sys

import socketify

_listen = socketify.App.listen


def _listen_on_loopback(self, port_or_options=None, handler=None):
    if isinstance(port_or_options, int):
        port_or_options = {"port": port_or_options, "host": "127.0.0.1"}
    return _listen(self, port_or_options, handler)


socketify.App.listen = _listen_on_loopback

from sqlrooms.server.__main__ import main  # noqa: E402

sys.exit(main())
