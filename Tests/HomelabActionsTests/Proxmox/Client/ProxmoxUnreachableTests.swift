import Foundation
import HomelabCore
import HomelabTransport
import LabSupport
import Testing

@testable import HomelabActions

/// A host that does not answer yet (still booting, its name not in DNS yet) is worth waiting
/// for: the step's `retry` applies. The hint names the inventory's real key, `proxmox.api`.
@Suite(.serialized) struct ProxmoxUnreachableTests {
    @Test func aStoppedLabIsRetryableAndTheHintNamesProxmoxAPI() async throws {
        let lab = try await ProxmoxClientLab.start()
        // A port that refuses connections, as a host whose pveproxy is down.
        let closed = try RefusingPort()
        let url = lab.url.replacingOccurrences(of: ":\(URLComponents(string: lab.url)?.port ?? 0)/", with: ":\(closed.port)/")
        #expect(url != lab.url)
        let entry: Value = .map([("api", .string(url)), ("node", .string(lab.node)), ("fingerprint", .string(lab.fingerprint))])
        let action = ProxmoxVersion(proxmox: LiveProxmoxConnector(trust: FingerprintTrust()))
        let call = ActionCall(step: "preflight", inputs: ["proxmox": entry, "token": .string(lab.token)])
        let failure = try #require(await ProxmoxLab.failure { _ = try await action.run(call, context: ClientLabContext()) })
        #expect(failure.retryable)
        #expect(failure.message.contains("connection refused"))
        #expect(failure.message.contains("proxmox.api"))
        #expect(!failure.message.contains("proxmox.url"))
        withExtendedLifetime(closed) {}
    }

    @Test(arguments: [HTTPError.Kind.hostNotFound(host: "pve.lan"), .connectionRefused, .connectionFailed("No route to host")])
    func unreachableHostsAreTransientWithAHintNamingProxmoxAPI(_ kind: HTTPError.Kind) throws {
        let error = try ProxmoxErrorClassifier.from(
            HTTPError(kind, method: "GET", url: "https://pve.lan:8006/api2/json/version"),
            request: ProxmoxRequest("GET", ["version"]))
        #expect(error.kind == .transient)
        #expect(error.hint?.contains("proxmox.api") == true)
    }

    @Test func aTokenWithALineBreakIsSaidToContainWhitespace() async throws {
        let transport = LiveProxmoxTransport(client: try HTTPClient(), baseURL: "https://127.0.0.1:9/api2/json", token: "root@pam!homelab=s3cr3t\n")
        let error = try await #require(throws: ProxmoxError.self) { try await transport.send(ProxmoxRequest("GET", ["version"])) }
        #expect(error.description.contains("the API token contains whitespace (a line break)"))
        #expect(!error.description.contains("malformed"))
        #expect(!error.description.contains("s3cr3t"))
    }
}
