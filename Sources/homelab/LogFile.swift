import Foundation
import Synchronization

/// The run's log file (state-dir/runs/RUN-ID/run.log), opened once the run id is known.
final class LogFile: Sendable {
    private let handle = Mutex<FileHandle?>(nil)

    func open(_ path: String) {
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        let file = FileHandle(forWritingAtPath: path)
        _ = try? file?.seekToEnd()
        handle.withLock { $0 = file }
    }

    var sink: @Sendable (String) -> Void {
        { [self] text in handle.withLock { $0?.write(Data(text.utf8)) } }
    }

    func close() {
        handle.withLock {
            try? $0?.close()
            $0 = nil
        }
    }
}
