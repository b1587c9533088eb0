"""VM power and state: status/current, start/stop/shutdown/reboot tasks, and the guest agent's
network-get-interfaces. Lock and state checks are made when the call is
dispatched and surface as the task's error, like the real workers do."""
import ipaddress
import time

from . import propstring, specs
from . import vm as vmrules
from .errors import TaskError, failed


def current(ctx, params):
    lab = ctx.lab
    with lab.lock:
        vm = lab.vm(params["vmid"])
        memory = int(propstring.parse(vm.config.get("memory", "512"), "current").get("current", 512))
        result = {"vmid": vm.vmid, "status": vm.status, "qmpstatus": vm.status, "uptime": vm.uptime(),
                  "agent": 1 if propstring.enabled(vm.config.get("agent", "0")) else 0,
                  "cpus": int(vm.config.get("cores", 1)), "maxmem": memory * 1024 * 1024,
                  "ha": {"managed": 0}}
        for key in ("name", "tags", "lock"):
            if key in vm.config:
                result[key] = vm.config[key]
        if vm.status == "running":
            result["pid"] = 100000 + vm.vmid
        return result


def _pcie_without_q35(config):
    machine = propstring.parse(config.get("machine", ""), "type").get("type", "")
    for key, value in config.items():
        if vmrules.HOSTPCI.match(key) and propstring.parse(value, "host").get("pcie") == "1" and "q35" not in machine:
            return True
    return False


def start(ctx, params):
    lab = ctx.lab
    vmid = params["vmid"]
    with lab.lock:
        vm = lab.vm(vmid)
        problem = None
        if vm.lock:
            problem = f"VM is locked ({vm.lock})"
        elif vm.status == "running":
            problem = f"VM {vmid} already running"
        elif _pcie_without_q35(vm.config):
            problem = "q35 machine model is not enabled"
        lie = problem is None and lab.take_start_lie(vmid)

        def work():
            if problem:
                raise TaskError(problem)
            with lab.lock:
                if lab.vms.get(vmid) is not vm:
                    raise TaskError(f"Configuration file 'nodes/{lab.node}/qemu-server/{vmid}.conf' does not exist")
                if not lie:  # the trap: the task says OK, the VM never came up
                    vm.start(lab.settings["agent_delay"])
                    lab.power_changed()
            return [f"start VM {vmid}: UPID ok"]

        return ctx.start_task("qmstart", vmid, work)


def _power_task(ctx, params, kind, act):
    """A power task whose worker fails on a lock seen at dispatch, else runs act(vm, vmid)
    under the lab lock and returns its log lines."""
    lab = ctx.lab
    vmid = params["vmid"]
    with lab.lock:
        vm = lab.vm(vmid)
        problem = f"VM is locked ({vm.lock})" if vm.lock else None

        def work():
            if problem:
                raise TaskError(problem)
            with lab.lock:
                return act(lab, vm, vmid)

        return ctx.start_task(kind, vmid, work)


def _halt(doing):
    def act(lab, vm, vmid):
        if vm.status != "running":
            return [f"VM {vmid} is not running"]  # a no-op that ends OK
        vm.stop()
        lab.power_changed()
        return [f"{doing} VM {vmid}"]
    return act


def stop(ctx, params):
    return _power_task(ctx, params, "qmstop", _halt("stopping"))


def shutdown(ctx, params):
    return _power_task(ctx, params, "qmshutdown", _halt("shutting down"))


def _restart(lab, vm, vmid):
    if vm.status != "running":
        raise TaskError(f"VM {vmid} not running")
    vm.start(lab.settings["agent_delay"])
    lab.power_changed()
    return [f"rebooting VM {vmid}"]


def reboot(ctx, params):
    return _power_task(ctx, params, "qmreboot", _restart)


def network_interfaces(ctx, params):
    lab = ctx.lab
    vmid = params["vmid"]
    with lab.lock:
        vm = lab.vm(vmid)
        if not propstring.enabled(vm.config.get("agent", "0")):
            raise failed("No QEMU guest agent configured")
        if vm.status != "running":
            raise failed(f"VM {vmid} is not running")
        if time.time() < vm.agent_ready_at:
            raise failed("QEMU guest agent is not running")
        mac = None
        if "net0" in vm.config:
            first = vm.config["net0"].split(",", 1)[0]
            mac = first.split("=", 1)[1].lower() if "=" in first else None
        mac = mac or "bc:24:11:ff:ff:ff"
    return {"result": [
        {"name": "lo", "hardware-address": "00:00:00:00:00:00", "ip-addresses": [
            {"ip-address-type": "ipv4", "ip-address": "127.0.0.1", "prefix": 8},
            {"ip-address-type": "ipv6", "ip-address": "::1", "prefix": 128}]},
        {"name": "eth0", "hardware-address": mac, "ip-addresses": [
            {"ip-address-type": "ipv4", "ip-address": specs.lab_ip(vmid), "prefix": 24},
            {"ip-address-type": "ipv6", "ip-address": _link_local(mac), "prefix": 64}]},
        {"name": "cni0", "hardware-address": "6e:1c:3a:00:00:01", "ip-addresses": [
            {"ip-address-type": "ipv4", "ip-address": "10.244.0.1", "prefix": 24}]},
    ]}


def _link_local(mac):
    """fe80::/64 address from the MAC (EUI-64), as a Linux guest would configure."""
    octets = [int(x, 16) for x in mac.split(":")]
    octets[0] ^= 0x02
    eui = octets[:3] + [0xFF, 0xFE] + octets[3:]
    return str(ipaddress.IPv6Address(bytes([0xFE, 0x80] + [0] * 6 + eui)))
