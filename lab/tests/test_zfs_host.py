"""The ZFS lab host (lab/fixtures/zfs_host_fixture.py): real zfs-fuse pools in a private mount
namespace, the seeded chain and its replica, two hosts side by side, and nothing left behind."""
import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # the helpers, however unittest was started
from fixturehelper import LAB_DIR, Fixture

SNAPSHOTS = ["homelab-2026-12-01-0000", "homelab-2026-12-01-0100", "homelab-2026-12-01-0200", "homelab-2026-12-01-0300"]
DATASETS = ["tank/apps", "tank/apps/nextcloud", "tank/apps/immich", "tank/media"]


def inside(info, *command, check=True):
    """Runs a command in the fixture's namespace (where the pools and mounts are)."""
    result = subprocess.run([*info["nsenter"], *command], capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"{command} failed: {result.stderr}")
    return result.stdout


def over_ssh(info, command):
    """Runs a command through the fixture's sshd, as homelab reaches the host."""
    result = subprocess.run(["ssh", "-p", str(info["port"]), "-i", info["key"], "-o", "BatchMode=yes",
                             "-o", f"UserKnownHostsFile={info['known_hosts']}", "-o", "StrictHostKeyChecking=yes",
                             f"{info['user']}@{info['host']}", command], capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise AssertionError(f"ssh {command} failed: {result.stderr}")
    return result.stdout


def namespace_of(pid):
    return os.readlink(f"/proc/{pid}/ns/mnt")


def processes_in(namespace):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.readlink(f"/proc/{entry}/ns/mnt") == namespace:
                    found.append(int(entry))
            except OSError:
                pass
    return found


def wait_until(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


class SeededHostTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fixture = Fixture("zfs_host_fixture.py", "--seed-replica")
        cls.info = cls.fixture.info

    @classmethod
    def tearDownClass(cls):
        cls.fixture.stop()

    def test_pools_are_file_backed_tank_mirror_and_backup(self):
        self.assertEqual(inside(self.info, "zpool", "list", "-H", "-o", "name").split(), ["backup", "tank"])
        status = inside(self.info, "zpool", "status", "tank")
        self.assertIn("mirror", status)
        for vdev in self.info["pools"]["tank"]:
            self.assertIn(vdev, status)
            self.assertTrue(os.path.isfile(vdev))
        self.assertEqual(len(self.info["pools"]["backup"]), 1)
        self.assertIn(self.info["pools"]["backup"][0], inside(self.info, "zpool", "status", "backup"))

    def test_the_seeded_chain_has_four_snapshots_with_the_recorded_guids(self):
        self.assertEqual(self.info["snapshots"], SNAPSHOTS)
        for dataset in DATASETS:
            names = over_ssh(self.info, f"zfs list -H -o name -t snapshot -r {dataset}").split()
            self.assertEqual([n for n in names if n.startswith(dataset + "@")], [f"{dataset}@{s}" for s in SNAPSHOTS])
            guids = inside(self.info, "zfs", "get", "-Hp", "-o", "value", "guid", *[f"{dataset}@{s}" for s in SNAPSHOTS]).split()
            self.assertEqual(guids, [self.info["datasets"][dataset][s] for s in SNAPSHOTS])
            self.assertEqual(len(set(guids)), 4)

    def test_the_replica_has_the_same_guids_as_the_source(self):
        for dataset in DATASETS:
            replica = "backup" + dataset[len("tank"):]
            guids = inside(self.info, "zfs", "get", "-Hp", "-o", "value", "guid", *[f"{replica}@{s}" for s in SNAPSHOTS]).split()
            self.assertEqual(guids, [self.info["datasets"][dataset][s] for s in SNAPSHOTS])

    def test_incrementals_change_files_and_the_replica_holds_the_same_bytes(self):
        root = self.info["mount_root"]
        source = over_ssh(self.info, f"cd {root}/tank/media && sha256sum $(ls | sort)")
        self.assertIn("added-3.bin", source)
        self.assertNotIn("scratch.txt", source)  # removed after the first snapshot
        readme = over_ssh(self.info, f"cat {root}/tank/media/README.txt").splitlines()
        self.assertEqual(readme[1:], [f"changed before {s}" for s in SNAPSHOTS[1:]])
        inside(self.info, "zfs", "mount", "backup/media")  # received with -u: not mounted
        try:
            replica = over_ssh(self.info, f"cd {root}/backup/media && sha256sum $(ls | sort)")
        finally:
            inside(self.info, "zfs", "unmount", "backup/media")
        self.assertEqual(replica, source)

    def test_the_seeded_bytes_are_the_same_on_every_run(self):
        data = over_ssh(self.info, f"sha256sum {self.info['mount_root']}/tank/apps/immich/data.bin").split()[0]
        with Fixture("zfs_host_fixture.py", "--seed") as other:
            again = inside(other.info, "sha256sum", f"{other.info['mount_root']}/tank/apps/immich/data.bin").split()[0]
        self.assertEqual(data, again)
        self.assertNotEqual(data, hashlib.sha256(b"").hexdigest())


class IsolationAndCleanupTest(unittest.TestCase):
    def test_two_hosts_run_at_once_with_their_own_pools(self):
        with Fixture("zfs_host_fixture.py") as first, Fixture("zfs_host_fixture.py") as second:
            self.assertNotEqual(first.info["zfs_fuse_pid"], second.info["zfs_fuse_pid"])
            self.assertNotEqual(namespace_of(first.info["pid"]), namespace_of(second.info["pid"]))
            self.assertTrue(set(first.info["pools"]["tank"]).isdisjoint(second.info["pools"]["tank"]))
            over_ssh(first.info, "zfs create tank/only-here")
            self.assertIn("tank/only-here", inside(first.info, "zfs", "list", "-H", "-o", "name").split())
            self.assertNotIn("tank/only-here", inside(second.info, "zfs", "list", "-H", "-o", "name").split())
            self.assertEqual(inside(second.info, "zpool", "list", "-H", "-o", "name").split(), ["backup", "tank"])
        # Nothing of theirs is visible from the machine's own namespace.
        with open("/proc/self/mountinfo") as mounts:
            self.assertNotIn("fuse.zfs", mounts.read())

    def test_closing_stdin_stops_every_process_and_removes_the_files(self):
        fixture = Fixture("zfs_host_fixture.py", "--seed")
        info = fixture.info
        namespace = namespace_of(info["pid"])
        # A session still running (a long command over SSH) must not keep anything alive.
        session = subprocess.Popen(["ssh", "-p", str(info["port"]), "-i", info["key"], "-o", "BatchMode=yes",
                                    "-o", f"UserKnownHostsFile={info['known_hosts']}",
                                    f"{info['user']}@{info['host']}", "sleep 600"],
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            self.assertTrue(wait_until(lambda: len(processes_in(namespace)) >= 5))  # fixture, zfs-fuse, sshd, session
            self.assertEqual(fixture.stop(), 0)
            self.assertTrue(wait_until(lambda: not processes_in(namespace)), processes_in(namespace))
            self.assertFalse(os.path.exists(info["dir"]))
            for pid in (info["zfs_fuse_pid"], info["sshd_pid"]):
                self.assertFalse(os.path.exists(f"/proc/{pid}"))
        finally:
            session.kill()
            session.wait()

    def test_a_parent_killed_with_sigkill_still_stops_the_host(self):
        # The parent holds the fixture's stdin; SIGKILL closes it like any exit.
        parent = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
            import subprocess, sys, time
            child = subprocess.Popen([sys.executable, "-u", {os.path.join(LAB_DIR, "fixtures", "zfs_host_fixture.py")!r}],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            sys.stdout.write(child.stdout.readline().decode()); sys.stdout.flush()
            time.sleep(600)
        """)], stdout=subprocess.PIPE)
        info = json.loads(parent.stdout.readline())
        parent.stdout.close()
        namespace = namespace_of(info["pid"])
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        self.assertTrue(wait_until(lambda: not processes_in(namespace), timeout=120), processes_in(namespace))
        self.assertTrue(wait_until(lambda: not os.path.exists(info["dir"])))


if __name__ == "__main__":
    unittest.main()
