import Foundation
import HomelabActions
import HomelabCore
import LabSupport
import Testing

/// The integration actions on live transports against the lab's real peers: an HTTPS server,
/// a push-notification double, OpenSSH's sshd.
@Suite(.serialized) struct LiveActionTests {
    let integrations = Integrations.live()

    @Test func httpCheckVerifiesAgainstTheGivenCA() async throws {
        let server = try await LabFixture.start("https_fixture.py", ["--algorithm", "ecdsa"])
        let url = "https://127.0.0.1:\(server.int("port"))/status/200"
        let outputs = try await HTTPCheck(web: integrations[WebIntegration.self]).run(
            ActionCall(
                step: "s",
                inputs: [
                    "url": .string(url), "ca": .string(server.string("ca")), "contains": .string("status 200"),
                ]), context: RecordingContext())
        #expect(outputs["status"] == .int(200))

        // Without the CA the system trust store refuses the self-signed server: the check keeps
        // failing until its wait runs out, and says why.
        await #expect {
            try await HTTPCheck(web: integrations[WebIntegration.self]).run(
                ActionCall(
                    step: "s",
                    inputs: [
                        "url": .string(url), "wait": .string("2s"), "interval": .string("1s"),
                    ]), context: RecordingContext())
        } throws: { error in
            let text = "\(error)"
            return text.contains("did not answer with status 200") && text.lowercased().contains("certificate")
        }
    }

    @Test func httpCheckPinsTheCertificateFingerprint() async throws {
        let server = try await LabFixture.start("https_fixture.py", ["--algorithm", "rsa"])
        let url = "https://127.0.0.1:\(server.int("port"))/status/204"
        let outputs = try await HTTPCheck(web: integrations[WebIntegration.self]).run(
            ActionCall(
                step: "s",
                inputs: [
                    "url": .string(url), "fingerprint": .string(server.string("server_fingerprint")), "expect-status": .string("2xx"),
                ]), context: RecordingContext())
        #expect(outputs["status"] == .int(204))
        let wrong = String(repeating: "AB:", count: 31) + "AB"
        await #expect {
            try await HTTPCheck(web: integrations[WebIntegration.self]).run(
                ActionCall(
                    step: "s",
                    inputs: [
                        "url": .string(url), "fingerprint": .string(wrong), "wait": .string("1s"), "interval": .string("1s"),
                    ]), context: RecordingContext())
        } throws: { error in
            "\(error)".contains(wrong) && "\(error)".contains(server.string("server_fingerprint"))
        }
    }

    @Test func notifyPublishesToNtfyWithItsToken() async throws {
        let server = try await LabFixture.start("notify_fixture.py", ["--token", "tk_lab", "--tls"])
        let outputs = try await Notify(web: integrations[WebIntegration.self]).run(
            ActionCall(
                step: "s",
                inputs: [
                    "url": .string(server.string("url") + "/homelab-dr"), "ca": .string(server.string("ca")),
                    "title": .string("Recovery finished ✅"), "message": .string("42 steps in 18m"), "priority": .string("high"),
                    "tags": .list([.string("white_check_mark")]), "token": .string("tk_lab"),
                ]), context: RecordingContext())
        #expect(outputs["id"] == .string("m1"))
        let recorded = try await Self.recorded(server)
        #expect(recorded.count == 1)
        #expect(recorded.first?["title"] as? String == "=?UTF-8?B?UmVjb3ZlcnkgZmluaXNoZWQg4pyF?=")
        #expect(recorded.first?["message"] as? String == "42 steps in 18m")
        #expect(recorded.first?["priority"] as? Int == 4)
        #expect(recorded.first?["tags"] as? [String] == ["white_check_mark"])
    }

    @Test func notifyToGotifyWithAWrongTokenIsRefusedClearly() async throws {
        let server = try await LabFixture.start("notify_fixture.py", ["--token", "A1b2C3"])
        let notify = Notify(web: integrations[WebIntegration.self])
        let call = { (token: String) in
            ActionCall(
                step: "s",
                inputs: [
                    "url": .string(server.string("url")), "service": .string("gotify"), "message": .string("restore tank?"),
                    "title": .string("Approval needed"), "priority": .int(8), "token": .string(token),
                ])
        }
        await #expect { try await notify.run(call("not-the-token"), context: RecordingContext()) } throws: { error in
            "\(error)".contains("status 401") && "\(error)".contains("check the token") && !"\(error)".contains("not-the-token")
        }
        _ = try await notify.run(call("A1b2C3"), context: RecordingContext())
        let recorded = try await Self.recorded(server)
        #expect(recorded.map { $0["message"] as? String } == ["restore tank?"])
        #expect(recorded.first?["priority"] as? Int == 8)
    }

    @Test func sshExecRunsOnTheHostTheInventoryDescribes() async throws {
        let sshd = try await LabFixture.start("sshd_fixture.py", ["--no-agent"])
        let keys = sshd.info["keys"] as? [String: Any] ?? [:]
        let entry: Value = .map([
            ("address", .string(sshd.string("host"))),
            (
                "ssh",
                .map([
                    ("user", .string(sshd.string("user"))), ("port", .int(sshd.int("port"))),
                    ("key", .string(keys["ed25519"] as? String ?? "")), ("known-hosts", .string(sshd.string("known_hosts"))),
                ])
            ),
        ])
        let prefix = sshd.string("env_prefix")
        let outputs = try await SSHExec(shell: integrations[SSHIntegration.self]).run(
            ActionCall(
                step: "s",
                inputs: [
                    "host": entry, "command": .string("echo \"$\(prefix)POOL\"; cat; echo oops >&2"),
                    "env": .map([("\(prefix)POOL", .string("tank"))]), "stdin": .string("from stdin"),
                ]), context: RecordingContext())
        #expect(outputs["stdout"] == .string("tank\nfrom stdin"))
        #expect(outputs["stderr"] == .string("oops"))

        await #expect {
            try await SSHExec(shell: integrations[SSHIntegration.self]).run(
                ActionCall(
                    step: "s",
                    inputs: [
                        "host": entry, "command": .string("exit 3"),
                    ]), context: RecordingContext())
        } throws: { "\($0)".contains("exited with status 3") }
    }

    @Test func sshExecRefusesAHostWhoseKeyChanged() async throws {
        let sshd = try await LabFixture.start("sshd_fixture.py", ["--no-agent"])
        let keys = sshd.info["keys"] as? [String: Any] ?? [:]
        await #expect {
            try await SSHExec(shell: integrations[SSHIntegration.self]).run(
                ActionCall(
                    step: "s",
                    inputs: [
                        "host": .string(sshd.string("host")), "port": .int(sshd.int("port")), "user": .string(sshd.string("user")),
                        "key": .string(keys["ed25519"] as? String ?? ""), "known-hosts": .string(sshd.string("known_hosts_wrong")),
                        "host-key-policy": .string("accept-new"), "command": .string("true"),
                    ]), context: RecordingContext())
        } throws: { "\($0)".contains("SHA256:") }
    }

    static func recorded(_ server: LabFixture) async throws -> [[String: Any]] {
        let client = LiveWebClient()
        let trust: WebTrust = server.string("ca").isEmpty ? .system : .authority(path: server.string("ca"))
        let response = try await client.fetch(WebRequest(url: server.string("url") + "/_recorded", trust: trust))
        return try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]] ?? []
    }
}
