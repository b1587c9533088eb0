/// One VM of `GET /nodes/{node}/qemu`.
public struct ProxmoxVMSummary: Sendable, Equatable {
    public var vmid: Int
    public var name: String?
    public var status: String
    public var lock: String?
    public var tags: [String]

    public init(vmid: Int, name: String?, status: String, lock: String?, tags: [String]) {
        self.vmid = vmid
        self.name = name
        self.status = status
        self.lock = lock
        self.tags = tags
    }
}

/// A VM's config as the server returns it: every value as text (the server is lenient about
/// JSON types), plus the digest for optimistic concurrency and the lock, if any.
public struct ProxmoxVMConfig: Sendable, Equatable {
    public var values: [String: String]
    public var digest: String?
    public var lock: String? { values["lock"] }

    public init(values: [String: String], digest: String?) {
        self.values = values
        self.digest = digest
    }

    public subscript(key: String) -> String? { values[key] }
}

/// `GET .../status/current`.
public struct ProxmoxVMStatus: Sendable, Equatable {
    /// `running` or `stopped`.
    public var status: String
    /// QEMU's own run state (`running`, `paused`, `prelaunch`); a start task can end OK while
    /// this is not `running`.
    public var qmpStatus: String?
    public var lock: String?
    public var name: String?
    public var uptime: Int?

    public init(status: String, qmpStatus: String?, lock: String?, name: String?, uptime: Int?) {
        self.status = status
        self.qmpStatus = qmpStatus
        self.lock = lock
        self.name = name
        self.uptime = uptime
    }

    public var isRunning: Bool { status == "running" && (qmpStatus == nil || qmpStatus == "running") }
}

public enum ProxmoxPowerAction: String, Sendable, CaseIterable {
    case start, stop, shutdown, reboot
}

/// One interface the guest agent reports.
public struct ProxmoxGuestInterface: Sendable, Equatable {
    public struct Address: Sendable, Equatable {
        /// `ipv4` or `ipv6`.
        public var family: String
        public var address: String
        public var prefix: Int

        public init(family: String, address: String, prefix: Int) {
            self.family = family
            self.address = address
            self.prefix = prefix
        }
    }

    public var name: String
    public var hardwareAddress: String?
    public var addresses: [Address]

    public init(name: String, hardwareAddress: String?, addresses: [Address]) {
        self.name = name
        self.hardwareAddress = hardwareAddress
        self.addresses = addresses
    }
}
