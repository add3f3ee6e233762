# Runs a Python reference server module bound to 127.0.0.1: the SQLRooms servers have no --host
# flag and socketify's App.listen(port) binds 0.0.0.0, so App.listen(port) becomes
# App.listen({"port": port, "host": "127.0.0.1"}) before the module runs as __main__.
# Usage: python loopback.py MODULE [server arguments…]
import runpy
import sys

import socketify

_listen = socketify.App.listen


def _listen_on_loopback(self, port_or_options=None, handler=None):
    if isinstance(port_or_options, int):
        port_or_options = {"port": port_or_options, "host": "127.0.0.1"}
    return _listen(self, port_or_options, handler)


socketify.App.listen = _listen_on_loopback

module = sys.argv[1]
sys.argv = [module] + sys.argv[2:]
runpy.run_module(module, run_name="__main__", alter_sys=True)
