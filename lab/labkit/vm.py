"""A VM of the double and the config rules qemu-server applies when it writes one: new disks
allocated (`local-zfs:64` -> `local-zfs:vm-201-disk-0,...,size=64G`), MACs generated, tags
normalised, smbios1/vmgenid generated, property strings printed with sorted keys."""
import hashlib
import random
import re
import time
import uuid

from . import propstring, specs
from .errors import TaskError, failed, param_error
from .storage import size_bytes

DRIVE = re.compile(r"^(ide|sata|scsi|virtio)\d+$|^efidisk0$|^tpmstate0$")
NET = re.compile(r"^net\d+$")
HOSTPCI = re.compile(r"^hostpci\d+$")
NEW_DISK = re.compile(r"^(?:([a-z][a-z0-9._-]*):)?(\d+(?:\.\d+)?)$")
NET_MODELS = ("e1000", "e1000-82540em", "e1000-82544gc", "e1000-82545em", "e1000e", "i82551", "i82557b",
              "i82559er", "ne2k_isa", "ne2k_pci", "pcnet", "rtl8139", "virtio", "vmxnet3")
ROOT_ONLY = ("args", "arch", "hookscript")


class VM:
    def __init__(self, vmid, config):
        self.vmid = vmid
        self.config = config
        self.status = "stopped"
        self.started_at = None
        self.agent_ready_at = None

    @property
    def lock(self):
        return self.config.get("lock")

    def digest(self):
        text = "".join(f"{k}: {v}\n" for k, v in sorted(self.config.items()))
        return hashlib.sha1(text.encode()).hexdigest()

    def start(self, agent_delay):
        self.status = "running"
        self.started_at = time.time()
        self.agent_ready_at = self.started_at + agent_delay

    def stop(self):
        self.status = "stopped"
        self.started_at = None
        self.agent_ready_at = None

    def uptime(self):
        return int(time.time() - self.started_at) if self.started_at else 0

    def volumes(self):
        """Volids this config references (disks and unused disks), not ISOs or `none`."""
        result = []
        for key, value in self.config.items():
            if DRIVE.match(key) or key.startswith("unused"):
                volid = propstring.parse(value, "file").get("file", "")
                if ":" in volid and "media=cdrom" not in str(value):
                    result.append(volid)
        return result


def generate_mac():
    return "BC:24:11:" + ":".join(f"{random.randint(0, 255):02X}" for _ in range(3))


def generate_uuid():
    return str(uuid.uuid4())


def normalise_tags(text):
    """Lowercased, sorted, de-duplicated, `;`-joined (pve-guest-common get_unique_tags)."""
    tags = sorted({t.lower() for t in re.split(r"[;, ]+", str(text)) if t})
    return ";".join(tags)


def check_root_only(params):
    """What a token (never root@pam) may not set: raw PCI passthrough, args, arch."""
    for key, value in params.items():
        if HOSTPCI.match(key):
            device = propstring.parse(value, "host")
            if device.get("host") and not device.get("mapping"):
                raise failed(f"only root can set '{key}' config for non-mapped devices")
            if device.get("mapping") and device["mapping"] not in specs.PCI_MAPPINGS:
                raise failed(f"PCI mapping '{device['mapping']}' does not exist")
        if key in ROOT_ONLY:
            raise failed(f"only root can set '{key}' config")
    if "skiplock" in params:
        raise param_error({"skiplock": "Only root may use this option."})


def render_drive(values):
    """Prints a drive like qemu-server: the volume first, then the options sorted by name."""
    volume = values.pop("file")
    return ",".join([volume] + [f"{k}={values[k]}" for k in sorted(values)])


