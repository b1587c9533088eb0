/// Cuts a response body into gRPC messages, whatever the DATA chunk boundaries: a message may span
/// many chunks and a chunk may hold many messages. Each byte is copied once into its message.
struct GRPCDeframer {
    let limit: Int
    private var prefix: [UInt8] = []
    private var message: [UInt8] = []
    /// The length of the message being filled; nil while reading a prefix.
    private var expected: Int?

    init(limit: Int = GRPCFraming.defaultMessageLimit) {
        self.limit = limit
        prefix.reserveCapacity(GRPCFraming.prefixLength)
    }

    /// The messages completed by this chunk, in order.
    mutating func append(_ chunk: [UInt8]) throws(GRPCFramingError) -> [[UInt8]] {
        var completed: [[UInt8]] = []
        var index = 0
        while true {
            if let length = expected {
                let take = min(length - message.count, chunk.count - index)
                message += chunk[index..<index + take]
                index += take
                guard message.count == length else { break }
                completed.append(message)
                message = []
                expected = nil
            }
            guard index < chunk.count else { break }
            let take = min(GRPCFraming.prefixLength - prefix.count, chunk.count - index)
            prefix += chunk[index..<index + take]
            index += take
            guard prefix.count == GRPCFraming.prefixLength else { break }
            expected = try startMessage()
        }
        return completed
    }

    /// Checks that the body did not end inside a message.
    func finish() throws(GRPCFramingError) {
        if let expected {
            throw .truncated(received: message.count, expected: expected)
        }
        if !prefix.isEmpty {
            throw .truncated(received: prefix.count, expected: GRPCFraming.prefixLength)
        }
    }

    private mutating func startMessage() throws(GRPCFramingError) -> Int {
        defer { prefix.removeAll(keepingCapacity: true) }
        switch prefix[0] {
        case 0: break
        case 1: throw .compressedMessage
        default: throw .invalidFlag(prefix[0])
        }
        let length = prefix[1...4].reduce(0) { $0 << 8 | Int($1) }
        guard length <= limit else { throw .messageTooLarge(length: length, limit: limit) }
        message.reserveCapacity(length)
        return length
    }
}
