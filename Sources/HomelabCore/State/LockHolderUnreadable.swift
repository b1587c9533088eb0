extension LockHolder {
    /// Why a lock file names no holder, in a few words (which field, what is wrong): what
    /// `LockState.unreadable` tells the operator.
    public struct Unreadable: Error, Sendable, Equatable {
        public var reason: String

        init(_ reason: String) {
            self.reason = reason
        }
    }
}
