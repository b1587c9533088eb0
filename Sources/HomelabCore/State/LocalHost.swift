import Foundation

/// The facts about this machine and its processes that the run lock needs, straight from libc.
/// Each call is a few lines and says which errors mean what.
enum LocalHost {
    /// gethostname(2): the kernel's node name, the same for every process on this machine.
    /// Unlike `ProcessInfo.hostName` it never goes through DNS, so it is fast and does not
    /// change with the network.
    static var name: String {
        // 255 is the longest name POSIX allows (HOST_NAME_MAX is 64 on Linux, 255 on macOS);
        // one more byte keeps the buffer terminated even when the name was truncated.
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, 255) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static var processID: Int32 {
        getpid()
    }

    /// Whom to name in the lock: the login name of the effective user.
    static var userName: String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name {
            return String(cString: name)
        }
        return ProcessInfo.processInfo.environment["USER"] ?? "uid \(geteuid())"
    }
}
