import CCurl
import COpenSSL
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One request in flight: what to send, and where its head, body and trailers go. Its curl
/// callbacks run on the event-loop thread; callers' tasks only see the thread-safe outlets
/// (`head`, `response`, `trailers`) and may `cancel()` from anywhere.
final class CurlTransfer: @unchecked Sendable {
    enum Outcome {
        case success
        case failure(HTTPError.Kind)
    }

    struct Plan: Sendable {
        var method: String
        var url: String
        var headers: HTTPHeaders
        var body: (any RequestBodySource)?
        var totalTimeout: Duration?
        var lowSpeed: HTTPTimeouts.LowSpeed?
        var progress: (@Sendable (HTTPProgress) -> Void)?
        var signature: HTTPAWSSignature? = nil
    }

    let id: UInt64
    let plan: Plan
    let configuration: HTTPClientConfiguration
    let head = HTTPOneShot<HTTPResponseHead>()
    let trailers = HTTPOneShot<HTTPHeaders>()
    let response: ResponseBodyChannel
    private let loop: CurlEventLoop
    private let finished = Mutex(false)

    // Event-loop thread only.
    private(set) var easy: CurlEasyHandle?
    private var parser = ResponseHeaderParser()
    private var pinMismatch: (expected: String, actual: String)?
    private var localFailure: String?
    private var serverAskedForCertificate = false
    private var lastProgress: UInt64 = 0

    private static let counter = Mutex<UInt64>(0)

    /// Ids come first so a streaming body can name its transfer when it asks the loop to resume it.
    static func nextID() -> UInt64 {
        counter.withLock {
            $0 += 1
            return $0
        }
    }

    init(id: UInt64 = CurlTransfer.nextID(), plan: Plan, configuration: HTTPClientConfiguration, loop: CurlEventLoop) {
        self.id = id
        self.plan = plan
        self.configuration = configuration
        self.loop = loop
        response = ResponseBodyChannel(limit: configuration.responseBufferLimit) { [loop] in loop.submit(.resume(id)) }
    }

    var isFinished: Bool { finished.withLock { $0 } }

    func start() { loop.submit(.start(self)) }

    /// From any thread: fails every outlet as cancelled now; the loop then drops the connection.
    func cancel() {
        complete(.failure(.cancelled))
        loop.submit(.cancel(self))
    }

    func error(_ kind: HTTPError.Kind) -> HTTPError { HTTPError(kind, method: plan.method, url: plan.url) }

    /// Settles every outlet once; later calls do nothing.
    func complete(_ outcome: Outcome) {
        guard
            finished.withLock({ done in
                defer { done = true }
                return !done
            })
        else { return }
        switch outcome {
        case .success:
            // Success is only ever reported by the loop thread, which owns the parser.
            if parser.head == nil { head.resolve(.failure(error(.connectionDropped("no response head")))) }
            reportFinalProgress()
            trailers.resolve(.success(parser.trailers))
            response.finish(.success(()))
            plan.body?.close(nil)
        case .failure(let kind):
            let failure = error(kind)
            head.resolve(.failure(failure))
            trailers.resolve(.failure(failure))
            response.finish(.failure(failure))
            plan.body?.close(failure)
        }
    }

    // MARK: event-loop thread

    func install(_ easy: CurlEasyHandle) { self.easy = easy }

    func releaseEasy() { easy = nil }

