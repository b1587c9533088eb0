/// Checks an image reference the way pattern 11 asks: a tag or a digest, never `latest`.
public enum ImageReference {
    public static func check(_ image: String) throws(ScaffoldError) {
        if image.isEmpty || image.contains(where: { $0.isWhitespace }) {
            throw .invalidImage(image, reason: "it is empty or holds spaces")
        }
        if image.contains("@") {
            let parts = image.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
            let hex = parts.count == 2 ? parts[1].dropFirst("sha256:".count) : ""
            guard parts.count == 2, !parts[0].isEmpty, parts[1].hasPrefix("sha256:"), hex.count == 64, hex.allSatisfy(\.isHexDigit) else {
                throw .invalidImage(image, reason: "a digest is '@sha256:' and 64 hex digits")
            }
            return
        }
        // The tag follows the last ':' after the last '/': 'registry:5000/app' has no tag.
        let lastComponent = image.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        guard let colon = lastComponent.lastIndex(of: ":") else { throw .imageWithoutTag(image) }
        let repository = lastComponent[..<colon]
        let tag = lastComponent[lastComponent.index(after: colon)...]
        guard !repository.isEmpty, !tag.isEmpty else { throw .imageWithoutTag(image) }
        if tag == "latest" { throw .imageLatest(image) }
        let allowed = tag.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
        guard allowed, tag.count <= 128, tag.first != ".", tag.first != "-" else {
            throw .invalidImage(image, reason: "a tag is at most 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'")
        }
    }
}
