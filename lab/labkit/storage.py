"""The node's storages: `local` (dir; ISOs and imports are real files under
DIR/storage/local), `local-zfs` (zfspool; VM disks, tracked in memory) and `backup-hdd` (dir;
seeded vzdump backups, each with the config it restores)."""
import calendar
import os
import re
import stat as stat_module
import time

from . import specs
from .errors import TaskError

DEFINITIONS = {
    "local": {"type": "dir", "content": ["iso", "vztmpl", "backup", "import", "snippets"]},
    "local-zfs": {"type": "zfspool", "content": ["images", "rootdir"]},
    "backup-hdd": {"type": "dir", "content": ["backup"]},
}
GIB = 1024 ** 3
# Where a dir storage keeps each content type, relative to its path (as on a PVE host).
SUBDIRS = {"iso": "template/iso", "vztmpl": "template/cache", "import": "import", "snippets": "snippets"}
EXTENSIONS = {"iso": (".iso", ".img"), "vztmpl": (".tar.gz", ".tar.xz", ".tar.zst"),
              "import": (".raw", ".qcow2", ".vmdk", ".ova")}


def _regular_files(directory):
    """(name, stat) of each regular file in `directory`. A download's worker renames its temporary
    file into place without the lab's lock, so a listed file may be gone by the time it is
    stat'ed: it is simply not there any more (CI once lost GET /state to that race)."""
    files = []
    for name in os.listdir(directory):
        try:
            info = os.stat(os.path.join(directory, name))
        except FileNotFoundError:
            continue
        if stat_module.S_ISREG(info.st_mode):
            files.append((name, info))
    return files


