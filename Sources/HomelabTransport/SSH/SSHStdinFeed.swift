import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The connection thread's view of a command's stdin: the bytes to send next, from memory,
/// a file (read in 1 MiB blocks) or the async producer's bounded buffer.
final class SSHStdinFeed {
    enum State {
        case data
        case waiting // the async producer has nothing ready yet
        case finished
    }

    private enum Source {
        case memory
        case file(Int32)
        case buffer(SSHInputBuffer)
    }

    private let source: Source
    private let endpoint: String
    private var chunk: [UInt8] = []
    private var offset = 0
    private var fileBlock: UnsafeMutableRawBufferPointer?
    private var fileBlockLength = 0
    private var ended = false

    init(memory: [UInt8], endpoint: String) {
        source = .memory
        chunk = memory
        ended = true
        self.endpoint = endpoint
    }

    init(filePath: String, endpoint: String) throws {
        let fd = open(filePath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SSHError.localFile(path: filePath, reason: String(cString: strerror(errno))) }
        source = .file(fd)
        fileBlock = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        self.endpoint = endpoint
    }

    init(buffer: SSHInputBuffer, endpoint: String) {
        source = .buffer(buffer)
        self.endpoint = endpoint
    }

    deinit {
        if case .file(let fd) = source { close(fd) }
        fileBlock?.deallocate()
    }

    /// Makes the next bytes ready if possible; never blocks.
    func state() throws -> State {
        switch source {
        case .memory:
            return offset < chunk.count ? .data : .finished
        case .file(let fd):
            if offset < fileBlockLength { return .data }
            if ended { return .finished }
            guard let block = fileBlock else { return .finished }
            let count = read(fd, block.baseAddress, block.count)
            if count < 0 { throw SSHError.input(endpoint: endpoint, reason: "reading the file: \(String(cString: strerror(errno)))") }
            fileBlockLength = count
            offset = 0
            if count == 0 {
                ended = true
                return .finished
            }
            return .data
        case .buffer(let buffer):
            if offset < chunk.count { return .data }
            if ended { return .finished }
            switch buffer.take() {
            case .chunk(let next):
                chunk = next
                offset = 0
                return .data
            case .empty: return .waiting
            case .finished:
                ended = true
                chunk = []
                offset = 0
                return .finished
            case .failed(let reason):
                throw SSHError.input(endpoint: endpoint, reason: reason)
            }
        }
    }

    /// Calls `body` with the bytes not sent yet (only after `state()` said `.data`).
    func withPending<R>(_ body: (UnsafeRawPointer, Int) -> R) -> R {
        if case .file = source, let block = fileBlock {
            return body(block.baseAddress! + offset, fileBlockLength - offset)
        }
        return chunk.withUnsafeBytes { body($0.baseAddress! + offset, $0.count - offset) }
    }

    func consumed(_ count: Int) { offset += count }

    /// The command stopped reading: drop whatever the producer still has.
    func abandon() {
        if case .buffer(let buffer) = source { buffer.abandon() }
        ended = true
        chunk = []
        offset = 0
        fileBlockLength = 0
    }
}
