"""POST /nodes/{node}/qemu: create (task qmcreate) and, with `archive`, restore (qmrestore),
with the synchronous checks and the placeholder `lock: create` config of the real server."""
from . import vm as vmrules
from .errors import TaskError, failed, param_error
from .vm import VM

# Parameters of POST /nodes/{node}/qemu that steer the call and are not config keys.
CALL_KEYS = {"node", "vmid", "archive", "force", "unique", "storage", "start", "bwlimit", "pool",
             "live-restore", "import-working-storage"}


def create(ctx, params):
    lab = ctx.lab
    if "archive" in params:
        return restore(ctx, params)
    vmid = params["vmid"]
    with lab.lock:
        if vmid in lab.vms:
            raise failed(f"unable to create VM {vmid} - VM {vmid} already exists on node '{lab.node}'")
        vmrules.check_root_only(params)
        vm = VM(vmid, {"lock": "create"})  # written before the worker forks: survives a failed fork
        lab.vms[vmid] = vm
        allocated = []

        def work():
            with lab.lock:
                config = {}
                for key, value in params.items():
                    if key not in CALL_KEYS:
                        vmrules.apply_value(config, key, value, vmid, lab.storages, params.get("storage"), allocated)
                vm.config = vmrules.finish_new_config(config)
                lines = [f"VM {vmid} created"]
                if params.get("start"):
                    vm.start(lab.settings["agent_delay"])
                    lines.append(f"starting VM {vmid}")
                return lines

        return ctx.start_task("qmcreate", vmid, work, vmrules.undo_new_vm(lab, vmid, vm, allocated))


def restore(ctx, params):
    lab = ctx.lab
    vmid, archive = params["vmid"], params["archive"]
    conflicts = {k: "option conflicts with option 'archive'" for k in params
                 if vmrules.DRIVE.match(k) or k == "cdrom"}
    if conflicts:
        raise param_error(conflicts)
    with lab.lock:
        backup = lab.storages.backups.get(archive)
        if backup is None:
            raise failed(f"volume '{archive}' does not exist")
        existing = lab.vms.get(vmid)
        if existing is not None:
            if not params.get("force"):
                raise failed(f"unable to restore VM {vmid} - VM {vmid} already exists on node '{lab.node}'")
            if existing.status == "running":
                raise failed(f"unable to restore VM {vmid} - VM {vmid} is running")
            if existing.lock:
                raise failed(f"VM is locked ({existing.lock})")
        vmrules.check_root_only(params)
        vm = existing or VM(vmid, {})
        vm.config["lock"] = "create"  # the old config stays, locked, while the worker runs
        lab.vms[vmid] = vm
        allocated = []

        def work():
            with lab.lock:
                for volid in vm.volumes():  # the old VM's disks go first
                    lab.storages.free(volid)
                config = {}
                for key, value in backup["config"].items():
                    if vmrules.DRIVE.match(key) and "media=cdrom" not in value:
                        config[key] = _restore_disk(key, value, vmid, lab.storages, params.get("storage"), allocated)
                    elif vmrules.NET.match(key) and params.get("unique"):
                        config[key] = vmrules.materialize_net(key, value, regenerate_mac=True)
                    else:
                        config[key] = value
                for key, value in params.items():
                    if key not in CALL_KEYS:
                        vmrules.apply_value(config, key, value, vmid, lab.storages, None, allocated)
                if params.get("unique"):
                    config["vmgenid"] = vmrules.generate_uuid()
                    config["smbios1"] = f"uuid={vmrules.generate_uuid()}"
                vm.config = config
                lines = [f"restore vma archive: {archive}", f"restored VM {vmid}"]
                if params.get("start"):
                    vm.start(lab.settings["agent_delay"])
                return lines

        def leave_marked(message):
            # The real restore does not clean up: the config stays (here unlocked and marked).
            with lab.lock:
                for volid in allocated:
                    lab.storages.free(volid)
                kept = {k: v for k, v in backup["config"].items() if not vmrules.DRIVE.match(k)}
                kept["description"] = f"restore of {archive} failed: {message.strip()}"
                vm.config = kept

        return ctx.start_task("qmrestore", vmid, work, leave_marked,
                              first_lines=[f"restore vma archive: {archive}"])


def _restore_disk(key, value, vmid, storages, target, allocated):
    """A backed-up disk, restored onto `storage` (or the storage it came from), same size/options."""
    values = vmrules.propstring.parse(value, "file")
    source_storage = values["file"].split(":", 1)[0]
    storage = target or source_storage
    if not storages.exists(storage):
        raise TaskError(f"storage '{storage}' does not exist")
    from .storage import size_bytes
    volid = storages.allocate(storage, vmid, size_bytes(values.get("size", "1G")))
    allocated.append(volid)
    values["file"] = volid
    return vmrules.render_drive(values)
