/// Reads the regular files of a tar archive in memory (ustar, GNU and PAX as Go's archive/tar
/// writes them): enough for the one-file archive a Talos node sends with the kubeconfig.
/// Extended headers are skipped; only names, types and sizes are read.
enum TarArchive {
    struct Failure: Error, Sendable, CustomStringConvertible {
        let reason: String
        var description: String { "not a valid tar archive: \(reason)" }
    }

    struct Entry: Sendable {
        let name: String
        /// `0` (or NUL) for a regular file.
        let type: UInt8
        let contents: [UInt8]

        var isRegularFile: Bool { type == UInt8(ascii: "0") || type == 0 }
    }

    static func entries(_ archive: [UInt8]) throws(Failure) -> [Entry] {
        var entries: [Entry] = []
        var offset = 0
        while offset + 512 <= archive.count {
            let header = archive[offset..<offset + 512]
            // Two zero blocks end the archive; one is enough to stop reading.
            if header.allSatisfy({ $0 == 0 }) { return entries }
            guard checksumMatches(header) else { throw Failure(reason: "the header at byte \(offset) has a wrong checksum") }
            let size = try number(header, at: 124, length: 12)
            let type = header[header.startIndex + 156]
            let start = offset + 512
            guard size >= 0, start + size <= archive.count else { throw Failure(reason: "the entry at byte \(offset) is cut short") }
            var name = text(header, at: 0, length: 100)
            let prefix = text(header, at: 345, length: 155)
            if text(header, at: 257, length: 6).hasPrefix("ustar"), !prefix.isEmpty { name = prefix + "/" + name }
            entries.append(Entry(name: name, type: type, contents: Array(archive[start..<start + size])))
            offset = start + (size + 511) / 512 * 512
        }
        if offset == archive.count { return entries }
        throw Failure(reason: "it ends inside a header")
    }

    /// The regular file called `name` (a leading `./` ignored).
    static func file(_ name: String, in archive: [UInt8]) throws(Failure) -> [UInt8]? {
        try entries(archive).last { entry in
            entry.isRegularFile && (entry.name == name || entry.name == "./" + name)
        }?.contents
    }

    private static func text(_ header: ArraySlice<UInt8>, at field: Int, length: Int) -> String {
        let bytes = header[(header.startIndex + field)..<(header.startIndex + field + length)].prefix { $0 != 0 }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// An octal field, NUL- or space-terminated (base-256 sizes are for files this never reads).
    private static func number(_ header: ArraySlice<UInt8>, at field: Int, length: Int) throws(Failure) -> Int {
        let digits = text(header, at: field, length: length).trimmingSpaces
        if digits.isEmpty { return 0 }
        guard let value = Int(digits, radix: 8) else { throw Failure(reason: "a size field is not an octal number") }
        return value
    }

    /// The header's checksum: the sum of its bytes with the checksum field counted as spaces.
    private static func checksumMatches(_ header: ArraySlice<UInt8>) -> Bool {
        guard let stored = try? number(header, at: 148, length: 8) else { return false }
        var sum = 0
        for (index, byte) in header.enumerated() { sum += (148..<156).contains(index) ? 32 : Int(byte) }
        return sum == stored
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
