/// Builds the contract's models from the `data` of each call, leniently (see ProxmoxJSON).
enum ProxmoxDecoding {
    static func version(_ data: ProxmoxJSON) -> ProxmoxVersionInfo {
        ProxmoxVersionInfo(
            version: data["version"].text ?? "", release: data["release"].text ?? "",
            repoid: data["repoid"].text ?? "")
    }

    static func nodes(_ data: ProxmoxJSON) -> [ProxmoxNodeInfo] {
        data.items.map { item in
            ProxmoxNodeInfo(
                node: item["node"].text ?? "", status: item["status"].text ?? "unknown",
                sslFingerprint: item["ssl_fingerprint"].text)
        }
    }

    static func vms(_ data: ProxmoxJSON) -> [ProxmoxVMSummary] {
        data.items.compactMap { item in
            guard let vmid = item["vmid"].int else { return nil }
            return ProxmoxVMSummary(
                vmid: vmid, name: item["name"].text, status: item["status"].text ?? "unknown",
                lock: item["lock"].text, tags: tags(item["tags"].text))
        }
    }

    /// Tags are stored `;`-joined, but the API splits on `;`, `,` and spaces.
    static func tags(_ text: String?) -> [String] {
        guard let text else { return [] }
        return text.split(whereSeparator: { $0 == ";" || $0 == "," || $0 == " " }).map(String.init)
    }

    static func config(_ data: ProxmoxJSON) -> ProxmoxVMConfig {
        var values: [String: String] = [:]
        for (key, value) in data.members where key != "digest" {
            if let text = value.text { values[key] = text }
        }
        return ProxmoxVMConfig(values: values, digest: data["digest"].text)
    }

    static func status(_ data: ProxmoxJSON) -> ProxmoxVMStatus {
        ProxmoxVMStatus(
            status: data["status"].text ?? "unknown", qmpStatus: data["qmpstatus"].text,
            lock: data["lock"].text, name: data["name"].text, uptime: data["uptime"].int)
    }

    /// `{"result": [...]}`, QEMU's GuestNetworkInterface list.
    static func guestInterfaces(_ data: ProxmoxJSON) -> [ProxmoxGuestInterface] {
        data["result"].items.map { item in
            let addresses = item["ip-addresses"].items.compactMap { address -> ProxmoxGuestInterface.Address? in
                guard let ip = address["ip-address"].text else { return nil }
                return .init(
                    family: address["ip-address-type"].text ?? (ip.contains(":") ? "ipv6" : "ipv4"),
                    address: ip, prefix: address["prefix"].int ?? 0)
            }
            return ProxmoxGuestInterface(
                name: item["name"].text ?? "", hardwareAddress: item["hardware-address"].text,
                addresses: addresses)
        }
    }

    static func storages(_ data: ProxmoxJSON) -> [ProxmoxStorage] {
        data.items.map { item in
            ProxmoxStorage(
                storage: item["storage"].text ?? "", type: item["type"].text ?? "",
                content: (item["content"].text ?? "").split(separator: ",").map(String.init),
                active: item["active"].bool ?? false, available: item["avail"].int)
        }
    }

    static func volumes(_ data: ProxmoxJSON) -> [ProxmoxVolume] {
        data.items.compactMap { item in
            guard let volid = item["volid"].text else { return nil }
            return ProxmoxVolume(
                volid: volid, format: item["format"].text, content: item["content"].text,
                size: item["size"].int, ctime: item["ctime"].int, vmid: item["vmid"].int)
        }
    }

    static func taskStatus(_ data: ProxmoxJSON, asked id: ProxmoxTaskID) -> ProxmoxTaskStatus {
        ProxmoxTaskStatus(
            id: data["upid"].text.map(ProxmoxTaskID.init) ?? id,
            status: data["status"].text ?? "unknown", exitStatus: data["exitstatus"].text)
    }

    static func tasks(_ data: ProxmoxJSON) -> [ProxmoxTaskSummary] {
        data.items.compactMap { item in
            guard let upid = item["upid"].text else { return nil }
            let id = ProxmoxTaskID(upid)
            let status = item["status"].text
            return ProxmoxTaskSummary(
                id: id, type: item["type"].text ?? id.type ?? "",
                vmid: item["id"].int ?? id.id.flatMap { Int($0) },
                status: status?.isEmpty == true ? nil : status,
                startTime: item["starttime"].int)
        }
    }

    /// A dispatched call's UPID; nil when the server answered `null` (done within a delay).
    static func taskID(_ data: ProxmoxJSON) -> ProxmoxTaskID? {
        guard let text = data.text, !text.isEmpty else { return nil }
        return ProxmoxTaskID(text)
    }
}
