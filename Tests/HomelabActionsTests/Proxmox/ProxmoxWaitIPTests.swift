import HomelabActions
import HomelabCore
import Testing

@Suite("Proxmox proxmox.wait-ip")
struct ProxmoxWaitIPTests {
    let connector = FakeConnector()
    var fake: FakeProxmox { connector.fake }
    var action: ProxmoxWaitIP { ProxmoxWaitIP(proxmox: connector) }

    static func interface(_ name: String, _ addresses: [(String, String, Int)]) -> ProxmoxGuestInterface {
        ProxmoxGuestInterface(name: name, hardwareAddress: nil, addresses: addresses.map { .init(family: $0.0, address: $0.1, prefix: $0.2) })
    }

    /// What a Talos node with Kubernetes networking reports.
    static let talos = [
        interface("lo", [("ipv4", "127.0.0.1", 8), ("ipv6", "::1", 128)]),
        interface("cilium_host", [("ipv4", "10.244.0.17", 32)]),
        interface(
            "eth0", [("ipv6", "fe80::be24:11ff:fe00:201", 64), ("ipv4", "169.254.7.1", 16), ("ipv4", "192.168.10.21", 24), ("ipv6", "2001:db8:10::21", 64)]),
    ]

    @Test func theProbeAsksOnceAndSaysWhatARunWouldFindWithoutClaimingItDone() async throws {
        let notReady = ProxmoxError(.agentNotReady, call: "GET agent", status: 500, message: "QEMU guest agent is not running")
        await fake.answerAgent([.failure(notReady), .success(Self.talos)])
        let call = ProxmoxLab.call(["vmid": .int(201), "network": .string("192.168.10.0/24")])
        #expect(
            try await action.probe(call, context: RecordingContext())
                == .wouldChange("wait for VM 201's guest agent (not answering now: QEMU guest agent is not running)"))
        #expect(try await action.probe(call, context: RecordingContext()) == .wouldChange("ask again: VM 201 answers on 192.168.10.21 now"))
    }

    @Test func keepsAskingUntilTheAgentAnswersThenFiltersByTheNetwork() async throws {
        let notReady = ProxmoxError(.agentNotReady, call: "GET agent", status: 500, message: "QEMU guest agent is not running")
        await fake.answerAgent([.failure(notReady), .failure(notReady), .success([Self.interface("lo", [("ipv4", "127.0.0.1", 8)])]), .success(Self.talos)])
        let context = RecordingContext()
        let outputs = try await action.run(ProxmoxLab.call(["vmid": .int(201), "network": .string("192.168.10.0/24")]), context: context)
        #expect(outputs == ["address": .string("192.168.10.21"), "addresses": .list([.string("192.168.10.21")])])
        #expect(context.messages == ["waiting for the guest agent of VM 201", "VM 201 answers on 192.168.10.21"])
        #expect(context.slept == .seconds(6))
    }

    @Test func withoutANetworkAnyUsableAddressOfTheFamilyCounts() async throws {
        await fake.answerAgent([.success(Self.talos)])
        let v4 = try await action.run(ProxmoxLab.call(["vmid": .int(201)]), context: RecordingContext())
        #expect(v4["addresses"] == .list([.string("10.244.0.17"), .string("192.168.10.21")]))
        let v6 = try await action.run(ProxmoxLab.call(["vmid": .int(201), "family": .string("ipv6")]), context: RecordingContext())
        #expect(v6["address"] == .string("2001:db8:10::21"))
    }

    @Test func theTimeoutSaysWhatTheAgentDidReport() async throws {
        await fake.answerAgent([.success([Self.talos[0], Self.talos[1]])])
        let failure = try #require(
            await ProxmoxLab.failure {
                _ = try await action.run(
                    ProxmoxLab.call(["vmid": .int(201), "network": .string("192.168.10.0/24"), "timeout": .string("20s"), "interval": .string("5s")]),
                    context: RecordingContext())
            })
        #expect(
            failure.message
                == "VM 201 reported no address in 192.168.10.0/24 within 20s; the agent reported lo 127.0.0.1/8, lo ::1/128, cilium_host 10.244.0.17/32")
        #expect(failure.retryable)
    }

    @Test func anAgentThatNeverAnswersIsSaidSo() async throws {
        let failure = try #require(
            await ProxmoxLab.failure {
                _ = try await action.run(ProxmoxLab.call(["vmid": .int(201), "timeout": .string("10s")]), context: RecordingContext())
            })
        #expect(failure.message.contains("the guest agent never answered (QEMU guest agent is not running)"))
    }

    @Test func aNetworkOfTheOtherFamilyIsRefusedBeforeAsking() async throws {
        let failure = try #require(
            await ProxmoxLab.failure {
                _ = try await action.run(
                    ProxmoxLab.call(["vmid": .int(201), "network": .string("192.168.10.0/24"), "family": .string("ipv6")]), context: RecordingContext())
            })
        #expect(failure.message == "'network' 192.168.10.0/24 is ipv4 but 'family' is ipv6")
        #expect(await fake.calls.isEmpty)
    }

    @Test func aGivenNetworkDecidesEvenOnLoopbackButTheLoInterfaceNeverCounts() async throws {
        // The local lab puts its nodes on 127.0.10.0/24.
        await fake.answerAgent([.success([Self.interface("lo", [("ipv4", "127.0.10.99", 8)]), Self.interface("eth0", [("ipv4", "127.0.10.21", 24)])])])
        let outputs = try await action.run(ProxmoxLab.call(["vmid": .int(201), "network": .string("127.0.10.0/24")]), context: RecordingContext())
        #expect(outputs["addresses"] == .list([.string("127.0.10.21")]))
    }
}
