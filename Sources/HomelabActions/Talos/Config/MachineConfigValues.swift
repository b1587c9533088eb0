import HomelabCore

/// The per-node part of a machine config, from the inventory, as patch documents located at the
/// node's entry: its hostname, the install disk and the Image Factory installer (with the
/// qemu-guest-agent extension the schematic holds), certSANs, and on control-plane nodes the VIP
/// on the interface with the node's MAC and the subnets etcd and kubelet must pick.
struct MachineConfigValues {
    let cluster: TalosClusterSpec
    let node: TalosNodeSpec

    var patch: [YAMLNode] {
        get throws(TalosFileError) {
            guard let disk = node.installDisk ?? cluster.installDisk else {
                throw TalosFileError(
                    node.location,
                    "Talos node '\(node.name)' has no install-disk, and talos.install-disk is not set (the disk Talos installs to, e.g. /dev/sda)")
            }
            let controlPlane = node.role == .controlplane
            let vip = controlPlane ? cluster.vip : nil
            var machine: [(String, Value)] = [
                ("install", .map([("disk", .string(disk)), ("image", .string(cluster.installerImage))])),
                ("certSANs", strings(unique([node.ip] + (vip.map { [$0] } ?? []) + cluster.certSANs + node.certSANs))),
            ]
            var network: [(String, Value)] = []
            if !cluster.hasHostnameDocuments { network.append(("hostname", .string(node.name))) }
            if let vip {
                guard let mac = node.mac else {
                    throw TalosFileError(node.location, "control-plane node '\(node.name)' needs its mac: the VIP goes on the interface with that address")
                }
                let interface: Value = .map([
                    ("deviceSelector", .map([("hardwareAddr", .string(mac))])), ("dhcp", .bool(true)), ("vip", .map([("ip", .string(vip))])),
                ])
                network.append(("interfaces", .list([interface])))
            }
            if !network.isEmpty { machine.append(("network", .map(network))) }
            if let lan = cluster.lan { machine.append(("kubelet", .map([("nodeIP", .map([("validSubnets", .list([.string(lan)]))]))]))) }
            var clusterValues: [(String, Value)] = [
                ("clusterName", .string(cluster.clusterName)), ("controlPlane", .map([("endpoint", .string(cluster.endpoint))])),
            ]
            if controlPlane {
                let sans = unique([cluster.endpointHost] + (vip.map { [$0] } ?? []) + cluster.certSANs + node.certSANs)
                clusterValues.append(("apiServer", .map([("certSANs", strings(sans))])))
                if let lan = cluster.lan { clusterValues.append(("etcd", .map([("advertisedSubnets", .list([.string(lan)]))]))) }
            }
            var documents: [Value] = [.map([("machine", .map(machine)), ("cluster", .map(clusterValues))])]
            if cluster.hasHostnameDocuments {
                documents.append(
                    .map([("apiVersion", .string("v1alpha1")), ("kind", .string("HostnameConfig")), ("auto", .string("off")), ("hostname", .string(node.name))])
                )
            }
            return documents.map { ConfigDocuments.node($0, at: node.location) }
        }
    }

    private func strings(_ items: [String]) -> Value { .list(items.map(Value.string)) }

    private func unique(_ items: [String]) -> [String] {
        var seen: Set<String> = []
        return items.filter { seen.insert($0).inserted }
    }
}
