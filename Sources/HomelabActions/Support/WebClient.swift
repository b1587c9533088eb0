import HomelabCore

/// What actions need of HTTP: one request, its whole (bounded) answer. The live client rides
/// HomelabTransport's libcurl client; tests can hand in a double.
public protocol WebClient: Sendable {
    func fetch(_ request: WebRequest) async throws -> WebResponse
}

/// How the server's certificate is trusted.
public enum WebTrust: Sendable, Equatable, Hashable {
    /// The system's certificate authorities.
    case system
    /// A CA certificate (PEM file): private PKI such as Talos' or a homelab CA.
    case authority(path: String)
    /// One exact certificate, by its SHA-256 fingerprint (`AA:BB:...`), as Proxmox shows it.
    case fingerprint(String)
    /// No verification at all; only ever chosen explicitly by the runbook.
    case insecure
}

public struct WebRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: [UInt8]
    public var trust: WebTrust
    public var timeout: Duration

    public init(
        method: String = "GET", url: String, headers: [(String, String)] = [], body: [UInt8] = [], trust: WebTrust = .system, timeout: Duration = .seconds(30)
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.trust = trust
        self.timeout = timeout
    }
}

public struct WebResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    /// At most `WebResponse.bodyLimit` bytes; enough for checks and API answers.
    public var body: [UInt8]

    public static let bodyLimit = 1 << 20

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var text: String { String(decoding: body, as: UTF8.self) }

    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}
