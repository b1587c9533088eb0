/// What a run is: written once, first, so that resume can tell what changed since.
public struct RunHeader: Sendable, Equatable {
    public var runID: String
    public var runbook: String
    public var file: String
    public var inventory: String?
    /// The storage/ folder `${storage...}` read (absolute), so a resume reads the same one; nil in
    /// journals written before it was recorded (a resume then reads `storage` in its directory).
    public var storage: String?
    public var isDrill: Bool
    public var host: String
    public var user: String
    public var pid: Int32
    /// Param values, secrets redacted.
    public var params: Value
    /// Fingerprint of each instance's definition and plan-time inputs, by instance id.
    public var fingerprints: [(String, String)]

    public init(
        runID: String, runbook: String, file: String, inventory: String?, isDrill: Bool, host: String, user: String, pid: Int32, params: Value,
        fingerprints: [(String, String)], storage: String? = nil
    ) {
        self.runID = runID
        self.runbook = runbook
        self.file = file
        self.inventory = inventory
        self.storage = storage
        self.isDrill = isDrill
        self.host = host
        self.user = user
        self.pid = pid
        self.params = params
        self.fingerprints = fingerprints
    }

    public static func == (lhs: RunHeader, rhs: RunHeader) -> Bool {
        lhs.runID == rhs.runID && lhs.runbook == rhs.runbook && lhs.file == rhs.file && lhs.inventory == rhs.inventory && lhs.storage == rhs.storage
            && lhs.isDrill == rhs.isDrill && lhs.host == rhs.host && lhs.user == rhs.user && lhs.pid == rhs.pid
            && lhs.params == rhs.params && lhs.fingerprints.elementsEqual(rhs.fingerprints, by: ==)
    }
}
