import Foundation
import HomelabCore

/// `proxmox.iso`: puts an ISO (or import image) on a storage, by letting the node download it
/// (checked against the checksum) or by uploading a local file. Already there: nothing to do.
public struct ProxmoxISO: Action {
    private let sessions: ProxmoxSessions

    public init(proxmox: any ProxmoxConnecting) {
        sessions = ProxmoxSessions(connector: proxmox)
    }

    public var schema: ActionSchema {
        ActionSchema(
            name: "proxmox.iso",
            summary: "Make sure an ISO is on a storage: have the node download it, or upload a local file.",
            inputs: ProxmoxInputs.specs + [
                InputSpec("storage", .string, resource: .storage, "A file-based storage that holds ISOs (default: the inventory's storage.iso, else local)."),
                InputSpec(
                    "filename", .string, required: true,
                    "The name on the storage, such as talos-v1.11.5.iso (.iso or .img; .raw, .qcow2, .vmdk, .ova for import)."),
                InputSpec("url", .string, "Where the node downloads it from (http or https)."),
                InputSpec("file", .string, "A local file to upload instead."),
                InputSpec("checksum", .string, "The file's checksum; the node verifies it (and then a download onto an existing file is a no-op)."),
                InputSpec(
                    "checksum-algorithm", .string, default: .string("sha256"), allowed: ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"],
                    "Checksum algorithm."),
                InputSpec("content", .string, default: .string("iso"), allowed: ["iso", "import"], "What the file is: an ISO, or a disk image to import."),
                InputSpec("timeout", .duration, default: .string("30m"), "How long the download or upload may take."),
            ],
            outputs: [OutputSpec("volid", "The volume id, such as local:iso/talos-v1.11.5.iso.")],
            idempotent: true
        )
    }

    public func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
        let call = schema.defaulted(call)
        let inputs = try ProxmoxInputs.resolve(call)
        let target = try Target(call, inputs)
        return try await sessions.within(inputs, context: context) { session in
            if try await target.isPresent(session) { return .satisfied("\(target.volid) is on the storage") }
            return .wouldChange((call.string("url") != nil ? "download" : "upload") + " \(target.volid)")
        }
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let call = schema.defaulted(call)
        let inputs = try ProxmoxInputs.resolve(call)
        let target = try Target(call, inputs)
        let timeout = try call.duration(defaulted: "timeout")
        let checksum = call.string("checksum").flatMap { $0.isEmpty ? nil : $0 }
        let algorithm = checksum == nil ? nil : call.string("checksum-algorithm")
        let url = call.string("url").flatMap { $0.isEmpty ? nil : $0 }
        let file = call.string("file").flatMap { $0.isEmpty ? nil : $0 }
        guard (url == nil) != (file == nil) else { throw ActionError("give exactly one of 'url' (the node downloads) and 'file' (homelab uploads)") }
        if let url, !(url.hasPrefix("http://") || url.hasPrefix("https://")) { throw ActionError("'url' must start with http:// or https://, found '\(url)'") }
        if let file, !FileManager.default.isReadableFile(atPath: file) { throw ActionError("'file' \(file) does not exist or cannot be read") }
        return try await sessions.within(inputs, context: context) { session in
            if try await target.isPresent(session) {
                context.report("\(target.volid) is already there")
                return ["volid": .string(target.volid)]
            }
            try await target.checkStorage(session)
            let id: ProxmoxTaskID?
            if let url {
                context.report("node \(session.api.node) downloads \(url) to \(target.volid)")
                id = try await session.api.downloadURL(
                    storage: target.storage,
                    ProxmoxDownload(url: url, filename: target.filename, content: target.content, checksum: checksum, checksumAlgorithm: algorithm))
            } else {
                context.report("uploading \(file ?? "") to \(target.volid)")
                id = try await session.api.upload(
                    storage: target.storage,
                    ProxmoxUpload(path: file ?? "", filename: target.filename, content: target.content, checksum: checksum, checksumAlgorithm: algorithm))
            }
            try await session.finish(id, what: "\(url != nil ? "download" : "upload") of \(target.filename)", timeout: timeout)
            guard try await target.isPresent(session) else {
                throw ActionError(
                    "the \(url != nil ? "download" : "upload") of \(target.filename) ended OK but \(target.volid) is not listed on the storage", retryable: true
                )
            }
            return ["volid": .string(target.volid)]
        }
    }

    public func describe(_ inputs: [String: Value]) -> String {
        let call = schema.defaulted(ActionCall(step: "", inputs: inputs))
        let volid = (try? ProxmoxInputs.resolve(call, requireToken: false)).flatMap { try? Target(call, $0) }?.volid ?? inputs["filename"]?.text ?? "the file"
        let how = inputs["url"] != nil ? "have the node download it" + (inputs["checksum"] != nil ? " and check its checksum" : "") : "upload it"
        return "\(how) unless \(volid) is already there"
    }

    /// Where the file goes: storage, name, content type, and the volume id that results.
    struct Target {
        var storage: String
        var filename: String
        var content: String

        init(_ call: ActionCall, _ inputs: ProxmoxInputs) throws {
            storage = call.string("storage") ?? inputs.setting("storage", "iso") ?? "local"
            filename = call.string("filename") ?? ""
            content = call.string("content") ?? ""
            let extensions = content == "iso" ? [".iso", ".img"] : [".raw", ".qcow2", ".vmdk", ".ova"]
            guard !filename.isEmpty, filename.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }) else {
                throw ActionError("'filename' must be a plain file name (letters, digits, '_', '.', '-'), found '\(filename)'")
            }
            guard extensions.contains(where: { filename.lowercased().hasSuffix($0) }) else {
                throw ActionError("'filename' \(filename) must end in \(extensions.joined(separator: " or ")) for content '\(content)'")
            }
        }

        var volid: String { "\(storage):\(content)/\(filename)" }

        func isPresent(_ session: ProxmoxSession) async throws -> Bool {
            try await session.api.content(storage: storage, content: content, vmid: nil).contains { $0.volid == volid }
        }

        /// The storage must exist on the node and accept this content (zfspool holds only disks).
        func checkStorage(_ session: ProxmoxSession) async throws {
            let storages = try await session.api.storages(content: nil)
            guard let found = storages.first(where: { $0.storage == storage }) else {
                let fitting = storages.filter { $0.content.contains(content) }.map(\.storage)
                throw ActionError(
                    "storage '\(storage)' is not on node \(session.api.node)"
                        + (fitting.isEmpty ? "" : "; storages that hold \(content): \(fitting.joined(separator: ", "))"))
            }
            guard found.content.contains(content) else {
                let advice =
                    found.type == "zfspool"
                    ? "zfspool storages hold only disks; use a dir storage such as local" : "enable '\(content)' content on it, or use a storage such as local"
                throw ActionError("storage '\(storage)' (\(found.type)) cannot hold \(content) files: \(advice)")
            }
            guard found.active else {
                throw ActionError("storage '\(storage)' is not active on node \(session.api.node); check it is mounted", retryable: true)
            }
        }
    }
}
