/// Mutating calls. A lost answer (596, dropped connection, timeout) says nothing about whether
/// the host acted, so the call is never blindly sent again: the host's tasks and state are read
/// first, and only a call that visibly did nothing is dispatched again (bpg PRs #1711, #2616).
extension ProxmoxClient {
    func dispatch(_ request: ProxmoxRequest, _ plan: ProxmoxReconciliation) async throws -> ProxmoxTaskID? {
        let since = policy.now() - policy.clockSkew
        var lastError: ProxmoxError?
        for attempt in 1...max(1, policy.attempts) {
            if attempt > 1 { try await policy.sleep(policy.pause(before: attempt)) }
            do {
                return ProxmoxDecoding.taskID(try await exchange(request)["data"])
            } catch let error as ProxmoxError {
                // A retry refused as "already exists"/"does not exist"/"already running" may just
                // be the first attempt's work showing; anything else non-transient is the answer.
                guard error.isTransient || (attempt > 1 && error.isSemantic) else { throw error }
                switch try await reconcile(plan, since: since, after: error, call: request.call) {
                case .task(let id): return id
                case .done: return nil
                case .nothingHappened:
                    guard error.isTransient else { throw error }
                    lastError = error
                }
            }
        }
        let last = lastError!
        throw ProxmoxError(
            .transient, call: request.call, status: last.status,
            message: "\(plan.what) failed \(policy.attempts) times without reaching the host: \(last.message)",
            hint: "Nothing visible changed on the host; check pveproxy/pvedaemon there "
                + "(`systemctl status pveproxy pvedaemon`) and run again.")
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
