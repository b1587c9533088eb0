import HomelabCore

/// `proxmox.wait-ip`: asks the VM's guest agent for its addresses until one is in the wanted
/// network. Talos nodes come up on DHCP, so this is how the runbook learns where a node is.
public struct ProxmoxWaitIP: Action {
    private let sessions: ProxmoxSessions

    public init(proxmox: any ProxmoxConnecting) {
        sessions = ProxmoxSessions(connector: proxmox)
    }

    public var schema: ActionSchema {
        ActionSchema(
            name: "proxmox.wait-ip",
            summary: "Wait until the VM's guest agent reports an address (in a network, when given).",
            inputs: ProxmoxInputs.specs + [
                InputSpec("vmid", .integer, required: true, resource: .vmid, "The VM's id."),
                InputSpec(
                    "network", .string, resource: .network,
                    "Only addresses in this network count, such as ${inventory.network.lan} (default: any address that is not loopback, link-local or multicast)."
                ),
                InputSpec("family", .string, default: .string("ipv4"), allowed: ["ipv4", "ipv6"], "Address family."),
                InputSpec("timeout", .duration, default: .string("5m"), "How long to keep asking."),
                InputSpec("interval", .duration, default: .string("2s"), "Pause between questions."),
            ],
            outputs: [
                OutputSpec("address", "The first matching address."),
                OutputSpec("addresses", "Every matching address, in the agent's order."),
            ],
            idempotent: true
        )
    }

    /// Asks the agent once (read-only), so the plan shows the address a run would find now. Never
    /// "done": the address is an output, and a run asks again.
    public func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
        let call = schema.defaulted(call)
        let inputs = try ProxmoxInputs.resolve(call)
        let vmid = try ProxmoxInputs.vmid(call)
        let filter = try Filter(call)
        return try await sessions.within(inputs, context: context) { session in
            do {
                let matches = filter.matches(try await session.api.guestInterfaces(vmid: vmid))
                return .wouldChange(
                    matches.isEmpty
                        ? "wait for VM \(vmid) to report an \(filter.wanted)"
                        : "ask again: VM \(vmid) answers on \(matches.joined(separator: ", ")) now")
            } catch let error as ProxmoxError where error.kind == .agentNotReady || error.kind == .doesNotExist {
                return .wouldChange("wait for VM \(vmid)'s guest agent (not answering now: \(error.message))")
            }
        }
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let call = schema.defaulted(call)
        let inputs = try ProxmoxInputs.resolve(call)
        let vmid = try ProxmoxInputs.vmid(call)
        let filter = try Filter(call)
        let timeout = try call.duration(defaulted: "timeout")
        let interval = try call.duration(defaulted: "interval")
        return try await sessions.within(inputs, context: context) { session in
            var budget = PollBudget(timeout, every: interval, clock: context.clock)
            var toldAgent = false
            var seen = "the guest agent never answered"
            while true {
                do {
                    let interfaces = try await session.api.guestInterfaces(vmid: vmid)
                    let matches = filter.matches(interfaces)
                    if let first = matches.first {
                        context.report("VM \(vmid) answers on \(matches.joined(separator: ", "))")
                        return ["address": .string(first), "addresses": .list(matches.map { .string($0) })]
                    }
                    seen = Self.summary(interfaces)
                } catch let error as ProxmoxError where error.kind == .agentNotReady || error.isTransient {
                    if !toldAgent, error.kind == .agentNotReady {
                        context.report("waiting for the guest agent of VM \(vmid)")
                        toldAgent = true
                    }
                    seen = seen.hasPrefix("the guest agent") ? "the guest agent never answered (\(error.message))" : seen
                }
                guard try await budget.pause(context: context) else {
                    throw ActionError("VM \(vmid) reported no \(filter.wanted) within \(DurationText.format(timeout)); \(seen)", retryable: true)
                }
            }
        }
    }

    public func validate(_ inputs: [String: Value]) -> [InputProblem] {
        ProxmoxInputs.vmidProblems(inputs)
    }

    public func describe(_ inputs: [String: Value]) -> String {
        let wanted = (try? Filter(schema.defaulted(ActionCall(step: "", inputs: inputs))))?.wanted ?? "address"
        return "ask the guest agent of VM \(inputs["vmid"]?.text ?? "?") until it reports an \(wanted)"
    }

    /// What the agent reported, for the timeout message: `eth0 10.0.2.15/24, lo 127.0.0.1/8`.
    static func summary(_ interfaces: [ProxmoxGuestInterface]) -> String {
        let listed = interfaces.flatMap { interface in
            interface.addresses.isEmpty ? ["\(interface.name) (no address)"] : interface.addresses.map { "\(interface.name) \($0.address)/\($0.prefix)" }
        }
        return "the agent reported " + (listed.isEmpty ? "no interfaces" : listed.joined(separator: ", "))
    }

    /// Which addresses count: never the `lo` interface; then the network when given (so a
    /// loopback lab network works), else any address but loopback, link-local, multicast.
    struct Filter {
        var family: IPNetwork.Family
        var network: IPNetwork?

        init(_ call: ActionCall) throws {
            let name = call.string("family") ?? ""
            guard let family = IPNetwork.Family(rawValue: name) else { throw ActionError("'family' must be ipv4 or ipv6, found '\(name)'") }
            self.family = family
            if let text = call.string("network"), !text.isEmpty {
                guard let network = IPNetwork(text) else { throw ActionError("'network' must be a network such as 192.168.10.0/24, found '\(text)'") }
                guard network.family == family else { throw ActionError("'network' \(text) is \(network.family.rawValue) but 'family' is \(name)") }
                self.network = network
            }
        }

        var wanted: String { network.map { "address in \($0)" } ?? "\(family.rawValue) address" }

        func matches(_ interfaces: [ProxmoxGuestInterface]) -> [String] {
            interfaces.filter { $0.name != "lo" }.flatMap(\.addresses).filter { address in
                address.family == family.rawValue && (network.map { $0.contains(address.address) } ?? IPNetwork.isUsable(address.address))
            }.map(\.address)
        }
    }
}
