import Foundation
import HomelabCore

/// A VM as the inventory describes it (`talos.nodes[0]`, `gaming[0]`), turned into the config
/// keys `POST /nodes/{node}/qemu` takes. Keys that are other facts about the machine (role, ip)
/// are left alone; a key that looks like a misspelt spec key is an error.
public struct VMSpec: Sendable, Equatable {
    /// Where a key the entry leaves out comes from: the step's inputs, else the proxmox map.
    public struct Defaults: Sendable, Equatable {
        public var storage: String
        public var bridge: String
        public var iso: String?

        public init(storage: String = "local-zfs", bridge: String = "vmbr0", iso: String? = nil) {
            self.storage = storage
            self.bridge = bridge
            self.iso = iso
        }
    }

    public var vmid: Int
    public var name: String?
    public var cores: Int?
    public var sockets: Int?
    public var memory: Int?
    public var balloon: Int?
    public var cpu: String
    public var diskGiB: Int?
    public var storage: String
    public var mac: String?
    public var bridge: String
    public var vlan: Int?
    public var iso: String?
    public var boot: String?
    public var machine: String?
    public var bios: String?
    public var secureBoot: Bool
    public var tpm: Bool?
    public var gpu: String?
    public var ostype: String
    public var tags: [String]?
    public var agent: Bool
    public var onboot: Bool?
    public var description: String?

    static let specKeys = [
        "name", "vmid", "cores", "sockets", "memory", "balloon", "cpu", "disk", "storage", "mac", "bridge",
        "vlan", "iso", "boot", "machine", "bios", "secure-boot", "tpm", "gpu", "ostype", "tags", "agent",
        "onboot", "description",
    ]

    /// Reads an inventory entry; errors name the entry and the key.
    public static func parse(_ value: Value, defaults: Defaults = Defaults()) throws -> VMSpec {
        var entry = try InventoryEntry(value, what: "the VM entry")
        let name = try entry.string("name")
        if let name { entry.label = name }
        for key in entry.keys where !specKeys.contains(key) && key.count >= 4 {
            if let near = Suggestion.closest(to: key, in: specKeys) {
                throw InventoryEntryError(key: key, message: "unknown key '\(key)' in \(entry.label) (did you mean '\(near)'?)")
            }
        }
        guard let vmid = try entry.int("vmid") else { throw entry.invalid("\(entry.label) has no 'vmid': every VM needs a fixed id (100-999999999)") }
        guard (100...999_999_999).contains(vmid) else { throw entry.invalid("vmid", "must be between 100 and 999999999, found \(vmid)") }
        if name == nil { entry.label = "VM \(vmid)" }

        var spec = VMSpec(
            vmid: vmid, cpu: try entry.string("cpu") ?? "host", storage: try entry.string("storage") ?? defaults.storage,
            bridge: try entry.string("bridge") ?? defaults.bridge, secureBoot: try entry.bool("secure-boot") ?? false,
            ostype: try entry.string("ostype") ?? "l26", agent: try entry.bool("agent") ?? true)
        if let name {
            guard Self.isDNSName(name) else { throw entry.invalid("name", "must be a DNS name (letters, digits and '-', dot-separated), found '\(name)'") }
            spec.name = name
        }
        spec.cores = try positive(entry, "cores")
        spec.sockets = try positive(entry, "sockets")
        spec.memory = try entry.int("memory", " (MiB)")
        if let memory = spec.memory, memory < 16 { throw entry.invalid("memory", "is in MiB and must be at least 16, found \(memory)") }
        spec.balloon = try entry.int("balloon", " (MiB, 0 turns ballooning off)")
        spec.diskGiB = try Self.diskSize(entry)
        spec.mac = try entry.string("mac").map { mac in
            guard Self.isMAC(mac) else { throw entry.invalid("mac", "must be a MAC address such as BC:24:11:00:02:01, found '\(mac)'") }
            return mac.uppercased()
        }
        spec.vlan = try entry.int("vlan")
        if let vlan = spec.vlan, !(1...4094).contains(vlan) { throw entry.invalid("vlan", "must be a VLAN tag (1-4094), found \(vlan)") }
        spec.iso = try entry.string("iso") ?? defaults.iso
        spec.boot = try entry.string("boot") ?? spec.defaultBoot
        spec.machine = try entry.string("machine")
        spec.bios = try entry.string("bios")?.lowercased()
        if let bios = spec.bios, bios != "ovmf", bios != "seabios" { throw entry.invalid("bios", "must be ovmf or seabios, found '\(bios)'") }
        spec.tpm = try entry.bool("tpm")
        spec.gpu = try entry.string("gpu")
        if spec.gpu != nil, !spec.isQ35 {
            throw entry.invalid("gpu", "needs 'machine: q35' (PCIe passthrough with pcie=1 works only on q35); add it to \(entry.label)'s entry")
        }
        if spec.secureBoot, spec.bios != "ovmf" { throw entry.invalid("secure-boot", "needs 'bios: ovmf' (Secure Boot is a UEFI feature)") }
        spec.tags = try entry.strings("tags").map { tags in
            try tags.map { tag in
                let lower = tag.lowercased()
                guard Self.isTag(lower) else { throw entry.invalid("tags", "has '\(tag)', but a tag may hold only letters, digits, '_', '+', '.', '-'") }
                return lower
            }
        }
        spec.onboot = try entry.bool("onboot")
        spec.description = try entry.string("description")
        return spec
    }

