import HomelabTransport
import Testing

@testable import HomelabActions

/// Every status and idempotency error text Proxmox VE answers with (docs/proxmox.md), as the server
/// sends it (reason phrase, and on newer hosts a body `message`/`errors`).
struct ProxmoxErrorTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var status: Int
        var reason: String
        var errors: [String: String] = [:]
        var path: [String] = ["nodes", "pve", "qemu"]
        var kind: ProxmoxError.Kind
        var testDescription: String { "\(status) \(reason) \(errors)" }
    }

    static let agent = ["nodes", "pve", "qemu", "100", "agent", "network-get-interfaces"]

    static let rows: [Row] = [

        Row(status: 400, reason: "Parameter verification failed.", errors: ["vmid": "VM 100 already exists"], kind: .exists),
        Row(status: 400, reason: "Parameter verification failed.", errors: ["upid": "no such task"], kind: .fatal),
        Row(status: 400, reason: "Parameter verification failed.", errors: ["filename": "wrong file extension"], kind: .fatal),
        Row(status: 401, reason: "No ticket", kind: .unauthorized),
        Row(status: 401, reason: "Authentication failed!", kind: .unauthorized),
        Row(status: 401, reason: "Permission denied - invalid csrf token", kind: .unauthorized),
        Row(status: 403, reason: "Permission check failed (/vms/100, VM.Allocate)", kind: .forbidden),
        Row(status: 500, reason: "unable to create VM 100 - VM 100 already exists on node 'pve'", kind: .exists),
        Row(status: 500, reason: "VM is locked (clone)", kind: .locked("clone")),
        Row(status: 500, reason: "Configuration file 'nodes/pve/qemu-server/123.conf' does not exist", kind: .doesNotExist),
        Row(status: 500, reason: "can't lock file '/var/lock/qemu-server/lock-101.conf' - got timeout", kind: .transient),
        Row(status: 500, reason: "got no worker upid - start worker failed", kind: .transient),
        Row(status: 500, reason: "QEMU guest agent is not running", path: agent, kind: .agentNotReady),
        Row(status: 501, reason: "Method 'GET /x' not implemented", kind: .fatal),
        Row(status: 501, reason: "Unexpected content for method 'DELETE'", kind: .fatal),
        Row(status: 501, reason: "for data too large", kind: .fatal),
        Row(status: 595, reason: "Connection refused", kind: .transient),
        Row(status: 596, reason: "Connection timed out", kind: .transient),
        Row(status: 596, reason: "Broken pipe", kind: .transient),
        Row(status: 597, reason: "Connection reset by peer", kind: .transient),
        Row(status: 598, reason: "Request aborted", kind: .transient),
        Row(status: 599, reason: "Too many redirections", kind: .transient),

        Row(status: 500, reason: "unable to restore VM 200 - VM 200 already exists on node 'pve'", kind: .exists),
        Row(status: 500, reason: "unable to create VM 101: config file already exists", kind: .exists),
        Row(status: 500, reason: "VM is locked (create)", kind: .locked("create")),
        Row(status: 500, reason: "VM is locked (backup)", kind: .locked("backup")),
        Row(status: 500, reason: "VM 100 already running", kind: .alreadyRunning),
        Row(status: 500, reason: "starting worker failed: unable to fork", kind: .transient),
        Row(status: 500, reason: "checksum mismatch (file change by other user?)", kind: .fatal),
        Row(status: 500, reason: "refusing to override existing file '/var/lib/vz/template/iso/talos.iso'", kind: .fatal),
        Row(status: 500, reason: "VM 100 is running - destroy failed", kind: .fatal),
        Row(status: 500, reason: "No QEMU guest agent configured", path: agent, kind: .agentNotReady),
        Row(status: 500, reason: "VM 100 is not running", path: agent, kind: .agentNotReady),
        Row(status: 500, reason: "VM 100 is not running", path: ["nodes", "pve", "qemu", "100", "status", "suspend"], kind: .fatal),
        // Outside the API handler, or from a proxy in front: nobody said the call may be repeated.
        Row(status: 503, reason: "Service Unavailable", kind: .fatal),
        Row(status: 404, reason: "Not Found", kind: .doesNotExist),
    ]

    @Test(arguments: rows) func classifies(_ row: Row) {
        let request = ProxmoxRequest("POST", row.path)
        var body = #"{"data":null"#
        if !row.errors.isEmpty {
            body += #","errors":{"# + row.errors.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ",") + "}"
        }
        let error = ProxmoxErrorClassifier.from(
            ProxmoxReply(status: row.status, reason: row.reason, json: body + "}"),
            request: request, tokenID: "root@pam!homelab")
        #expect(error.kind == row.kind)
        #expect(error.status == row.status)
        #expect(error.message.contains(row.reason))
        for (parameter, text) in row.errors { #expect(error.message.contains("\(parameter): \(text)")) }
    }

    @Test func theReasonComesFirstThenTheMessageThenTheErrors() {
        let reply = { (reason: String, body: String) in ProxmoxReply(status: 500, reason: reason, json: body) }
        // 5.2.0+: the message holds the full text whose first line is the reason.
        #expect(
            ProxmoxErrorClassifier.text(of: reply("VM is locked (clone)", #"{"data":null,"message":"VM is locked (clone)\n"}"#))
                == "VM is locked (clone)")
        #expect(
            ProxmoxErrorClassifier.text(of: reply("update failed", #"{"data":null,"message":"update failed\nsecond line"}"#))
                == "update failed\nsecond line")
        #expect(
            ProxmoxErrorClassifier.text(of: reply("Parameter verification failed.", #"{"data":null,"errors":{"vmid":"bad","name":"invalid"}}"#))
                == "Parameter verification failed. (name: invalid; vmid: bad)")
        // Older hosts: the reason phrase only.
        #expect(ProxmoxErrorClassifier.text(of: reply("got no worker upid - start worker failed", "")) == "got no worker upid - start worker failed")
        // Plain-text bodies from outside the handler, and a body-only message.
        #expect(
            ProxmoxErrorClassifier.text(of: ProxmoxReply(status: 501, reason: "", body: Array("chunked transfer encoding not supported\n".utf8)))
                == "chunked transfer encoding not supported")
        #expect(ProxmoxErrorClassifier.text(of: reply("", #"{"message":"something broke"}"#)) == "something broke")
        #expect(ProxmoxErrorClassifier.text(of: ProxmoxReply(status: 502)) == "HTTP 502 without a reason")
    }

    @Test func unauthorizedSaysWhatToCheckWithoutTheSecret() async throws {
        let transport = ScriptedProxmoxTransport().on("GET /nodes/pve/qemu/100/config", .error(401, "Authentication failed!"))
        let client = ProxmoxSamples.client(transport)
        let error = try await #require(throws: ProxmoxError.self) { try await client.config(vmid: 100) }
        #expect(error.kind == .unauthorized)
        let text = error.description
        #expect(text.contains("root@pam!homelab"))
        #expect(text.contains("passes as 'token'"))
        #expect(text.contains("pveum user token list"))
        #expect(text.contains("/nodes/pve/qemu/100/config"))
        #expect(transport.requests.count == 1) // a 401 is never retried (the server delays each by 3 s)
    }

    @Test func transportFailuresWithoutAnAnswer() throws {
        let request = ProxmoxRequest("POST", ["nodes", "pve", "qemu"])
        let kind = { (kind: HTTPError.Kind) throws -> ProxmoxError.Kind in
            try ProxmoxErrorClassifier.from(HTTPError(kind, method: "POST", url: "https://pve:8006/api2/json/nodes/pve/qemu"), request: request).kind
        }
        #expect(try kind(.connectionDropped("Connection reset by peer")) == .transient)
        #expect(try kind(.timedOut(.total)) == .transient)
        #expect(try kind(.timedOut(.connect)) == .transient)
        #expect(try kind(.connectionRefused) == .transient)
        #expect(try kind(.hostNotFound(host: "pve")) == .transient, "a host still booting may not be in DNS yet")
        #expect(try kind(.connectionFailed("No route to host")) == .transient)
        #expect(try kind(.tlsVerificationFailed("self-signed")) == .fatal)
        #expect(try kind(.pinMismatch(expected: "AA:BB", actual: "CC:DD")) == .untrustedCertificate(presented: "CC:DD", expected: "AA:BB"))
        #expect(throws: CancellationError.self) { try kind(.cancelled) }
    }

    @Test func untrustedCertificateNamesBothAndHowToGoOn() {
        let error = ProxmoxError(
            CertificateTrustError(service: .proxmoxAPI, url: "https://pve:8006/api2/json", problem: .refused(presented: "CC:DD", expected: "AA:BB")))
        let text = error.description
        for needle in [
            "CC:DD", "AA:BB", "reinstalled", "pvenode cert info", "openssl x509 -noout -fingerprint -sha256 -in /etc/pve/local/pve-ssl.pem",
            "--trust-fingerprint CC:DD", "proxmox.fingerprint",
        ] {
            #expect(text.contains(needle), "missing \(needle)")
        }
    }
}
