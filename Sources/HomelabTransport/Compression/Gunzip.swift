import CZlib

/// gunzip in memory, with zlib: for small archives a peer sends whole (a Talos kubeconfig).
/// The output is capped, so a gzip bomb fails instead of filling memory.
public enum Gunzip {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let reason: String
        public var description: String { "not a valid gzip stream: \(reason)" }
    }

    public static func decompress(_ input: [UInt8], limit: Int = 16 << 20) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        guard hl_inflate_init_gzip(&stream) == Z_OK else { throw Failure(reason: "zlib could not start") }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var input = input
        let status: Int32 = input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            while true {
                let result: Int32 = chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(buffer.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                output.append(contentsOf: chunk[0..<produced])
                if output.count > limit { return Z_MEM_ERROR }
                if result == Z_STREAM_END { return Z_STREAM_END }
                if result != Z_OK { return result }
                // No input left and nothing produced: the stream ended early.
                if stream.avail_in == 0 && produced == 0 { return Z_BUF_ERROR }
            }
        }
        switch status {
        case Z_STREAM_END: return output
        case Z_MEM_ERROR: throw Failure(reason: "it unpacks to more than \(limit) bytes")
        case Z_BUF_ERROR: throw Failure(reason: "it is truncated")
        default: throw Failure(reason: "zlib error \(status)")
        }
    }
}
