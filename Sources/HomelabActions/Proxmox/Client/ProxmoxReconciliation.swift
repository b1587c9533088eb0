/// What to look at when a mutating call's answer was lost: which task it would have started,
/// and how its effect shows in the host's state.
struct ProxmoxReconciliation: Sendable {
    /// What the effect looks like right now.
    enum Effect: Sendable, Equatable {
        /// Visibly done: the VM exists (complete), runs, is gone, the file is there.
        case inPlace
        /// Not there: nothing happened, dispatching again is safe.
        case absent
        /// A create/restore left a config with `lock: create` and no task (worker never forked).
        case placeholder
    }

    /// What the dispatch concluded.
    enum Outcome: Sendable, Equatable {
        case task(ProxmoxTaskID)
        case done
        case nothingHappened
    }

    /// `create VM 100`, for messages.
    var what: String
    /// The UPID type the call starts (`qmcreate`).
    var taskType: String
    var vmid: Int?
    var effect: @Sendable () async throws -> Effect

    /// Picks this call's task from a task list: one still running, else the newest that started
    /// since the dispatch (it may have failed; the waiter then reports why).
    func task(in tasks: [ProxmoxTaskSummary], since: Int) -> ProxmoxTaskID? {
        let ours = tasks.filter { $0.type == taskType && (vmid == nil || $0.vmid == vmid) }
        if let running = ours.filter({ $0.status == nil }).max(by: { ($0.startTime ?? 0) < ($1.startTime ?? 0) }) {
            return running.id
        }
        return ours.filter { ($0.startTime ?? 0) >= since }.max { ($0.startTime ?? 0) < ($1.startTime ?? 0) }?.id
    }

    /// The hint for a leftover placeholder: only the host can clear it (`skiplock` is root@pam only).
    static func placeholderError(vmid: Int, call: String, cause: ProxmoxError) -> ProxmoxError {
        ProxmoxError(
            .locked("create"), call: call, status: cause.status,
            message: "VM \(vmid) was left as a locked placeholder (lock: create) with no task behind it: "
                + "the host did not start the worker (\(cause.message)). It is not a created VM.",
            hint: "On the Proxmox host run `qm unlock \(vmid) && qm destroy \(vmid)`, then run again.")
    }
}
