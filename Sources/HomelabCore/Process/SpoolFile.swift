import Foundation

/// One stream of a program's output: a file in the spool directory (0600) that is unlinked as
/// soon as it is open, so it has no name while the program writes to it and nothing is left
/// when the step ends, or when homelab is killed (the kernel frees it with the last descriptor).
final class SpoolFile: Sendable {
    /// Read and write; close-on-exec (the child gets it through dup2 only).
    let descriptor: Int32

    init(in directory: SpoolDirectory) throws {
        let path = directory.path + "/.output-" + UUID().uuidString
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw ActionError("cannot create a spool file in \(directory.path): \(String(cString: strerror(errno)))")
        }
        unlink(path)
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// What was written, capped: never reads more than the cap into memory, however much it is.
    func text(cap: OutputCap) -> String {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return "" }
        let size = Int(info.st_size)
        guard size > cap.keep * 2 else { return String(decoding: read(at: 0, count: size), as: UTF8.self) }
        let head = read(at: 0, count: cap.keep)
        let tail = read(at: size - cap.keep, count: cap.keep)
        return cap.join(head: head, tail: tail, total: size)
    }

    private func read(at offset: Int, count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, count - done, off_t(offset + done)) }
            if got < 0 && errno == EINTR { continue }
            if got <= 0 { break }
            done += got
        }
        return Array(bytes.prefix(done))
    }
}
