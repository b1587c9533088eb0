import Foundation
import HomelabTransport

/// `transport-bench http-get URL [--cacert PATH | --pin FINGERPRINT]`: downloads URL into a
/// discarding sink with HTTPClient and prints {"bytes":..,"seconds":..,"mbps":..} (MB = 10^6 bytes).
enum HTTPBench {
    static func run(_ arguments: [String]) async -> Int32 {
        var url: String?
        var trust = HTTPServerTrust.systemAuthorities
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let value = index + 1 < arguments.count ? arguments[index + 1] : nil
            switch argument {
            case "--cacert":
                guard let value else { return usage("--cacert needs a path") }
                trust = .certificateAuthorityFile(path: value)
                index += 2
            case "--pin":
                guard let value, let pin = HTTPCertificateFingerprint(value) else { return usage("--pin needs a SHA-256 fingerprint") }
                trust = .pinnedCertificate(pin)
                index += 2
            default:
                guard url == nil, !argument.hasPrefix("-") else { return usage("unexpected \(argument)") }
                url = argument
                index += 1
            }
        }
        guard let url else { return usage("a URL is required") }
        do {
            let client = try HTTPClient(
                configuration: HTTPClientConfiguration(
                    trust: trust, timeouts: HTTPTimeouts(total: nil)))
            let sink = HTTPDiscardingSink()
            let clock = ContinuousClock()
            let started = clock.now
            let head = try await client.send(HTTPRequest(url: url), into: sink)
            let elapsed = clock.now - started
            guard (200...299).contains(head.status) else {
                FileHandle.standardError.write(Data("http-get: HTTP \(head.status)\n".utf8))
                return 1
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let mbps = Double(sink.byteCount) / seconds / 1e6
            print(
                "{\"bytes\": \(sink.byteCount), \"seconds\": \(String(format: "%.3f", seconds)), \"mbps\": \(String(format: "%.1f", mbps)), \"http\": \"\(head.version)\"}"
            )
            return 0
        } catch {
            FileHandle.standardError.write(Data("http-get: \(error)\n".utf8))
            return 1
        }
    }

    private static func usage(_ problem: String) -> Int32 {
        FileHandle.standardError.write(Data("http-get: \(problem)\nusage: transport-bench http-get URL [--cacert PATH | --pin FINGERPRINT]\n".utf8))
        return 2
    }
}
