"""The lab's command line (see lab/lab.py's docstring and docs/lab.md)."""
import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

LAB_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(LAB_DIR, "out")


def _parser():
    parser = argparse.ArgumentParser(prog="lab.py", description="The homelab's local lab (docs/lab.md).")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the lab in this process; one JSON line when ready")
    serve.add_argument("--out", required=True, help="state directory (certificate, token, inventory, files)")
    serve.add_argument("--proxmox-port", type=int, default=8006, help="0 = any free port")
    serve.add_argument("--control-port", type=int, default=8016, help="0 = any free port")
    serve.add_argument("--talos-port", type=int, default=None,
                       help="the Talos nodes' API port on their addresses; 0 = one free port for this lab "
                            "(default: 50000, or free when --proxmox-port is 0)")
    serve.add_argument("--ssh", action="store_true", help="also run a real sshd as the host's shell")
    serve.add_argument("--zfs", action="store_true",
                       help="with --ssh: the host's shell is a seeded ZFS host (zfs-fuse, pools tank and backup)")
    serve.add_argument("--zfs-size", type=int, default=256, help="MiB per vdev file of the ZFS host (sparse)")
    serve.add_argument("--s3", action="store_true", help="also run the S3 server (bucket homelab-backups)")
    serve.add_argument("--watch-stdin", action="store_true", help="stop when stdin reaches EOF")
    serve.add_argument("--new-certificate", action="store_true", help="a new host certificate (a reinstall)")

    for name, text in (("up", "start the lab in lab/out, detached"), ("down", "stop it"), ("status", "is it running?")):
        command = sub.add_parser(name, help=text)
        command.add_argument("--out", default=DEFAULT_OUT)
        if name == "up":
            command.add_argument("--no-ssh", action="store_true", help="no sshd (and so no ZFS host)")
            command.add_argument("--no-zfs", action="store_true", help="a plain sshd instead of the ZFS host")
            command.add_argument("--no-s3", action="store_true", help="no S3 server")
            command.add_argument("--new-certificate", action="store_true")
            command.add_argument("--proxmox-port", type=int, default=8006, help="0 = any free port")
            command.add_argument("--control-port", type=int, default=8016, help="0 = any free port")
            command.add_argument("--talos-port", type=int, default=None, help="0 = one free port for this lab")

    fault = sub.add_parser("fault", help="inject a fault: lab.py fault 'POST /nodes/{node}/qemu' --status 596 ...")
    fault.add_argument("match")
    fault.add_argument("--status", type=int)
    fault.add_argument("--reason")
    kinds = fault.add_mutually_exclusive_group()
    kinds.add_argument("--after", action="store_const", const="after", dest="kind", help="do it, then answer the error")
    kinds.add_argument("--drop", action="store_const", const="drop", dest="kind", help="close without answer")
    kinds.add_argument("--drop-after", action="store_const", const="drop-after", dest="kind", help="do it, then close")
    kinds.add_argument("--delay", type=float, dest="seconds", help="answer normally after SECONDS")
    kinds.add_argument("--no-worker-upid", action="store_const", const="no-worker-upid", dest="kind")
    fault.add_argument("--count", type=int, default=1)

    hold = sub.add_parser("hold", help="keep tasks of a type running until release")
    hold.add_argument("type")
    hold.add_argument("--vmid", type=int)
    sub.add_parser("release", help="let held tasks finish")
    fail = sub.add_parser("fail", help="make the next task of a type fail")
    fail.add_argument("type")
    fail.add_argument("--vmid", type=int)
    fail.add_argument("--exitstatus", default="injected failure")
    fail.add_argument("--count", type=int, default=1)
    lie = sub.add_parser("lie", help="next start task ends OK but the VM stays stopped")
    lie.add_argument("--vmid", type=int)
    lie.add_argument("--count", type=int, default=1)
    settings = sub.add_parser("settings", help="change timings")
    settings.add_argument("--agent-delay", type=float)
    settings.add_argument("--auth-failure-delay", type=float)
    settings.add_argument("--duration", action="append", default=[], metavar="TYPE=SECONDS")
    talos_fault = sub.add_parser("talos-fault", help="a Talos node fault: lab.py talos-fault --node cp-1 "
                                                     "--method Bootstrap --kind not-ready")
    talos_fault.add_argument("--node", help="node name or address (default: any)")
    talos_fault.add_argument("--method", help="e.g. Bootstrap or /machine.MachineService/Bootstrap (default: any)")
    talos_fault.add_argument("--kind", required=True, choices=("unavailable", "slow", "reset", "not-ready"))
    talos_fault.add_argument("--seconds", type=float, help="slow: the delay")
    talos_fault.add_argument("--after", type=int, help="reset: messages sent before the reset")
    talos_fault.add_argument("--code", help="not-ready: a gRPC status name such as UNAVAILABLE")
    talos_fault.add_argument("--message")
    talos_fault.add_argument("--count", type=int, default=1)
    talos_settings = sub.add_parser("talos-settings", help="Talos node timings")
    talos_settings.add_argument("--reboot-delay", type=float)
    talos_settings.add_argument("--service-delay", type=float)
    talos_settings.add_argument("--apply-grace", type=float)
    sub.add_parser("talos-state", help="the Talos nodes: mode, services, etcd, faults")
    for name, text in (("rotate", "new host certificate (reinstall)"), ("reset", "fresh host, no VMs"),
                       ("requests", "the API request log"), ("state", "VMs, tasks, storages")):
        sub.add_parser(name, help=text)
    for command in sub.choices.values():
        if command.prog.split()[-1] not in ("serve", "up", "down", "status"):
            command.add_argument("--out", default=DEFAULT_OUT)
    return parser


