import Foundation

/// A file read in pieces for EtcdRecover: the next piece is read only when the upload asks for
/// it, so a snapshot of any size is sent without holding it in memory. talosctl sends 4 KiB.
public struct TalosFileChunks: AsyncSequence, Sendable {
    public typealias Element = [UInt8]

    public let path: String
    public let chunkSize: Int

    public init(path: String, chunkSize: Int = 4096) {
        self.path = path
        self.chunkSize = Swift.max(1, chunkSize)
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(path: path, chunkSize: chunkSize)
    }

    public struct Iterator: AsyncIteratorProtocol {
        let path: String
        let chunkSize: Int
        private var handle: FileHandle?
        private var finished = false

        init(path: String, chunkSize: Int) {
            self.path = path
            self.chunkSize = chunkSize
        }

        public mutating func next() async throws -> [UInt8]? {
            if finished { return nil }
            if handle == nil { handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path)) }
            guard let data = try handle?.read(upToCount: chunkSize), !data.isEmpty else {
                try handle?.close()
                finished = true
                return nil
            }
            return [UInt8](data)
        }
    }
}
