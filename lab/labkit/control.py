"""The lab's control interface: plain HTTP + JSON on loopback, for tests and humans (docs/lab.md).
Reads the state and the request log, injects faults, holds/fails tasks, changes timings, rotates
the certificate; also serves DIR/files/* for download-url."""
import json
import os
import re
import shutil
import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import faults as faultrules
from .talos import faults as talosfaults
from .tasks import DEFAULT_DURATIONS


class ControlHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "homelab-lab-control/1"

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        self._guarded(self._get)

    def do_HEAD(self):
        self._guarded(self._get)

    def do_DELETE(self):
        self._guarded(self._delete)

    def do_POST(self):
        self._guarded(self._post_request)

    def _guarded(self, handler):
        """A bug in a handler answers 500 with its text, as the API server does, instead of
        closing the connection unanswered: the test that sees it gets the cause, not
        RemoteDisconnected."""
        try:
            handler()
        except (ConnectionError, TimeoutError):
            raise
        except Exception as error:  # noqa: BLE001 - any bug in the double
            self._json(500, {"error": f"lab control internal error: {error!r}"})

    def _get(self):
        lab = self.server.lab
        path = self.path.split("?", 1)[0]
        if path == "/state":
            return self._json(200, lab.snapshot())
        if path == "/requests":
            with lab.lock:
                return self._json(200, list(lab.requests))
        if path == "/faults":
            with lab.lock:
                return self._json(200, list(lab.faults))
        if path.startswith("/files/"):
            return self._file(path[len("/files/"):])
        if path == "/talos/state":
            return self._json(200, self._talos().describe())
        if path == "/talos/faults":
            with lab.lock:
                return self._json(200, list(self._talos().faults))
        self._json(404, {"error": f"no such control path {path}"})

    def _talos(self):
        talos = getattr(self.server.lab, "talos", None)
        if talos is None:
            raise ValueError("this lab runs no Talos nodes")
        return talos

    def _delete(self):
        if self.path == "/talos/faults":
            with self.server.lab.lock:
                self._talos().faults.clear()
            return self._json(200, {"faults": []})
        if self.path == "/faults":
            with self.server.lab.lock:
                self.server.lab.faults.clear()
            return self._json(200, {"faults": []})
        self._json(404, {"error": f"no such control path {self.path}"})

    def _post_request(self):
        lab = self.server.lab
        try:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}") if length else {}
            if not isinstance(body, dict):
                raise ValueError("the body must be a JSON object")
            result = self._post(lab, self.path, body)
        except (ValueError, KeyError, TypeError) as error:
            return self._json(400, {"error": str(error)})
        if result is None:
            return self._json(404, {"error": f"no such control path {self.path}"})
        self._json(200, result)

    def _post(self, lab, path, body):
        if path == "/reset":
            lab.reset()
            return {"reset": True}
        if path == "/faults":
            rule = faultrules.validate(body)
            with lab.lock:
                lab.faults.append(rule)
            return rule
        if path == "/tasks/hold":
            rule = {"type": body.get("type"), "vmid": _int_or_none(body.get("vmid"))}
            with lab.lock:
                lab.tasks.hold(rule)
            return rule
        if path == "/tasks/release":
            with lab.lock:
                lab.tasks.release()
            return {"released": True}
        if path == "/tasks/fail":
            rule = {"type": body.get("type"), "vmid": _int_or_none(body.get("vmid")),
                    "exitstatus": str(body.get("exitstatus") or "injected failure"), "count": int(body.get("count", 1))}
            with lab.lock:
                lab.tasks.failures.append(rule)
            return rule
        if path == "/settings":
            with lab.lock:
                durations = body.get("task_durations") or {}
                for kind, seconds in durations.items():
                    lab.tasks.durations[str(kind)] = float(seconds)
                for key in ("agent_delay", "auth_failure_delay"):
                    if key in body:
                        lab.settings[key] = float(body[key])
                return lab.settings | {"task_durations": dict(lab.tasks.durations)}
        if path == "/start-lies":
            rule = {"vmid": _int_or_none(body.get("vmid")), "count": int(body.get("count", 1))}
            with lab.lock:
                lab.start_lies.append(rule)
            return rule
        if path == "/talos/faults":
            rule = talosfaults.validate(body)
            with lab.lock:
                self._talos().faults.append(rule)
            return rule
        if path == "/talos/settings":
            talos = self._talos()
            with lab.lock:
                for key in talos.settings:
                    if key in body:
                        talos.settings[key] = float(body[key])
                return dict(talos.settings)
        if path == "/certificate/rotate":
            fingerprint = lab.identity.rotate()
            self.server.on_rotate()
            return {"fingerprint": fingerprint, "spki_pin": lab.identity.spki_pin,
                    "certificate": lab.identity.certificate}
        return None

    def _file(self, name):
        if not re.fullmatch(r"[A-Za-z0-9_.\-]+", name):
            return self._json(404, {"error": "bad file name"})
        path = os.path.join(self.server.lab.out_dir, "files", name)
        if not os.path.isfile(path):
            return self._json(404, {"error": f"no such file {name}"})
        size = os.path.getsize(path)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        if self.command != "HEAD":
            with open(path, "rb") as handle:
                shutil.copyfileobj(handle, self.wfile, 1 << 20)

    def _json(self, status, payload):
        body = (json.dumps(payload, indent=1, default=str) + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _int_or_none(value):
    return None if value is None else int(value)


class ControlServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, lab, on_rotate):
        self.lab = lab
        self.on_rotate = on_rotate
        super().__init__(address, ControlHandler)

    def get_request(self):
        connection, address = self.socket.accept()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no 40 ms Nagle stalls
        return connection, address


__all__ = ["ControlServer", "DEFAULT_DURATIONS"]
