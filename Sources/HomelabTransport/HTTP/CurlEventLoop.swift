import CCurl
import Foundation
import Synchronization

/// One thread per client drives all of its transfers through one libcurl multi handle: however
/// many requests run, they share this thread and its connection pool. Other threads never touch
/// the multi or an easy handle; they queue commands and wake the loop (curl_multi_wakeup).
final class CurlEventLoop: @unchecked Sendable {
    enum Command {
        case start(CurlTransfer)
        case resume(UInt64)
        case cancel(CurlTransfer)
    }

    private let multi: UnsafeMutableRawPointer
    private struct Inbox {
        var commands: [Command] = []
        var stopping = false
    }
    private let inbox = Mutex(Inbox())
    /// Event-loop thread only: the transfers attached to the multi, by easy handle.
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private var activeByID: [UInt64: CurlTransfer] = [:]
    /// Event-loop thread only: transfers whose waiting reader gets this round's bytes at its end.
    private var flushes: [UInt64: CurlTransfer] = [:]
    /// Threads that ran transfer callbacks (tests prove it is always exactly one).
    let callbackThreads = Mutex(Set<UInt>())

    private static let globalInit: Int32 = {
        _ = TransportLibraries.prepared
        return Int32(curl_global_init(hl_global_default()).rawValue)
    }()

    init() throws(CurlSetupFailure) {
        guard Self.globalInit == 0, let multi = curl_multi_init() else {
            throw CurlSetupFailure(option: "curl_multi_init", code: Int(CURLE_FAILED_INIT.rawValue))
        }
        self.multi = multi
        _ = hl_multi_setopt_long(multi, CURLMOPT_PIPELINING, hl_pipe_multiplex())
        let thread = Thread { [self] in run() }
        thread.name = "homelab-http"
        thread.start()
    }

    deinit { curl_multi_cleanup(multi) }

    func submit(_ command: Command) {
        let accepted = inbox.withLock { inbox -> Bool in
            guard !inbox.stopping else { return false }
            inbox.commands.append(command)
            return true
        }
        if accepted {
            curl_multi_wakeup(multi)
        } else if case .start(let transfer) = command {
            transfer.complete(.failure(.cancelled))
        }
    }

    /// Ends the loop: transfers still running fail as cancelled.
    func stop() {
        inbox.withLock { $0.stopping = true }
        curl_multi_wakeup(multi)
    }

    private func run() {
        while true {
            let (commands, stopping) = inbox.withLock { inbox in
                defer { inbox.commands = [] }
                return (inbox.commands, inbox.stopping)
            }
            for command in commands { handle(command) }
            if stopping { break }
            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            flushReaders()
            collectFinished()
            var ready: Int32 = 0
            _ = curl_multi_poll(multi, nil, 0, 1000, &ready)
        }
        for transfer in Array(active.values) { detach(transfer, .failure(.cancelled)) }
    }

    private func handle(_ command: Command) {
        switch command {
        case .start(let transfer):
            guard !transfer.isFinished else { return }
            do {
                let easy = try transfer.attach()
                active[easy.raw] = transfer
                activeByID[transfer.id] = transfer
                let code = curl_multi_add_handle(multi, easy.raw)
                if code != CURLM_OK {
                    active[easy.raw] = nil
                    activeByID[transfer.id] = nil
                    transfer.releaseEasy()
                    transfer.complete(.failure(.transport(code: Int(code.rawValue), String(cString: curl_multi_strerror(code)))))
                }
            } catch {
                transfer.complete(.failure(error.kind))
            }
        case .resume(let id):
            guard let easy = activeByID[id]?.easy else { return }
            _ = curl_easy_pause(easy.raw, hl_pause_cont())
        case .cancel(let transfer):
            guard transfer.easy.map({ active[$0.raw] != nil }) == true else { return }
            detach(transfer, .failure(.cancelled))
        }
    }

    /// Event-loop thread: called from a write callback.
    func flushAfterRound(_ transfer: CurlTransfer) { flushes[transfer.id] = transfer }

    private func flushReaders() {
        guard !flushes.isEmpty else { return }
        for transfer in flushes.values { transfer.response.flush() }
        flushes.removeAll(keepingCapacity: true)
    }

    private func collectFinished() {
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard hl_msg_is_done(message) != 0, let transfer = active[hl_msg_easy(message)] else { continue }
            let code = hl_msg_result(message)
            detach(transfer, code == CURLE_OK ? .success : .failure(transfer.failure(for: code)))
        }
    }

    private func detach(_ transfer: CurlTransfer, _ result: CurlTransfer.Outcome) {
        guard let easy = transfer.easy else { return }
        _ = curl_multi_remove_handle(multi, easy.raw)
        active[easy.raw] = nil
        activeByID[transfer.id] = nil
        transfer.complete(result)
        transfer.releaseEasy()
    }
}
