import Foundation

/// Writes a command's output to a file the operator named, and says what is really in the way
/// when it cannot: Foundation only says "The operation could not be completed".
enum OutputFile {
    struct Failure: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "cannot write \(path): \(reason)" }
    }

    static func write(_ text: String, to path: String) throws(Failure) {
        let files = FileManager.default
        let named = (path as NSString).deletingLastPathComponent
        let directory = named.isEmpty ? "." : named
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw Failure(path: path, reason: "the directory \(directory) does not exist")
        }
        guard isDirectory.boolValue else { throw Failure(path: path, reason: "\(directory) is not a directory") }
        if files.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw Failure(path: path, reason: "it is a directory")
        }
        // Atomic: the file is written beside, then renamed, so the directory must be writable.
        guard access(directory, W_OK) == 0 else {
            throw Failure(path: path, reason: "the directory \(directory) is not writable: \(String(cString: strerror(errno)))")
        }
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
            throw Failure(path: path, reason: underlying.map { String(cString: strerror(Int32($0.code))) } ?? error.localizedDescription)
        }
    }
}
