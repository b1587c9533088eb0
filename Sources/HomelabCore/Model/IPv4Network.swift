/// An IPv4 network written as CIDR (`172.16.99.0/24`), enough to ask whether an address lies in
/// it. Parsed strictly: four decimal octets without leading zeros (which some tools read as
/// octal), a prefix of 0...32, no host bits set.
public struct IPv4Network: Hashable, Sendable, CustomStringConvertible {
    public var address: UInt32
    public var prefix: Int

    public var mask: UInt32 { prefix == 0 ? 0 : UInt32.max << UInt32(32 - prefix) }

    public init?(cidr text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = Self.address(String(parts[0])), let prefix = Self.decimal(parts[1], max: 32) else { return nil }
        self.address = address
        self.prefix = prefix
        guard address & ~mask == 0 else { return nil }
    }

    /// The network `text` means when only its host bits are wrong (`172.16.99.5/24` ->
    /// `172.16.99.0/24`), to suggest it.
    public static func withHostBitsCleared(_ text: String) -> IPv4Network? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = address(String(parts[0])), let prefix = decimal(parts[1], max: 32) else { return nil }
        let mask: UInt32 = prefix == 0 ? 0 : UInt32.max << UInt32(32 - prefix)
        return IPv4Network(cidr: "\(format(address & mask))/\(prefix)")
    }

    public func contains(_ other: UInt32) -> Bool { other & mask == address }

    public var description: String { "\(Self.format(address))/\(prefix)" }

    /// `192.168.10.21` as a number, or nil.
    public static func address(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard let byte = decimal(octet, max: 255) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }

    static func format(_ address: UInt32) -> String {
        (0..<4).map { String((address >> UInt32(24 - 8 * $0)) & 0xFF) }.joined(separator: ".")
    }

    private static func decimal(_ text: Substring, max: Int) -> Int? {
        guard !text.isEmpty, text.count <= 3, text.allSatisfy({ $0.isASCII && $0.isNumber }),
            text == "0" || !text.hasPrefix("0"), let value = Int(text), value <= max
        else { return nil }
        return value
    }
}
