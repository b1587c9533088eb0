import Foundation
import HomelabTransport
import Testing

@testable import HomelabActions

/// The client against the lab's Proxmox double over real HTTPS: pinning before the token is sent,
/// authentication errors, tasks, and every fault the double can inject on VM creation. The
/// double counts what reached it, so "no duplicate VM" is checked on the server's side.
@Suite(.serialized) struct ProxmoxLiveTests {
    let talos: ProxmoxParameters = [
        "name": .string("talos-cp1"), "cores": .int(2), "memory": .string("2048"), "cpu": .string("host"),
        "scsihw": .string("virtio-scsi-single"), "scsi0": .string("local-zfs:8,discard=on,ssd=1,iothread=1"),
        "net0": .string("virtio=BC:24:11:00:00:01,bridge=vmbr0"), "boot": .string("order=scsi0"),
        "agent": .string("enabled=1"), "ostype": .string("l26"), "tags": .string("k8s;talos"),
    ]
    static let otherPin = "11:22:33:44:55:66:77:88:99:00:AA:BB:CC:DD:EE:FF:11:22:33:44:55:66:77:88:99:00:AA:BB:CC:DD:EE:FF"

    func connect(
        _ lab: ProxmoxClientLab, _ endpoint: ProxmoxEndpoint? = nil, trust: FingerprintTrust = FingerprintTrust(),
        timeouts: ProxmoxTimeouts = ProxmoxTimeouts(), context: ClientLabContext = ClientLabContext()
    ) async throws -> any ProxmoxAPI {
        try await LiveProxmoxConnector(trust: trust, timeouts: timeouts).connect(endpoint ?? lab.endpoint(), context: context)
    }

    @Test func versionWithTheInventoryPin() async throws {
        let lab = try await ProxmoxClientLab.start()
        let api = try await connect(lab)
        let version = try await api.version()
        #expect(version.release.hasPrefix("9."))
        #expect(try await lab.requests().map(\.path) == ["/api2/json/version"]) // the probe sent nothing
    }

