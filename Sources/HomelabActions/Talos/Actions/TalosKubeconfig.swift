import Foundation
import HomelabCore
import HomelabTransport

/// `talos.kubeconfig`: fetches the admin kubeconfig from a control plane as talosctl does: the
/// stream's bytes are a gzipped tar holding one file, `kubeconfig`, written here with mode
/// 0600. A kubeconfig already at the path is kept unless `refresh` is set.
public struct TalosKubeconfig: Action {
    private let sessions: TalosSessions

    public init(talos: any TalosConnecting) {
        sessions = TalosSessions(connector: talos)
    }

    /// A kubeconfig is a few KiB; a node sending more than this is not sending one.
    static let limit = 4 << 20

    public var schema: ActionSchema {
        ActionSchema(
            name: "talos.kubeconfig",
            summary: "Fetch the cluster's admin kubeconfig from a control plane and write it with mode 0600.",
            inputs: [
                TalosInputs.node,
                TalosInputs.talosconfig,
                InputSpec("path", .string, required: true, "Where to write the kubeconfig."),
                InputSpec("refresh", .boolean, default: .bool(false), "Fetch a new one even when the file holds a kubeconfig already."),
            ],
            outputs: [OutputSpec("path", "The kubeconfig's path.")],
            idempotent: true
        )
    }

    public func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
        let call = schema.defaulted(call)
        let shown = call.string("path") ?? "?"
        if call.inputs["refresh"] != .bool(true), Self.holdsKubeconfig(try TalosInputs.path(call, "path")) {
            return .satisfied("\(shown) holds a kubeconfig")
        }
        return .wouldChange("fetch the admin kubeconfig from \(try TalosNode(call)) into \(shown)")
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let call = schema.defaulted(call)
        let node = try TalosNode(call)
        let path = try TalosInputs.path(call, "path")
        let identity = try TalosInputs.talosconfig(call).identity
        let archive = Collected()
        try await sessions.within(node.target(.configured(identity)), context: context) { client in
            _ = try await client.kubeconfig { bytes in
                guard archive.append(bytes, limit: Self.limit) else { throw ActionError("\(node) sent more than \(Self.limit) bytes for a kubeconfig") }
            }
        }
        let text = try Self.unpack(archive.bytes, from: node)
        try TalosSessions.mapping { try PrivateFile.write(text, to: path) }
        context.report("wrote the admin kubeconfig from \(node) to \(call.string("path") ?? path) (mode 0600)")
        return ["path": .string(path)]
    }

    /// gunzip, untar, the entry `kubeconfig`.
    static func unpack(_ archive: [UInt8], from node: TalosNode) throws -> String {
        do {
            guard let file = try TarArchive.file("kubeconfig", in: try Gunzip.decompress(archive, limit: limit)) else {
                throw ActionError("the archive \(node) sent has no file named kubeconfig")
            }
            return String(decoding: file, as: UTF8.self)
        } catch let error as ActionError {
            throw error
        } catch {
            throw ActionError("the kubeconfig \(node) sent cannot be unpacked: \(error)")
        }
    }

    static func holdsKubeconfig(_ path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else { return false }
        return text.contains("clusters:") && text.contains("users:")
    }

    /// The stream's bytes, gathered by its handler.
    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var collected: [UInt8] = []

        func append(_ bytes: [UInt8], limit: Int) -> Bool {
            lock.withLock {
                collected += bytes
                return collected.count <= limit
            }
        }

        var bytes: [UInt8] { lock.withLock { collected } }
    }

    public func validate(_ inputs: [String: Value]) -> [InputProblem] {
        TalosInputs.nodeProblems(inputs)
    }

    public func describe(_ inputs: [String: Value]) -> String {
        "fetch the admin kubeconfig into \(inputs["path"]?.text ?? "the file") (mode 0600)"
            + (inputs["refresh"] == .bool(true) ? "" : " unless it holds one already")
    }
}