    init(vmid: Int, cpu: String, storage: String, bridge: String, secureBoot: Bool, ostype: String, agent: Bool) {
        self.vmid = vmid
        self.cpu = cpu
        self.storage = storage
        self.bridge = bridge
        self.secureBoot = secureBoot
        self.ostype = ostype
        self.agent = agent
    }

    public var isQ35: Bool { machine.map(VMSpec.isQ35) ?? false }
    public var isOVMF: Bool { bios == "ovmf" }

    /// Boot from the disk; from the ISO when the disk has nothing on it yet.
    var defaultBoot: String? {
        let devices = (diskGiB != nil ? ["scsi0"] : []) + (iso != nil ? ["ide2"] : [])
        return devices.isEmpty ? nil : "order=" + devices.joined(separator: ";")
    }

    /// `virtio=<mac>,bridge=<bridge>[,tag=<vlan>]`; without a MAC, Proxmox generates one.
    var net0: String {
        var parts = [mac.map { "virtio=\($0)" } ?? "virtio", "bridge=\(bridge)"]
        if let vlan { parts.append("tag=\(vlan)") }
        return parts.joined(separator: ",")
    }

    /// The config keys for `create`, by their API names.
    public var parameters: ProxmoxParameters {
        var values: ProxmoxParameters = ["cpu": .string(cpu), "net0": .string(net0), "ostype": .string(ostype), "agent": .string(agent ? "1" : "0")]
        if let name { values["name"] = .string(name) }
        if let cores { values["cores"] = .int(cores) }
        if let sockets { values["sockets"] = .int(sockets) }
        if let memory { values["memory"] = .string(String(memory)) }
        if let balloon { values["balloon"] = .int(balloon) }
        if let diskGiB {
            values["scsihw"] = .string("virtio-scsi-single")
            values["scsi0"] = .string("\(storage):\(diskGiB),discard=on,ssd=1,iothread=1")
        }
        if let iso { values["ide2"] = .string("\(iso),media=cdrom") }
        if let boot { values["boot"] = .string(boot) }
        if let machine { values["machine"] = .string(machine) }
        if let bios { values["bios"] = .string(bios) }
        if isOVMF { values["efidisk0"] = .string("\(storage):1,efitype=4m,pre-enrolled-keys=\(secureBoot ? 1 : 0)") }
        if tpm == true { values["tpmstate0"] = .string("\(storage):1,version=v2.0") }
        if let gpu { values["hostpci0"] = .string("mapping=\(gpu),pcie=1,x-vga=1") }
        if let tags { values["tags"] = .string(tags.joined(separator: ";")) }
        if let onboot { values["onboot"] = .bool(onboot) }
        if let description { values["description"] = .string(description) }
        return values
    }

    /// `VM 201 'cp-1' (4 cores, 8192 MiB, 64G on local-zfs, q35/OVMF, GPU amd-igpu)`.
    public var summary: String {
        var facts: [String] = []
        if let cores { facts.append("\(cores) cores") }
        if let memory { facts.append("\(memory) MiB") }
        if let diskGiB { facts.append("\(diskGiB)G on \(storage)") }
        let firmware = [machine, bios.map { $0 == "ovmf" ? "OVMF" : "SeaBIOS" }].compactMap { $0 }.joined(separator: "/")
        if !firmware.isEmpty { facts.append(firmware) }
        if let gpu { facts.append("GPU \(gpu)") }
        if tpm == true { facts.append("TPM") }
        let label = "VM \(vmid)" + (name.map { " '\($0)'" } ?? "")
        return facts.isEmpty ? label : "\(label) (\(facts.joined(separator: ", ")))"
    }

    /// `64G`, `64`, `1T` (GiB unless it says T).
    static func diskSize(_ entry: InventoryEntry) throws -> Int? {
        guard let value = entry.raw("disk") else { return nil }
        if case .int(let gib) = value, gib > 0 { return gib }
        let text = value.text.uppercased().replacingOccurrences(of: "IB", with: "")
        let unit = text.last.map { $0.isLetter ? $0 : "G" } ?? "G"
        let digits = text.last?.isLetter == true ? String(text.dropLast()) : text
        guard let number = Int(digits), number > 0, unit == "G" || unit == "T" else {
            throw entry.invalid("disk", "must be a size in GiB such as 64G (or 1T), found '\(value.text)'")
        }
        return unit == "T" ? number * 1024 : number
    }

    private static func positive(_ entry: InventoryEntry, _ key: String) throws -> Int? {
        guard let number = try entry.int(key) else { return nil }
        guard number > 0 else { throw entry.invalid(key, "must be at least 1, found \(number)") }
        return number
    }

    static func isQ35(_ machine: String) -> Bool {
        let type = PropertyString(machine).value("type", defaultKey: "type") ?? ""
        return type == "q35" || type.hasPrefix("pc-q35")
    }

    static func isDNSName(_ name: String) -> Bool {
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        return !name.isEmpty
            && labels.allSatisfy { label in
                !label.isEmpty && label.first != "-" && label.last != "-" && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            }
    }

    static func isMAC(_ mac: String) -> Bool {
        let parts = mac.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 6 && parts.allSatisfy { $0.count == 2 && $0.allSatisfy(\.isHexDigit) }
    }

    static func isTag(_ tag: String) -> Bool {
        guard let first = tag.first, first.isASCII, first.isLetter || first.isNumber || first == "_" else { return false }
        return tag.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_+.-".contains($0)) }
    }
}
