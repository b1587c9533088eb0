/// A task's UPID, `UPID:<node>:<pid>:<pstart>:<starttime>:<type>:<id>:<user>:`.
public struct ProxmoxTaskID: Sendable, Equatable, Hashable, CustomStringConvertible {
    public let upid: String

    public init(_ upid: String) { self.upid = upid }

    private var fields: [Substring] { upid.split(separator: ":", omittingEmptySubsequences: false) }
    /// The node to poll (field 2): tasks are polled where they run.
    public var node: String? { fields.count > 1 ? String(fields[1]) : nil }
    /// `qmcreate`, `qmstart`, `download`, ...
    public var type: String? { fields.count > 5 ? String(fields[5]) : nil }
    /// Usually the VMID.
    public var id: String? { fields.count > 6 ? String(fields[6]) : nil }
    public var isWellFormed: Bool { fields.count >= 9 && fields[0] == "UPID" }

    public var description: String { upid }
}

/// `GET /nodes/{node}/tasks/{upid}/status`.
public struct ProxmoxTaskStatus: Sendable, Equatable {
    public var id: ProxmoxTaskID
    /// `running` or `stopped`.
    public var status: String
    /// Present once stopped: `OK`, `WARNINGS: n`, or the error text.
    public var exitStatus: String?

    public init(id: ProxmoxTaskID, status: String, exitStatus: String?) {
        self.id = id
        self.status = status
        self.exitStatus = exitStatus
    }

    public var isRunning: Bool { status == "running" }
    /// Proxmox counts warnings as success.
    public var succeeded: Bool {
        guard let exitStatus, status == "stopped" else { return false }
        return exitStatus == "OK" || exitStatus.hasPrefix("WARNINGS")
    }
}

/// One entry of `GET /nodes/{node}/tasks`.
public struct ProxmoxTaskSummary: Sendable, Equatable {
    public var id: ProxmoxTaskID
    public var type: String
    public var vmid: Int?
    /// Nil while running.
    public var status: String?
    public var startTime: Int?

    public init(id: ProxmoxTaskID, type: String, vmid: Int?, status: String?, startTime: Int?) {
        self.id = id
        self.type = type
        self.vmid = vmid
        self.status = status
        self.startTime = startTime
    }
}
