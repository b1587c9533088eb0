/// One API call, relative to `/api2/json`: path segments unencoded (the transport encodes them,
/// so a UPID's `:` and `!` survive), GET/DELETE parameters for the query string, POST/PUT
/// parameters for a JSON body, or an ISO upload.
public struct ProxmoxRequest: Sendable, Equatable {
    public enum Body: Sendable, Equatable {
        case none
        case json(ProxmoxParameters)
        case upload(ProxmoxUpload)
    }

    /// Which timeout applies: a quick read, a task dispatch, or a long transfer.
    public enum Purpose: Sendable, Equatable {
        case read, dispatch, transfer
    }

    public var method: String
    public var path: [String]
    public var query: [ProxmoxQueryItem]
    public var body: Body
    public var purpose: Purpose

    public init(_ method: String, _ path: [String], query: [ProxmoxQueryItem] = [], body: Body = .none, purpose: Purpose? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.purpose = purpose ?? (method == "GET" ? .read : .dispatch)
    }

    /// `/nodes/pve/tasks/UPID%3Apve%3A...`: every segment percent-encoded.
    public var encodedPath: String {
        path.map { "/" + ProxmoxURLEncoding.encode($0) }.joined()
    }

    /// `vmid=100&typefilter=qmcreate`, empty when there is none; booleans as 1/0 (form rules).
    public var encodedQuery: String {
        query.map { "\(ProxmoxURLEncoding.encode($0.name))=\(ProxmoxURLEncoding.encode($0.value.description))" }
            .joined(separator: "&")
    }

    /// `POST /nodes/pve/qemu`: what error messages name (no query, no token).
    public var call: String { "\(method) /" + path.joined(separator: "/") }

    /// Every parameter the request carries, by API name, whatever way it travels.
    public var parameters: [String: ProxmoxValue] {
        var all: [String: ProxmoxValue] = [:]
        for item in query { all[item.name] = item.value }
        switch body {
        case .none: break
        case .json(let values): all.merge(values) { _, body in body }
        case .upload(let upload):
            for (name, value) in ProxmoxUploadForm.fields(of: upload) { all[name] = .string(value) }
            all["filename"] = .string(upload.filename)
        }
        return all
    }
}

/// One query-string parameter; order is kept so requests are reproducible.
public struct ProxmoxQueryItem: Sendable, Equatable {
    public var name: String
    public var value: ProxmoxValue

    public init(_ name: String, _ value: ProxmoxValue) {
        self.name = name
        self.value = value
    }
}
