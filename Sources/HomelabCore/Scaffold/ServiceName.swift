/// The service name rules: kebab-case (pattern 2) and a DNS-1035 label, since the name is also
/// the Service's name, which must start with a letter.
public enum ServiceName {
    /// `<name>-network-policy` and `wait-for-<name>` must fit a 63-character label.
    public static let maximumLength = 48

    public static func check(_ name: String) throws(ScaffoldError) {
        guard isKebabCase(name), let first = name.first, first.isLetter else { throw .invalidName(name) }
        if ServiceGroup(rawValue: name) != nil { throw .reservedName(name) }
        if name.count > maximumLength { throw .nameTooLong(name, limit: maximumLength) }
    }

    /// `^[a-z0-9]+(-[a-z0-9]+)*$`, the contract's rule 4.
    public static func isKebabCase(_ name: String) -> Bool {
        let words = name.split(separator: "-", omittingEmptySubsequences: false)
        return !words.isEmpty && words.allSatisfy { word in !word.isEmpty && word.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) } }
    }
}
