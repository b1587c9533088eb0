import Synchronization

@testable import HomelabCore

/// A run observer that keeps every update, for tests of what the engine reports.
final class UpdateRecorder: RunObserver {
    private let updates = Mutex<[RunUpdate]>([])

    var all: [RunUpdate] { updates.withLock { $0 } }

    func update(_ update: RunUpdate) {
        updates.withLock { $0.append(update) }
    }
}
