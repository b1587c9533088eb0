import Foundation

/// The system calls behind `lock.json` (open, write, fsync, link, unlink), so that `RunLock`
/// reads as policy. Every function reports failures as the errno they got.
enum LockFile {
    /// A failed system call: its errno.
    struct Failure: Error {
        var code: Int32

        init(_ code: Int32) {
            self.code = code
        }

        var reason: String {
            String(cString: strerror(code))
        }
    }

    enum Link {
        case linked, exists, unsupported
    }

    enum Removal {
        case removed, missing, changed
    }

    /// open(2) with O_CREAT|O_EXCL: the kernel checks that nothing is at `path` and creates the
    /// file in one step, so of several processes exactly one gets it. Writes `contents`, fsyncs
    /// them (a holder that survives a power cut names the run to blame), closes. Returns false
    /// when something is already at `path`; on a failure after creating, removes what it created.
    static func createExclusive(_ path: String, contents: Data) throws(Failure) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd == -1 {
            let code = errno
            if code == EEXIST { return false }
            throw Failure(code)
        }
        do throws(Failure) {
            try writeAll(fd, contents)
            if fsync(fd) != 0 { throw Failure(errno) }
        } catch {
            close(fd)
            unlink(path)
            throw error
        }
        close(fd)
        return true
    }

    /// link(2): gives a complete file a second name, failing with EEXIST when that name exists,
    /// atomically like O_EXCL. Filesystems without hard links (FAT, some FUSE and network ones)
    /// answer EPERM or ENOTSUP.
    static func hardLink(_ source: String, to destination: String) throws(Failure) -> Link {
        if link(source, destination) == 0 { return .linked }
        let code = errno
        switch code {
        case EEXIST: return .exists
        case EPERM, ENOTSUP, EOPNOTSUPP: return .unsupported
        default: throw Failure(code)
        }
    }

    /// The whole file, or nil when there is none. Lock files are a few hundred bytes; reading
    /// stops at `limit` so that a stray huge file cannot exhaust memory.
    static func contents(of path: String, limit: Int = 64 * 1024) throws(Failure) -> Data? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd == -1 {
            let code = errno
            if code == ENOENT { return nil }
            throw Failure(code)
        }
        defer { close(fd) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while data.count < limit {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(errno)
            }
            if count == 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }
        return data
    }

    /// unlink(2), but only while the file still holds `expected`: a lock that changed since it was
    /// read belongs to someone else now. (Between the comparison and the unlink there remains a
    /// window of microseconds; POSIX has no compare-and-unlink.)
    static func remove(_ path: String, ifContents expected: Data) throws(Failure) -> Removal {
        guard let current = try contents(of: path) else { return .missing }
        guard current == expected else { return .changed }
        if unlink(path) == 0 { return .removed }
        let code = errno
        if code == ENOENT { return .missing }
        throw Failure(code)
    }

    /// write(2) until every byte is written; a write may take only part, or be interrupted.
    static func writeAll(_ fd: Int32, _ data: Data) throws(Failure) {
        let bytes = [UInt8](data)
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(errno)
            }
            offset += count
        }
    }
}
