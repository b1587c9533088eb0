/// What part of the lab an input names. Every action marks its resource inputs so the drill
/// sandbox can check each resolved one against the sandbox's bounds before a step acts (a drill
/// must never touch VM 201 of the real cluster), and `homelab actions` shows them.
public enum ResourceKind: String, Sendable, CaseIterable {
    /// A Proxmox VM id.
    case vmid
    /// A VM's inventory entry: its vmid, storage, bridge and network.
    case vm
    /// A Proxmox storage (local-zfs, backups).
    case storage
    /// A ZFS dataset or pool.
    case dataset
    /// A network bridge (vmbr0).
    case bridge
    /// A host's address, URL or inventory entry: what a step connects to.
    case address
    /// A network in CIDR notation.
    case network
    /// A Proxmox node by name (pve).
    case proxmoxNode = "proxmox-node"
    case talosNode = "talos-node"
    case kubernetesNode = "kubernetes-node"
}
