/// How to plan: the operator's params, run or drill, and whether missing
/// required params are an error (`plan`) or left open (`validate`).
public struct PlanOptions: Sendable {
    public var params: [(String, String)]
    public var isDrill: Bool
    public var requireParams: Bool
    /// Runs need each instance's fingerprint (to tell what changed on resume); plans do not.
    public var fingerprints: Bool

    public init(params: [(String, String)] = [], isDrill: Bool = false, requireParams: Bool = true, fingerprints: Bool = false) {
        self.params = params
        self.isDrill = isDrill
        self.requireParams = requireParams
        self.fingerprints = fingerprints
    }
}

extension SourceLocation {
    /// For problems with what was typed on the command line rather than in a file.
    public static let commandLine = SourceLocation(file: "command line", line: 0, column: 0)
}
