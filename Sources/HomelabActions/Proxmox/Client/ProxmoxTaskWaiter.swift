import HomelabCore

/// Waits for a task to stop, polling its status on the host. A task the client cannot follow to
/// its end is reported with its UPID: it may still finish on the host.
public struct ProxmoxTaskWaiter: Sendable {
    public let api: any ProxmoxAPI
    public let context: any ActionContext
    public let pollInterval: Duration

    public init(api: any ProxmoxAPI, context: any ActionContext, pollInterval: Duration = .seconds(1)) {
        self.api = api
        self.context = context
        self.pollInterval = pollInterval
    }

    /// Polls until the task stops. Throws `.taskFailed` (with the end of the task log) when it
    /// ends with an error and `.deadline` when `timeout` runs out first.
    public func wait(_ id: ProxmoxTaskID, timeout: Duration, what: String) async throws -> ProxmoxTaskStatus {
        var budget = PollBudget(timeout, every: pollInterval, clock: context.clock)
        var lastProblem: String?
        while true {
            do {
                let status = try await poll(id, within: budget.remaining)
                if !status.isRunning {
                    if status.succeeded { return status }
                    let tail = (try? await api.taskLog(id, limit: 10)) ?? []
                    throw ProxmoxError(
                        .taskFailed(status.exitStatus ?? "unknown"), call: "task \(id)",
                        message: "\(what) failed: \(status.exitStatus ?? "no exit status")", logTail: tail)
                }
                lastProblem = nil
            } catch let error as ProxmoxError where Self.worthPollingAgain(error) {
                lastProblem = error.message // a 596 or "no such task" right after dispatch
            }
            // The last pause ends at the deadline: a task that finishes just in time is seen.
            guard try await budget.pauseUntilLimit(context: context) else {
                let still = lastProblem.map { "the host stopped answering about it (\($0))" } ?? "it was still running"
                throw ProxmoxError(
                    .deadline, call: "task \(id)",
                    message: "\(what) did not finish within \(DurationText.format(timeout)): \(still)",
                    hint: "The task may still finish on the host (UPID \(id)); check its log in the web UI, then re-run or resume.")
            }
        }
    }

    /// One status read that may not outlast the deadline (a host that hangs is a host that did
    /// not answer in time).
    private func poll(_ id: ProxmoxTaskID, within remaining: Duration) async throws -> ProxmoxTaskStatus {
        let api = api
        do {
            return try await context.clock.timeout(max(remaining, .milliseconds(1))) { try await api.task(id) }
        } catch is TimedOut {
            throw ProxmoxError(.transient, call: "task \(id)", message: "no answer about the task before the deadline")
        }
    }

    /// Transient answers, and "no such task" just after dispatch, say nothing about the task.
    static func worthPollingAgain(_ error: ProxmoxError) -> Bool {
        error.isTransient || (error.status == 400 && error.message.contains("no such task"))
    }

    /// How long an operation may take before homelab gives up following it, by task type.
    public static func defaultTimeout(forTaskType type: String) -> Duration {
        switch type {
        case "qmrestore": .seconds(60 * 60)
        case "qmcreate", "qmclone": .seconds(10 * 60)
        case "qmstart", "qmreboot", "qmdestroy": .seconds(5 * 60)
        case "qmstop", "qmshutdown": .seconds(3 * 60)
        case "download", "imgcopy": .seconds(30 * 60)
        case "qmconfig": .seconds(2 * 60)
        default: .seconds(10 * 60)
        }
    }
}
