import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Name resolution with a deadline: getaddrinfo() blocks, so it runs on a helper thread and we
/// stop waiting for it when the deadline passes or the operation is cancelled.
enum SSHResolver {
    struct Address: Sendable {
        let family: Int32
        let storage: [UInt8]
        let length: socklen_t
    }

    private final class Outcome: Sendable {
        let found = Mutex<(addresses: [Address]?, failure: String?)>((nil, nil))
        let done = DispatchSemaphore(value: 0)
    }

    static func resolve(
        host: String, port: Int, endpoint: String, deadline: SSHDeadline,
        control: SSHJobControl
    ) throws -> [Address] {
        let outcome = Outcome()
        let thread = Thread {
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            hints.ai_family = AF_UNSPEC
            var list: UnsafeMutablePointer<addrinfo>?
            let status = getaddrinfo(host, String(port), &hints, &list)
            var found: [Address] = []
            var cursor = list
            while let entry = cursor {
                let info = entry.pointee
                if let address = info.ai_addr {
                    let bytes = UnsafeRawBufferPointer(start: address, count: Int(info.ai_addrlen))
                    found.append(Address(family: info.ai_family, storage: Array(bytes), length: info.ai_addrlen))
                }
                cursor = info.ai_next
            }
            if list != nil { freeaddrinfo(list) }
            outcome.found.withLock {
                if status != 0 { $0.failure = String(cString: gai_strerror(status)) } else { $0.addresses = found }
            }
            outcome.done.signal()
        }
        thread.start()
        while outcome.done.wait(timeout: .now() + .milliseconds(50)) == .timedOut {
            if control.isCancelled { throw SSHError.cancelled(endpoint: endpoint, phase: .resolve) }
            if deadline.expired { throw deadline.timeout(endpoint, .resolve) }
        }
        let (addresses, failure) = outcome.found.withLock { ($0.addresses, $0.failure) }
        guard let addresses, !addresses.isEmpty else {
            throw SSHError.nameResolution(endpoint: endpoint, reason: failure ?? "no addresses")
        }
        return addresses
    }
}
