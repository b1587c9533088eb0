"""A real etcd (Debian's etcd-server 3.4) behind a control-plane node double.

Each member runs as a child of the lab on loopback free ports with its data directory under the
lab's output folder. The lab is its parent, and it dies with the lab's Talos thread
(PR_SET_PDEATHSIG), so even a killed lab leaves no etcd behind. Snapshots, restores, member
lists and status go through Debian's etcdctl (ETCDCTL_API=3), i.e. the real tools."""
import asyncio
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import urllib.request

ETCD = shutil.which("etcd") or "/usr/bin/etcd"
ETCDCTL = shutil.which("etcdctl") or "/usr/bin/etcdctl"
_PR_SET_PDEATHSIG = 1


class EtcdError(Exception):
    """etcd or etcdctl failed; the text carries etcdctl's own error line."""


def available():
    return os.access(ETCD, os.X_OK) and os.access(ETCDCTL, os.X_OK)


def _die_with_parent():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def data_dir_empty(path):
    """Talos' bootstrap check: /var/lib/etcd holds nothing (missing counts as empty)."""
    try:
        return not os.listdir(path)
    except FileNotFoundError:
        return True


async def etcdctl(*args, endpoint=None, timeout=30):
    env = dict(os.environ, ETCDCTL_API="3")
    command = [ETCDCTL] + ([f"--endpoints={endpoint}"] if endpoint else []) + list(args)
    process = await asyncio.create_subprocess_exec(*command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                                   stdin=subprocess.DEVNULL, env=env)
    try:
        out, err = await asyncio.wait_for(process.communicate(), timeout)
    except asyncio.TimeoutError:
        process.kill()
        await process.wait()
        raise EtcdError(f"etcdctl {args[0]} timed out after {timeout}s") from None
    if process.returncode != 0:
        line = (err.decode(errors="replace").strip().splitlines() or ["(no output)"])[-1]
        raise EtcdError(f"etcdctl {' '.join(args[:2])} failed: {line}")
    return out


async def restore(snapshot, data_dir, name, peer_url, skip_hash_check=False):
    """`etcdctl snapshot restore` into a new data directory (it must not exist yet)."""
    args = ["snapshot", "restore", snapshot, f"--name={name}", f"--data-dir={data_dir}",
            f"--initial-cluster={name}={peer_url}", f"--initial-advertise-peer-urls={peer_url}"]
    if skip_hash_check:
        args.append("--skip-hash-check")
    await etcdctl(*args)


async def snapshot_status(path):
    """etcdctl's view of a snapshot file: hash, revision, totalKey, totalSize."""
    return json.loads(await etcdctl("snapshot", "status", path, "-w", "json"))


class Member:
    """One running etcd process."""

    def __init__(self, name, data_dir, log_path, peer_port=None):
        self.name = name
        self.data_dir = data_dir
        self.log_path = log_path
        self.peer_port = peer_port or free_port()
        self.client_port = free_port()
        self.process = None

    @property
    def client_url(self):
        return f"http://127.0.0.1:{self.client_port}"

    @property
    def peer_url(self):
        return f"http://127.0.0.1:{self.peer_port}"

    def start(self):
        """Starts etcd; call from the long-lived Talos thread (the death signal follows it)."""
        os.makedirs(os.path.dirname(self.data_dir), exist_ok=True)
        log = open(self.log_path, "ab")
        try:
            self.process = subprocess.Popen(
                [ETCD, f"--name={self.name}", f"--data-dir={self.data_dir}",
                 f"--listen-client-urls={self.client_url}", f"--advertise-client-urls={self.client_url}",
                 f"--listen-peer-urls={self.peer_url}", f"--initial-advertise-peer-urls={self.peer_url}",
                 f"--initial-cluster={self.name}={self.peer_url}", "--initial-cluster-state=new",
                 "--logger=zap", "--log-outputs=stderr"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, preexec_fn=_die_with_parent, close_fds=True)
        finally:
            log.close()

    def running(self):
        return self.process is not None and self.process.poll() is None

    def healthy(self):
        """GET /health answers {"health":"true"} once the member has a leader."""
        if not self.running():
            return False
        try:
            with urllib.request.urlopen(self.client_url + "/health", timeout=2) as response:
                return json.loads(response.read()).get("health") == "true"
        except (OSError, ValueError):
            return False

    def last_log_line(self):
        try:
            with open(self.log_path, "rb") as handle:
                handle.seek(max(0, os.path.getsize(self.log_path) - 2000))
                lines = handle.read().decode(errors="replace").strip().splitlines()
            return lines[-1] if lines else ""
        except OSError:
            return ""

    def stop(self):
        """SIGTERM, then SIGKILL; waits, so no zombie and no orphan is left."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            if process is not None:
                process.wait()
            return
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    async def snapshot_to(self, path):
        await etcdctl("snapshot", "save", path, endpoint=self.client_url, timeout=60)

    async def member_list(self):
        return json.loads(await etcdctl("member", "list", "-w", "json", endpoint=self.client_url)).get("members", [])

    async def status(self):
        entries = json.loads(await etcdctl("endpoint", "status", "-w", "json", endpoint=self.client_url))
        return entries[0]["Status"]
