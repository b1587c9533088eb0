/// One storage of `GET /nodes/{node}/storage`.
public struct ProxmoxStorage: Sendable, Equatable {
    public var storage: String
    /// `dir`, `zfspool`, `pbs`, ...
    public var type: String
    /// What it may hold: `iso`, `images`, `backup`, ...
    public var content: [String]
    public var active: Bool
    public var available: Int?

    public init(storage: String, type: String, content: [String], active: Bool, available: Int?) {
        self.storage = storage
        self.type = type
        self.content = content
        self.active = active
        self.available = available
    }
}

/// One volume of `GET .../storage/{storage}/content`: an ISO, a backup, a disk.
public struct ProxmoxVolume: Sendable, Equatable {
    /// `local:iso/talos.iso`, `backup-hdd:backup/vzdump-qemu-201-2026_11_01-03_00_00.vma.zst`.
    public var volid: String
    public var format: String?
    public var content: String?
    public var size: Int?
    /// Creation time, Unix seconds: the newest backup has the largest.
    public var ctime: Int?
    public var vmid: Int?

    public init(volid: String, format: String?, content: String?, size: Int?, ctime: Int?, vmid: Int?) {
        self.volid = volid
        self.format = format
        self.content = content
        self.size = size
        self.ctime = ctime
        self.vmid = vmid
    }
}

/// What `download-url` fetches: the node downloads, checks the checksum, and refuses nothing
/// when the file is already there with that checksum.
public struct ProxmoxDownload: Sendable, Equatable {
    public var url: String
    public var filename: String
    /// `iso`, `vztmpl` or `import`.
    public var content: String
    public var checksum: String?
    /// `sha256`, `sha512`, ...; sent only with `checksum`.
    public var checksumAlgorithm: String?
    public var verifyCertificates: Bool

    public init(
        url: String, filename: String, content: String = "iso", checksum: String? = nil, checksumAlgorithm: String? = nil, verifyCertificates: Bool = true
    ) {
        self.url = url
        self.filename = filename
        self.content = content
        self.checksum = checksum
        self.checksumAlgorithm = checksumAlgorithm
        self.verifyCertificates = verifyCertificates
    }
}

/// A local file to upload to a storage.
public struct ProxmoxUpload: Sendable, Equatable {
    public var path: String
    public var filename: String
    public var content: String
    public var checksum: String?
    public var checksumAlgorithm: String?

    public init(path: String, filename: String, content: String = "iso", checksum: String? = nil, checksumAlgorithm: String? = nil) {
        self.path = path
        self.filename = filename
        self.content = content
        self.checksum = checksum
        self.checksumAlgorithm = checksumAlgorithm
    }
}
