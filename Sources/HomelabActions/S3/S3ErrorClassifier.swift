import HomelabTransport

/// Turns what the server or the transport said into a classified S3Error. S3 answers a refusal
/// with an XML body (`<Error><Code>`, `<Message>`, `<RequestId>`); a HEAD's refusal has no body,
/// so the status alone decides there.
enum S3ErrorClassifier {
    static func from(status: Int, body: [UInt8], call: String, endpoint: S3Endpoint) -> S3Error {
        let xml = String(decoding: body.prefix(16 * 1024), as: UTF8.self)
        let code = S3XML.text("Code", in: xml)
        let requestID = S3XML.text("RequestId", in: xml)
        var message = S3XML.text("Message", in: xml) ?? ""
        if message.isEmpty { message = code == nil ? "HTTP \(status) without an S3 error body" : "no message" }
        let kind = classify(status: status, code: code)
        return S3Error(
            kind, call: call, status: status, code: code, message: message, requestID: requestID,
            hint: hint(kind, code: code, endpoint: endpoint))
    }

    static func classify(status: Int, code: String?) -> S3Error.Kind {
        switch code {
        case "NoSuchKey", "NoSuchUpload", "NoSuchVersion": return .notFound
        case "NoSuchBucket": return .noSuchBucket
        case "SignatureDoesNotMatch", "InvalidAccessKeyId", "InvalidClientTokenId", "AuthorizationHeaderMalformed",
            "MissingSecurityHeader", "InvalidToken", "ExpiredToken":
            return .unauthorized
        case "AccessDenied", "AllAccessDisabled", "AccountProblem": return .forbidden
        case "SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable", "OperationAborted": return .transient
        default: break
        }
        if status >= 500 { return .transient }
        if code == nil {
            if status == 404 { return .notFound }
            // A HEAD refused for its signature or its permissions: no body says which.
            if status == 403 || status == 401 { return .unauthorized }
        }
        return .fatal
    }

    static func hint(_ kind: S3Error.Kind, code: String?, endpoint: S3Endpoint) -> String? {
        switch kind {
        case .unauthorized:
            return "The server refused \(endpoint.credentials) or its signature: check the access-key and secret-key secrets "
                + "the storage policy names for this bucket, and the region (\(endpoint.region))."
        case .forbidden:
            return "\(endpoint.credentials) lacks a permission on bucket \(endpoint.bucket): grant it s3:GetObject, s3:PutObject, "
                + "s3:ListBucket, s3:DeleteObject and the multipart calls."
        case .noSuchBucket:
            return "Create bucket \(endpoint.bucket) at \(endpoint.url), or fix the bucket in the storage policy."
        default:
            return code == "RequestTimeTooSkewed" ? "This machine's clock is off: SigV4 signatures carry the time. Fix the clock." : nil
        }
    }

    /// No answer at all: refused, dropped, timed out.
    static func from(_ error: HTTPError, call: String) throws -> S3Error {
        switch error.kind {
        case .cancelled:
            throw CancellationError()
        case _ where error.isWorthWaitingFor:
            return S3Error(.transient, call: call, message: "no answer: \(error)")
        default:
            return S3Error(.fatal, call: call, message: "\(error)")
        }
    }
}
