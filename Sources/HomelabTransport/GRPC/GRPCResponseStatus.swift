/// The status a server ends a call with: `grpc-status`, `grpc-message` and
/// `grpc-status-details-bin`, found in the trailers, or in the headers of a Trailers-Only response.
struct GRPCResponseStatus: Equatable {
    var code: GRPCStatusCode
    var message: String
    var details: [UInt8]?

    /// nil when the fields hold no `grpc-status` at all.
    init?(_ fields: HTTPHeaders) {
        guard let raw = fields["grpc-status"].map(Self.trimmed) else { return nil }
        let message = fields["grpc-message"].map(GRPCMessageText.decode) ?? ""
        details = fields["grpc-status-details-bin"].flatMap(Self.decodeBinary)
        if let number = Int(raw), let code = GRPCStatusCode(rawValue: number) {
            self.code = code
            self.message = message
        } else if Int(raw) != nil {
            // A code from a newer gRPC than ours: the specification says to treat it as UNKNOWN.
            code = .unknown
            self.message = "status code \(raw) (unknown to this client): \(message)"
        } else {
            code = .internal
            self.message = "malformed grpc-status \"\(raw.prefix(40))\"; \(message)"
        }
    }

    /// gRPC binary headers are base64, padded or not.
    static func decodeBinary(_ text: String) -> [UInt8]? {
        let trimmed = Self.trimmed(text)
        let padding = String(repeating: "=", count: (4 - trimmed.utf8.count % 4) % 4)
        return Base64.decode(trimmed + padding)
    }

    private static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
            let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return "" }
        return String(Substring(scalars[first...last]))
    }
}
