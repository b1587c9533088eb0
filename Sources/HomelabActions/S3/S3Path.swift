/// URLs exactly as SigV4 signs them. libcurl 7.88 signs the path and query as they appear in the
/// URL, without normalising them, and the server signs its canonical form, so both are written
/// in that form here: every byte outside the unreserved set percent-encoded (uppercase hex; `/`
/// kept in paths), query parameters sorted by name, each with an `=`.
enum S3Path {
    static func url(_ endpoint: S3Endpoint, key: String?, query: [(String, String)] = []) -> String {
        var url = endpoint.url + "/" + encode(endpoint.bucket, keepSlash: false)
        if let key { url += "/" + encode(key, keepSlash: true) }
        if !query.isEmpty {
            let sorted = query.map { (encode($0.0, keepSlash: false), encode($0.1, keepSlash: false)) }
                .sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
            url += "?" + sorted.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        }
        return url
    }

    /// RFC 3986 unreserved bytes stay; everything else becomes %XX (UTF-8 bytes).
    static func encode(_ text: String, keepSlash: Bool) -> String {
        let hex = Array("0123456789ABCDEF")
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepSlash:
                out += "/"
            default:
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }

    /// `PUT bucket/key`: how errors name a call (no query, no host).
    static func call(_ method: String, _ endpoint: S3Endpoint, key: String?) -> String {
        "\(method) \(endpoint.bucket)" + (key.map { "/\($0)" } ?? "")
    }
}
