import CCurl
import COpenSSL

/// Turns a transfer's plan and the client's configuration into easy-handle options, on the
/// event-loop thread. The callbacks get the transfer unretained: the loop holds it while attached.
extension CurlTransfer {
    func attach() throws(HTTPError) -> CurlEasyHandle {
        guard let easy = CurlEasyHandle() else { throw error(.transport(code: 2, "curl_easy_init failed")) }
        do {
            try configure(easy)
        } catch {
            throw self.error(.invalidRequest(error.description))
        }
        install(easy)
        return easy
    }

    private func configure(_ easy: CurlEasyHandle) throws(CurlSetupFailure) {
        let me = Unmanaged.passUnretained(self).toOpaque()
        try easy.set(CURLOPT_URL, plan.url)
        try easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        try easy.set(CURLOPT_NOSIGNAL, 1)
        // Management traffic goes straight to the lab, never through an environment proxy.
        try easy.set(CURLOPT_PROXY, "")
        try easy.set(CURLOPT_USERAGENT, configuration.userAgent)
        let cleartextH2 = configuration.cleartextHTTP2 && plan.url.lowercased().hasPrefix("http://")
        try easy.set(CURLOPT_HTTP_VERSION, cleartextH2 ? CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE : CURL_HTTP_VERSION_2TLS)
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, max(1, configuration.timeouts.connect.milliseconds))
        if let total = plan.totalTimeout { try easy.set(CURLOPT_TIMEOUT_MS, max(1, total.milliseconds)) }
        if let lowSpeed = plan.lowSpeed {
            try easy.set(CURLOPT_LOW_SPEED_LIMIT, lowSpeed.bytesPerSecond)
            try easy.set(CURLOPT_LOW_SPEED_TIME, max(1, lowSpeed.duration.milliseconds / 1000))
        }
        try easy.set(CURLOPT_BUFFERSIZE, 512 * 1024)
        try configureMethod(easy, me)
        try configureHeaders(easy)
        if let signature = plan.signature {
            try easy.set(CURLOPT_AWS_SIGV4, signature.provider)
            try easy.set(CURLOPT_USERNAME, signature.accessKey)
            try easy.set(CURLOPT_PASSWORD, signature.secretKey)
        }
        try configureTLS(easy, me)