    func receiveHeader(_ bytes: UnsafeRawBufferPointer) -> Int {
        _ = loop.callbackThreads.withLock { $0.insert(UInt(pthread_self())) }
        if let complete = parser.consume(String(decoding: bytes, as: UTF8.self)) {
            head.resolve(.success(complete))
        }
        return bytes.count
    }

    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        switch response.offer(bytes) {
        case .taken: return bytes.count
        case .takenReaderWaiting:
            loop.flushAfterRound(self)
            return bytes.count
        case .pause: return hl_writefunc_pause()
        case .closed: return 0
        }
    }

    func sendBody(_ buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let body = plan.body else { return 0 }
        switch body.read(into: buffer) {
        case .bytes(let count): return count
        case .end: return 0
        case .pause: return hl_readfunc_pause()
        case .failed(let reason):
            localFailure = reason
            return hl_readfunc_abort()
        }
    }

    func reportProgress(received: Int64, totalToReceive: Int64, sent: Int64, totalToSend: Int64) {
        guard let progress = plan.progress else { return }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let nanoseconds = UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
        guard nanoseconds - lastProgress >= 50_000_000 else { return }
        lastProgress = nanoseconds
        progress(
            HTTPProgress(
                sentBytes: sent, totalToSend: plan.body?.length ?? (totalToSend > 0 ? totalToSend : nil),
                receivedBytes: received, totalToReceive: totalToReceive > 0 ? totalToReceive : nil))
    }

    private func reportFinalProgress() {
        guard let progress = plan.progress, let easy else { return }
        let received = easy.offset(CURLINFO_SIZE_DOWNLOAD_T)
        let sent = easy.offset(CURLINFO_SIZE_UPLOAD_T)
        let total = easy.offset(CURLINFO_CONTENT_LENGTH_DOWNLOAD_T)
        progress(
            HTTPProgress(
                sentBytes: sent, totalToSend: plan.body?.length ?? (plan.body == nil ? 0 : sent),
                receivedBytes: received, totalToReceive: total >= 0 ? total : received))
    }

    static let sslContextIndex = hl_ssl_ctx_new_index()

    /// Inside CURLOPT_SSL_CTX_FUNCTION, for each new connection this transfer opens.
    func prepareTLS(_ context: OpaquePointer, _ me: UnsafeMutableRawPointer) {
        SSL_CTX_set_ex_data(context, Self.sslContextIndex, me)
        // Only called when no client certificate is configured (OpenSSL skips it otherwise).
        SSL_CTX_set_client_cert_cb(context) { ssl, _, _ in
            if let ssl, let me = hl_ssl_ctx_data_of(ssl, CurlTransfer.sslContextIndex) {
                Unmanaged<CurlTransfer>.fromOpaque(me).takeUnretainedValue().serverAskedForCertificate = true
            }
            return 0
        }
        if configuration.trust.isPinned {
            SSL_CTX_set_cert_verify_callback(
                context,
                { store, argument in
                    Unmanaged<CurlTransfer>.fromOpaque(argument!).takeUnretainedValue().verifyPeer(store)
                }, me)
        }
    }

    /// OpenSSL's verify hook in pinned mode: replaces chain verification with the pin check, during
    /// the handshake, so a wrong server never sees a request byte.
    func verifyPeer(_ store: OpaquePointer?) -> Int32 {
        let expected: String
        let actual: String
        switch configuration.trust {
        case .pinnedCertificate(let pin):
            guard let digest = Self.digestOfLeaf(store, spki: false) else { return 0 }
            if digest == pin.bytes { return 1 }
            (expected, actual) = (pin.description, Digest.colonHex(digest))
        case .pinnedPublicKey(let pin):
            guard let digest = Self.digestOfLeaf(store, spki: true) else { return 0 }
            if digest == pin.digest { return 1 }
            (expected, actual) = (pin.description, HTTPPublicKeyPin(digest: digest).description)
        default:
            return 0
        }
        pinMismatch = (expected, actual)
        return 0
    }

    private static func digestOfLeaf(_ store: OpaquePointer?, spki: Bool) -> [UInt8]? {
        guard let store, let leaf = X509_STORE_CTX_get0_cert(store) else { return nil }
        var der = [UInt8](repeating: 0, count: 16384)
        let length = der.withUnsafeMutableBufferPointer { buffer in
            spki
                ? hl_x509_spki_der(leaf, buffer.baseAddress, Int32(buffer.count))
                : hl_x509_der(leaf, buffer.baseAddress, Int32(buffer.count))
        }
        guard length > 0 else { return nil }
        return Digest.sha256(Array(der.prefix(Int(length))))
    }

    /// What a failed curl code means for the caller (while the easy handle still exists).
    func failure(for code: CURLcode) -> HTTPError.Kind {
        let message = easy?.errorMessage ?? String(cString: curl_easy_strerror(code))
        if let pinMismatch { return .pinMismatch(expected: pinMismatch.expected, actual: pinMismatch.actual) }
        if let localFailure { return .localIO(localFailure) }
        let kind = CurlFailure.kind(
            code: code, message: message, osErrno: easy?.long(CURLINFO_OS_ERRNO) ?? 0,
            url: plan.url, cancelled: isFinished)
        guard serverAskedForCertificate, configuration.identity == nil else { return kind }
        switch kind {
        case .connectionDropped, .tlsHandshakeFailed:
            return .tlsHandshakeFailed("the server requires a client certificate and none is configured (\(message))")
        default:
            return kind
        }
    }
}
