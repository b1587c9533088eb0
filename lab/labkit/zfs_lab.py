"""The lab's data tier: the seeded ZFS host (lab/fixtures/zfs_host_fixture.py, whose sshd is then
the Proxmox host's shell), the S3 server (lab/fixtures/s3_fixture.py), and what runbooks need to
use them: DIR/storage/ (datasets.yaml, policy.yaml pointing at the lab's bucket) and the secrets
DIR/secrets/backup-s3-access-key, backup-s3-secret-key and backup-encryption-key (named as the policy names its secrets)."""
import json
import os
import secrets
import subprocess
import sys

from lab.fixtures import zfs_host_fixture

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures")

# Tags of the seeded datasets (properties are the fixture's, so a seeded host is in place).
TAGS = {"tank/apps/nextcloud": ["critical"], "tank/apps/immich": ["critical"], "tank/media": ["standard"]}
# Secret names as in /storage/policy.yaml; their values are the files of DIR/secrets/.
SECRET_NAMES = {"access-key": "backup-s3-access-key", "secret-key": "backup-s3-secret-key",
                "encryption-key": "backup-encryption-key"}


def zfs_available():
    """zfs-fuse needs root (mount namespaces, FUSE mounts), its binaries and /dev/fuse."""
    missing = [path for path in (zfs_host_fixture.ZFS_FUSE, zfs_host_fixture.ZFS, "/dev/fuse") if not os.path.exists(path)]
    if os.geteuid() != 0:
        return False, "not root"
    if missing:
        return False, "missing " + ", ".join(missing) + " (Debian package zfs-fuse; make deps installs it)"
    return True, ""


def start_fixture(script, *args):
    """A fixture as a child that dies with us (it watches its stdin, which we hold); returns
    (process, its JSON line)."""
    child = subprocess.Popen([sys.executable, "-u", os.path.join(FIXTURES, script), *args], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=sys.stderr)
    line = child.stdout.readline()
    if not line:
        raise SystemExit(f"lab: {script} did not start")
    return child, json.loads(line)


def stop_fixture(child, timeout=60):
    """Closes its stdin (it then stops its servers and removes its folder) and waits for it."""
    child.stdin.close()
    try:
        child.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def inventory_pools(zfs_info):
    """inventory.yaml's `zfs.pools`: each pool with its vdevs (a mirror says so first)."""
    pools = []
    for name in ("tank", "backup"):
        vdevs = zfs_info["pools"][name]
        pools.append({"name": name, "vdevs": (["mirror"] if len(vdevs) > 1 else []) + vdevs})
    return pools


def _write(path, text, mode=0o644):
    with open(path + ".part", "w") as handle:
        handle.write(text)
    os.chmod(path + ".part", mode)
    os.replace(path + ".part", path)


def write_secrets(out_dir, s3_info):
    """The S3 keys (the fixture's fixed ones) and the backup encryption key: 32 random bytes as
    hex, made once and kept, since a new key could not read the backups already uploaded."""
    directory = os.path.join(out_dir, "secrets")
    os.makedirs(directory, mode=0o700, exist_ok=True)
    _write(os.path.join(directory, "backup-s3-access-key"), s3_info["access_key"], 0o600)
    _write(os.path.join(directory, "backup-s3-secret-key"), s3_info["secret_key"], 0o600)
    key = os.path.join(directory, "backup-encryption-key")
    if not os.path.exists(key):
        _write(key, secrets.token_hex(32), 0o600)
    return directory


def write_storage(out_dir, s3_info):
    """DIR/storage/datasets.yaml and policy.yaml in /storage's format, for the seeded datasets
    and the lab's bucket."""
    directory = os.path.join(out_dir, "storage")
    os.makedirs(directory, exist_ok=True)
    lines = ["# The lab's datasets (written by lab/lab.py serve; rewritten on every start). Properties fit",
             "# zfs-fuse's pool version 23: no lz4, recordsize at most 128K.", "datasets:"]
    for dataset in zfs_host_fixture.DATASETS:
        lines.append(f"  - name: {dataset}")
        lines.append("    properties:")
        for name, value in zfs_host_fixture.PROPERTIES[dataset].items():
            lines.append(f"      {name}: \"{value}\"")
        if dataset in TAGS:
            lines.append(f"    tags: [{', '.join(TAGS[dataset])}]")
    _write(os.path.join(directory, "datasets.yaml"), "\n".join(lines) + "\n")
    policy = f"""# The lab's backup policy (written by lab/lab.py serve): the cloud tier is the lab's S3 server.
# Secret values: {out_dir}/secrets/backup-s3-access-key, backup-s3-secret-key, backup-encryption-key.
snapshots:
  prefix: homelab-

tags:
  critical:
    local: {{keep: 48, max-age: 2h}}
    replica: {{keep: 30, max-age: 1d}}
    cloud: {{keep: 14, max-age: 1d}}
  standard:
    local: {{keep: 14, max-age: 1d}}
    replica: {{keep: 8, max-age: 7d}}
  scratch:
    local: {{keep: 3, max-age: 7d}}

tiers:
  replica:
    pool: {zfs_host_fixture.REPLICA_POOL}
  cloud:
    endpoint: {s3_info['endpoint']}
    region: {s3_info['region']}
    bucket: {s3_info['bucket']}
    prefix: homelab/
    access-key: {SECRET_NAMES['access-key']}
    secret-key: {SECRET_NAMES['secret-key']}
    encryption-key: {SECRET_NAMES['encryption-key']}
"""
    _write(os.path.join(directory, "policy.yaml"), policy)
    return directory
