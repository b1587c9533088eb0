import HomelabCore

/// One step's way to one node in either mode, and the wait every configuring action needs:
/// until the node answers in mutual TLS with the cluster's CA. Waits are measured on the
/// engine's clock (PollBudget), so tests can run them in virtual time.
struct TalosNodeAccess: Sendable {
    let sessions: TalosSessions
    let node: TalosNode
    let context: any ActionContext

    func client(_ mode: TalosTarget.Mode) async throws -> TalosClient {
        try await sessions.open(node.target(mode), context: context)
    }

    /// The node's version through mutual TLS with `identity`: it runs a config signed by our CA.
    func configuredVersion(_ identity: TalosIdentity) async throws -> Machine_Version {
        try await client(.configured(identity)).version()
    }

    /// Asks in mutual TLS until the node answers; what kept it from answering is the error at
    /// the deadline. Handshake failures count as "not yet" here: a rebooting node may still
    /// serve its maintenance certificate for a moment.
    func waitConfigured(_ identity: TalosIdentity, budget: inout PollBudget, why: String) async throws -> Machine_Version {
        var last = "it never answered"
        while true {
            do {
                return try await configuredVersion(identity)
            } catch let error as TalosError where !TalosApplyConfig.refused(error) {
                // A node restarting its API may cut a call short or still show its maintenance
                // certificate for a moment; only a refusal ends the wait early.
                last = error.description
            }
            guard try await budget.pauseUntilLimit(context: context) else {
                throw ActionError(
                    "\(node) did not answer in mutual TLS with the cluster's CA within \(DurationText.format(budget.limit)) \(why); last: \(last)",
                    retryable: true)
            }
        }
    }

    /// The etcd service on a control plane, as ServiceList reports it.
    func etcdService(_ client: TalosClient) async throws -> Machine_ServiceInfo? {
        try await client.serviceList().first { $0.id == "etcd" }
    }
}

extension Machine_ServiceInfo {
    /// Running and healthy, as talosctl's "healthy etcd" reads it.
    var isHealthy: Bool { state == "Running" && health.healthy && !health.unknown }

    var summary: String {
        "\(id) \(state)" + (health.lastMessage.isEmpty ? "" : " (\(health.lastMessage))")
    }
}
