import Foundation
import HomelabCore

/// The talosconfig file talosctl reads: a current `context` and `contexts.NAME` with
/// `endpoints`, `nodes` and the base64 PEM `ca`, `crt` and `key`. Read into a `TalosContext`
/// for the Talos client; written with mode 0600 (it holds the client key).
public enum TalosConfigFile {
    /// The identity of `context` (the file's current context when nil).
    public static func load(path: String, context: String? = nil, displayPath: String? = nil) throws(TalosFileError) -> TalosContext {
        let (root, diagnostics) = YAMLLoader().load(path: path, displayPath: displayPath)
        return try identity(TalosYAMLFile.root(root, diagnostics, file: displayPath ?? path, what: "a talosconfig"), context: context)
    }

    public static func load(text: String, file: String, context: String? = nil) throws(TalosFileError) -> TalosContext {
        let (root, diagnostics) = YAMLLoader().load(text: text, file: file)
        return try identity(TalosYAMLFile.root(root, diagnostics, file: file, what: "a talosconfig"), context: context)
    }

    private static func identity(_ root: YAMLNode, context: String?) throws(TalosFileError) -> TalosContext {
        let reader = TalosYAMLReader(root: root)
        var name = context ?? ""
        if context == nil { name = try reader.string(["context"]) }
        let contexts = try reader.node(["contexts"])
        guard contexts.mapping != nil else { throw TalosFileError(contexts.location, "contexts must be a mapping, found \(contexts.kindName)") }
        guard contexts[name] != nil else {
            let known = (contexts.mapping ?? []).compactMap { $0.key.string }
            throw TalosFileError(contexts.location, "no context '\(name)' in contexts (it has: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
        }
        let path = ["contexts", name]
        var endpoints = try reader.strings(path + ["endpoints"])
        // talosctl appends the legacy `target` to the endpoints.
        if let target = try reader.optionalString(path + ["target"]) { endpoints.append(target) }
        let identity = TalosContext(
            ca: try reader.pem(path + ["ca"]), crt: try reader.pem(path + ["crt"]), key: try reader.pem(path + ["key"]), endpoints: endpoints,
            nodes: try reader.strings(path + ["nodes"]))
        do {
            _ = try PEMCertificateAndKey(crt: identity.ca, key: nil).check()
            _ = try PEMCertificateAndKey(crt: identity.crt, key: identity.key).check()
        } catch {
            throw TalosFileError(reader.location(path), "contexts.\(name): \(error.reason)")
        }
        return identity
    }

    public static func text(_ identity: TalosContext, context: String) -> String {
        func b64(_ pem: String) -> String { Data(pem.utf8).base64EncodedString() }
        func list(_ key: String, _ items: [String]) -> [String] {
            items.isEmpty ? ["        \(key): []"] : ["        \(key):"] + items.map { "            - \(YAMLText.scalar(.string($0)))" }
        }
        let name = YAMLText.scalar(.string(context))
        var lines = ["context: \(name)", "contexts:", "    \(name):"]
        lines += list("endpoints", identity.endpoints) + list("nodes", identity.nodes)
        lines += ["        ca: \(b64(identity.ca))", "        crt: \(b64(identity.crt))", "        key: \(b64(identity.key))"]
        return lines.joined(separator: "\n") + "\n"
    }

    public static func write(_ identity: TalosContext, context: String, to path: String) throws(PrivateFile.Failure) {
        try PrivateFile.write(text(identity, context: context), to: path)
    }

    /// A new talosconfig identity: a fresh `os:admin` certificate from the bundle's OS CA.
    public static func generate(
        bundle: TalosSecretsBundle, endpoints: [String], nodes: [String] = [], now: Date = Date()
    ) throws -> TalosContext {
        let client = try AdminCertificate.issue(by: bundle.os, now: now)
        return TalosContext(ca: bundle.os.crt, crt: client.crt, key: client.key ?? "", endpoints: endpoints, nodes: nodes)
    }
}
