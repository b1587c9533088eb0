#if canImport(Glibc)
    import Glibc
#endif

/// A multipart/form-data body whose length is known before sending: Proxmox's ISO upload
/// rejects chunked uploads, so files are measured up front and streamed from disk.
public struct HTTPMultipartForm: Sendable {
    public enum Part: Sendable {
        case field(name: String, value: String)
        case file(name: String, path: String, filename: String, contentType: String)
    }

    public var parts: [Part] = []
    public let boundary: String

    public init(boundary: String = HTTPMultipartForm.randomBoundary()) {
        self.boundary = boundary
    }

    public mutating func addField(_ name: String, _ value: String) {
        parts.append(.field(name: name, value: value))
    }

    public mutating func addFile(
        name: String, path: String, filename: String? = nil,
        contentType: String = "application/octet-stream"
    ) {
        let base = filename ?? String(path.split(separator: "/").last ?? Substring(path))
        parts.append(.file(name: name, path: path, filename: base, contentType: contentType))
    }

    public var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    public static func randomBoundary() -> String {
        "homelab-" + (0..<24).map { _ in String("0123456789abcdefghijklmnopqrstuvwxyz".randomElement()!) }.joined()
    }

    /// The body as a list of in-memory bytes and file ranges, in order.
    func segments() throws(HTTPBodyFileError) -> [BodySegment] {
        var segments: [BodySegment] = []
        for part in parts {
            switch part {
            case .field(let name, let value):
                let header = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(Self.quoted(name))\"\r\n\r\n"
                segments.append(.bytes(Array((header + value + "\r\n").utf8)))
            case .file(let name, let path, let filename, let contentType):
                let header =
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(Self.quoted(name))\"; "
                    + "filename=\"\(Self.quoted(filename))\"\r\nContent-Type: \(contentType)\r\n\r\n"
                segments.append(.bytes(Array(header.utf8)))
                segments.append(.file(path: path, size: try HTTPBodyFileError.size(of: path)))
                segments.append(.bytes(Array("\r\n".utf8)))
            }
        }
        segments.append(.bytes(Array("--\(boundary)--\r\n".utf8)))
        return segments
    }

    private static func quoted(_ text: String) -> String {
        // Line breaks are dropped byte-wise ("\r\n" is one Character); quotes and backslashes escaped.
        let flat = String(decoding: text.utf8.filter { $0 != 13 && $0 != 10 }, as: UTF8.self)
        return flat.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"")
    }
}

enum BodySegment {
    case bytes([UInt8])
    case file(path: String, size: Int64)

    var length: Int64 {
        switch self {
        case .bytes(let bytes): Int64(bytes.count)
        case .file(_, let size): size
        }
    }
}

/// A body file that cannot be read; carries the path and errno text.
struct HTTPBodyFileError: Error {
    let message: String

    static func size(of path: String) throws(HTTPBodyFileError) -> Int64 {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw HTTPBodyFileError(message: "cannot read request body file \(path): \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw HTTPBodyFileError(message: "request body file \(path) is not a regular file")
        }
        return Int64(info.st_size)
    }
}
