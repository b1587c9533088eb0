"""Proxmox property strings: `virtio=BC:24:11:00:02:01,bridge=vmbr0` or `local-zfs:64,ssd=1`.

A value without `key=` belongs to the format's default key (`file` for disks, `model` for nets,
`host` for hostpci, `enabled` for agent, `type` for machine, `current` for memory).
"""


def parse(text, default_key=None):
    """Ordered {key: value}; the first bare value goes to default_key."""
    result = {}
    if text is None:
        return result
    for part in str(text).split(","):
        if part == "":
            continue
        if "=" in part:
            key, value = part.split("=", 1)
            result[key.strip()] = value
        elif default_key and default_key not in result:
            result[default_key] = part
        else:
            result[part] = ""
    return result


def render(values, default_key=None):
    """Back to text, the default key's value first and bare."""
    parts = []
    if default_key and default_key in values:
        parts.append(str(values[default_key]))
    for key, value in values.items():
        if key == default_key:
            continue
        parts.append(f"{key}={value}" if value != "" else key)
    return ",".join(parts)


def enabled(text, default_key="enabled"):
    """True for `1`, `enabled=1`, `1,fstrim_cloned_disks=1` (the agent option)."""
    return parse(text, default_key).get(default_key) in ("1", 1)
