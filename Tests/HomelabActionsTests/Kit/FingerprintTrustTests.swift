import HomelabActions
import Synchronization
import Testing

/// Who may trust a certificate that is not the pinned one: only the operator, once per run.
@Suite struct FingerprintTrustTests {
    static let upper = (0..<32).map { _ in "AB" }.joined(separator: ":")

    @Test func spellingsOfOneFingerprintAreOneAndAnythingElseIsNone() {
        #expect(FingerprintTrust.canonical(Self.upper.lowercased()) == Self.upper)
        #expect(FingerprintTrust.canonical(String(repeating: "ab", count: 32)) == Self.upper)
        #expect(FingerprintTrust.canonical("AB:CD") == nil)
        #expect(FingerprintTrust.canonical(String(repeating: "zz", count: 32)) == nil)
        #expect(FingerprintTrust(trusted: [String(repeating: "ab", count: 32)]).isTrusted(Self.upper))
    }

    @Test func withNobodyToAskNothingNewIsTrusted() async {
        let trust = FingerprintTrust()
        #expect(await trust.decide(.init(service: .proxmoxAPI, url: "https://pve:8006", presented: Self.upper, expected: nil)) == false)
        #expect(!trust.isTrusted(Self.upper))
    }

    @Test func theOperatorIsAskedOncePerFingerprintAndToldOnce() async {
        let asked = Mutex(0)
        let trust = FingerprintTrust(ask: { _ in
            asked.withLock { $0 += 1 }
            return true
        })
        let question = FingerprintTrust.Question(service: .proxmoxAPI, url: "https://pve:8006", presented: Self.upper, expected: nil)
        #expect(await trust.decide(question))
        #expect(await trust.decide(question))
        #expect(asked.withLock { $0 } == 1)
        #expect(trust.isFirstUse(of: Self.upper.lowercased()))
        #expect(!trust.isFirstUse(of: Self.upper))
    }

    @Test func aNoIsNotRemembered() async {
        let trust = FingerprintTrust(ask: { _ in false })
        #expect(await trust.decide(.init(service: .proxmoxAPI, url: "https://pve:8006", presented: Self.upper, expected: "00")) == false)
        #expect(!trust.isTrusted(Self.upper))
    }
}