def size_bytes(text):
    """'64G' / '528K' / '4M' / '64' (GiB) -> bytes."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([KMGT]?)", str(text))
    if not m:
        return 0
    factor = {"": GIB, "K": 1024, "M": 1024 ** 2, "G": GIB, "T": 1024 ** 4}[m.group(2)]
    return int(float(m.group(1)) * factor)


class Storages:
    def __init__(self, root):
        self.root = root  # DIR/storage
        self.disks = {}   # volid -> {"vmid", "size", "ctime"}
        self.backups = {}  # volid -> {"vmid", "size", "ctime", "config"}

    def reset(self, backup_configs):
        self.disks.clear()
        self.backups.clear()
        for vmid, stamp, config in backup_configs:
            volid = f"backup-hdd:backup/vzdump-qemu-{vmid}-{stamp}.vma.zst"
            ctime = calendar.timegm(time.strptime(stamp, "%Y_%m_%d-%H_%M_%S"))
            self.backups[volid] = {"vmid": vmid, "ctime": ctime, "size": 1_500_000_000 + vmid * 1000, "config": config}

    def clear_files(self):
        """Removes every file of the dir storages (ISOs, imports): a reinstalled host."""
        for name, definition in DEFINITIONS.items():
            if definition["type"] != "dir":
                continue
            for content in SUBDIRS:
                if content in definition["content"]:
                    directory = self.dir_path(name, content)
                    for entry in os.listdir(directory):
                        path = os.path.join(directory, entry)
                        if os.path.isfile(path):
                            os.remove(path)

    def exists(self, storage):
        return storage in DEFINITIONS

    def definition(self, storage):
        return DEFINITIONS.get(storage)

    def dir_path(self, storage, content):
        path = os.path.join(self.root, storage, SUBDIRS[content])
        os.makedirs(path, exist_ok=True)
        return path

    def file_path(self, volid):
        """The file behind `local:iso/name.iso`-style volids (dir storages), else None."""
        m = re.fullmatch(r"([a-z][a-z0-9._-]*):(iso|import|vztmpl)/(.+)", volid)
        if not m or DEFINITIONS.get(m.group(1), {}).get("type") != "dir":
            return None
        content = {"iso": "iso", "import": "import", "vztmpl": "vztmpl"}[m.group(2)]
        return os.path.join(self.dir_path(m.group(1), content), m.group(3))

    def volume_content(self, volid):
        """'iso', 'images', 'backup', ... for an existing volume; None when it does not exist."""
        if volid in self.disks:
            return "images"
        if volid in self.backups:
            return "backup"
        path = self.file_path(volid)
        if path and os.path.isfile(path):
            return volid.split(":", 1)[1].split("/", 1)[0]
        return None

    def allocate(self, storage, vmid, size):
        """A new VM disk `storage:vm-<vmid>-disk-<n>` (lowest free n); size is bytes."""
        definition = DEFINITIONS.get(storage)
        if definition is None:
            raise TaskError(f"storage '{storage}' does not exist")
        if "images" not in definition["content"]:
            raise TaskError(f"storage '{storage}' does not support content-type 'images'")
        n = 0
        while f"{storage}:vm-{vmid}-disk-{n}" in self.disks:
            n += 1
        volid = f"{storage}:vm-{vmid}-disk-{n}"
        self.disks[volid] = {"vmid": vmid, "size": size, "ctime": int(time.time())}
        return volid

    def free(self, volid):
        self.disks.pop(volid, None)

    def disks_of(self, vmid):
        return [volid for volid, disk in self.disks.items() if disk["vmid"] == vmid]

    def status_list(self):
        result = []
        for name, definition in DEFINITIONS.items():
            used = sum(d["size"] for v, d in self.disks.items() if v.startswith(name + ":"))
            used += sum(b["size"] for v, b in self.backups.items() if v.startswith(name + ":"))
            if definition["type"] == "dir":
                for content in SUBDIRS:
                    if content in definition["content"]:
                        directory = self.dir_path(name, content)
                        used += sum(stat.st_size for _, stat in _regular_files(directory))
            total = 2 * 1024 ** 4
            result.append({"storage": name, "type": definition["type"], "content": ",".join(sorted(definition["content"])),
                           "active": 1, "enabled": 1, "shared": 0, "total": total, "used": used,
                           "avail": total - used, "used_fraction": used / total})
        return result

    def content(self, storage, content=None, vmid=None):
        """GET .../storage/{storage}/content items (with `content` and `subtype`, as in practice)."""
        items = []
        for volid, disk in self.disks.items():
            if volid.startswith(storage + ":"):
                items.append({"volid": volid, "format": "raw", "size": disk["size"], "ctime": disk["ctime"],
                              "vmid": disk["vmid"], "content": "images"})
        for volid, backup in self.backups.items():
            if volid.startswith(storage + ":"):
                items.append({"volid": volid, "format": "vma.zst", "size": backup["size"], "ctime": backup["ctime"],
                              "vmid": backup["vmid"], "content": "backup", "subtype": "qemu",
                              "notes": f"{backup['config'].get('name', '')} nightly"})
        definition = DEFINITIONS[storage]
        if definition["type"] == "dir":
            for kind, subdir in SUBDIRS.items():
                if kind not in definition["content"]:
                    continue
                directory = self.dir_path(storage, kind)
                for name, stat in sorted(_regular_files(directory)):
                    if name.startswith("."):
                        continue
                    fmt = "iso" if kind == "iso" else ("tgz" if kind == "vztmpl" else name.rsplit(".", 1)[-1])
                    items.append({"volid": f"{storage}:{subdir.split('/')[-1] if kind == 'iso' else kind}/{name}",
                                  "format": fmt, "size": stat.st_size,
                                  "ctime": int(stat.st_mtime), "content": kind})
        if content:
            wanted = set(content.split(","))
            items = [i for i in items if i["content"] in wanted]
        if vmid is not None:
            items = [i for i in items if i.get("vmid") == vmid]
        return sorted(items, key=lambda i: i["volid"])


def backup_configs(generate_mac, generate_uuid):
    """Two vzdump backups for each backed-up VM, each with the config it restores."""
    result = []
    for vmid in specs.BACKED_UP:
        machine = specs.spec(vmid)
        for index, stamp in enumerate(specs.BACKUP_TIMES):
            result.append((vmid, stamp, _backup_config(machine, index, generate_uuid)))
    return result


def _backup_config(machine, index, generate_uuid):
    vmid = machine["vmid"]
    size = machine["disk"]
    config = {"name": machine["name"], "cores": machine["cores"], "memory": str(machine["memory"]),
              "cpu": "host", "scsihw": "virtio-scsi-single", "agent": "1",
              "ostype": machine.get("ostype", "l26"), "tags": ";".join(sorted(set(machine["tags"]))),
              "smbios1": f"uuid={generate_uuid()}", "vmgenid": generate_uuid(),
              "meta": f"creation-qemu=9.2.0,ctime={1763000000 + vmid}",
              "description": f"backup {index + 1} of {machine['name']}"}
    mac = machine.get("mac") or f"BC:24:11:00:03:{vmid % 256:02X}"
    config["net0"] = f"virtio={mac},bridge=vmbr0"
    disk_index = 0
    if machine.get("bios") == "ovmf":
        config["bios"] = "ovmf"
        config["machine"] = machine["machine"]
        keys = "1" if machine.get("secure-boot") else "0"
        config["efidisk0"] = f"local-zfs:vm-{vmid}-disk-{disk_index},efitype=4m,pre-enrolled-keys={keys},size=1M"
        disk_index += 1
        config["hostpci0"] = f"mapping={machine['gpu']},pcie=1,x-vga=1"
        config["balloon"] = 0
    config["scsi0"] = f"local-zfs:vm-{vmid}-disk-{disk_index},discard=on,iothread=1,size={size},ssd=1"
    disk_index += 1
    if machine.get("tpm"):
        config["tpmstate0"] = f"local-zfs:vm-{vmid}-disk-{disk_index},size=4M,version=v2.0"
    config["ide2"] = "none,media=cdrom"
    config["boot"] = "order=scsi0;ide2;net0"
    return config
