"""VM reads and changes: list, config (GET/PUT/POST), clone, destroy."""
import re
import time

from . import vm as vmrules
from .errors import TaskError, failed
from .vm import VM

CONFIG_CALL_KEYS = {"node", "vmid", "digest", "delete", "revert", "force", "skiplock", "background_delay"}


def _config_properties(lab):
    return lab.schema.info("POST", "/nodes/{node}/qemu/{vmid}/config")["parameters"]["properties"]


def list_vms(ctx, params):
    lab = ctx.lab
    with lab.lock:
        result = []
        for vmid in sorted(lab.vms):
            vm = lab.vms[vmid]
            entry = {"vmid": vmid, "status": vm.status, "uptime": vm.uptime(),
                     "cpus": int(vm.config.get("cores", 1)), "maxmem": _memory_mib(vm) * 1024 * 1024}
            for key in ("name", "tags", "lock"):
                if key in vm.config:
                    entry[key] = vm.config[key]
            result.append(entry)
        return result


def _memory_mib(vm):
    return int(vmrules.propstring.parse(vm.config.get("memory", "512"), "current").get("current", 512))


def get_config(ctx, params):
    lab = ctx.lab
    with lab.lock:
        vm = lab.vm(params["vmid"])
        result = vmrules.typed_config(vm.config, _config_properties(lab))
        result["digest"] = vm.digest()
        return result


def _check_change(lab, vm, params):
    if vm.lock:
        raise failed(f"VM is locked ({vm.lock})")
    if params.get("digest") and params["digest"] != vm.digest():
        raise failed("checksum mismatch (file change by other user?)")
    vmrules.check_root_only(params)


def _apply_change(lab, vm, params):
    """Deletes then sets keys; a deleted disk becomes unusedN unless `force` (as qemu-server)."""
    with lab.lock:
        config = dict(vm.config)
        allocated = []
        try:
            for key in [k for k in re.split(r"[,;\s]+", str(params.get("delete", ""))) if k]:
                value = config.pop(key, None)
                if value is not None and vmrules.DRIVE.match(key) and "media=cdrom" not in value:
                    volid = vmrules.propstring.parse(value, "file")["file"]
                    if params.get("force"):
                        lab.storages.free(volid)
                    else:
                        n = 0
                        while f"unused{n}" in config:
                            n += 1
                        config[f"unused{n}"] = volid
            for key, value in params.items():
                if key not in CONFIG_CALL_KEYS:
                    vmrules.apply_value(config, key, value, vm.vmid, lab.storages, None, allocated)
        except TaskError:
            for volid in allocated:
                lab.storages.free(volid)
            raise
        vm.config = config


def put_config(ctx, params):
    """Synchronous: the change happens inside the call, errors are 500s."""
    lab = ctx.lab
    with lab.lock:
        vm = lab.vm(params["vmid"])
        _check_change(lab, vm, params)
        try:
            _apply_change(lab, vm, params)
        except TaskError as error:
            raise failed(str(error))
    return None


def post_config(ctx, params):
    """Asynchronous (task qmconfig): checks now, the change when the worker runs."""
    lab = ctx.lab
    with lab.lock:
        vm = lab.vm(params["vmid"])
        _check_change(lab, vm, params)

        def work():
            with lab.lock:
                if lab.vms.get(vm.vmid) is not vm:
                    raise TaskError(f"Configuration file 'nodes/{lab.node}/qemu-server/{vm.vmid}.conf' does not exist")
                _apply_change(lab, vm, params)
            return [f"update VM {vm.vmid}: " + " ".join(f"-{k} {v}" for k, v in params.items() if k not in ("node", "vmid"))]

        upid = ctx.start_task("qmconfig", vm.vmid, work)
        task = lab.tasks.tasks[upid]
    delay = params.get("background_delay")
    if delay:
        # The real call waits up to background_delay seconds: null when done, 500 when failed.
        deadline = time.monotonic() + delay
        while task.status == "running" and time.monotonic() < deadline:
            time.sleep(0.02)
        if task.status == "stopped":
            if task.exitstatus != "OK":
                raise failed(f"failed to update VM {vm.vmid}: {task.exitstatus}")
            return None
    return upid


def clone(ctx, params):
    lab = ctx.lab
    vmid, newid = params["vmid"], params["newid"]
    with lab.lock:
        source = lab.vm(vmid)
        if newid in lab.vms:
            raise failed(f"unable to create VM {newid}: config file already exists")
        if source.lock:
            raise failed(f"VM is locked ({source.lock})")
        target = VM(newid, {"lock": "clone"})
        lab.vms[newid] = target
        allocated = []

        def work():
            with lab.lock:
                config = {}
                for key, value in source.config.items():
                    if key in ("lock", "digest") or key.startswith("unused"):
                        continue
                    if vmrules.DRIVE.match(key) and "media=cdrom" not in value:
                        values = vmrules.propstring.parse(value, "file")
                        storage = params.get("storage") or values["file"].split(":", 1)[0]
                        from .storage import size_bytes
                        volid = lab.storages.allocate(storage, newid, size_bytes(values.get("size", "1G")))
                        allocated.append(volid)
                        values["file"] = volid
                        config[key] = vmrules.render_drive(values)
                    elif vmrules.NET.match(key):
                        config[key] = vmrules.materialize_net(key, value, regenerate_mac=True)
                    else:
                        config[key] = value
                config["name"] = params.get("name") or f"Copy-of-VM-{source.config.get('name', vmid)}"
                if "description" in params:
                    config["description"] = params["description"]
                config["smbios1"] = f"uuid={vmrules.generate_uuid()}"
                if "vmgenid" in config:
                    config["vmgenid"] = vmrules.generate_uuid()
                target.config = config
            return [f"create full clone of drive(s) of VM {vmid}"]

        return ctx.start_task("qmclone", vmid, work, vmrules.undo_new_vm(lab, newid, target, allocated))


def destroy(ctx, params):
    lab = ctx.lab
    vmid = params["vmid"]
    with lab.lock:
        vm = lab.vm(vmid)
        if vm.config.get("protection") in ("1", 1):
            raise failed(f"can't remove VM {vmid} - protection mode enabled")
        if vm.lock:
            raise failed(f"VM is locked ({vm.lock})")
        if vm.status == "running":
            raise failed(f"VM {vmid} is running - destroy failed")

        def work():
            with lab.lock:
                lines = []
                for volid in vm.volumes():
                    lab.storages.free(volid)
                    lines.append(f"Removing image: {volid}")
                if params.get("destroy-unreferenced-disks"):
                    for volid in lab.storages.disks_of(vmid):
                        lab.storages.free(volid)
                        lines.append(f"Removing unreferenced image: {volid}")
                if lab.vms.get(vmid) is vm:
                    del lab.vms[vmid]
                if params.get("purge"):
                    lines.append(f"purging VM {vmid} from related configurations..")
                return lines

        return ctx.start_task("qmdestroy", vmid, work)
