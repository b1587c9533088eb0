import Foundation

/// One line of a journal: a sequence number, a time and an event. `JournalCodec` turns it into
/// JSON and back.
public struct JournalEntry: Sendable, Equatable {
    public var sequence: Int
    public var time: Date
    public var event: JournalEvent

    public init(sequence: Int, time: Date, event: JournalEvent) {
        self.sequence = sequence
        self.time = time
        self.event = event
    }
}
