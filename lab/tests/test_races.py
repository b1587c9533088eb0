"""Races between the API's workers and the control interface, made deterministic: a file that
vanishes between a directory listing and its stat (a download's temporary file renamed into
place), and a bug in a control handler. Either once dropped GET /state's connection in CI."""
import http.client
import json
import os
import sys
import tempfile
import threading
import unittest
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # labhelper, however unittest was started
import labhelper  # noqa: F401  (puts the repository on sys.path)
from lab.labkit import storage
from lab.labkit.control import ControlServer


class VanishingFiles(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="homelab-lab-races-")
        self.storages = storage.Storages(self.root)
        self.iso_dir = self.storages.dir_path("local", "iso")
        os.makedirs(self.iso_dir, exist_ok=True)
        for name in ("talos.iso", ".download-abc123"):
            with open(os.path.join(self.iso_dir, name), "wb") as handle:
                handle.write(b"x" * 1000)
        real_listdir = os.listdir
        # The listing still names a temporary file that the download has just renamed away.
        self.listing = lambda path: real_listdir(path) + ([".download-gone", "gone.iso"] if path == self.iso_dir else [])
        self.addCleanup(lambda: __import__("shutil").rmtree(self.root, ignore_errors=True))

    def test_storage_status_skips_a_file_that_vanished(self):
        with mock.patch.object(storage.os, "listdir", self.listing):
            status = {s["storage"]: s for s in self.storages.status_list()}
        self.assertEqual(status["local"]["used"], 2000)

    def test_storage_content_skips_a_file_that_vanished(self):
        with mock.patch.object(storage.os, "listdir", self.listing):
            items = self.storages.content("local", "iso")
        self.assertEqual([i["volid"] for i in items], ["local:iso/talos.iso"])


class BrokenLab:
    """Stands in for the lab state with a snapshot that fails like a bug would."""
    lock = threading.Lock()

    def snapshot(self):
        raise RuntimeError("dictionary changed size during iteration")


class ControlHandlerBug(unittest.TestCase):
    def test_a_failing_handler_answers_500_instead_of_closing_the_connection(self):
        server = ControlServer(("127.0.0.1", 0), BrokenLab(), on_rotate=lambda: None)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
        self.addCleanup(connection.close)
        connection.request("GET", "/state")
        response = connection.getresponse()
        body = json.loads(response.read())
        self.assertEqual(response.status, 500)
        self.assertIn("dictionary changed size during iteration", body["error"])


if __name__ == "__main__":
    unittest.main()
