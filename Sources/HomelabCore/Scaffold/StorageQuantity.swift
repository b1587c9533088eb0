/// A PVC size as Kubernetes reads it: a number with an optional binary or decimal suffix.
public enum StorageQuantity {
    private static let suffixes = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "k", "M", "G", "T", "P", "E"]

    public static func check(_ size: String) throws(ScaffoldError) {
        let suffix = suffixes.first { size.hasSuffix($0) } ?? ""
        let number = size.dropLast(suffix.count)
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        let digitsOnly = parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
        guard (1...2).contains(parts.count), digitsOnly, number.contains(where: { $0 != "0" && $0 != "." }) else {
            throw .invalidStorageSize(size)
        }
    }
}
