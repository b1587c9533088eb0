import HomelabCore

/// One action's connection to a node: the API, the step's context, and the waits every action
/// needs (tasks to their end, locks until they clear).
struct ProxmoxSession: Sendable {
    let api: any ProxmoxAPI
    let context: any ActionContext
    let endpoint: ProxmoxEndpoint
    var taskInterval: Duration = .seconds(1)
    var lockInterval: Duration = .seconds(2)

    /// Task types that build a VM and hold its lock (`create`/`clone`) while they run.
    static let builders: Set<String> = ["qmcreate", "qmclone", "qmrestore"]

    /// Waits for a dispatched task; nil means the client saw the effect already in place.
    func finish(_ id: ProxmoxTaskID?, what: String, timeout: Duration? = nil) async throws {
        guard let id else { return }
        let limit = timeout ?? ProxmoxTaskWaiter.defaultTimeout(forTaskType: id.type ?? "")
        _ = try await ProxmoxTaskWaiter(api: api, context: context, pollInterval: taskInterval).wait(id, timeout: limit, what: what)
    }

    /// A running task of one of `types` for the VM: the one a crashed or parallel run started.
    func activeTask(vmid: Int, types: Set<String>) async throws -> ProxmoxTaskSummary? {
        try await api.tasks(vmid: vmid, type: nil, running: true).first { task in
            types.contains(task.type) && (task.vmid == vmid || task.id.id == String(vmid))
        }
    }

    /// The VM's config, or an error saying it does not exist.
    func existingConfig(_ vmid: Int, for purpose: String) async throws -> ProxmoxVMConfig {
        guard let config = try await api.config(vmid: vmid) else {
            throw ActionError("VM \(vmid) does not exist on node \(api.node), so it cannot \(purpose); create or restore it first")
        }
        return config
    }
}
