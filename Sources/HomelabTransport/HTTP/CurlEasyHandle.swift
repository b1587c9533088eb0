import CCurl

/// Owns one libcurl easy handle, its header list and its error buffer; frees them once, together.
/// Used only on the event-loop thread.
final class CurlEasyHandle {
    let raw: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>

    init?() {
        guard let raw = curl_easy_init() else { return nil }
        self.raw = raw
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        _ = hl_easy_setopt_ptr(raw, CURLOPT_ERRORBUFFER, errorBuffer)
    }

    deinit {
        curl_easy_cleanup(raw)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// curl's own words for the last failure, or nil.
    var errorMessage: String? {
        let text = String(cString: errorBuffer)
        return text.isEmpty ? nil : text
    }

    func set(_ option: CURLoption, _ value: Int) throws(CurlSetupFailure) {
        try check(hl_easy_setopt_long(raw, option, value), option)
    }

    func set(_ option: CURLoption, _ value: Int64) throws(CurlSetupFailure) {
        try check(hl_easy_setopt_off(raw, option, curl_off_t(value)), option)
    }

    /// Strings are copied by libcurl; nil resets the option.
    func set(_ option: CURLoption, _ value: String?) throws(CurlSetupFailure) {
        guard let value else { return try check(hl_easy_setopt_ptr(raw, option, nil), option) }
        let code = value.withCString { hl_easy_setopt_ptr(raw, option, $0) }
        try check(code, option)
    }

    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws(CurlSetupFailure) {
        try check(hl_easy_setopt_ptr(raw, option, pointer), option)
    }

    /// PEM in memory (CA, certificate, key); libcurl copies it.
    func set(_ option: CURLoption, blob: String) throws(CurlSetupFailure) {
        var text = blob
        let code = text.withUTF8 { hl_easy_setopt_blob(raw, option, $0.baseAddress, $0.count) }
        try check(code, option)
    }

    func setHeaders(_ lines: [String]) throws(CurlSetupFailure) {
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines {
            guard let next = curl_slist_append(list, line) else {
                curl_slist_free_all(list)
                throw CurlSetupFailure(option: "CURLOPT_HTTPHEADER", code: -1)
            }
            list = next
        }
        curl_slist_free_all(headerList)
        headerList = list
        try check(hl_easy_setopt_ptr(raw, CURLOPT_HTTPHEADER, list), CURLOPT_HTTPHEADER)
    }

    func long(_ info: CURLINFO) -> Int {
        var value = 0
        _ = hl_easy_getinfo_long(raw, info, &value)
        return value
    }

    func offset(_ info: CURLINFO) -> Int64 {
        var value: curl_off_t = 0
        _ = hl_easy_getinfo_off(raw, info, &value)
        return Int64(value)
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws(CurlSetupFailure) {
        guard code == CURLE_OK else {
            throw CurlSetupFailure(option: "option \(option.rawValue)", code: Int(code.rawValue))
        }
    }
}

/// libcurl refused an option (an old libcurl, or a value it does not accept).
struct CurlSetupFailure: Error, CustomStringConvertible {
    let option: String
    let code: Int
    var description: String {
        let reason = code >= 0 ? String(cString: curl_easy_strerror(CURLcode(UInt32(code)))) : "out of memory"
        return "libcurl refused \(option): \(reason)"
    }
}