    @Test func aWrongPinIsRefusedNamingBothFingerprintsAndNothingIsSent() async throws {
        let lab = try await ProxmoxClientLab.start()
        let error = try await #require(throws: ProxmoxError.self) {
            try await connect(lab, lab.endpoint(fingerprint: Self.otherPin))
        }
        #expect(error.kind == .untrustedCertificate(presented: lab.fingerprint, expected: Self.otherPin))
        #expect(error.description.contains(lab.fingerprint))
        #expect(error.description.contains(Self.otherPin))
        #expect(error.description.contains("--trust-fingerprint \(lab.fingerprint)"))
        #expect(!error.description.contains(lab.token.split(separator: "=").last.map(String.init) ?? "-"))
        #expect(try await lab.requests().isEmpty)
    }

    @Test func aTrustedNewFingerprintIsPinnedAndReported() async throws {
        let lab = try await ProxmoxClientLab.start()
        let context = ClientLabContext()
        let api = try await connect(
            lab, lab.endpoint(fingerprint: Self.otherPin), trust: FingerprintTrust(trusted: [lab.fingerprint]),
            context: context)
        #expect(try await api.nodes().map(\.node) == [lab.node])
        #expect(context.messages.contains { $0.contains(lab.fingerprint) && $0.contains("update proxmox.fingerprint") })

        // An operator asked on a terminal answers for a rotated certificate; a refusal stops it.
        let rotated = try await lab.post("/certificate/rotate")["fingerprint"] as? String ?? ""
        #expect(rotated != lab.fingerprint)
        let asked = ClientQuestionLog()
        let yes = FingerprintTrust(ask: { question in
            asked.add(question)
            return true
        })
        _ = try await connect(lab, trust: yes).version()
        #expect(asked.all == [FingerprintTrust.Question(service: .proxmoxAPI, url: lab.url, presented: rotated, expected: lab.fingerprint)])
        let before = try await lab.requests().count
        let refused = try await #require(throws: ProxmoxError.self) {
            try await connect(lab, trust: FingerprintTrust(ask: { _ in false }))
        }
        #expect(refused.kind == .untrustedCertificate(presented: rotated, expected: lab.fingerprint))
        #expect(try await lab.requests().count == before)
    }

    @Test func theInventoryCAIsUsedInsteadOfAPin() async throws {
        let lab = try await ProxmoxClientLab.start()
        let ca = try #require(lab.ca)
        let endpoint = ProxmoxEndpoint(url: lab.url, node: lab.node, fingerprint: nil, ca: ca, token: lab.token)
        #expect(try await connect(lab, endpoint).version().release.hasPrefix("9."))
        #expect(try await lab.requests().count == 1)
    }

    @Test func nothingPinnedAndNobodyToAskIsRefused() async throws {
        let lab = try await ProxmoxClientLab.start()
        let endpoint = ProxmoxEndpoint(url: lab.url, node: lab.node, fingerprint: nil, token: lab.token)
        let error = try await #require(throws: ProxmoxError.self) { try await connect(lab, endpoint) }
        #expect(error.kind == .untrustedCertificate(presented: lab.fingerprint, expected: nil))
        #expect(error.description.contains("pins no fingerprint yet"))
        #expect(try await lab.requests().isEmpty)
    }

    @Test func cancellingACallStopsItAtOnce() async throws {
        let lab = try await ProxmoxClientLab.start()
        try await lab.fault("GET /version", "delay", seconds: 20)
        let api = try await connect(lab)
        let call = Task { try await api.version() }
        try await Task.sleep(for: .milliseconds(300))
        call.cancel()
        await #expect(throws: CancellationError.self) { try await call.value }
    }

    @Test func aWrongOrMissingTokenIsUnauthorizedWithWhatToCheck() async throws {
        let lab = try await ProxmoxClientLab.start()
        try await lab.post("/settings", ["auth_failure_delay": 0])
        for token in ["root@pam!homelab=00000000-dead-beef-0000-000000000000", ""] {
            let api = try await connect(lab, lab.endpoint(token: token))
            let error = try await #require(throws: ProxmoxError.self) { try await api.version() }
            #expect(error.kind == .unauthorized)
            #expect(error.status == 401)
            #expect(error.description.contains("pveum user token list"))
            #expect(!error.description.contains("dead-beef"))
            #expect(!error.description.contains(lab.token.split(separator: "=").last.map(String.init) ?? "-"))
        }
        #expect(try await lab.count("GET", "/version") == 2) // a 401 is not retried
    }

    @Test func createThenWait() async throws {
        let lab = try await ProxmoxClientLab.start()
        let context = ClientLabContext()
        let api = try await connect(lab, context: context)
        let id = try #require(try await api.create(vmid: 150, config: talos))
        #expect(id.type == "qmcreate")
        let done = try await ProxmoxTaskWaiter(api: api, context: context, pollInterval: .milliseconds(200))
            .wait(id, timeout: .seconds(30), what: "create VM 150")
        #expect(done.succeeded)
        let config = try #require(try await api.config(vmid: 150))
        #expect(config["name"] == "talos-cp1")
        #expect(config.lock == nil)
        #expect(try await api.vms().map(\.vmid).contains(150))
        #expect(try await api.config(vmid: 151) == nil)
    }

    /// Creates VM `vmid` with `fault` injected on the create POST; returns the outcome and how
    /// many POSTs and qmcreate tasks the double saw.
    func createUnder(
        _ lab: ProxmoxClientLab, vmid: Int, timeouts: ProxmoxTimeouts = ProxmoxTimeouts(),
        fault: (String, Int?, Double?)
    ) async throws -> (result: Result<ProxmoxTaskID?, ProxmoxError>, posts: Int, vmExists: Bool) {
        try await lab.fault("POST /nodes/{node}/qemu", fault.0, status: fault.1, seconds: fault.2)
        let context = ClientLabContext()
        let api = try await connect(lab, timeouts: timeouts, context: context)
        let result: Result<ProxmoxTaskID?, ProxmoxError>
        do {
            let id = try await api.create(vmid: vmid, config: talos)
            if let id {
                _ = try await ProxmoxTaskWaiter(api: api, context: context, pollInterval: .milliseconds(200))
                    .wait(id, timeout: .seconds(30), what: "create VM \(vmid)")
            }
            result = .success(id)
        } catch let error as ProxmoxError {
            result = .failure(error)
        }
        if fault.0 == "delay" { try await Task.sleep(for: .seconds(fault.2 ?? 0) + .milliseconds(500)) } // let the late one land
        let tasks = try await api.tasks(vmid: vmid, type: "qmcreate", running: false)
        #expect(tasks.filter { $0.status == "OK" }.count <= 1, "two creates succeeded for VM \(vmid)")
        let config = try await api.config(vmid: vmid)
        let exists = config != nil && config?.lock == nil
        return (result, try await lab.count("POST", "/nodes/\(lab.node)/qemu"), exists)
    }

    @Test func a596AfterTheWorkIsFollowedWithoutASecondPost() async throws {
        let lab = try await ProxmoxClientLab.start()
        let outcome = try await createUnder(lab, vmid: 160, fault: ("after", 596, nil))
        #expect(try outcome.result.get() != nil)
        #expect(outcome.posts == 1)
        #expect(outcome.vmExists)
    }

    @Test func aDropAfterTheWorkIsFollowedWithoutASecondPost() async throws {
        let lab = try await ProxmoxClientLab.start()
        let outcome = try await createUnder(lab, vmid: 161, fault: ("drop-after", nil, nil))
        #expect(try outcome.result.get() != nil)
        #expect(outcome.posts == 1)
        #expect(outcome.vmExists)
    }

    @Test func aDropBeforeTheWorkIsSentAgainOnlyByTheStepsNextAttempt() async throws {
        let lab = try await ProxmoxClientLab.start()
        let outcome = try await createUnder(lab, vmid: 162, fault: ("drop", nil, nil))
        guard case .failure(let error) = outcome.result else {
            Issue.record("a dropped create passed as sent")
            return
        }
        #expect(error.kind == .transient)
        #expect(outcome.posts == 1)
        #expect(!outcome.vmExists)
        // The step's retry policy owns the retry: its next attempt sends the create again.
        let api = try await connect(lab, context: ClientLabContext())
        #expect(try await api.create(vmid: 162, config: talos) != nil)
        #expect(try await lab.count("POST", "/nodes/\(lab.node)/qemu") == 2)
    }

    @Test func a503IsRefusedAndNotRepeated() async throws {
        let lab = try await ProxmoxClientLab.start()
        let outcome = try await createUnder(lab, vmid: 163, fault: ("status", 503, nil))
        guard case .failure(let error) = outcome.result else {
            Issue.record("a 503 passed")
            return
        }
        #expect(error.kind == .fatal)
        #expect(error.status == 503)
        #expect(outcome.posts == 1)
        #expect(!outcome.vmExists)
    }

    @Test func noWorkerUPIDIsReportedAsALockedPlaceholder() async throws {
        let lab = try await ProxmoxClientLab.start()
        let outcome = try await createUnder(lab, vmid: 164, fault: ("no-worker-upid", nil, nil))
        guard case .failure(let error) = outcome.result else {
            Issue.record("a placeholder passed as created")
            return
        }
        #expect(error.kind == .locked("create"))
        #expect(error.hint?.contains("qm unlock 164 && qm destroy 164") == true)
        #expect(outcome.posts == 1)
    }

    @Test func aSlowAnswerPastTheRequestTimeoutMakesNoSecondVM() async throws {
        let lab = try await ProxmoxClientLab.start()
        let outcome = try await createUnder(lab, vmid: 165, timeouts: ProxmoxTimeouts(request: .seconds(1)), fault: ("delay", nil, 2.5))
        // Nothing showed when the answer was given up on, so the step hears a transient error; the
        // client never sends the create twice, and the late one lands once.
        if case .failure(let error) = outcome.result { #expect(error.kind == .transient, "\(error)") }
        #expect(outcome.posts == 1)
        #expect(outcome.vmExists)
    }

    @Test func aHeldTaskEndsAtTheDeadline() async throws {
        let lab = try await ProxmoxClientLab.start()
        try await lab.post("/tasks/hold", ["type": "qmcreate", "vmid": 170])
        let context = ClientLabContext()
        let api = try await connect(lab, context: context)
        let id = try #require(try await api.create(vmid: 170, config: talos))
        let started = ContinuousClock.now
        let error = try await #require(throws: ProxmoxError.self) {
            try await ProxmoxTaskWaiter(api: api, context: context, pollInterval: .milliseconds(500)).wait(id, timeout: .seconds(2), what: "create VM 170")
        }
        #expect(error.kind == .deadline)
        #expect(ContinuousClock.now - started < .seconds(30)) // bounded, not a benchmark
        try await lab.post("/tasks/release")
    }
}

final class ClientQuestionLog: @unchecked Sendable {
    private let lock = NSLock()
    private var questions: [FingerprintTrust.Question] = []
    var all: [FingerprintTrust.Question] { lock.withLock { questions } }
    func add(_ question: FingerprintTrust.Question) { lock.withLock { questions.append(question) } }
}
