import HomelabCore

/// The TLS inputs every HTTP action shares, and how they become a `WebTrust`.
enum TrustInputs {
    static let specs: [InputSpec] = [
        InputSpec("ca", .string, "A CA certificate (PEM file) to verify the server against, instead of the system's."),
        InputSpec("fingerprint", .string, "Trust exactly the certificate with this SHA-256 fingerprint (AA:BB:... as Proxmox shows it)."),
        InputSpec("insecure", .boolean, default: .bool(false), "Skip certificate verification entirely. Only for throwaway test servers."),
    ]

    static func trust(_ call: ActionCall) throws -> WebTrust {
        let ca = call.string("ca").flatMap { $0.isEmpty ? nil : $0 }
        let fingerprint = call.string("fingerprint").flatMap { $0.isEmpty ? nil : $0 }
        let insecure = call.inputs["insecure"] == .bool(true)
        let chosen = [ca != nil, fingerprint != nil, insecure].filter { $0 }.count
        guard chosen <= 1 else {
            throw ActionError("choose one of 'ca', 'fingerprint' and 'insecure', not several")
        }
        if let ca { return .authority(path: SSHTarget.expand(ca)) }
        if let fingerprint { return .fingerprint(fingerprint) }
        return insecure ? .insecure : .system
    }
}
