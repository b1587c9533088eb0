import Foundation

/// The random values of a secrets bundle, in the encodings Talos uses for them.
public enum TalosToken {
    private static let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz")

    /// A bootstrap or trustd token: `[a-z0-9]{6}.[a-z0-9]{16}`.
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        func part(_ count: Int) -> String { String((0..<count).map { _ in alphabet.randomElement(using: &generator)! }) }
        return part(6) + "." + part(16)
    }

    public static func isToken(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 6, parts[1].count == 16 else { return false }
        return text.allSatisfy { $0 == "." || alphabet.contains($0) }
    }

    /// 32 random bytes, base64 (cluster secret, secretbox key).
    public static func base64Secret() -> String {
        Data(randomBytes(32)).base64EncodedString()
    }

    /// 32 random bytes, base64url with padding, as Talos encodes the cluster id.
    public static func clusterID() -> String {
        Data(randomBytes(32)).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    private static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}