        try easy.set(CURLOPT_HEADERDATA, pointer: me)
        try check(
            hl_easy_setopt_data_callback(easy.raw, CURLOPT_HEADERFUNCTION) { data, size, count, user in
                Unmanaged<CurlTransfer>.fromOpaque(user!).takeUnretainedValue()
                    .receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
            })
        try easy.set(CURLOPT_WRITEDATA, pointer: me)
        try check(
            hl_easy_setopt_data_callback(easy.raw, CURLOPT_WRITEFUNCTION) { data, size, count, user in
                Unmanaged<CurlTransfer>.fromOpaque(user!).takeUnretainedValue()
                    .receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
            })
        if plan.progress != nil {
            try easy.set(CURLOPT_NOPROGRESS, 0)
            try easy.set(CURLOPT_XFERINFODATA, pointer: me)
            try check(
                hl_easy_setopt_xferinfo(easy.raw) { user, downloadTotal, downloaded, uploadTotal, uploaded in
                    Unmanaged<CurlTransfer>.fromOpaque(user!).takeUnretainedValue().reportProgress(
                        received: Int64(downloaded), totalToReceive: Int64(downloadTotal),
                        sent: Int64(uploaded), totalToSend: Int64(uploadTotal))
                    return 0
                })
        }
    }

    private func configureMethod(_ easy: CurlEasyHandle, _ me: UnsafeMutableRawPointer) throws(CurlSetupFailure) {
        let method = plan.method.uppercased()
        guard let body = plan.body else {
            switch method {
            case "GET": try easy.set(CURLOPT_HTTPGET, 1)
            case "HEAD": try easy.set(CURLOPT_NOBODY, 1)
            case "POST", "PUT", "PATCH":
                // An empty body still says Content-Length: 0 (some APIs refuse a bare POST).
                try easy.set(CURLOPT_POSTFIELDSIZE, 0)
                try easy.set(CURLOPT_POSTFIELDS, "")
                try easy.set(CURLOPT_CUSTOMREQUEST, plan.method)
            default: try easy.set(CURLOPT_CUSTOMREQUEST, plan.method)
            }
            return
        }
        // Upload mode streams any method's body from the read callback: Content-Length when the
        // size is known, chunked (HTTP/1.1) or plain DATA frames (HTTP/2) when it is not.
        try easy.set(CURLOPT_UPLOAD, 1)
        try easy.set(CURLOPT_CUSTOMREQUEST, plan.method)
        try easy.set(CURLOPT_INFILESIZE_LARGE, body.length ?? -1)
        try easy.set(CURLOPT_UPLOAD_BUFFERSIZE, 256 * 1024)
        try easy.set(CURLOPT_READDATA, pointer: me)
        try check(
            hl_easy_setopt_data_callback(easy.raw, CURLOPT_READFUNCTION) { data, size, count, user in
                Unmanaged<CurlTransfer>.fromOpaque(user!).takeUnretainedValue()
                    .sendBody(UnsafeMutableRawBufferPointer(start: data, count: size * count))
            })
    }

    private func configureHeaders(_ easy: CurlEasyHandle) throws(CurlSetupFailure) {
        var lines: [String] = []
        for (name, value) in plan.headers {
            // Empty values need curl's "Name;" form, or curl would drop the header.
            lines.append(value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        // No 100-continue round trip: bodies go out at once (the server may still refuse). Not for
        // a signed request: libcurl 7.88 signs every listed header, the empty `Expect:` among them,
        // but never sends it, so the server's signature differs (moto: SignatureDoesNotMatch).
        // Signed uploads keep the round trip, which lets S3 refuse a bad signature before the body.
        if plan.headers["Expect"] == nil, plan.signature == nil { lines.append("Expect:") }
        try easy.setHeaders(lines)
    }

    private func configureTLS(_ easy: CurlEasyHandle, _ me: UnsafeMutableRawPointer) throws(CurlSetupFailure) {
        switch configuration.trust {
        case .systemAuthorities:
            break
        case .certificateAuthority(let pem):
            try easy.set(CURLOPT_CAINFO, nil)
            try easy.set(CURLOPT_CAPATH, nil)
            try easy.set(CURLOPT_CAINFO_BLOB, blob: pem)
        case .certificateAuthorityFile(let path):
            try easy.set(CURLOPT_CAINFO, path)
            try easy.set(CURLOPT_CAPATH, nil)
        case .pinnedCertificate, .pinnedPublicKey:
            // Peer verification stays on so OpenSSL enforces our hook's verdict; the hook checks the
            // pin instead of the chain (self-signed hosts), and host names are not checked.
            try easy.set(CURLOPT_SSL_VERIFYPEER, 1)
            try easy.set(CURLOPT_SSL_VERIFYHOST, 0)
            try easy.set(CURLOPT_CAINFO, nil)
            try easy.set(CURLOPT_CAPATH, nil)
            // A resumed session skips certificate verification, and with it the pin check.
            try easy.set(CURLOPT_SSL_SESSIONID_CACHE, 0)
        case .insecureNoVerification:
            try easy.set(CURLOPT_SSL_VERIFYPEER, 0)
            try easy.set(CURLOPT_SSL_VERIFYHOST, 0)
        }
        // Every new connection's SSL_CTX gets our hooks: the pin check, and a note when the server
        // asks for a client certificate we do not have (TLS 1.3 servers then just hang up).
        try easy.set(CURLOPT_SSL_CTX_DATA, pointer: me)
        try check(
            hl_easy_setopt_ssl_ctx(easy.raw) { _, context, user in
                Unmanaged<CurlTransfer>.fromOpaque(user!).takeUnretainedValue().prepareTLS(OpaquePointer(context!), user!)
                return CURLE_OK
            })
        if let identity = configuration.identity {
            try easy.set(CURLOPT_SSLCERTTYPE, "PEM")
            try easy.set(CURLOPT_SSLCERT_BLOB, blob: identity.certificatePEM)
            try easy.set(CURLOPT_SSLKEYTYPE, "PEM")
            try easy.set(CURLOPT_SSLKEY_BLOB, blob: identity.keyPEM)
        }
    }

    private func check(_ code: CURLcode) throws(CurlSetupFailure) {
        guard code == CURLE_OK else { throw CurlSetupFailure(option: "callback", code: Int(code.rawValue)) }
    }
}
