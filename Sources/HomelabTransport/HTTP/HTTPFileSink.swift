#if canImport(Glibc)
    import Glibc
#endif

/// Writes the body to a file: into `<path>.partial`, renamed over `path` only once the body is
/// complete and flushed, so a failed download never leaves a file that looks whole.
public final class HTTPFileSink: HTTPBodySink {
    public let path: String
    private let partialPath: String
    private var descriptor: Int32

    public init(path: String) throws {
        self.path = path
        partialPath = path + ".partial"
        descriptor = open(partialPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw HTTPFileSinkError(path: partialPath, operation: "create", code: errno) }
    }

    deinit {
        if descriptor >= 0 {
            close(descriptor)
            unlink(partialPath)
        }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw HTTPFileSinkError(path: partialPath, operation: "write", code: errno)
            }
            offset += written
        }
    }

    public func finish() throws {
        guard fsync(descriptor) == 0 else { throw HTTPFileSinkError(path: partialPath, operation: "flush", code: errno) }
        close(descriptor)
        descriptor = -1
        guard rename(partialPath, path) == 0 else { throw HTTPFileSinkError(path: path, operation: "rename into", code: errno) }
    }
}

public struct HTTPFileSinkError: Error, CustomStringConvertible {
    public let path: String
    public let operation: String
    public let code: Int32
    public var description: String {
        "cannot \(operation) \(path): \(String(cString: strerror(code))). Check the directory exists, is writable and has space."
    }
}