def main(argv):
    args = _parser().parse_args(argv)
    if args.command == "serve":
        from .serve import serve
        return serve(args)
    if args.command == "up":
        return up(args)
    if args.command == "down":
        return down(args)
    if args.command == "status":
        return status(args)
    return control_command(args)


# -- the detached lab ------------------------------------------------------------------------

def _paths(out):
    return os.path.join(out, "lab.pid"), os.path.join(out, "lab.log"), os.path.join(out, "lab.json")


def _running(out):
    pid_file, _, info_file = _paths(out)
    try:
        with open(pid_file) as handle:
            pid = int(handle.read().strip())
        os.kill(pid, 0)
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            if b"lab.py" not in handle.read():
                return None, None  # a stale pid file whose number now belongs to another process
    except (OSError, ValueError):
        return None, None
    try:
        with open(info_file) as handle:
            return pid, json.load(handle)
    except (OSError, ValueError):
        return pid, None


def up(args):
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    pid, info = _running(out)
    if pid:
        print(f"the lab is already running (pid {pid}); `lab.py down` stops it")
        if info:
            _summary(info)
        return 0
    pid_file, log_file, info_file = _paths(out)
    command = [sys.executable, "-u", os.path.join(LAB_DIR, "lab.py"), "serve", "--out", out,
               "--proxmox-port", str(args.proxmox_port), "--control-port", str(args.control_port)]
    if args.talos_port is not None:
        command += ["--talos-port", str(args.talos_port)]
    if not args.no_ssh:
        command.append("--ssh")
        if not args.no_zfs:
            command.append("--zfs")
    if not args.no_s3:
        command.append("--s3")
    if args.new_certificate:
        command.append("--new-certificate")
    log = open(log_file, "ab")
    read_end, write_end = os.pipe()
    child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=write_end, stderr=log,
                             start_new_session=True, close_fds=True)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as ready:
        line = ready.readline()  # the child's stdout ends here; later output would go nowhere
    if not line:
        print(f"the lab did not start; see {log_file}", file=sys.stderr)
        return 1
    info = json.loads(line)
    with open(pid_file, "w") as handle:
        handle.write(str(child.pid))
    with open(info_file, "w") as handle:
        json.dump(info, handle, indent=1)
    _summary(info)
    return 0


def _summary(info):
    proxmox = info["proxmox"]
    print(f"Proxmox VE double: {proxmox['url']}  (node {proxmox['node']})")
    print(f"  certificate fingerprint: {proxmox['fingerprint']}")
    print(f"  token: {proxmox['token_id']} (secret in {proxmox['token_file']})")
    print(f"control: {info['control']}  (GET /state, /requests; POST /faults ...; see docs/lab.md)")
    if "talos" in info:
        nodes = ", ".join(f"{name} {endpoint}" for name, endpoint in sorted(info["talos"]["nodes"].items()))
        print(f"Talos nodes (listening once their VM runs): {nodes}")
    if "ssh" in info:
        ssh = info["ssh"]
        print(f"ssh: {ssh['user']}@127.0.0.1 -p {ssh['port']} -i {ssh['keys']['ed25519']}")
    if "zfs" in info:
        pools = ", ".join(f"{name} ({len(vdevs)} file{'s' if len(vdevs) > 1 else ''})" for name, vdevs in sorted(info["zfs"]["pools"].items()))
        print(f"ZFS (zfs-fuse, over that ssh): pools {pools}, mounted under {info['zfs']['mount_root']}; "
              f"seeded: {', '.join(info['zfs']['datasets'])}")
    if "s3" in info:
        print(f"S3: {info['s3']['endpoint']} bucket {info['s3']['bucket']}; storage/: {info['storage']}")
    print(f"inventory: {info['inventory']}")
    print("stop it with: make lab-down  (or python3 lab/lab.py down)")


