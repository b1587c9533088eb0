/// How a VM's config differs from its inventory spec, compared by meaning (tags as sets, net0 by
/// model/bridge/MAC/VLAN). Options are split into what can change in place safely and what
/// touches disks, firmware or passthrough, which homelab only reports.
public struct VMDrift: Sendable, Equatable {
    public struct Change: Sendable, Equatable, CustomStringConvertible {
        public var key: String
        public var old: String
        public var new: String

        public var description: String { "\(key): \(old) -> \(new)" }
    }

    /// Differences `updateConfig` fixes: memory, cores, cpu, name, tags, net0, boot, agent, ...
    public var fixable: [Change] = []
    /// The config keys that fix them.
    public var fixes: ProxmoxParameters = [:]
    /// Differences left alone (disk, machine, bios, efidisk, tpm, hostpci), with why.
    public var unfixable: [String] = []

    public var isEmpty: Bool { fixable.isEmpty && unfixable.isEmpty }

    public static func compare(_ spec: VMSpec, _ config: ProxmoxVMConfig) -> VMDrift {
        var drift = VMDrift()
        drift.compareIdentity(spec, config)
        drift.compareNetwork(spec, config)
        drift.compareHardware(spec, config)
        return drift
    }

    private mutating func fix(_ key: String, old: String?, new: String, value: ProxmoxValue? = nil) {
        fixable.append(Change(key: key, old: old ?? "(unset)", new: new))
        fixes[key] = value ?? .string(new)
    }

    private mutating func compareIdentity(_ spec: VMSpec, _ config: ProxmoxVMConfig) {
        if let name = spec.name, config["name"] != name { fix("name", old: config["name"], new: name) }
        if let memory = spec.memory {
            let current = config["memory"].flatMap { PropertyString($0).value("current", defaultKey: "current") }.flatMap { Int($0) } ?? 512
            if current != memory { fix("memory", old: String(current), new: String(memory)) }
        }
        if let balloon = spec.balloon, config["balloon"].flatMap({ Int($0) }) != balloon {
            fix("balloon", old: config["balloon"], new: String(balloon), value: .int(balloon))
        }
        for (key, wanted) in [("cores", spec.cores), ("sockets", spec.sockets)] {
            guard let wanted else { continue }
            let current = config[key].flatMap { Int($0) } ?? 1
            if current != wanted { fix(key, old: String(current), new: String(wanted), value: .int(wanted)) }
        }
        let cpu = PropertyString(config["cpu"] ?? "kvm64")
        let wantedCPU = PropertyString(spec.cpu)
        let cpuMatches = wantedCPU.items.allSatisfy { item in
            item.key.isEmpty || item.key == "cputype"
                ? cpu.value("cputype", defaultKey: "cputype") == item.value
                : cpu.value(item.key) == item.value
        }
        if !cpuMatches { fix("cpu", old: cpu.text, new: spec.cpu) }
        if let tags = spec.tags {
            let current = Set((config["tags"] ?? "").split(whereSeparator: { $0 == ";" || $0 == "," || $0 == " " }).map { $0.lowercased() })
            if current != Set(tags) {
                fix("tags", old: current.isEmpty ? nil : current.sorted().joined(separator: ";"), new: Set(tags).sorted().joined(separator: ";"))
            }
        }
        if let onboot = spec.onboot, (config["onboot"] == "1") != onboot {
            fix("onboot", old: config["onboot"] ?? "0", new: onboot ? "1" : "0", value: .bool(onboot))
        }
        let agent = config["agent"].flatMap { PropertyString($0).value("enabled", defaultKey: "enabled") } == "1"
        if agent != spec.agent { fix("agent", old: config["agent"], new: spec.agent ? "1" : "0") }
        if let boot = spec.boot, Self.bootOrder(config["boot"]) != Self.bootOrder(boot) { fix("boot", old: config["boot"], new: boot) }
        if (config["ostype"] ?? "other") != spec.ostype { fix("ostype", old: config["ostype"], new: spec.ostype) }
        if let description = spec.description, (config["description"] ?? "").trimmingSpacesAndNewlines != description.trimmingSpacesAndNewlines {
            fix("description", old: config["description"].map { "'\($0)'" }, new: "'\(description)'", value: .string(description))
        }
    }

    /// net0 is rebuilt from the current value so a MAC the spec does not pin (and options such
    /// as firewall=1) survive the fix.
    private mutating func compareNetwork(_ spec: VMSpec, _ config: ProxmoxVMConfig) {
        guard let current = config["net0"] else {
            fix("net0", old: nil, new: spec.net0)
            return
        }
        let net = NetworkDevice(current)
        let mac = spec.mac ?? net.mac
        let wantedTag = spec.vlan.map(String.init)
        guard net.model != "virtio" || net.bridge != spec.bridge || net.tag != wantedTag || (spec.mac != nil && net.mac?.uppercased() != spec.mac) else {
            return
        }
        var rebuilt = net.properties
        if let first = rebuilt.items.first, first.key.isEmpty || NetworkDevice.models.contains(first.key) { rebuilt.items.removeFirst() }
        rebuilt.set("model", nil)
        rebuilt.set("macaddr", nil)
        rebuilt.items.insert((mac.map { ("virtio", $0) } ?? ("", "virtio")), at: 0)
        rebuilt.set("bridge", spec.bridge)
        rebuilt.set("tag", wantedTag)
        fix("net0", old: current, new: rebuilt.text)
    }

