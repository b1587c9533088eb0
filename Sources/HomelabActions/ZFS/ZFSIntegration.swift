import HomelabCore

/// ZFS over SSH: pools, datasets, snapshots, replication between pools on the host, and the
/// cloud tier, whose streams pass through homelab into a `BackupStore`.
public enum ZFSIntegration: Integration {
    public static func live(_ settings: LiveSettings) -> ZFSTransport {
        ZFSTransport(shell: LiveRemoteShell(), backups: LiveBackupStores())
    }

    public static var unavailable: ZFSTransport { ZFSTransport(shell: NoRemoteShell(), backups: NoBackupStores()) }

    public static func actions(_ transport: ZFSTransport) -> [any Action] {
        [
            ZFSPool(transport), ZFSDatasets(transport), ZFSSnapshot(transport), ZFSReplicate(transport), ZFSUpload(transport),
            ZFSPrune(transport), ZFSRestore(transport),
        ]
    }
}

/// What the ZFS actions reach the world through: the SSH shell of the host and the opener of the
/// cloud tier's store.
public struct ZFSTransport: Sendable {
    public var shell: any RemoteShell
    public var backups: any BackupStoreOpening

    public init(shell: any RemoteShell, backups: any BackupStoreOpening) {
        self.shell = shell
        self.backups = backups
    }
}
