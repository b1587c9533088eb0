/// What the live transports are made with: decisions the command line takes for the whole run
/// and every integration shares (one FingerprintTrust, so a fingerprint is asked about once).
public struct LiveSettings: Sendable {
    public var trust: FingerprintTrust

    public init(trust: FingerprintTrust = FingerprintTrust()) {
        self.trust = trust
    }
}
