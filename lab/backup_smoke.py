#!/usr/bin/env python3
"""What docs/zfs.md tells an operator to do by hand, done by `make test` (make lab-backup):
bring a lab up (free ports, its own folder), add a larger critical dataset (tank/apps/photos),
run runbooks/backup.yaml against it, check `homelab backup status` (exit 0, every tier fresh),
destroy the data — four datasets on the pool, two of them on the replica too, so two come back
from the cloud and two from the replica — run runbooks/restore.yaml and kill it with SIGKILL
while photos streams from the cloud, check nothing is in place under its real name, `homelab
resume`, compare every file's SHA-256 with what was there before, check no partial dataset is
left, and bring the lab down. Secrets go through the environment, as the runbooks declare them.

    python3 lab/backup_smoke.py --homelab .build/debug/homelab --out .build-lab/backup-smoke
"""
import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRETS = ("backup-s3-access-key", "backup-s3-secret-key", "backup-encryption-key")


def find(value, key):
    """The first value of `key` anywhere in lab.json."""
    if isinstance(value, dict):
        if key in value:
            return value[key]
        for inner in value.values():
            found = find(inner, key)
            if found is not None:
                return found
    return None


def checksums(nsenter, mount):
    """path -> SHA-256 of every file under the pool's mountpoint, read inside the lab's namespace."""
    listing = subprocess.run([*nsenter, "find", mount, "-type", "f"], check=True, capture_output=True, text=True).stdout
    sums = {}
    for path in sorted(listing.split()):
        data = subprocess.run([*nsenter, "cat", path], check=True, capture_output=True).stdout
        sums[os.path.relpath(path, mount)] = hashlib.sha256(data).hexdigest()
    return sums


def destroy(nsenter, dataset):
    """`zfs destroy -r`, unmounted first: zfs-fuse can answer "dataset is busy" to a destroy of a
    dataset whose files were just read through FUSE, while an explicit unmount goes through
    (replicas are not mounted: their unmount fails harmlessly). Should it still say busy, it is
    asked again for up to two minutes; any other error ends the smoke."""
    deadline = time.monotonic() + 120
    while True:
        subprocess.run([*nsenter, "zfs", "unmount", dataset], capture_output=True)
        result = subprocess.run([*nsenter, "zfs", "destroy", "-r", dataset], capture_output=True, text=True)
        if result.returncode == 0:
            return
        if "busy" not in result.stderr or time.monotonic() > deadline:
            raise SystemExit(f"zfs destroy -r {dataset}: {result.stderr.strip()}")
        time.sleep(0.2)


PHOTOS_MIB = 96


def add_photos(nsenter, out):
    """A critical dataset big enough for a restore to be caught mid-stream (tank/apps/photos,
    PHOTOS_MIB of random bytes), and a storage folder of the smoke's own that declares it beside
    the lab's datasets. Returns that folder."""
    subprocess.run([*nsenter, "zfs", "create", "tank/apps/photos"], check=True)
    subprocess.run([*nsenter, "dd", "if=/dev/urandom", "of=/mnt/tank/apps/photos/album.bin", "bs=1M",
                    f"count={PHOTOS_MIB}", "status=none"], check=True)
    storage = os.path.join(out, "smoke-storage")
    shutil.copytree(os.path.join(out, "storage"), storage)
    with open(os.path.join(storage, "datasets.yaml"), "a") as handle:
        handle.write("  - name: tank/apps/photos\n    tags: [critical]\n")
    return storage


def killed_mid_stream(homelab, arguments, env, nsenter):
    """Runs the restore until photos' cloud stream has started (its first progress line), kills
    homelab with SIGKILL, and checks that the dataset is not in place under its real name: what a
    killed restore may leave is only the partial dataset, which the resumed run must continue or
    discard."""
    child = subprocess.Popen([homelab, "run", "runbooks/restore.yaml", *arguments], env=env, cwd=ROOT,
                             stdout=subprocess.PIPE, text=True)
    seen = False
    for line in child.stdout:
        print(line, end="", flush=True)
        if "tank/apps/photos" in line and "from the cloud:" in line:
            seen = True
            child.send_signal(signal.SIGKILL)
            break
    child.wait()
    child.stdout.close()
    if not seen:
        raise SystemExit(f"the restore ended ({child.returncode}) before photos' cloud stream was seen")
    names = subprocess.run([*nsenter, "zfs", "list", "-H", "-o", "name", "-r", "tank"], check=True,
                           capture_output=True, text=True).stdout.split()
    print(f"   after SIGKILL, tank holds: {' '.join(names)}", flush=True)
    if "tank/apps/photos" in names:
        raise SystemExit("tank/apps/photos is in place although its restore was killed mid-stream")


