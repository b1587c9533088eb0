/// Mutating calls. A lost answer (596, dropped connection, timeout) says nothing about whether
/// the host acted, so the call is never blindly sent again: the host's tasks and state are read
/// (reads are safe to repeat), and a call that visibly did nothing is reported as a transient
/// error. Whether to send it again is the step's decision: its retry policy is the one owner of
/// retries, so a client retry inside each step attempt never multiplies the budget (bpg PRs
/// #1711, #2616 for the re-read).
extension ProxmoxClient {
    func dispatch(_ request: ProxmoxRequest, _ plan: ProxmoxReconciliation) async throws -> ProxmoxTaskID? {
        let since = policy.now() - policy.clockSkew
        do {
            return ProxmoxDecoding.taskID(try await exchange(request)["data"])
        } catch let error as ProxmoxError where error.isTransient {
            switch try await reconcile(plan, since: since, after: error, call: request.call) {
            case .task(let id): return id
            case .done: return nil
            case .nothingHappened:
                throw ProxmoxError(
                    .transient, call: request.call, status: error.status, message: "\(plan.what) did not reach the host: \(error.message)",
                    hint: "Nothing visible changed on the host; the step's retry policy decides whether it is sent again. "
                        + "If it keeps failing, check pveproxy/pvedaemon there (`systemctl status pveproxy pvedaemon`).")
            }
        }
    }

    /// Reads tasks, then state, to decide what the lost call did.
    func reconcile(_ plan: ProxmoxReconciliation, since: Int, after cause: ProxmoxError, call: String) async throws
        -> ProxmoxReconciliation.Outcome
    {
        do {
            if let id = try await recentTask(plan, since: since) { return .task(id) }
            switch try await plan.effect() {
            case .inPlace: return .done
            case .absent: return .nothingHappened
            case .placeholder:
                // pvedaemon may still be forking the worker although pveproxy already gave up.
                try await policy.sleep(policy.placeholderRecheck)
                if let id = try await recentTask(plan, since: since) { return .task(id) }
                switch try await plan.effect() {
                case .inPlace: return .done
                case .absent: return .nothingHappened
                case .placeholder:
                    throw ProxmoxReconciliation.placeholderError(vmid: plan.vmid ?? 0, call: call, cause: cause)
                }
            }
        } catch let error as ProxmoxError where error.isTransient {
            throw ProxmoxError(
                .transient, call: call, status: cause.status,
                message: "\(cause.message); re-reading the host's state failed too (\(error.message)), "
                    + "so whether \(plan.what) happened is unknown",
                hint: "Check the host's task list (web UI) before running again.")
        }
    }

    private func recentTask(_ plan: ProxmoxReconciliation, since: Int) async throws -> ProxmoxTaskID? {
        plan.task(in: try await tasks(vmid: plan.vmid, type: plan.taskType, running: false), since: since)
    }
}
