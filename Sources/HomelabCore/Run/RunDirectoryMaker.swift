import Foundation

/// A new run's directory appears whole or not at all: it is built under a hidden name (which
/// listings skip) with its journal's first event written durably, then renamed into place. A
/// kill in between leaves no run without a journal.
enum RunDirectoryMaker {
    static func make(runID: String, in state: StateDirectory, header: RunHeader) throws(RunSession.Failure) -> JournalWriter {
        let final = state.runDirectory(runID)
        let staging = state.runDirectory("." + runID + ".new")
        do {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
            do {
                let first = try JournalWriter(path: StateDirectory.journal(in: staging))
                try first.append(.runStarted(header), durable: true)
            }
            guard rename(staging, final) == 0 else {
                throw RunSession.Failure.state("cannot create \(final): \(String(cString: strerror(errno)))")
            }
            syncDirectory(final + "/..")
            return try JournalWriter(path: state.journalPath(runID), nextSequence: 2)
        } catch let error as JournalError {
            throw .journal(error)
        } catch let failure as RunSession.Failure {
            throw failure
        } catch {
            throw .state("cannot create \(staging): \(error.localizedDescription)")
        }
    }

    /// The rename is durable only once the parent directory is synced.
    private static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}
