import Foundation
import HomelabActions
import HomelabCore

/// An in-memory Proxmox node with the real API's semantics where the actions depend on them:
/// create/restore hold `lock: create` until their task ends, tasks end on a later poll (or stay
/// running when told), a failed restore leaves its partial VM, a start task can end OK with the
/// VM not running. Scripted errors per call; every call is logged.
actor FakeProxmox: ProxmoxAPI {
    nonisolated let node = "pve"

    struct VM {
        var config: [String: String]
        var status = "stopped"
        var qmpStatus: String?
    }

    enum Effect {
        case create(Int, [String: String])
        case restore(Int, [String: String])
        case update(Int, [String: String])
        case start(Int)
        case stop(Int)
        case destroy(Int)
        case addVolume(String, ProxmoxVolume)
    }

    struct FakeTask {
        var id: ProxmoxTaskID
        var type: String
        var vmid: Int?
        var pollsLeft: Int
        var exit: String
        var effect: Effect?
        var done = false
    }

    var vms: [Int: VM] = [:]
    var version = ProxmoxVersionInfo(version: "9.1.2", release: "9.1", repoid: "4f3d1f8a")
    var nodeList = [ProxmoxNodeInfo(node: "pve", status: "online", sslFingerprint: nil)]
    var storageList = [
        ProxmoxStorage(storage: "local", type: "dir", content: ["iso", "vztmpl", "backup", "import"], active: true, available: 1 << 36),
        ProxmoxStorage(storage: "local-zfs", type: "zfspool", content: ["images", "rootdir"], active: true, available: 1 << 38),
        ProxmoxStorage(storage: "backup-hdd", type: "dir", content: ["backup"], active: true, available: 1 << 40),
    ]
    var volumes: [String: [ProxmoxVolume]] = [:]
    /// What a restore from each archive brings back; unknown archives give a small default VM.
    var backups: [String: [String: String]] = [:]
    var tasks: [String: FakeTask] = [:]
    /// Polls before a new task of that type stops (0: the first poll sees it stopped).
    var pollsByType: [String: Int] = [:]
    /// Exit status for new tasks of that type instead of OK.
    var failByType: [String: String] = [:]
    var startLeavesStopped = false
    /// Locks cleared after this many config reads.
    var unlockAfterReads: [Int: Int] = [:]
    var agentAnswers: [Result<[ProxmoxGuestInterface], ProxmoxError>] = []
    var errors: [String: [ProxmoxError]] = [:]
    private(set) var calls: [String] = []
    private(set) var created: [Int: ProxmoxParameters] = [:]
    private(set) var updates: [(vmid: Int, set: ProxmoxParameters, digest: String?)] = []
    private(set) var restores: [(vmid: Int, archive: String, storage: String, force: Bool, overrides: ProxmoxParameters)] = []
    private(set) var downloads: [ProxmoxDownload] = []
    private(set) var uploads: [ProxmoxUpload] = []
    private var counter = 0

    // MARK: set-up

    func addVM(_ vmid: Int, _ config: [String: String], status: String = "stopped") {
        vms[vmid] = VM(config: config, status: status, qmpStatus: status == "running" ? "running" : nil)
    }

    func set(nodes: [ProxmoxNodeInfo]) { nodeList = nodes }
    func setStartLeavesStopped() { startLeavesStopped = true }
    func setVersion(_ text: String) {
        version.version = text
        version.release = String(text.split(separator: ".").prefix(2).joined(separator: "."))
    }
    func setBackup(_ archive: String, _ config: [String: String]) { backups[archive] = config }
    func lock(_ vmid: Int, _ lock: String) { vms[vmid]?.config["lock"] = lock }
    func setPolls(_ type: String, _ polls: Int) { pollsByType[type] = polls }
    func fail(_ type: String, with exit: String) { failByType[type] = exit }
    func inject(_ call: String, _ error: ProxmoxError) { errors[call, default: []].append(error) }
    func addVolume(_ storage: String, _ volume: ProxmoxVolume) { volumes[storage, default: []].append(volume) }
    func unlock(_ vmid: Int, afterReads reads: Int) { unlockAfterReads[vmid] = reads }
    func answerAgent(_ answers: [Result<[ProxmoxGuestInterface], ProxmoxError>]) { agentAnswers = answers }

    /// A task that is already running, as a crashed run leaves it.
    func startTask(_ type: String, vmid: Int, effect: Effect?, polls: Int) -> ProxmoxTaskID {
        let id = newTask(type, vmid: vmid, effect: effect)
        tasks[id.upid]?.pollsLeft = polls
        return id
    }

    func vm(_ vmid: Int) -> VM? { vms[vmid] }
    var mutatingCalls: [String] { calls.filter { !$0.hasPrefix("GET") } }

    // MARK: ProxmoxAPI

    func version() async throws -> ProxmoxVersionInfo {
        try log("GET version")
        return version
    }
    func nodes() async throws -> [ProxmoxNodeInfo] {
        try log("GET nodes")
        return nodeList
    }

    func vms() async throws -> [ProxmoxVMSummary] {
        try log("GET vms")
        return vms.map { ProxmoxVMSummary(vmid: $0.key, name: $0.value.config["name"], status: $0.value.status, lock: $0.value.config["lock"], tags: []) }
    }

    func config(vmid: Int) async throws -> ProxmoxVMConfig? {
        try log("GET config \(vmid)")
        if let reads = unlockAfterReads[vmid] {
            if reads <= 0 {
                vms[vmid]?.config["lock"] = nil
                unlockAfterReads[vmid] = nil
            } else {
                unlockAfterReads[vmid] = reads - 1
            }
        }
        guard let vm = vms[vmid] else { return nil }
        return ProxmoxVMConfig(values: vm.config, digest: Self.digest(vm.config))
    }

    func status(vmid: Int) async throws -> ProxmoxVMStatus? {
        try log("GET status \(vmid)")
        guard let vm = vms[vmid] else { return nil }
        return ProxmoxVMStatus(status: vm.status, qmpStatus: vm.qmpStatus, lock: vm.config["lock"], name: vm.config["name"], uptime: nil)
    }

    func create(vmid: Int, config: ProxmoxParameters) async throws -> ProxmoxTaskID? {
        try log("create \(vmid)")
        guard vms[vmid] == nil else { throw exists(vmid, "create") }
        created[vmid] = config
        vms[vmid] = VM(config: ["lock": "create"])
        return newTask("qmcreate", vmid: vmid, effect: .create(vmid, Self.written(config, vmid: vmid)))
    }

    func restore(vmid: Int, archive: String, storage: String, force: Bool, overrides: ProxmoxParameters) async throws -> ProxmoxTaskID? {
        try log("restore \(vmid)")
        if vms[vmid] != nil, !force { throw exists(vmid, "restore") }
        restores.append((vmid, archive, storage, force, overrides))
        let restored = (backups[archive] ?? ["name": "restored-\(vmid)", "memory": "2048", "scsi0": "\(storage):vm-\(vmid)-disk-0,size=32G"])
            .merging(overrides.mapValues(\.description)) { $1 }
        vms[vmid] = VM(config: ["lock": "create"])
        return newTask("qmrestore", vmid: vmid, effect: .restore(vmid, restored))
    }

    func updateConfig(vmid: Int, set: ProxmoxParameters, delete: [String], digest: String?) async throws -> ProxmoxTaskID? {
        try log("update \(vmid) " + set.keys.sorted().joined(separator: ","))
        guard let vm = vms[vmid] else { throw missing(vmid) }
        if let lock = vm.config["lock"] { throw ProxmoxError(.locked(lock), call: "POST config", status: 500, message: "VM is locked (\(lock))") }
        if let digest, digest != Self.digest(vm.config) {
            throw ProxmoxError(.fatal, call: "POST /nodes/pve/qemu/\(vmid)/config", status: 500, message: "checksum mismatch (file change by other user?)")
        }
        updates.append((vmid, set, digest))
        return newTask("qmconfig", vmid: vmid, effect: .update(vmid, set.mapValues(\.description)))
    }

    func power(vmid: Int, _ action: ProxmoxPowerAction) async throws -> ProxmoxTaskID? {
        try log("\(action.rawValue) \(vmid)")
        guard let vm = vms[vmid] else { throw missing(vmid) }
        switch action {
        case .start:
            let id = newTask("qmstart", vmid: vmid, effect: .start(vmid))
            if vm.status == "running" { tasks[id.upid]?.exit = "VM \(vmid) already running" }
            return id
        case .stop, .shutdown: return newTask("qm\(action.rawValue)", vmid: vmid, effect: .stop(vmid))
        case .reboot: return newTask("qmreboot", vmid: vmid, effect: nil)
        }
    }

    func destroy(vmid: Int) async throws -> ProxmoxTaskID? {
        try log("destroy \(vmid)")
        guard let vm = vms[vmid] else { throw missing(vmid) }
        if vm.status == "running" { throw ProxmoxError(.fatal, call: "DELETE qemu/\(vmid)", status: 500, message: "VM \(vmid) is running - destroy failed") }
        if let lock = vm.config["lock"] { throw ProxmoxError(.locked(lock), call: "DELETE qemu/\(vmid)", status: 500, message: "VM is locked (\(lock))") }
        return newTask("qmdestroy", vmid: vmid, effect: .destroy(vmid))
    }

    func guestInterfaces(vmid: Int) async throws -> [ProxmoxGuestInterface] {
        try log("GET agent \(vmid)")
        guard !agentAnswers.isEmpty else {
            throw ProxmoxError(.agentNotReady, call: "GET agent", status: 500, message: "QEMU guest agent is not running")
        }
        let answer = agentAnswers.count > 1 ? agentAnswers.removeFirst() : agentAnswers[0]
        return try answer.get()
    }

    func storages(content: String?) async throws -> [ProxmoxStorage] {
        try log("GET storages")
        return storageList.filter { content == nil || $0.content.contains(content!) }
    }

    func content(storage: String, content: String?, vmid: Int?) async throws -> [ProxmoxVolume] {
        try log("GET content \(storage)")
        return (volumes[storage] ?? []).filter { (content == nil || $0.content == content) && (vmid == nil || $0.vmid == vmid) }
    }

    func downloadURL(storage: String, _ download: ProxmoxDownload) async throws -> ProxmoxTaskID? {
        try log("download \(storage)")
        downloads.append(download)
        let volume = ProxmoxVolume(
            volid: "\(storage):\(download.content)/\(download.filename)", format: "iso", content: download.content, size: 1 << 20, ctime: 1, vmid: nil)
        return newTask("download", vmid: nil, effect: .addVolume(storage, volume))
    }

    func upload(storage: String, _ upload: ProxmoxUpload) async throws -> ProxmoxTaskID? {
        try log("upload \(storage)")
        uploads.append(upload)
        let volume = ProxmoxVolume(
            volid: "\(storage):\(upload.content)/\(upload.filename)", format: "iso", content: upload.content, size: 1 << 20, ctime: 1, vmid: nil)
        return newTask("imgcopy", vmid: nil, effect: .addVolume(storage, volume))
    }

    func task(_ id: ProxmoxTaskID) async throws -> ProxmoxTaskStatus {
        try log("GET task \(id.type ?? "")")
        guard var task = tasks[id.upid] else { throw ProxmoxError(.fatal, call: "GET task", status: 400, message: "no such task") }
        if !task.done {
            if task.pollsLeft > 0 {
                task.pollsLeft -= 1
                tasks[id.upid] = task
                return ProxmoxTaskStatus(id: id, status: "running", exitStatus: nil)
            }
            task.done = true
            tasks[id.upid] = task
            finish(task)
        }
        return ProxmoxTaskStatus(id: id, status: "stopped", exitStatus: task.exit)
    }

    func taskLog(_ id: ProxmoxTaskID, limit: Int) async throws -> [String] {
        ["TASK ERROR: \(tasks[id.upid]?.exit ?? "?")"]
    }

    func tasks(vmid: Int?, type: String?, running: Bool) async throws -> [ProxmoxTaskSummary] {
        try log("GET tasks")
        return tasks.values.filter { task in
            (!running || !task.done) && (vmid == nil || task.vmid == vmid) && (type == nil || task.type == type)
        }.map { ProxmoxTaskSummary(id: $0.id, type: $0.type, vmid: $0.vmid, status: $0.done ? $0.exit : nil, startTime: nil) }
    }

    // MARK: internals

    private func log(_ call: String) throws {
        calls.append(call)
        let name = String(call.split(separator: " ").prefix(call.hasPrefix("GET") ? 2 : 1).joined(separator: " "))
        if var queue = errors[name], !queue.isEmpty {
            let error = queue.removeFirst()
            errors[name] = queue
            throw error
        }
    }

    private func newTask(_ type: String, vmid: Int?, effect: Effect?) -> ProxmoxTaskID {
        counter += 1
        let id = ProxmoxTaskID("UPID:pve:0000\(counter):00000001:6746A000:\(type):\(vmid.map(String.init) ?? ""):root@pam!homelab:")
        tasks[id.upid] = FakeTask(id: id, type: type, vmid: vmid, pollsLeft: pollsByType[type] ?? 0, exit: failByType[type] ?? "OK", effect: effect)
        return id
    }

    /// Applies a stopped task's effect, or what its failure leaves behind.
    private func finish(_ task: FakeTask) {
        let ok = task.exit == "OK"
        switch task.effect {
        case .create(let vmid, let config)?:
            vms[vmid] = ok ? VM(config: config) : nil // a failed create frees its volumes and config
        case .restore(let vmid, let config)?:
            vms[vmid] = VM(config: config) // a failed restore leaves the partial VM, unlocked
        case .update(let vmid, let set)?:
            if ok { vms[vmid]?.config.merge(set) { $1 } }
        case .start(let vmid)?:
            // "already running": another start got there first, so the VM does run.
            if ok || task.exit.contains("already running"), !startLeavesStopped {
                vms[vmid]?.status = "running"
                vms[vmid]?.qmpStatus = "running"
            }
        case .stop(let vmid)?:
            if ok {
                vms[vmid]?.status = "stopped"
                vms[vmid]?.qmpStatus = nil
            }
        case .destroy(let vmid)?:
            if ok { vms[vmid] = nil }
        case .addVolume(let storage, let volume)?:
            if ok { volumes[storage, default: []].append(volume) }
        case nil:
            break
        }
    }

    private func exists(_ vmid: Int, _ what: String) -> ProxmoxError {
        ProxmoxError(.exists, call: "POST /nodes/pve/qemu", status: 500, message: "unable to \(what) VM \(vmid) - VM \(vmid) already exists on node 'pve'")
    }

    private func missing(_ vmid: Int) -> ProxmoxError {
        ProxmoxError(.doesNotExist, call: "qemu/\(vmid)", status: 500, message: "Configuration file 'nodes/pve/qemu-server/\(vmid).conf' does not exist")
    }

    /// A config as the server writes it back: new volumes `local-zfs:64` become
    /// `local-zfs:vm-201-disk-N,...,size=64G`.
    static func written(_ parameters: ProxmoxParameters, vmid: Int) -> [String: String] {
        var disk = 0
        var values: [String: String] = [:]
        for (key, value) in parameters.sorted(by: { $0.key < $1.key }) {
            var text = value.description
            let head = text.split(separator: ",").first ?? ""
            let parts = head.split(separator: ":")
            if key != "ide2", parts.count == 2, let size = Int(parts[1]) {
                let rest = text.dropFirst(head.count)
                text = "\(parts[0]):vm-\(vmid)-disk-\(disk)\(rest),size=\(key.hasPrefix("scsi") ? "\(size)G" : "4M")"
                disk += 1
            }
            values[key] = text
        }
        return values
    }

    static func digest(_ config: [String: String]) -> String {
        String(config.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n").hashValue, radix: 16)
    }
}

/// Hands out the one fake node and remembers the endpoints asked for.
final class FakeConnector: ProxmoxConnecting, @unchecked Sendable {
    let fake: FakeProxmox
    private let lock = NSLock()
    private var _endpoints: [ProxmoxEndpoint] = []

    init(_ fake: FakeProxmox = FakeProxmox()) { self.fake = fake }

    var endpoints: [ProxmoxEndpoint] { lock.withLock { _endpoints } }

    func connect(_ endpoint: ProxmoxEndpoint, context: any ActionContext) async throws -> any ProxmoxAPI {
        lock.withLock { _endpoints.append(endpoint) }
        return fake
    }
}
