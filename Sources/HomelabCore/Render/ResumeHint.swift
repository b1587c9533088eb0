import Foundation

/// The command that carries on with a stopped run, spelled so that it can be pasted as it is.
public enum ResumeHint {
    /// `homelab resume RUN-ID`, with `--state-dir DIR` when the run is not in the default
    /// state directory (the caller knows: it is whatever `--state-dir` said).
    /// With `approving`, `--yes` is added: the command that answers the questions a run
    /// stopped at (without it, a resume with no terminal stops at them again).
    public static func command(runID: String, stateDirectory: String? = nil, approving: Bool = false) -> String {
        var command = "homelab resume " + shellQuoted(runID)
        if let stateDirectory { command += " --state-dir " + shellQuoted(stateDirectory) }
        if approving { command += " --yes" }
        return command
    }

    static func shellQuoted(_ text: String) -> String {
        let plain =
            !text.isEmpty
            && text.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || "/._-+:,@%=".utf8.contains(byte)
            }
        return plain ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
