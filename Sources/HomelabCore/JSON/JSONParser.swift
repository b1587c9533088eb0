/// A small JSON reader into `Value`, keeping key order: homelab's one JSON parser (the journal,
/// the lock file, Proxmox and push-service replies). The journal is read back on every resume
/// and status; Foundation's JSONSerialization loses key order and is several times slower.
public struct JSONParser {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var offset: Int
        public var message: String
        public var description: String { "\(message) at byte \(offset + 1)" }
    }

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    public static func parse(_ text: some StringProtocol) throws(Failure) -> Value {
        try parse(bytes: Array(text.utf8))
    }

    /// Bytes as read from a file or a socket, without making a String of them first.
    public static func parse(bytes: [UInt8]) throws(Failure) -> Value {
        var parser = JSONParser(bytes: bytes)
        parser.skipSpace()
        let value = try parser.value()
        parser.skipSpace()
        guard parser.index == parser.bytes.count else { throw parser.failure("unexpected text after the value") }
        return value
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private func failure(_ message: String) -> Failure { Failure(offset: index, message: message) }

    private mutating func value() throws(Failure) -> Value {
        guard index < bytes.count else { throw failure("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        default: return try number()
        }
    }

    private mutating func object() throws(Failure) -> Value {
        try enter()
        index += 1
        var pairs: [(String, Value)] = []
        skipSpace()
        if peek(UInt8(ascii: "}")) {
            index += 1
            depth -= 1
            return .map(pairs)
        }
        while true {
            skipSpace()
            guard peek(UInt8(ascii: "\"")) else { throw failure("expected a key") }
            let key = try string()
            skipSpace()
            guard peek(UInt8(ascii: ":")) else { throw failure("expected ':'") }
            index += 1
            skipSpace()
            pairs.append((key, try value()))
            skipSpace()
            if peek(UInt8(ascii: ",")) {
                index += 1
                continue
            }
            guard peek(UInt8(ascii: "}")) else { throw failure("expected ',' or '}'") }
            index += 1
            depth -= 1
            return .map(pairs)
        }
    }

    private mutating func array() throws(Failure) -> Value {
        try enter()
        index += 1
        var items: [Value] = []
        skipSpace()
        if peek(UInt8(ascii: "]")) {
            index += 1
            depth -= 1
            return .list(items)
        }
        while true {
            skipSpace()
            items.append(try value())
            skipSpace()
            if peek(UInt8(ascii: ",")) {
                index += 1
                continue
            }
            guard peek(UInt8(ascii: "]")) else { throw failure("expected ',' or ']'") }
            index += 1
            depth -= 1
            return .list(items)
        }
    }

    private mutating func enter() throws(Failure) {
        depth += 1
        if depth > 128 { throw failure("nested too deeply") }
    }

    private mutating func string() throws(Failure) -> String {
        index += 1
        // Most strings (every key, every step name) have no escape: made straight from the bytes,
        // without a buffer grown byte by byte, which was most of the time a resume spent reading
        // a 10,000-step journal.
        let begin = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\"), bytes[index] >= 0x20 {
            index += 1
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
            index += 1
            return String(decoding: bytes[begin..<(index - 1)], as: UTF8.self)
        }
        var out = Array(bytes[begin..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { throw failure("unterminated escape") }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"): out += Array(String(try unicodeEscape()).utf8)
                default: out.append(escaped) // \" \\ \/
                }
            case 0..<0x20: throw failure("control character in string")
            default: out.append(byte)
            }
        }
        throw failure("unterminated string")
    }

    private mutating func unicodeEscape() throws(Failure) -> Character {
        let high = try hex4()
        if (0xD800..<0xDC00).contains(high), peek(UInt8(ascii: "\\")), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") {
            index += 2
            let low = try hex4()
            let scalar = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            return Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")
        }
        return Character(Unicode.Scalar(high) ?? "\u{FFFD}")
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16) else {
            throw failure("bad \\u escape")
        }
        index += 4
        return value
    }

    private mutating func number() throws(Failure) -> Value {
        let start = index
        while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if let int = Int(text) { return .int(int) }
        if let double = Double(text) { return .double(double) }
        index = start
        throw failure("unexpected character")
    }

    private mutating func literal(_ word: String, _ value: Value) throws(Failure) -> Value {
        let expected = Array(word.utf8)
        guard index + expected.count <= bytes.count, Array(bytes[index..<(index + expected.count)]) == expected else {
            throw failure("unexpected character")
        }
        index += expected.count
        return value
    }

    private func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

    private mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 { index += 1 }
    }
}
