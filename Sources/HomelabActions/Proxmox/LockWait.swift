import HomelabCore

extension ProxmoxSession {
    /// Waits until the VM's config has no lock and returns it (nil once the VM is gone). A lock
    /// held by a running create/clone/restore task is followed to that task's end instead: this
    /// is how a resume finds the task a crash left running. A `create`/`clone` lock with no task
    /// behind it is a placeholder no wait will clear, so it fails at once with what to do.
    func waitUnlocked(vmid: Int, config: ProxmoxVMConfig?, timeout: Duration) async throws -> ProxmoxVMConfig? {
        var current = config
        var budget = PollBudget(timeout, every: lockInterval, clock: context.clock)
        var told = false
        var orphanSightings = 0
        while let lock = current?.lock {
            if let task = try await activeTask(vmid: vmid, types: Self.builders) {
                context.report("VM \(vmid) is locked (\(lock)) by its running \(task.type) task; waiting for that task (\(task.id))")
                do {
                    try await finish(task.id, what: "\(task.type) of VM \(vmid)")
                } catch let error as ProxmoxError {
                    guard case .taskFailed = error.kind else { throw error }
                    context.report("the \(task.type) task of VM \(vmid) failed: \(error.message)")
                }
                current = try await api.config(vmid: vmid)
                continue
            }
            if lock == "create" || lock == "clone" {
                orphanSightings += 1
                if orphanSightings >= 2 {
                    throw ActionError(
                        """
                        VM \(vmid) is locked (\(lock)) and no task is building it: a create or restore whose worker never \
                        started left a placeholder. Check VM \(vmid) in the web UI; if it is empty, remove it on the host with \
                        'qm destroy \(vmid) --skiplock' (else 'qm unlock \(vmid)'), then re-run. homelab never removes it itself.
                        """)
                }
            }
            if !told {
                context.report("VM \(vmid) is locked (\(lock)); waiting up to \(DurationText.format(timeout)) for the lock to clear")
                told = true
            }
            guard try await budget.pause(context: context) else {
                throw ProxmoxError(
                    .locked(lock), call: "GET /nodes/\(api.node)/qemu/\(vmid)/config",
                    message: "VM \(vmid) is still locked (\(lock)) after \(DurationText.format(timeout))",
                    hint: "Something on the host holds it (a backup, migration or snapshot); let it finish, or raise 'lock-timeout'.")
            }
            current = try await api.config(vmid: vmid)
        }
        return current
    }
}
