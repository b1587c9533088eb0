"""Starts a lab (`lab.py serve`, ports 0, a temp dir) for a test class and talks to it:
the Proxmox API over HTTPS (certificate pinned by fingerprint) and the control interface."""
import hashlib
import http.client
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

LAB_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(LAB_DIR)
# `lab` must resolve to the lab/ directory (lab.labkit, lab.fixtures), never to lab/lab.py, which
# is what Python finds when lab/ itself is on sys.path (`unittest discover -t lab` puts it there).
sys.path[:] = [p for p in sys.path if os.path.realpath(p or ".") != os.path.realpath(LAB_DIR)]
sys.path.insert(0, REPO)

FAST = {"task_durations": {k: 0.05 for k in ("qmcreate", "qmrestore", "qmclone", "qmstart", "qmstop", "qmshutdown",
                                             "qmreboot", "qmdestroy", "qmconfig", "download", "imgcopy")},
        "agent_delay": 0.0, "auth_failure_delay": 0.05}


class Response:
    def __init__(self, status, reason, headers, body):
        self.status, self.reason, self.headers, self.body = status, reason, headers, body

    @property
    def json(self):
        return json.loads(self.body)

    @property
    def data(self):
        return self.json["data"]

    def __repr__(self):
        return f"<{self.status} {self.reason!r} {self.body[:300]!r}>"


class Lab:
    def __init__(self, extra_args=()):
        self.directory = tempfile.mkdtemp(prefix="homelab-lab-test-")
        # stderr goes to a file, not a pipe nobody drains: a chatty lab must never block on it.
        self.stderr_path = os.path.join(self.directory, "lab.stderr")
        with open(self.stderr_path, "wb") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "-u", os.path.join(LAB_DIR, "lab.py"), "serve", "--out", self.directory,
                 "--proxmox-port", "0", "--control-port", "0", "--watch-stdin", *extra_args],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr)
        line = self.process.stdout.readline()
        if not line:
            self.process.wait()
            with open(self.stderr_path, errors="replace") as stderr:
                raise RuntimeError("lab did not start: " + stderr.read())
        self.info = json.loads(line)
        self.port = self.info["proxmox"]["port"]
        self.token = self.info["proxmox"]["token"]
        self.control_port = int(self.info["control"].rsplit(":", 1)[1])

    def stop(self):
        self.process.stdin.close()
        try:
            self.process.wait(timeout=90)  # a lab with the ZFS host first stops zfs-fuse
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        shutil.rmtree(self.directory, ignore_errors=True)

    # -- the API ---------------------------------------------------------------------------

    def connection(self):
        context = ssl._create_unverified_context()  # pinned below, like homelab's client does
        connection = http.client.HTTPSConnection("127.0.0.1", self.port, context=context, timeout=30)
        connection.connect()
        der = connection.sock.getpeercert(binary_form=True)
        seen = ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())
        if seen != self.control("GET", "/state")["fingerprint"]:
            raise AssertionError("the lab's certificate is not the one it announced")
        return connection

    def raw(self, method, path, body=None, headers=None, connection=None):
        """One request, exactly as given (path below /api2/json, body bytes, headers)."""
        own = connection is None
        connection = connection or self.connection()
        try:
            connection.request(method, "/api2/json" + path, body=body, headers=headers or {})
            response = connection.getresponse()
            return Response(response.status, response.reason, dict(response.getheaders()), response.read())
        finally:
            if own:
                connection.close()

    def api(self, method, path, params=None, json_body=False, token=None):
        headers = {"Authorization": f"PVEAPIToken={token or self.token}"}
        body = None
        if params and method in ("GET", "DELETE"):
            path += "?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote, safe="")
        elif params and json_body:
            body = json.dumps(params).encode()
            headers["Content-Type"] = "application/json"
        elif params:
            body = urllib.parse.urlencode(params, quote_via=urllib.parse.quote, safe="").encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return self.raw(method, path, body, headers)

    def ok(self, method, path, params=None, **options):
        response = self.api(method, path, params, **options)
        if response.status != 200:
            raise AssertionError(f"{method} {path} -> {response!r}")
        return response.data

    def wait_task(self, upid, timeout=20):
        deadline = time.monotonic() + timeout
        quoted = urllib.parse.quote(upid, safe="")
        while time.monotonic() < deadline:
            status = self.ok("GET", f"/nodes/pve/tasks/{quoted}/status")
            if status["status"] == "stopped":
                return status
            time.sleep(0.02)
        raise AssertionError(f"task {upid} did not finish")

    def run_task(self, method, path, params=None, **options):
        return self.wait_task(self.ok(method, path, params, **options))

    # -- the control interface ---------------------------------------------------------------

    def control(self, method, path, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.control_port, timeout=30)
        try:
            data = json.dumps(body).encode() if body is not None else None
            connection.request(method, path, body=data, headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            payload = response.read()
            if response.status != 200:
                raise AssertionError(f"control {method} {path} -> {response.status} {payload!r}")
            return json.loads(payload) if payload.startswith((b"{", b"[")) else payload
        finally:
            connection.close()


class LabTestCase(unittest.TestCase):
    """One lab per test class; each test starts from a reset, fast lab."""
    lab_args = ()

    @classmethod
    def setUpClass(cls):
        cls.lab = Lab(cls.lab_args)

    @classmethod
    def tearDownClass(cls):
        cls.lab.stop()

    def setUp(self):
        self.lab.control("POST", "/reset", {})
        self.lab.control("POST", "/settings", FAST)

    def create_vm(self, vmid=201, **extra):
        params = {"vmid": vmid, "name": "cp-1", "scsi0": "local-zfs:64,ssd=1", "net0": "virtio,bridge=vmbr0",
                  "agent": "1", "cores": 4, "memory": "8192"}
        params.update(extra)
        status = self.lab.run_task("POST", "/nodes/pve/qemu", params)
        self.assertEqual(status["exitstatus"], "OK")
        return status