def files_under(directory):
    return [os.path.join(folder, name) for folder, _, names in os.walk(directory) for name in names]


def step(title):
    print(f"== lab backup smoke: {title}", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--homelab", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    out, state = os.path.abspath(args.out), os.path.abspath(args.out) + "-state"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(state, ignore_errors=True)
    lab = [sys.executable, os.path.join(ROOT, "lab/lab.py")]
    subprocess.run([*lab, "up", "--out", out, "--proxmox-port", "0", "--control-port", "0"], check=True, cwd=ROOT)
    try:
        info = json.load(open(os.path.join(out, "lab.json")))
        nsenter = find(info, "nsenter")
        if not nsenter:
            raise SystemExit("the lab has no ZFS host (zfs-fuse could not run here): see docs/lab.md")
        env = dict(os.environ)
        for name in SECRETS:
            with open(os.path.join(out, "secrets", name)) as handle:
                env[name.upper().replace("-", "_")] = handle.read().strip()
        storage = add_photos(nsenter, out)
        common = ["--inventory", os.path.join(out, "inventory.yaml"), "--storage", storage, "--color", "never"]

        def homelab(*arguments, expect=0):
            result = subprocess.run([args.homelab, *arguments], env=env, cwd=ROOT)
            if result.returncode != expect:
                raise SystemExit(f"homelab {arguments[0]} exited {result.returncode}, expected {expect}")

        step("homelab run runbooks/backup.yaml")
        homelab("run", "runbooks/backup.yaml", *common, "--state-dir", state + "/backup", "--yes")
        step("homelab backup status (every tier within its policy: exit 0)")
        homelab("backup", "status", "--inventory", os.path.join(out, "inventory.yaml"),
                "--storage", storage, "--color", "never")

        before = checksums(nsenter, "/mnt/tank")
        step(f"{len(before)} files checksummed; destroying tank/apps/nextcloud and tank/apps/photos (with their replicas), tank/apps/immich, tank/media")
        for dataset in ("tank/apps/nextcloud", "backup/apps/nextcloud", "tank/apps/immich", "tank/media",
                        "tank/apps/photos", "backup/apps/photos"):
            destroy(nsenter, dataset)

        step("homelab run runbooks/restore.yaml, killed with SIGKILL while photos streams from the cloud")
        killed_mid_stream(args.homelab, [*common, "--state-dir", state + "/restore", "--yes"], env, nsenter)
        step("homelab resume (nextcloud and photos from the cloud, the others from the replica)")
        homelab("resume", "--state-dir", state + "/restore", "--yes", "--color", "never")
        after = checksums(nsenter, "/mnt/tank")
        if after != before:
            changed = sorted(set(before.items()) ^ set(after.items()))
            raise SystemExit(f"restored files differ from the originals: {changed[:10]}")
        leftovers = subprocess.run([*nsenter, "zfs", "list", "-H", "-o", "name", "-r", "tank"], check=True,
                                   capture_output=True, text=True).stdout.split()
        partial = [name for name in leftovers if "partial" in name]
        if partial:
            raise SystemExit(f"partial datasets left behind: {partial}")
        leaked = [path for path in files_under(state) if any(env[name.upper().replace("-", "_")].encode() in open(path, "rb").read()
                                                             for name in SECRETS)]
        if leaked:
            raise SystemExit(f"a secret's value is written in {leaked}")
        step(f"all {len(after)} files identical after the restore; nothing partial left; no secret in the journals")
    finally:
        subprocess.run([*lab, "down", "--out", out], cwd=ROOT)


if __name__ == "__main__":
    main()
