import Foundation
import HomelabTransport

/// `ssh-push`: streams N bytes from memory into `cat > /dev/null` over one exec channel and
/// prints {bytes, seconds, mbps} (mbps = 10^6 bytes per second), for bench/ssh_bench.py.
enum SSHBench {
    struct Options {
        var host = "127.0.0.1", port = 22, user = "", key = "", knownHosts = ""
        var bytes = 1 << 30, cipher = "aes128-ctr", mac = "hmac-sha2-256", window = 8 << 20, chunk = 1 << 20
    }

    static func run(_ arguments: [String]) async -> Int32 {
        guard let options = parse(arguments) else {
            FileHandle.standardError.write(
                Data(
                    ("usage: transport-bench ssh-push --host H --port P --user U --key K "
                        + "--known-hosts F --bytes N [--cipher aes128-ctr] [--mac hmac-sha2-256] [--window BYTES] [--chunk BYTES]\n").utf8))
            return 2
        }
        do {
            let client = try await SSHClient.connect(
                SSHConfiguration(
                    host: options.host, port: options.port, user: options.user,
                    credentials: [.privateKey(path: options.key)], knownHostsPath: options.knownHosts,
                    ciphers: [options.cipher], macs: [options.mac], channelWindow: options.window))
            let source = RepeatedBlock(total: options.bytes, blockSize: options.chunk)
            let started = ContinuousClock.now
            let status = try await client.execute(
                "cat > /dev/null", stdin: .chunks(source), stdout: SSHDiscardOutput(),
                stderr: SSHDiscardOutput(), timeout: .seconds(3600))
            let elapsed = ContinuousClock.now - started
            await client.close()
            guard status.succeeded else {
                FileHandle.standardError.write(Data("remote cat ended with \(status)\n".utf8))
                return 1
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let mbps = Double(options.bytes) / seconds / 1e6
            print(#"{"bytes": \#(options.bytes), "seconds": \#(String(format: "%.3f", seconds)), "mbps": \#(String(format: "%.1f", mbps))}"#)
            return 0
        } catch {
            FileHandle.standardError.write(Data("ssh-push failed: \(error)\n".utf8))
            return 1
        }
    }

    private static func parse(_ arguments: [String]) -> Options? {
        var options = Options()
        var index = 0
        while index + 1 < arguments.count {
            let value = arguments[index + 1]
            switch arguments[index] {
            case "--host": options.host = value
            case "--port": options.port = Int(value) ?? 0
            case "--user": options.user = value
            case "--key": options.key = value
            case "--known-hosts": options.knownHosts = value
            case "--bytes": options.bytes = Int(value) ?? 0
            case "--cipher": options.cipher = value
            case "--mac": options.mac = value
            case "--window": options.window = Int(value) ?? 0
            case "--chunk": options.chunk = Int(value) ?? 0
            default: return nil
            }
            index += 2
        }
        let complete =
            index == arguments.count && !options.user.isEmpty && !options.key.isEmpty
            && !options.knownHosts.isEmpty && options.bytes > 0 && options.port > 0 && options.window > 0 && options.chunk > 0
        return complete ? options : nil
    }
}

/// `total` bytes as one pseudo-random block handed out again and again (no copy: arrays share storage).
private struct RepeatedBlock: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let total: Int
    let block: [UInt8]

    init(total: Int, blockSize: Int) {
        self.total = total
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        block = (0..<blockSize).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let source: RepeatedBlock
        var sent = 0

        mutating func next() async -> [UInt8]? {
            let left = source.total - sent
            guard left > 0 else { return nil }
            sent += Swift.min(left, source.block.count)
            return left >= source.block.count ? source.block : Array(source.block.prefix(left))
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(source: self) }
}
