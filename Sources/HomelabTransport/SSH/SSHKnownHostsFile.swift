import COpenSSL
import Foundation

/// An OpenSSH known_hosts file as lines, with the matching libssh2 does not expose: which
/// entries name a host (plain or hashed `|1|salt|hash`), their key types and line numbers.
struct SSHKnownHostsFile {
    struct Entry {
        let line: Int
        let text: String
        let keyType: String
        let keyBase64: String
    }

    let path: String
    let exists: Bool
    /// Every host-key line (comments, blanks and @markers left out) with its line number.
    let lines: [(number: Int, text: String)]

    static func load(_ path: String) throws -> SSHKnownHostsFile {
        guard FileManager.default.fileExists(atPath: path) else {
            return SSHKnownHostsFile(path: path, exists: false, lines: [])
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SSHError.knownHostsUnusable(path: path, reason: "cannot read it (permissions?)")
        }
        var lines: [(Int, String)] = []
        for (index, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty || text.hasPrefix("#") || text.hasPrefix("@") { continue }
            lines.append((index + 1, text))
        }
        return SSHKnownHostsFile(path: path, exists: true, lines: lines)
    }

    /// The names libssh2 checks for host:port: `[host]:port` first, then the bare host.
    static func names(host: String, port: Int) -> [String] {
        port == 22 ? [host] : ["[\(host)]:\(port)", host]
    }

    /// The entries that name this host, in file order.
    func entries(host: String, port: Int) -> [Entry] {
        let names = Self.names(host: host, port: port)
        var found: [Entry] = []
        for (number, text) in lines {
            let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 3 else { continue }
            let patterns = fields[0].split(separator: ",").map(String.init)
            if patterns.contains(where: { pattern in names.contains { Self.matches(pattern, $0) } }) {
                found.append(Entry(line: number, text: text, keyType: String(fields[1]), keyBase64: String(fields[2])))
            }
        }
        return found
    }

    /// Exact names and OpenSSH's hashed form: |1|base64(salt)|base64(HMAC-SHA1(salt, name)).
    static func matches(_ pattern: String, _ name: String) -> Bool {
        guard pattern.hasPrefix("|1|") else { return pattern == name }
        let parts = pattern.dropFirst(3).split(separator: "|")
        guard parts.count == 2, let salt = Data(base64Encoded: String(parts[0])),
            let expected = Data(base64Encoded: String(parts[1]))
        else { return false }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let nameBytes = Array(name.utf8)
        salt.withUnsafeBytes { key in
            _ = HMAC(EVP_sha1(), key.baseAddress, Int32(key.count), nameBytes, nameBytes.count, &digest, &length)
        }
        return Data(digest.prefix(Int(length))) == expected
    }

    /// Host key algorithms to offer for a known_hosts key type (RSA keys sign with SHA-2 first).
    static func algorithms(forKeyType type: String) -> [String] {
        type == "ssh-rsa" ? ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"] : [type]
    }

    /// Every host key algorithm libssh2 1.10 verifies, in OpenSSH's order of preference.
    static let allAlgorithms = [
        "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa",
    ]

    /// Like OpenSSH: algorithms of keys already known for the host first, so the server presents
    /// a key we can check rather than another type we have never seen.
    func hostKeyPreference(host: String, port: Int) -> [String] {
        var preferred: [String] = []
        for entry in entries(host: host, port: port) {
            for algorithm in Self.algorithms(forKeyType: entry.keyType) where !preferred.contains(algorithm) {
                preferred.append(algorithm)
            }
        }
        return preferred + Self.allAlgorithms.filter { !preferred.contains($0) }
    }
}
