import HomelabCore

/// The Proxmox VE calls homelab makes, typed, against one node of one host. The live client
/// (ProxmoxClient) speaks the REST API over libcurl; action tests may use an in-memory double.
///
/// Mutating calls dispatch a task and return its id without waiting (ProxmoxTaskWaiter waits).
/// They return nil when the call's answer was lost (596, dropped connection) and re-reading the
/// host's state showed the effect already in place with no task left to wait for.
public protocol ProxmoxAPI: Sendable {
    /// The node every call goes to (`pve`).
    var node: String { get }

    /// `GET /version`: reachable, authenticated, which release.
    func version() async throws -> ProxmoxVersionInfo
    /// `GET /nodes`.
    func nodes() async throws -> [ProxmoxNodeInfo]
    /// `GET /nodes/{node}/qemu`.
    func vms() async throws -> [ProxmoxVMSummary]
    /// `GET /nodes/{node}/qemu/{vmid}/config`; nil when the VM does not exist.
    func config(vmid: Int) async throws -> ProxmoxVMConfig?
    /// `GET /nodes/{node}/qemu/{vmid}/status/current`; nil when the VM does not exist.
    func status(vmid: Int) async throws -> ProxmoxVMStatus?

    /// `POST /nodes/{node}/qemu` with `vmid` and the config keys (task `qmcreate`).
    func create(vmid: Int, config: ProxmoxParameters) async throws -> ProxmoxTaskID?
    /// `POST /nodes/{node}/qemu` with `archive` (task `qmrestore`); `overrides` are non-disk keys.
    func restore(vmid: Int, archive: String, storage: String, force: Bool, overrides: ProxmoxParameters) async throws -> ProxmoxTaskID?
    /// `POST /nodes/{node}/qemu/{vmid}/config` (task `qmconfig`); `digest` guards against a
    /// concurrent change.
    func updateConfig(vmid: Int, set: ProxmoxParameters, delete: [String], digest: String?) async throws -> ProxmoxTaskID?
    /// `POST /nodes/{node}/qemu/{vmid}/status/{start|stop|shutdown|reboot}`.
    func power(vmid: Int, _ action: ProxmoxPowerAction) async throws -> ProxmoxTaskID?
    /// `DELETE /nodes/{node}/qemu/{vmid}?purge=1&destroy-unreferenced-disks=1` (task `qmdestroy`).
    func destroy(vmid: Int) async throws -> ProxmoxTaskID?

    /// `GET /nodes/{node}/qemu/{vmid}/agent/network-get-interfaces`. Throws a ProxmoxError of
    /// kind `.agentNotReady` while the guest agent does not answer yet.
    func guestInterfaces(vmid: Int) async throws -> [ProxmoxGuestInterface]

    /// `GET /nodes/{node}/storage[?content=]`.
    func storages(content: String?) async throws -> [ProxmoxStorage]
    /// `GET /nodes/{node}/storage/{storage}/content[?content=][&vmid=]`.
    func content(storage: String, content: String?, vmid: Int?) async throws -> [ProxmoxVolume]
    /// `POST /nodes/{node}/storage/{storage}/download-url` (task `download`).
    func downloadURL(storage: String, _ download: ProxmoxDownload) async throws -> ProxmoxTaskID?
    /// `POST /nodes/{node}/storage/{storage}/upload`, multipart with Content-Length (task `imgcopy`).
    func upload(storage: String, _ upload: ProxmoxUpload) async throws -> ProxmoxTaskID?

    /// `GET /nodes/{node}/tasks/{upid}/status`.
    func task(_ id: ProxmoxTaskID) async throws -> ProxmoxTaskStatus
    /// `GET /nodes/{node}/tasks/{upid}/log`: the last `limit` lines.
    func taskLog(_ id: ProxmoxTaskID, limit: Int) async throws -> [String]
    /// `GET /nodes/{node}/tasks` filtered by VM and task type; `running` lists active tasks only.
    func tasks(vmid: Int?, type: String?, running: Bool) async throws -> [ProxmoxTaskSummary]
}

/// Opens a ProxmoxAPI for an endpoint: checks the certificate (pin, CA, or a decision about a new
/// fingerprint) before any token is sent.
public protocol ProxmoxConnecting: Sendable {
    func connect(_ endpoint: ProxmoxEndpoint, context: any ActionContext) async throws -> any ProxmoxAPI
}
