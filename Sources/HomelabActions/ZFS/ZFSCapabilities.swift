/// What the host's ZFS can do, detected, never assumed (B12): zfs-fuse (pool version 23) has no
/// resumable receive, no `send -nP` size estimate; OpenZFS 0.7+ has both.
struct ZFSCapabilities: Sendable, Equatable {
    /// `receive -s`, `send -t` and `receive -A`: the `receive_resume_token` property exists and
    /// the pool has the `extensible_dataset` feature enabled or active.
    var resumableReceive: Bool
    /// `zfs send -nP` prints the stream's size.
    var sizeEstimate: Bool
    /// GNU dd's `status=progress`, to count a host-side stream's bytes as they pass.
    var progressCounter: Bool

    static let none = ZFSCapabilities(resumableReceive: false, sizeEstimate: false, progressCounter: false)
}
