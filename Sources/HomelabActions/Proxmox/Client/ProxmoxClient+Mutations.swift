import Foundation

/// The ProxmoxAPI calls that change the host: each is a request plus how to recognise its task
/// and its effect when the answer is lost (see `dispatch`).
extension ProxmoxClient {
    public func create(vmid: Int, config: ProxmoxParameters) async throws -> ProxmoxTaskID? {
        var body = config
        body["vmid"] = .int(vmid)
        return try await dispatch(
            ProxmoxRequest("POST", ["nodes", node, "qemu"], body: .json(body)),
            vmExists(vmid, what: "create VM \(vmid)", taskType: "qmcreate"))
    }

    public func restore(vmid: Int, archive: String, storage: String, force: Bool, overrides: ProxmoxParameters) async throws -> ProxmoxTaskID? {
        var body = overrides
        body["vmid"] = .int(vmid)
        body["archive"] = .string(archive)
        body["storage"] = .string(storage)
        if force { body["force"] = .bool(true) }
        var plan = vmExists(vmid, what: "restore VM \(vmid)", taskType: "qmrestore")
        if force {
            // The VM existed before a forced restore: only its task can prove the restore ran.
            let existing = plan.effect
            plan.effect = { try await existing() == .placeholder ? .placeholder : .absent }
        }
        return try await dispatch(ProxmoxRequest("POST", ["nodes", node, "qemu"], body: .json(body)), plan)
    }

    public func updateConfig(vmid: Int, set: ProxmoxParameters, delete: [String], digest: String?) async throws -> ProxmoxTaskID? {
        var body = set
        if !delete.isEmpty { body["delete"] = .string(delete.joined(separator: ",")) }
        if let digest { body["digest"] = .string(digest) }
        let plan = ProxmoxReconciliation(what: "configure VM \(vmid)", taskType: "qmconfig", vmid: vmid) {
            guard let config = try await config(vmid: vmid), config.lock == nil else { return .absent }
            let applied = set.allSatisfy { config[$0.key] == $0.value.description } && delete.allSatisfy { config[$0] == nil }
            return applied ? .inPlace : .absent
        }
        return try await dispatch(ProxmoxRequest("POST", vmPath(vmid, "config"), body: .json(body)), plan)
    }

    public func power(vmid: Int, _ action: ProxmoxPowerAction) async throws -> ProxmoxTaskID? {
        let wanted: String? =
            switch action {
            case .start: "running"
            case .stop, .shutdown: "stopped"
            case .reboot: nil // a reboot leaves no visible trace but its task
            }
        let plan = ProxmoxReconciliation(what: "\(action.rawValue) VM \(vmid)", taskType: "qm\(action.rawValue)", vmid: vmid) {
            guard let wanted, let status = try await status(vmid: vmid) else { return .absent }
            return status.status == wanted ? .inPlace : .absent
        }
        return try await dispatch(ProxmoxRequest("POST", vmPath(vmid, "status", action.rawValue), body: .json([:])), plan)
    }

    public func destroy(vmid: Int) async throws -> ProxmoxTaskID? {
        let plan = ProxmoxReconciliation(what: "destroy VM \(vmid)", taskType: "qmdestroy", vmid: vmid) {
            try await config(vmid: vmid) == nil ? .inPlace : .absent
        }
        let request = ProxmoxRequest(
            "DELETE", ["nodes", node, "qemu", String(vmid)],
            query: [.init("purge", .bool(true)), .init("destroy-unreferenced-disks", .bool(true))])
        return try await dispatch(request, plan)
    }

    public func downloadURL(storage: String, _ download: ProxmoxDownload) async throws -> ProxmoxTaskID? {
        var body: ProxmoxParameters = [
            "url": .string(download.url), "filename": .string(download.filename), "content": .string(download.content),
            "verify-certificates": .bool(download.verifyCertificates),
        ]
        if let checksum = download.checksum {
            body["checksum"] = .string(checksum)
            body["checksum-algorithm"] = .string(download.checksumAlgorithm ?? "sha256")
        }
        let plan = fileExists(
            storage: storage, content: download.content, filename: download.filename, size: nil,
            what: "download \(download.filename) to \(storage)", taskType: "download")
        return try await dispatch(ProxmoxRequest("POST", ["nodes", node, "storage", storage, "download-url"], body: .json(body)), plan)
    }

    public func upload(storage: String, _ upload: ProxmoxUpload) async throws -> ProxmoxTaskID? {
        let size = (try? FileManager.default.attributesOfItem(atPath: upload.path)[.size] as? NSNumber)?.intValue
        let plan = fileExists(
            storage: storage, content: upload.content, filename: upload.filename, size: size,
            what: "upload \(upload.filename) to \(storage)", taskType: "imgcopy")
        let request = ProxmoxRequest("POST", ["nodes", node, "storage", storage, "upload"], body: .upload(upload), purpose: .transfer)
        return try await dispatch(request, plan)
    }

    /// Create and restore: done when the VM exists complete and unlocked; a config that holds only
    /// `lock: create` is a placeholder, never a created VM.
    private func vmExists(_ vmid: Int, what: String, taskType: String) -> ProxmoxReconciliation {
        ProxmoxReconciliation(what: what, taskType: taskType, vmid: vmid) {
            guard let config = try await config(vmid: vmid) else { return .absent }
            if config.lock == "create" { return .placeholder }
            let complete = config.lock == nil && config.values.keys.contains { $0 != "lock" }
            return complete ? .inPlace : .absent
        }
    }

    /// Downloads and uploads: done when the storage lists the file (with the local size, if known).
    private func fileExists(
        storage: String, content: String, filename: String, size: Int?, what: String,
        taskType: String
    ) -> ProxmoxReconciliation {
        let volid = "\(storage):\(content)/\(Self.storedName(filename))"
        return ProxmoxReconciliation(what: what, taskType: taskType, vmid: nil) {
            let volumes = try await self.content(storage: storage, content: content, vmid: nil)
            guard let volume = volumes.first(where: { $0.volid == volid }) else { return .absent }
            return size == nil || volume.size == size ? .inPlace : .absent
        }
    }

    /// Proxmox stores a file under its name with every character outside `[A-Za-z0-9_.-]` as `_`.
    static func storedName(_ filename: String) -> String {
        String(filename.map { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) ? $0 : "_" })
    }
}