def materialize_drive(key, value, vmid, storages, default_storage, allocated):
    """Turns `local-zfs:64,ssd=1` into an allocated volume; checks existing volumes and ISOs."""
    values = propstring.parse(value, "file")
    volume = values.get("file", "")
    new = NEW_DISK.match(volume)
    if new:
        storage = new.group(1) or default_storage
        if not storage:
            raise TaskError(f"{key}: no storage ID specified (and no default storage)")
        source = values.pop("import-from", None)
        if key == "efidisk0":
            size, shown = 528 * 1024, "528K"
        elif key == "tpmstate0":
            size, shown = 4 * 1024 ** 2, "4M"
        elif source:
            if storages.volume_content(source) is None:
                raise TaskError(f"{key}: import source '{source}' does not exist")
            size = 8 * 1024 ** 3
            shown = "8G"
        else:
            gib = float(new.group(2))
            size = int(gib * 1024 ** 3)
            shown = f"{int(gib)}G" if gib == int(gib) else f"{int(gib * 1024)}M"
        volid = storages.allocate(storage, vmid, size)
        allocated.append(volid)
        values["file"] = volid
        values["size"] = shown
        return render_drive(values)
    if volume in ("none", "cdrom"):
        return render_drive(values)
    content = storages.volume_content(volume)
    if content is None:
        raise TaskError(f"volume '{volume}' does not exist")
    if content == "iso" and values.get("media") != "cdrom":
        raise TaskError("explicit 'media=cdrom' is required for iso images")
    if content not in ("iso", "images"):
        raise TaskError(f"cannot use volume {volume} - content type needs to be 'images' or 'iso'")
    return render_drive(values)


def materialize_net(key, value, regenerate_mac=False):
    """`virtio,bridge=vmbr0` -> `virtio=BC:24:11:..,bridge=vmbr0` (MAC generated when missing)."""
    parts = propstring.parse(value)
    model = parts.pop("model", None)
    mac = parts.pop("macaddr", None)
    for candidate in NET_MODELS:
        if candidate in parts:
            model = candidate
            mac = parts.pop(candidate) or mac
    if not model:
        raise TaskError(f"{key}: missing network model")
    bridge = parts.get("bridge")
    if bridge and bridge not in specs.BRIDGES:
        raise TaskError(f"bridge '{bridge}' does not exist")
    if regenerate_mac or not mac:
        mac = generate_mac()
    return ",".join([f"{model}={mac.upper()}"] + [f"{k}={parts[k]}" for k in sorted(parts)])


def apply_value(config, key, value, vmid, storages, default_storage, allocated):
    """Writes one create/config parameter into config the way qemu-server stores it."""
    if key == "cdrom":
        key, value = "ide2", f"{value},media=cdrom"
    if DRIVE.match(key):
        config[key] = materialize_drive(key, value, vmid, storages, default_storage, allocated)
    elif NET.match(key):
        config[key] = materialize_net(key, value)
    elif key == "tags":
        config[key] = normalise_tags(value)
    else:
        config[key] = value


def undo_new_vm(lab, vmid, vm, allocated):
    """What a failed create or clone worker leaves behind, removed: its volumes and its config."""
    def undo(_message):
        with lab.lock:
            for volid in allocated:
                lab.storages.free(volid)
            if lab.vms.get(vmid) is vm:
                del lab.vms[vmid]
    return undo


def finish_new_config(config):
    """What create adds on its own: smbios1 UUID, vmgenid, meta, a default boot order."""
    if "smbios1" not in config:
        config["smbios1"] = f"uuid={generate_uuid()}"
    if "vmgenid" not in config or config["vmgenid"] in ("1", 1):
        config["vmgenid"] = generate_uuid()
    config.setdefault("meta", f"creation-qemu=9.2.0,ctime={int(time.time())}")
    if "boot" not in config:
        devices = [k for k in config if DRIVE.match(k) and k not in ("efidisk0", "tpmstate0")]
        devices.sort(key=lambda k: (0 if "media=cdrom" not in str(config[k]) else 1, k))
        devices += sorted(k for k in config if NET.match(k))
        config["boot"] = "order=" + ";".join(devices)
    return config


def typed_config(config, schema_properties):
    """Config values typed like the real GET /config: integers and booleans as numbers."""
    from .schema import property_spec
    result = {}
    for key, value in config.items():
        spec = property_spec(schema_properties, key) or {}
        kind = spec.get("type")
        if kind in ("integer", "boolean") and re.fullmatch(r"-?\d+", str(value)):
            result[key] = int(value)
        elif kind == "number" and re.fullmatch(r"-?\d+(\.\d+)?", str(value)):
            result[key] = float(value) if "." in str(value) else int(value)
        else:
            result[key] = value if isinstance(value, str) else str(value)
    return result
