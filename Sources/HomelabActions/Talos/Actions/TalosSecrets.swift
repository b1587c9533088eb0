import Foundation
import HomelabCore
import X509

/// `talos.secrets`: makes sure the cluster's secrets bundle exists and a talosconfig opens its
/// nodes. The bundle is loaded from its file (the one the operator backs up); only with
/// `create: true` is a new one generated when the file is missing, because a recovery with a
/// new bundle cannot read the old cluster's encrypted data. The talosconfig gets a fresh
/// `os:admin` certificate when it is missing, from another CA, or close to expiring. Outputs
/// are paths only; no value of the bundle is ever shown.
public struct TalosSecrets: Action {
    public init() {}

    /// A talosconfig certificate with less time than this left is renewed.
    static let renewBefore: TimeInterval = 30 * 24 * 3600

    public var schema: ActionSchema {
        ActionSchema(
            name: "talos.secrets",
            summary: "Make sure the Talos secrets bundle exists (load it, or create one) and write a talosconfig for it.",
            inputs: [
                TalosInputs.bundle,
                InputSpec(
                    "create", .boolean, default: .bool(false),
                    "Generate a new bundle when the file does not exist (a new cluster). Off for a recovery: the nodes' data needs the old bundle."),
                TalosInputs.talosconfig,
                InputSpec(
                    "endpoints", .list, resource: .talosNode,
                    "The talosconfig's endpoints: nodes' inventory entries (${inventory.talos.nodes}) or addresses; control planes are the ones to list."
                ),
                InputSpec("context", .string, default: .string("homelab"), "The talosconfig context's name."),
            ],
            outputs: [
                OutputSpec("bundle", "The secrets bundle's path."),
                OutputSpec("talosconfig", "The talosconfig's path."),
                OutputSpec("created", "true when this step generated the bundle."),
            ],
            idempotent: true
        )
    }

    public func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
        let call = schema.defaulted(call)
        let bundlePath = try TalosInputs.path(call, "bundle")
        let shown = call.string("bundle") ?? ""
        guard FileManager.default.fileExists(atPath: bundlePath) else {
            return .wouldChange(
                call.inputs["create"] == .bool(true) ? "generate a new secrets bundle at \(shown) and a talosconfig" : "fail: no secrets bundle at \(shown)")
        }
        let bundle = try load(bundlePath, shown: shown)
        if let stale = try talosconfigProblem(call, bundle: bundle) { return .wouldChange("write a new talosconfig (\(stale))") }
        return .satisfied("the secrets bundle \(shown) loads and the talosconfig \(call.string("talosconfig") ?? "") opens its nodes")
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let call = schema.defaulted(call)
        let bundlePath = try TalosInputs.path(call, "bundle")
        let shown = call.string("bundle") ?? ""
        var created = false
        let bundle: TalosSecretsBundle
        if FileManager.default.fileExists(atPath: bundlePath) {
            bundle = try load(bundlePath, shown: shown)
        } else {
            guard call.inputs["create"] == .bool(true) else {
                throw ActionError(
                    "no secrets bundle at \(shown): restore it from your backup (a recovery needs the cluster's own bundle), or set 'create: true' for a new cluster"
                )
            }
            bundle = try SecretsBundleGenerator.generate()
            try createDirectory(for: bundlePath)
            try TalosSessions.mapping { try SecretsBundleWriter.write(bundle, to: bundlePath) }
            context.report("generated a new secrets bundle at \(shown) (mode 0600): back it up")
            created = true
        }
        let talosconfigPath = try TalosInputs.path(call, "talosconfig")
        if let reason = try talosconfigProblem(call, bundle: bundle) {
            let endpoints = try Self.endpoints(call)
            let identity = try TalosConfigFile.generate(bundle: bundle, endpoints: endpoints)
            try createDirectory(for: talosconfigPath)
            try TalosSessions.mapping { try TalosConfigFile.write(identity, context: call.string("context") ?? "homelab", to: talosconfigPath) }
            context.report("wrote \(call.string("talosconfig") ?? "") with a fresh os:admin certificate (\(reason))")
        }
        return ["bundle": .string(bundlePath), "talosconfig": .string(talosconfigPath), "created": .bool(created)]
    }

    public func validate(_ inputs: [String: Value]) -> [InputProblem] {
        guard case .list(let items)? = inputs["endpoints"] else { return [] }
        return items.enumerated().compactMap { index, item in
            (try? TalosNode(value: item)) == nil
                ? InputProblem(input: "endpoints", path: [.index(index)], "must be an address or a node's inventory entry") : nil
        }
    }

    public func describe(_ inputs: [String: Value]) -> String {
        "load the secrets bundle \(inputs["bundle"]?.text ?? TalosInputs.defaultBundle)"
            + (inputs["create"] == .bool(true) ? " (or create it)" : "") + " and write a talosconfig unless a current one is there"
    }

    private func load(_ path: String, shown: String) throws -> TalosSecretsBundle {
        do {
            return try SecretsBundleLoader.load(path: path, displayPath: shown)
        } catch {
            throw ActionError("\(error)")
        }
    }

    /// Why the talosconfig must be written again, or nil when it is current.
    private func talosconfigProblem(_ call: ActionCall, bundle: TalosSecretsBundle) throws -> String? {
        let path = try TalosInputs.path(call, "talosconfig")
        guard FileManager.default.fileExists(atPath: path) else { return "there was none" }
        guard let existing = try? TalosConfigFile.load(path: path) else { return "the one there cannot be read" }
        guard Self.sameCertificate(existing.ca, bundle.os.crt) else { return "the one there is for another CA" }
        guard let certificate = try? TalosPEM.certificate(existing.crt),
            certificate.notValidAfter.timeIntervalSinceNow > Self.renewBefore
        else { return "its certificate expires within 30 days" }
        let endpoints = try Self.endpoints(call)
        if !endpoints.isEmpty, existing.endpoints != endpoints { return "its endpoints differ" }
        return nil
    }

    static func sameCertificate(_ a: String, _ b: String) -> Bool {
        guard let first = try? TalosPEM.certificate(a), let second = try? TalosPEM.certificate(b) else { return false }
        return first == second
    }

    static func endpoints(_ call: ActionCall) throws -> [String] {
        guard case .list(let items)? = call.inputs["endpoints"] else { return [] }
        return try items.map { try TalosNode(value: $0).endpoint }
    }

    private func createDirectory(for path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        guard !directory.isEmpty else { return }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ActionError("cannot create the folder \(directory): \(error.localizedDescription)")
        }
    }
}