    private mutating func compareHardware(_ spec: VMSpec, _ config: ProxmoxVMConfig) {
        if let size = spec.diskGiB {
            if let disk = config["scsi0"].map(PropertyString.init) {
                let volume = disk.first?.value ?? ""
                let storage = volume.split(separator: ":").first.map(String.init) ?? volume
                let current = disk.value("size").flatMap(Self.gibibytes)
                if current != size { unfixable.append("disk size: \(disk.value("size") ?? "unknown") -> \(size)G (not changed: resize disks by hand)") }
                if storage != spec.storage { unfixable.append("disk storage: \(storage) -> \(spec.storage) (not changed: moving a disk is done by hand)") }
            } else {
                unfixable.append("disk: no scsi0 -> \(size)G on \(spec.storage) (not added: disks are changed by hand)")
            }
        }
        if let machine = spec.machine {
            let current = config["machine"] ?? "pc"
            let same = VMSpec.isQ35(machine) ? VMSpec.isQ35(current) : current == machine
            if !same { unfixable.append("machine: \(current) -> \(machine) (not changed: the guest sees new hardware)") }
        }
        if let bios = spec.bios, (config["bios"] ?? "seabios") != bios {
            unfixable.append("bios: \(config["bios"] ?? "seabios") -> \(bios) (not changed: the guest would not boot)")
        }
        if spec.isOVMF {
            let keys = spec.secureBoot ? "1" : "0"
            if let efidisk = config["efidisk0"] {
                let current = PropertyString(efidisk).value("pre-enrolled-keys") ?? "0"
                if current != keys {
                    unfixable.append("efidisk0: pre-enrolled-keys=\(current) -> \(keys) (not changed: the EFI vars disk is recreated by hand)")
                }
            } else {
                unfixable.append("efidisk0: none -> \(spec.storage):1,efitype=4m,pre-enrolled-keys=\(keys) (not added: disks are changed by hand)")
            }
        }
        if let tpm = spec.tpm, (config["tpmstate0"] != nil) != tpm {
            unfixable.append(
                "tpmstate0: \(config["tpmstate0"] ?? "none") -> \(tpm ? "\(spec.storage):1,version=v2.0" : "none") (not changed: TPM state is a disk)")
        }
        if let gpu = spec.gpu {
            let current = config["hostpci0"].flatMap { PropertyString($0).value("mapping") }
            if current != gpu {
                unfixable.append("hostpci0: \(config["hostpci0"] ?? "none") -> mapping=\(gpu),pcie=1,x-vga=1 (not changed: passthrough is changed by hand)")
            }
        }
    }

    /// `order=scsi0;ide2` -> [scsi0, ide2]; other forms compare as written.
    static func bootOrder(_ boot: String?) -> [String] {
        guard let boot else { return [] }
        guard let order = PropertyString(boot).value("order") else { return [boot] }
        return order.split(separator: ";").map(String.init)
    }

    /// `64G`, `65536M`, `1T` -> GiB (nil when it is not a whole number of GiB).
    static func gibibytes(_ size: String) -> Int? {
        guard let unit = size.last, let number = Double(size.dropLast()) else { return Int(size).map { $0 >> 30 } }
        let gib: Double
        switch unit {
        case "T": gib = number * 1024
        case "G": gib = number
        case "M": gib = number / 1024
        case "K": gib = number / 1024 / 1024
        default: return nil
        }
        return gib == gib.rounded() ? Int(gib) : nil
    }
}

/// net0's parts: `virtio=BC:24:11:00:00:01,bridge=vmbr0,tag=10` or `model=virtio,macaddr=...`.
struct NetworkDevice {
    static let models: Set<String> = ["virtio", "e1000", "e1000e", "vmxnet3", "rtl8139", "ne2k_pci", "ne2k_isa", "i82551", "i82557b", "i82559er", "pcnet"]

    let properties: PropertyString
    var model: String?
    var mac: String?
    var bridge: String? { properties.value("bridge") }
    var tag: String? { properties.value("tag") }

    init(_ text: String) {
        properties = PropertyString(text)
        if let first = properties.first, Self.models.contains(first.key) {
            model = first.key
            mac = first.value
        } else {
            model = properties.value("model", defaultKey: "model")
            mac = properties.value("macaddr")
        }
    }
}

extension String {
    fileprivate var trimmingSpacesAndNewlines: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
