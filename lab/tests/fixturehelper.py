"""Runs a fixture from lab/fixtures for a test: waits for its JSON line, stops it by closing its
stdin (the fixture protocol, lab/fixtures/common.py) and waits until it has exited."""
import json
import os
import subprocess
import sys
import tempfile

LAB_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Fixture:
    def __init__(self, script, *args):
        # stderr goes to a file: a chatty fixture must never block on a pipe nobody drains.
        self.stderr = tempfile.TemporaryFile()
        self.process = subprocess.Popen([sys.executable, "-u", os.path.join(LAB_DIR, "fixtures", script), *args],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr)
        line = self.process.stdout.readline()
        if not line:
            self.process.wait()
            self.stderr.seek(0)
            raise RuntimeError(f"{script} did not start: {self.stderr.read().decode(errors='replace')}")
        self.info = json.loads(line)

    def stop(self, timeout=120):
        """Closes stdin and returns the exit code once the fixture has finished its cleanup."""
        if self.process.stdin and not self.process.stdin.closed:
            self.process.stdin.close()
        try:
            return self.process.wait(timeout=timeout)
        finally:
            self.process.stdout.close()
            self.stderr.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
