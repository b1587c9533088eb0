import Crypto
import CryptoExtras
import Foundation

/// Ansible Vault's format 1.1 (AES256), written natively so the secrets of a playbook run reach
/// disk only encrypted: PBKDF2-HMAC-SHA256 (10,000 rounds, Ansible's figure) derives an AES-256
/// key, an HMAC-SHA256 key and the CTR counter from the password and a random salt; the padded
/// plaintext is encrypted in CTR mode and authenticated with the HMAC; the three parts are
/// hex-encoded, joined by newlines, hex-encoded again and wrapped at 80 columns under the
/// `$ANSIBLE_VAULT;1.1;AES256` header. ansible-playbook decrypts it with the password it reads
/// from its standard input (a pipe), so the password is in no file either.
enum AnsibleVault {
    static let header = "$ANSIBLE_VAULT;1.1;AES256"
    private static let rounds = 10_000

    static func encrypt(_ plaintext: [UInt8], password: [UInt8], salt: [UInt8] = randomBytes(32)) throws -> String {
        let material = try KDF.Insecure.PBKDF2.deriveKey(
            from: password, salt: salt, using: .sha256, outputByteCount: 80, unsafeUncheckedRounds: rounds
        ).withUnsafeBytes { Array($0) }
        let cipherKey = SymmetricKey(data: material[0..<32])
        let macKey = SymmetricKey(data: material[32..<64])
        let counter = try AES._CTR.Nonce(nonceBytes: material[64..<80])
        // PKCS#7 to AES' block, as Ansible pads before CTR.
        let padding = 16 - plaintext.count % 16
        let padded = plaintext + [UInt8](repeating: UInt8(padding), count: padding)
        let ciphertext = Array(try AES._CTR.encrypt(padded, using: cipherKey, nonce: counter))
        let mac = Array(HMAC<SHA256>.authenticationCode(for: ciphertext, using: macKey))
        let inner = hex(salt) + "\n" + hex(mac) + "\n" + hex(ciphertext)
        let outer = hex(Array(inner.utf8))
        var lines = [header]
        var rest = Substring(outer)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(80)))
            rest = rest.dropFirst(80)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A password for one run: random, printable, never stored.
    static func password() -> [UInt8] { Array(hex(randomBytes(32)).utf8) }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
