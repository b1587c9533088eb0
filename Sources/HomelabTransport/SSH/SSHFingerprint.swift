import Foundation

/// Host key fingerprints as OpenSSH prints them: `SHA256:` + unpadded base64 of the key blob's digest.
enum SSHFingerprint {
    static func sha256(blob: UnsafeRawBufferPointer) -> String {
        "SHA256:" + Data(Digest.sha256(blob)).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    static func sha256(base64Blob: String) -> String? {
        guard let blob = Data(base64Encoded: base64Blob) else { return nil }
        return blob.withUnsafeBytes { sha256(blob: $0) }
    }
}
