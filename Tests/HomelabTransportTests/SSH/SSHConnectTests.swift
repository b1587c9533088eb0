import Foundation
import HomelabTransport
import LabSupport
import Testing

/// Connecting to a real OpenSSH sshd: host key checking and every way of authenticating.
@Suite(.timeLimit(.minutes(2)))
struct SSHConnectTests {
    @Test(arguments: ["ed25519", "ecdsa", "rsa"])
    func authenticatesWithEachKeyType(kind: String) async throws {
        let lab = try await SSHLab.start(agent: false)
        let client = try await lab.connect([.privateKey(path: lab.key(kind))])
        let result = try await client.run("id -un")
        #expect(result.status.succeeded)
        #expect(result.stdoutText == lab.user + "\n")
        await client.close()
    }

    @Test func authenticatesWithAPassphraseKey() async throws {
        let lab = try await SSHLab.start(agent: false)
        let client = try await lab.connect([.privateKey(path: lab.key("passphrase"), passphrase: lab.passphrase)])
        #expect(try await client.run("echo in").stdoutText == "in\n")
        await client.close()
    }

    @Test func aWrongPassphraseFailsWithoutShowingIt() async throws {
        let lab = try await SSHLab.start(agent: false)
        let secret = "not the passphrase 12345"
        let error = await #expect(throws: SSHError.self) {
            try await lab.connect([.privateKey(path: lab.key("passphrase"), passphrase: secret)])
        }
        guard case .authenticationFailed(_, let user, let attempts) = error else {
            Issue.record("expected authenticationFailed, got \(String(describing: error))")
            return
        }
        #expect(user == lab.user)
        #expect(attempts.count == 1 && attempts[0].contains("wrong passphrase"))
        #expect(!String(describing: error!).contains(secret))
        let configuration = lab.configuration([.privateKey(path: lab.key("passphrase"), passphrase: secret)])
        #expect(!String(describing: configuration).contains(secret))
        #expect(!String(reflecting: configuration).contains(secret))
    }

    @Test func authenticatesThroughTheAgentAfterItsFirstKeyIsRefused() async throws {
        let lab = try await SSHLab.start()
        let client = try await lab.connect([.agent(socketPath: lab.fixture.string("agent_socket"))])
        #expect(try await client.run("echo agent").stdoutText == "agent\n")
        await client.close()
    }

    @Test func aKeyTheServerDoesNotKnowIsRefusedAndEveryAttemptIsListed() async throws {
        let lab = try await SSHLab.start(agent: false)
        let stranger = lab.fixture.string("stranger_key")
        let missing = lab.freshPath("no-such-key")
        let error = await #expect(throws: SSHError.self) {
            try await lab.connect([.privateKey(path: stranger), .privateKey(path: missing)])
        }
        guard case .authenticationFailed(let endpoint, _, let attempts) = error else {
            Issue.record("expected authenticationFailed, got \(String(describing: error))")
            return
        }
        #expect(endpoint == "127.0.0.1:\(lab.port)")
        #expect(attempts == ["key \(stranger): refused by the server", "key \(missing): no readable file there"])
    }

    @Test func anUnknownHostIsRefusedWithItsFingerprint() async throws {
        let lab = try await SSHLab.start(agent: false)
        let knownHosts = lab.freshPath("known_hosts")
        let error = await #expect(throws: SSHError.self) {
            try await SSHClient.connect(lab.configuration(knownHosts: knownHosts))
        }
        guard case .hostKeyUnknown(_, _, let fingerprint, let path) = error else {
            Issue.record("expected hostKeyUnknown, got \(String(describing: error))")
            return
        }
        #expect(lab.hostFingerprints().contains(fingerprint))
        #expect(path == knownHosts)
        #expect(!FileManager.default.fileExists(atPath: knownHosts))
    }

    @Test func acceptNewAppendsTheHostAndLaterConnectionsPassStrictly() async throws {
        let lab = try await SSHLab.start(agent: false)
        let knownHosts = lab.freshPath("known_hosts")
        let earlier = "other.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFZ8n3kG0wCqV7dQv0o0Jm7ZSg2yQ2y8A0x0bW3qk3Jd"
        try earlier.write(toFile: knownHosts, atomically: true, encoding: .utf8) // no trailing newline on purpose

        let first = try await SSHClient.connect(lab.configuration(knownHosts: knownHosts, policy: .acceptNew))
        await first.close()
        let lines = try String(contentsOfFile: knownHosts, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first.map(String.init) == earlier)
        #expect(lines.last?.hasPrefix("[127.0.0.1]:\(lab.port) ") == true)

        let second = try await SSHClient.connect(lab.configuration(knownHosts: knownHosts, policy: .strict))
        #expect(try await second.run("echo strict").stdoutText == "strict\n")
        await second.close()
        #expect(try String(contentsOfFile: knownHosts, encoding: .utf8).split(separator: "\n").count == 2)
    }

    @Test(arguments: [SSHHostKeyPolicy.strict, .acceptNew])
    func aChangedHostKeyIsRefusedWithBothFingerprints(policy: SSHHostKeyPolicy) async throws {
        let lab = try await SSHLab.start(agent: false)
        let knownHosts = lab.fixture.string("known_hosts_wrong")
        let before = try String(contentsOfFile: knownHosts, encoding: .utf8)
        let error = await #expect(throws: SSHError.self) {
            try await SSHClient.connect(lab.configuration(knownHosts: knownHosts, policy: policy))
        }
        guard case .hostKeyChanged(_, _, let presented, let known, _, let line) = error else {
            Issue.record("expected hostKeyChanged, got \(String(describing: error))")
            return
        }
        #expect(lab.hostFingerprints().contains(presented))
        #expect(lab.wrongFingerprints().contains(known))
        #expect(line != nil)
        let text = String(describing: error!)
        #expect(text.contains(presented) && text.contains(known))
        #expect(try String(contentsOfFile: knownHosts, encoding: .utf8) == before)
    }

    @Test func aHashedKnownHostsEntryIsRecognised() async throws {
        let lab = try await SSHLab.start(agent: false)
        let knownHosts = lab.fixture.string("known_hosts_hashed")
        let text = try String(contentsOfFile: knownHosts, encoding: .utf8)
        #expect(text.hasPrefix("|1|") && !text.contains("127.0.0.1"))
        let client = try await SSHClient.connect(lab.configuration(knownHosts: knownHosts))
        #expect(try await client.run("echo hashed").stdoutText == "hashed\n")
        await client.close()
    }

    @Test func aClosedPortIsReportedAsRefused() async throws {
        let lab = try await SSHLab.start(agent: false)
        let closed = try RefusingPort()
        var configuration = lab.configuration()
        configuration.port = closed.port
        configuration.connectTimeout = .seconds(10)
        await #expect(throws: SSHError.connectionRefused(endpoint: "127.0.0.1:\(closed.port)")) {
            try await SSHClient.connect(configuration)
        }
        withExtendedLifetime(closed) {}
    }
}
