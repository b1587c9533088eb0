import Foundation

/// Where the output of local programs is kept while they run: `spool/` inside the run's own
/// directory (mode 0700), or a private temporary directory for programs outside a run (plan
/// probes, secret commands). Never /tmp itself: a step's output may hold a secret's value
/// before redaction, so no one else may read it, and it must not outlive the step.
public struct SpoolDirectory: Sendable, Equatable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The spool of the run whose journal is at `journal` (`STATE/runs/RUN-ID/spool`).
    public static func forRun(journal: String) -> SpoolDirectory {
        SpoolDirectory(path: (journal as NSString).deletingLastPathComponent + "/spool")
    }

    /// A directory of its own under the system's temporary directory, made (0700) when first
    /// used; its random name cannot be taken first by someone else, and `prepare` would refuse
    /// a directory that is not this user's.
    public static func temporary() -> SpoolDirectory {
        SpoolDirectory(path: NSTemporaryDirectory() + "homelab-spool-" + UUID().uuidString)
    }

    /// Creates the directory (0700) when it is missing; refuses one that others could read.
    func prepare() throws {
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw ActionError("cannot create the spool directory \(path): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == geteuid() else {
            throw ActionError("the spool directory \(path) is not a directory of this user")
        }
        if info.st_mode & 0o077 != 0 && chmod(path, 0o700) != 0 {
            throw ActionError("cannot make the spool directory \(path) private: \(String(cString: strerror(errno)))")
        }
    }

    /// Removes the directory and whatever a killed process left in it. Spool files are unlinked
    /// as soon as they are opened, so leftovers only come from a kill in that instant.
    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
