/// How much of a program's output is kept: the first and the last `keep` bytes of each stream,
/// with a line between them saying how much was dropped. What is kept ends up in the step's
/// outputs and the journal, so one chatty program cannot fill memory or a journal line (a
/// 50 MB stdout once did both). The head shows how it started, the tail how it ended.
public struct OutputCap: Sendable, Equatable {
    /// Bytes kept at each end.
    public var keep: Int

    public init(keep: Int) {
        self.keep = max(1, keep)
    }

    /// 64 KiB at each end: a whole page of a command's usual output, small in a journal line.
    public static let standard = OutputCap(keep: 64 * 1024)

    /// The first and last bytes of an output of `total` bytes, joined by the marker.
    func join(head: [UInt8], tail: [UInt8], total: Int) -> String {
        let head = Self.completeCharacters(head)
        let tail = Array(tail.drop { $0 & 0xC0 == 0x80 }) // a character cut at its start
        let dropped = total - head.count - tail.count
        return String(decoding: head, as: UTF8.self) + "\n[… \(dropped) bytes of output dropped …]\n" + String(decoding: tail, as: UTF8.self)
    }

    /// `bytes` without a UTF-8 sequence cut at its end.
    private static func completeCharacters(_ bytes: [UInt8]) -> [UInt8] {
        var start = bytes.count
        while start > 0 && bytes.count - start < 4 {
            start -= 1
            let byte = bytes[start]
            guard byte & 0xC0 == 0x80 else {
                let length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                return bytes.count - start >= length ? bytes : Array(bytes[..<start])
            }
        }
        return bytes
    }
}
