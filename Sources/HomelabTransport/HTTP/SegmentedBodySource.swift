#if canImport(Glibc)
    import Glibc
#endif

/// A body made of in-memory bytes and whole files (plain bytes, a file upload, a multipart form),
/// read from disk as curl asks for it. Only the event-loop thread reads it.
final class SegmentedBodySource: RequestBodySource, @unchecked Sendable {
    let length: Int64?
    private let segments: [BodySegment]
    private var index = 0
    private var offset: Int64 = 0
    private var descriptor: Int32 = -1

    init(_ segments: [BodySegment]) {
        self.segments = segments
        self.length = segments.reduce(0) { $0 + $1.length }
    }

    deinit { closeFile() }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> BodyRead {
        while index < segments.count {
            let segment = segments[index]
            let left = Int(min(Int64(buffer.count), segment.length - offset))
            if left == 0 {
                closeFile()
                index += 1
                offset = 0
                continue
            }
            switch segment {
            case .bytes(let bytes):
                bytes.withUnsafeBytes { source in
                    buffer.baseAddress!.copyMemory(from: source.baseAddress! + Int(offset), byteCount: left)
                }
                offset += Int64(left)
                return .bytes(left)
            case .file(let path, _):
                if descriptor < 0 {
                    descriptor = open(path, O_RDONLY | O_CLOEXEC)
                    if descriptor < 0 { return .failed("cannot open request body file \(path): \(String(cString: strerror(errno)))") }
                }
                let count = Glibc.read(descriptor, buffer.baseAddress, left)
                if count < 0 { return .failed("cannot read request body file \(path): \(String(cString: strerror(errno)))") }
                // The length went out as Content-Length; a file that shrank would leave the server waiting.
                if count == 0 { return .failed("request body file \(path) shrank while it was being sent") }
                offset += Int64(count)
                return .bytes(count)
            }
        }
        return .end
    }

    /// Callers may end a transfer from any thread, so the file is closed in deinit, after the loop let go.
    func close(_ error: Error?) {}

    private func closeFile() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }
}