def down(args):
    out = os.path.abspath(args.out)
    pid, _ = _running(out)
    pid_file, _, info_file = _paths(out)
    if not pid:
        print("the lab is not running")
        return 0
    os.kill(pid, signal.SIGTERM)
    # Generous: the lab stops its fixtures first, and the ZFS host unmounts and closes its pools.
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except OSError:
            break
        time.sleep(0.1)
    else:
        os.kill(pid, signal.SIGKILL)
    for path in (pid_file, info_file):
        if os.path.exists(path):
            os.remove(path)
    print(f"the lab (pid {pid}) stopped")
    return 0


def status(args):
    pid, info = _running(os.path.abspath(args.out))
    if not pid:
        print("the lab is not running (make lab-up starts it)")
        return 1
    print(f"the lab is running (pid {pid})")
    if info:
        _summary(info)
    return 0


# -- control commands ------------------------------------------------------------------------

def control_command(args):
    pid, info = _running(os.path.abspath(args.out))
    if not info:
        print("the lab is not running (make lab-up starts it)", file=sys.stderr)
        return 1
    base = info["control"]
    name = args.command
    if name == "fault":
        body = {"match": args.match, "count": args.count, "kind": args.kind or ("delay" if args.seconds else "status")}
        if args.status is not None:
            body["status"] = args.status
        if args.reason:
            body["reason"] = args.reason
        if args.seconds is not None:
            body["seconds"] = args.seconds
        return _call(base, "POST", "/faults", body)
    if name == "hold":
        return _call(base, "POST", "/tasks/hold", {"type": args.type, "vmid": args.vmid})
    if name == "release":
        return _call(base, "POST", "/tasks/release", {})
    if name == "fail":
        return _call(base, "POST", "/tasks/fail", {"type": args.type, "vmid": args.vmid,
                                                   "exitstatus": args.exitstatus, "count": args.count})
    if name == "lie":
        return _call(base, "POST", "/start-lies", {"vmid": args.vmid, "count": args.count})
    if name == "settings":
        body = {"task_durations": dict(_duration(d) for d in args.duration)}
        if args.agent_delay is not None:
            body["agent_delay"] = args.agent_delay
        if args.auth_failure_delay is not None:
            body["auth_failure_delay"] = args.auth_failure_delay
        return _call(base, "POST", "/settings", body)
    if name == "talos-fault":
        body = {k: v for k, v in (("node", args.node), ("method", args.method), ("kind", args.kind),
                                  ("seconds", args.seconds), ("after", args.after), ("code", args.code),
                                  ("message", args.message), ("count", args.count)) if v is not None}
        return _call(base, "POST", "/talos/faults", body)
    if name == "talos-settings":
        body = {k: v for k, v in (("reboot_delay", args.reboot_delay), ("service_delay", args.service_delay),
                                  ("apply_grace", args.apply_grace)) if v is not None}
        return _call(base, "POST", "/talos/settings", body)
    if name == "talos-state":
        return _call(base, "GET", "/talos/state", None)
    if name == "rotate":
        return _call(base, "POST", "/certificate/rotate", {})
    if name == "reset":
        return _call(base, "POST", "/reset", {})
    if name == "requests":
        return _call(base, "GET", "/requests", None)
    if name == "state":
        return _call(base, "GET", "/state", None)
    return 2


def _duration(text):
    kind, _, seconds = text.partition("=")
    return kind, float(seconds)


def _call(base, method, path, body):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            print(response.read().decode().rstrip())
            return 0
    except urllib.error.HTTPError as error:
        print(error.read().decode().rstrip(), file=sys.stderr)
        return 1
