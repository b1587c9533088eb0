import Foundation

/// Where runs keep what outlives the process: the run lock (`lock`, `lock.json`) and one directory per
/// run (`runs/RUNID/`, the journal). Passed to whoever needs it, never looked up globally.
public struct StateDirectory: Sendable, Equatable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// `--state-dir` when given, else `$XDG_STATE_HOME/homelab`, else `$HOME/.local/state/homelab`.
    /// The XDG base directory specification says a relative `XDG_STATE_HOME` is invalid and must
    /// be ignored, so only an absolute one counts. Without `HOME` (a bare service environment) the
    /// home directory comes from the password database.
    public static func resolve(explicit: String?, environment: [String: String]) -> StateDirectory {
        if let explicit, !explicit.isEmpty { return StateDirectory(path: explicit) }
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            return StateDirectory(path: join(xdg, "homelab"))
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return StateDirectory(path: join(home, ".local/state/homelab"))
    }

    /// Creates the directory and its `runs/` folder, readable by their owner only (journals
    /// record what was done to the lab). Directories that already exist keep their mode: the
    /// operator may have chosen it.
    public func prepare() throws(Failure) {
        for directory in [path, runsPath] {
            let code = Self.makeDirectory(directory)
            if code != 0 { throw Failure(path: directory, reason: String(cString: strerror(code))) }
        }
    }

    /// The directory of one run's journal. Run ids are made by the engine; this only joins.
    public func runDirectory(_ runID: String) -> String {
        Self.join(runsPath, runID)
    }

    /// The name of a run's journal in its directory; only `journal(in:)` joins it to a path.
    public static let journalName = "journal.jsonl"

    /// A run's journal: `runs/RUNID/journal.jsonl`.
    public func journalPath(_ runID: String) -> String {
        Self.journal(in: runDirectory(runID))
    }

    /// The journal inside a run's directory, wherever that directory is for now (a new run's is
    /// built under a hidden name first).
    public static func journal(in runDirectory: String) -> String {
        join(runDirectory, journalName)
    }

    public var lockPath: String {
        Self.join(path, "lock.json")
    }

    /// The file a run holds an advisory lock (flock) on while it goes on: the kernel's word on
    /// whether a run is active, whatever becomes of `lock.json`. Never removed.
    public var flockPath: String {
        Self.join(path, "lock")
    }

    /// The runs recorded so far, oldest first: run ids sort by time, and byte order keeps the
    /// listing the same whatever the locale. Hidden entries (temporary files) and plain files are
    /// not runs; a missing directory means no runs yet.
    public func runIDs() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: runsPath)) ?? []
        return
            names
            .filter { name in
                var isDirectory: ObjCBool = false
                return !name.hasPrefix(".")
                    && FileManager.default.fileExists(atPath: Self.join(runsPath, name), isDirectory: &isDirectory)
                    && isDirectory.boolValue
            }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    var runsPath: String {
        Self.join(path, "runs")
    }

    static func join(_ directory: String, _ name: String) -> String {
        (directory as NSString).appendingPathComponent(name)
    }

    /// The state directory cannot be created: says which directory and why.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var reason: String

        public var description: String {
            "cannot create the state directory \(path): \(reason); choose another with --state-dir or fix its permissions"
        }
    }

    /// mkdir(2) with mode 0700, parents first when they are missing, like `mkdir -p -m 700`.
    /// Returns 0, or the errno that says why not (FileManager's errors hide it). An existing
    /// directory, or a symbolic link to one, is fine; an existing file is EEXIST.
    private static func makeDirectory(_ path: String) -> Int32 {
        if mkdir(path, 0o700) == 0 { return 0 }
        var code = errno
        if code == ENOENT {
            let parent = (path as NSString).deletingLastPathComponent
            guard !parent.isEmpty, parent != path else { return code }
            let parentCode = makeDirectory(parent)
            if parentCode != 0 { return parentCode }
            if mkdir(path, 0o700) == 0 { return 0 }
            code = errno
        }
        var isDirectory: ObjCBool = false
        if code == EEXIST, FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return 0
        }
        return code
    }
}
