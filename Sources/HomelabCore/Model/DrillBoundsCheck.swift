/// The restore drill's sandbox in the inventory (`drill:`): the bounds inside which a drill may
/// create VMs, datasets and addresses. They are checked against the rest of the inventory so
/// that a drill can never touch what it is meant to prove recoverable: no real VM's VMID, no
/// real dataset, not the LAN's bridge, none of the addresses in use.
public enum DrillBoundsCheck {
    static let keys = ["vmid-range", "dataset-prefix", "bridge", "addresses"]
    /// Proxmox VE accepts VMIDs 100...999999999.
    static let vmids = 100...999_999_999

    /// Every problem of the inventory's `drill` section, located at the offending value.
    /// `datasets` are the dataset names of storage/ (datasets.yaml), when known: none may lie
    /// inside the drill's prefix, nor the prefix inside one of them. An inventory without a
    /// `drill` section has nothing to check here (the drill itself refuses to run without it).
    public static func check(_ inventory: Inventory, datasets: [String] = []) -> [Diagnostic] {
        guard let drill = inventory.root["drill"] else { return [] }
        var reader = NodeReader()
        guard let pairs = reader.mapping(drill, "'drill'") else { return reader.diagnostics.sorted }
        var checker = Checker(inventory: inventory, datasets: datasets)
        var seen: Set<String> = []
        for (key, pair) in reader.keys(pairs, known: keys, in: "'drill'") {
            seen.insert(key)
            switch key {
            case "vmid-range": checker.vmidRange(pair.value)
            case "dataset-prefix": checker.datasetPrefix(pair.value)
            case "bridge": checker.bridge(pair.value)
            default: checker.addresses(pair.value)
            }
        }
        for key in keys where !seen.contains(key) {
            checker.diagnostics.error(drill.location, "'drill' has no '\(key)': the drill needs all of \(keys.joined(separator: ", "))")
        }
        var all = reader.diagnostics
        all.append(contentsOf: checker.diagnostics)
        return all.sorted
    }

    struct Checker {
        var inventory: Inventory
        var datasets: [String]
        var diagnostics = Diagnostics()

        private func place(_ node: YAMLNode) -> String { "\(node.location)" }

        /// `[first, last]`, whole numbers, first <= last, within Proxmox's VMIDs, holding none of
        /// the inventory's VMs.
        mutating func vmidRange(_ node: YAMLNode) {
            guard let items = node.sequence, items.count == 2,
                case .int(let first) = Value(items[0]), case .int(let last) = Value(items[1])
            else {
                diagnostics.error(node.location, "'drill.vmid-range' must be [first, last], two VMIDs (such as [900, 999])")
                return
            }
            guard Self.isVMID(first), Self.isVMID(last) else {
                let vmids = DrillBoundsCheck.vmids
                diagnostics.error(
                    node.location, "'drill.vmid-range' must lie within Proxmox's VMIDs \(vmids.lowerBound)...\(vmids.upperBound), found [\(first), \(last)]")
                return
            }
            guard first <= last else {
                diagnostics.error(node.location, "'drill.vmid-range' starts after it ends ([\(first), \(last)]); write [\(last), \(first)]")
                return
            }
            for vm in machines() {
                guard case .int(let vmid) = Value(vm.vmid), (first...last).contains(vmid) else { continue }
                diagnostics.error(
                    node.location,
                    "'drill.vmid-range' [\(first), \(last)] holds VMID \(vmid) of \(vm.label) (\(place(vm.vmid))); a drill could overwrite it: choose a range without the real VMs"
                )
            }
        }

        /// Under a pool of `zfs.pools`, below the pool itself, apart from every real dataset.
        mutating func datasetPrefix(_ node: YAMLNode) {
            guard case .string(let prefix) = Value(node) else {
                diagnostics.error(node.location, "'drill.dataset-prefix' must be a dataset name such as tank/drill, found \(node.kindName)")
                return
            }
            let components = prefix.split(separator: "/", omittingEmptySubsequences: false)
            guard components.allSatisfy({ !$0.isEmpty && $0.allSatisfy(Self.isDatasetCharacter) }) else {
                diagnostics.error(node.location, "'drill.dataset-prefix' is not a dataset name: '\(prefix)' (POOL/NAME, letters, digits, '_', '-', '.', ':')")
                return
            }
            let pools = InventoryPools(inventory)
            let pool = String(components[0])
            guard pools.names.contains(pool) else {
                let known = pools.names.isEmpty ? "it declares none under zfs.pools" : "it has \(pools.names.joined(separator: ", "))"
                diagnostics.error(
                    node.location,
                    "'drill.dataset-prefix' is on pool '\(pool)', which is not in the inventory (\(known))\(Suggestion.hint(for: pool, in: pools.names))")
                return
            }
            guard components.count > 1 else {
                diagnostics.error(
                    node.location, "'drill.dataset-prefix' is the whole pool '\(pool)'; give the drill a dataset of its own, such as \(pool)/drill")
                return
            }
            for dataset in datasets {
                if dataset == prefix || dataset.hasPrefix(prefix + "/") {
                    diagnostics.error(node.location, "'drill.dataset-prefix' \(prefix) holds the real dataset \(dataset) (storage/); a drill could destroy it")
                } else if prefix.hasPrefix(dataset + "/") {
                    diagnostics.error(
                        node.location,
                        "'drill.dataset-prefix' \(prefix) lies inside the real dataset \(dataset) (storage/): its snapshots and replicas would carry the drill's data; put it beside, such as \(pool)/drill"
                    )
                }
            }
        }

