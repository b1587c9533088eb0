"""`lab.py serve --ssh --zfs --s3` (what `make lab-up` runs): the seeded ZFS host is the Proxmox
host's shell, the inventory names its pools and files, storage/ points at the lab's bucket, the
secrets are there and private, and stopping the lab stops them all."""
import os
import stat
import subprocess
import sys
import time
import unittest

import boto3
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # the helpers, however unittest was started
from labhelper import Lab


class LabDataTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = Lab(["--ssh", "--zfs", "--s3"])
        with open(cls.lab.info["inventory"]) as handle:
            cls.inventory = yaml.safe_load(handle)

    @classmethod
    def tearDownClass(cls):
        cls.lab.stop()

    def ssh(self, command):
        ssh = self.inventory["proxmox"]["ssh"]
        result = subprocess.run(["ssh", "-p", str(ssh["port"]), "-i", ssh["key"], "-o", "BatchMode=yes",
                                 "-o", f"UserKnownHostsFile={ssh['known-hosts']}", "-o", "StrictHostKeyChecking=yes",
                                 f"{ssh['user']}@{self.inventory['proxmox']['address']}", command],
                                capture_output=True, text=True, timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout

    def test_the_inventory_names_the_pools_and_their_files(self):
        pools = {pool["name"]: pool["vdevs"] for pool in self.inventory["zfs"]["pools"]}
        self.assertEqual(set(pools), {"tank", "backup"})
        self.assertEqual(pools["tank"][0], "mirror")
        for path in pools["tank"][1:] + pools["backup"]:
            self.assertTrue(os.path.isfile(path), path)
        self.assertEqual(len(pools["tank"]), 3)

    def test_the_hosts_shell_sees_the_seeded_pools(self):
        self.assertEqual(self.ssh("zpool list -H -o name").split(), ["backup", "tank"])
        snapshots = self.ssh("zfs list -H -o name -t snapshot -r tank/apps/immich").split()
        self.assertEqual(len(snapshots), 4)
        self.assertEqual(self.ssh("zfs get -H -o value compression tank/apps/immich").strip(), "on")

    def test_storage_points_at_the_labs_bucket_and_the_secrets_work(self):
        out = self.lab.directory
        with open(os.path.join(out, "storage", "policy.yaml")) as handle:
            cloud = yaml.safe_load(handle)["tiers"]["cloud"]
        with open(os.path.join(out, "storage", "datasets.yaml")) as handle:
            datasets = {d["name"]: d for d in yaml.safe_load(handle)["datasets"]}
        self.assertEqual(cloud["endpoint"], self.lab.info["s3"]["endpoint"])
        self.assertEqual(datasets["tank/apps/immich"]["tags"], ["critical"])
        secrets = {}
        for name in ("backup-s3-access-key", "backup-s3-secret-key", "backup-encryption-key"):
            path = os.path.join(out, "secrets", name)
            self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
            with open(path) as handle:
                secrets[name] = handle.read()
        self.assertEqual(len(bytes.fromhex(secrets["backup-encryption-key"])), 32)
        s3 = boto3.client("s3", endpoint_url=cloud["endpoint"], region_name=cloud["region"],
                          aws_access_key_id=secrets["backup-s3-access-key"], aws_secret_access_key=secrets["backup-s3-secret-key"])
        self.assertEqual(s3.list_objects_v2(Bucket=cloud["bucket"])["KeyCount"], 0)


class LabDataStopTest(unittest.TestCase):
    def test_stopping_the_lab_stops_the_zfs_host_and_the_s3_server(self):
        lab = Lab(["--ssh", "--zfs", "--s3"])
        with open(lab.info["inventory"]) as handle:
            vdev = yaml.safe_load(handle)["zfs"]["pools"][0]["vdevs"][1]
        namespace = os.readlink(f"/proc/{lab.info['ssh']['pid']}/ns/mnt")
        lab.stop()
        self.assertFalse(os.path.exists(vdev))

        def left():
            found = []
            for entry in filter(str.isdigit, os.listdir("/proc")):
                try:
                    if os.readlink(f"/proc/{entry}/ns/mnt") == namespace:
                        found.append(entry)
                except OSError:
                    pass
            return found

        deadline = time.monotonic() + 60
        while left() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(left(), [])


if __name__ == "__main__":
    unittest.main()
