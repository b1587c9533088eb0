import HomelabActions
import HomelabCore
import Testing

@Suite("Proxmox proxmox.version and common inputs")
struct ProxmoxVersionTests {
    let connector = FakeConnector()
    var fake: FakeProxmox { connector.fake }
    var action: ProxmoxVersion { ProxmoxVersion(proxmox: connector) }

    @Test func reportsTheVersionAndNode() async throws {
        let outputs = try await action.run(ProxmoxLab.call(["minimum": .string("8.2")]), context: RecordingContext())
        #expect(outputs == ["version": .string("9.1.2"), "release": .string("9.1"), "node": .string("pve")])
        // The probe runs the same read-only checks (so a plan shows a refused token) but is never "done".
        #expect(try await action.probe(ProxmoxLab.call([:]), context: RecordingContext()) == .wouldChange("check again: Proxmox VE 9.1.2 answers on node pve"))
    }

    @Test func aNodeThatIsNotThereListsTheOnesThatAre() async throws {
        let failure = try #require(
            await ProxmoxLab.failure { _ = try await action.run(ProxmoxLab.call(["node": .string("pve2")]), context: RecordingContext()) })
        #expect(failure.message.contains("node 'pve2' is not on https://192.168.10.2:8006/api2/json; the host has: pve (online)"))
    }

    @Test(arguments: [("8.1.4", true), ("8.2", false), ("8.2.0", false), ("9.0", false), ("7.4-3", true)])
    func anOlderReleaseThanTheMinimumFails(version: String, fails: Bool) async throws {
        await fake.setVersion(version)
        let failure = await ProxmoxLab.failure { _ = try await action.run(ProxmoxLab.call(["minimum": .string("8.2")]), context: RecordingContext()) }
        #expect((failure != nil) == fails)
        if let failure { #expect(failure.message.contains("older than the minimum 8.2")) }
    }

    @Test func unauthorizedIsNotRetryable() async throws {
        await fake.inject("GET version", ProxmoxError(.unauthorized, call: "GET /version", status: 401, message: "Authentication failed!"))
        let failure = try #require(await ProxmoxLab.failure { _ = try await action.run(ProxmoxLab.call([:]), context: RecordingContext()) })
        #expect(failure.message == "GET /version: Authentication failed! (HTTP 401)")
        #expect(!failure.retryable)
    }

    @Test func theInventoryEntryGivesTheEndpointAndTheStepMayOverrideTheNode() async throws {
        let entry: Value = .map([
            ("host", .string("pve")), ("api", .string("https://192.168.10.2:8006/api2/json")),
            ("fingerprint", .string("AA:BB:CC")), ("ca", .string("/lab/pve-root-ca.pem")),
        ])
        _ = try await action.run(ProxmoxLab.call(["proxmox": entry]), context: RecordingContext())
        await fake.set(nodes: [
            ProxmoxNodeInfo(node: "pve", status: "online", sslFingerprint: nil), ProxmoxNodeInfo(node: "pve2", status: "online", sslFingerprint: nil),
        ])
        let outputs = try await action.run(ProxmoxLab.call(["proxmox": entry, "node": .string("pve2")]), context: RecordingContext())
        #expect(outputs["node"] == .string("pve2"))
        #expect(
            connector.endpoints == [
                ProxmoxEndpoint(
                    url: "https://192.168.10.2:8006/api2/json", node: "pve", fingerprint: "AA:BB:CC", ca: "/lab/pve-root-ca.pem", token: ProxmoxLab.token),
                ProxmoxEndpoint(
                    url: "https://192.168.10.2:8006/api2/json", node: "pve2", fingerprint: "AA:BB:CC", ca: "/lab/pve-root-ca.pem", token: ProxmoxLab.token),
            ])
    }

    @Test(arguments: [
        (["proxmox": Value.string("https://10.0.0.2:8006/api2/json")], "'node' is required"),
        (["proxmox": .string("http://10.0.0.2:8006/api2/json"), "node": .string("pve")], "has no https API URL"),
        (["proxmox": .int(3)], "must be the inventory entry"),
        (["token": .string("just-a-secret-value")], "'token' must be a full API token"),
    ])
    func badCommonInputsAreNamed(inputs: [String: Value], expected: String) async throws {
        let failure = try #require(await ProxmoxLab.failure { _ = try await action.run(ProxmoxLab.call(inputs), context: RecordingContext()) })
        #expect(failure.message.contains(expected))
        #expect(!failure.message.contains("just-a-secret-value"))
    }

    @Test func theCatalogRegistersTheSevenProxmoxActions() {
        let registry = ActionCatalog.standard(Integrations().with(ProxmoxIntegration.self, connector))
        #expect(
            registry.names.filter { $0.hasPrefix("proxmox.") } == [
                "proxmox.destroy", "proxmox.iso", "proxmox.restore", "proxmox.start", "proxmox.version", "proxmox.vm", "proxmox.wait-ip",
            ])
    }

    @Test func everyActionDescribesWhatItWouldDoFromTheInputsAlone() {
        let inputs = ProxmoxLab.call([
            "vmid": .int(201), "token": .string("<secret>"), "filename": .string("talos.iso"), "url": .string("https://x/talos.iso"),
            "checksum": .string("ab"), "network": .string("192.168.10.0/24"), "node": .string("pve"),
        ]).inputs
        #expect(action.describe(inputs) == "check the API answers, node pve exists")
        #expect(ProxmoxStart(proxmox: connector).describe(inputs) == "start VM 201 unless it is running, then check it stays running")
        #expect(ProxmoxWaitIP(proxmox: connector).describe(inputs) == "ask the guest agent of VM 201 until it reports an address in 192.168.10.0/24")
        #expect(
            ProxmoxISO(proxmox: connector).describe(inputs) == "have the node download it and check its checksum unless local:iso/talos.iso is already there")
        #expect(ProxmoxRestore(proxmox: connector).describe(inputs) == "restore VM 201 from its newest backup unless it exists")
        #expect(
            ProxmoxDestroy(proxmox: connector).describe(inputs)
                == "stop VM 201 if it runs, then delete it and every disk of VMID 201 (purge); nothing if it does not exist")
    }
}