        /// A bridge name, not the LAN's bridge (restored VMs keep the real VMs' MACs).
        mutating func bridge(_ node: YAMLNode) {
            guard let bridge = node.string, Self.isInterfaceName(bridge) else {
                diagnostics.error(node.location, "'drill.bridge' must be a bridge name such as vmbr9, found \(describe(node))")
                return
            }
            if let lan = inventory.root["proxmox"]?["bridge"], lan.string == bridge {
                diagnostics.error(
                    node.location,
                    "'drill.bridge' is the LAN's bridge \(bridge) (proxmox.bridge, \(place(lan))); restored VMs keep the real VMs' MACs: give the drill a bridge without uplink"
                )
            }
        }

        /// A CIDR holding none of the addresses in use.
        mutating func addresses(_ node: YAMLNode) {
            guard let text = node.string else {
                diagnostics.error(node.location, "'drill.addresses' must be a network in CIDR form such as 172.16.99.0/24, found \(node.kindName)")
                return
            }
            guard let network = IPv4Network(cidr: text) else {
                let hint = IPv4Network.withHostBitsCleared(text).map { " (did you mean \($0)?)" } ?? ""
                diagnostics.error(node.location, "'drill.addresses' is not a network in CIDR form: '\(text)'\(hint)")
                return
            }
            for (what, value) in usedAddresses() {
                guard let text = value.string, let address = IPv4Network.address(text), network.contains(address) else { continue }
                diagnostics.error(
                    node.location, "'drill.addresses' \(network) holds \(what) \(text) (\(place(value))); choose a range apart from the addresses in use")
            }
        }

        /// The VMs of the inventory: Talos nodes and gaming VMs, with their vmid nodes.
        private func machines() -> [(label: String, vmid: YAMLNode)] {
            var result: [(label: String, vmid: YAMLNode)] = []
            for (section, what) in [("talos", "Talos node"), ("gaming", "gaming VM")] {
                let list = section == "talos" ? inventory.root["talos"]?["nodes"] : inventory.root["gaming"]
                for entry in list?.sequence ?? [] {
                    guard let vmid = entry["vmid"] else { continue }
                    result.append(("\(what) '\(entry["name"]?.string ?? "?")'", vmid))
                }
            }
            return result
        }

        private func usedAddresses() -> [(String, YAMLNode)] {
            let root = inventory.root
            var result: [(String, YAMLNode)] = []
            if let gateway = root["network"]?["gateway"] { result.append(("the gateway (network.gateway)", gateway)) }
            if let host = root["proxmox"]?["address"] { result.append(("the Proxmox host (proxmox.address)", host)) }
            if let vip = root["talos"]?["vip"] { result.append(("the Talos VIP (talos.vip)", vip)) }
            for node in root["talos"]?["nodes"]?.sequence ?? [] {
                if let ip = node["ip"] { result.append(("Talos node '\(node["name"]?.string ?? "?")'", ip)) }
            }
            for key in ["vps-address", "homelab-address"] {
                if let address = root["wireguard"]?[key] { result.append(("the tunnel address wireguard.\(key)", address)) }
            }
            return result
        }

        private func describe(_ node: YAMLNode) -> String {
            if let text = node.string { return "'\(text)'" }
            return node.kindName
        }

        static func isVMID(_ value: Int) -> Bool { DrillBoundsCheck.vmids.contains(value) }

        static func isDatasetCharacter(_ character: Character) -> Bool {
            character.isASCII && (character.isLetter || character.isNumber || "_-.:".contains(character))
        }

        /// Linux interface names: up to 15 characters, no '/', no blanks.
        static func isInterfaceName(_ name: String) -> Bool {
            guard let first = name.first, first.isASCII, first.isLetter, name.count <= 15 else { return false }
            return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
        }
    }
}
