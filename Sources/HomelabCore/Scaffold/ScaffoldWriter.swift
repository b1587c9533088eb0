import Foundation

/// Writes generated files under a root, never over anything: each file is created with O_EXCL,
/// and on any failure everything this call created is removed again, so a refused or failed
/// `service add` leaves the tree as it found it.
public enum ScaffoldWriter {
    public static func write(_ files: [ScaffoldFile], under root: String) throws(ScaffoldError) {
        var createdFiles: [String] = []
        var createdDirectories: [String] = []
        do {
            for file in files {
                let full = (root as NSString).appendingPathComponent(file.path)
                createdDirectories += try makeParents(of: full)
                try create(full, text: file.text)
                createdFiles.append(full)
            }
        } catch {
            for path in createdFiles.reversed() { unlink(path) }
            for path in createdDirectories.reversed() { rmdir(path) }
            throw error
        }
    }

    /// Creates the missing parent directories, returning them outermost first.
    private static func makeParents(of path: String) throws(ScaffoldError) -> [String] {
        var missing: [String] = []
        var directory = (path as NSString).deletingLastPathComponent
        while !directory.isEmpty, directory != "/", !FileManager.default.fileExists(atPath: directory) {
            missing.insert(directory, at: 0)
            directory = (directory as NSString).deletingLastPathComponent
        }
        var created: [String] = []
        for directory in missing {
            guard mkdir(directory, 0o755) == 0 || errno == EEXIST else {
                let reason = String(cString: strerror(errno))
                for made in created.reversed() { rmdir(made) }
                throw .writeFailed(path: directory, reason: reason)
            }
            created.append(directory)
        }
        return created
    }

    private static func create(_ path: String, text: String) throws(ScaffoldError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let reason = errno == EEXIST ? "it already exists" : String(cString: strerror(errno))
            throw .writeFailed(path: path, reason: reason)
        }
        defer { close(descriptor) }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                let reason = String(cString: strerror(errno))
                unlink(path)
                throw .writeFailed(path: path, reason: reason)
            }
            bytes = bytes.dropFirst(written)
        }
    }
}

/// write(2); inside `ScaffoldWriter` the name is its own `write`.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
