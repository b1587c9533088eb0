import Foundation

/// glibc's additions to posix_spawn (2.29 and 2.34) that its Swift module does not show:
/// looked up by name, so a C library without them gives a clear error instead of a link failure.
enum SpawnExtensions {
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// The program starts in `directory`.
    static func addChdir(_ actions: inout posix_spawn_file_actions_t, _ directory: String) throws {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else {
            throw ActionError("cannot start a program in \(directory): this C library has no posix_spawn_file_actions_addchdir_np")
        }
        let code = unsafeBitCast(symbol, to: AddChdir.self)(&actions, directory)
        if code != 0 { throw ActionError("cannot start a program in \(directory): \(String(cString: strerror(code)))") }
    }

    /// The program gets no descriptor from `lowest` up. Without the call (an old C library),
    /// only descriptors opened without close-on-exec would leak; homelab opens none.
    static func addClosefrom(_ actions: inout posix_spawn_file_actions_t, _ lowest: Int32) {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return }
        _ = unsafeBitCast(symbol, to: AddClosefrom.self)(&actions, lowest)
    }
}
