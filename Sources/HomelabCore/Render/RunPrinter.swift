import Foundation
import Synchronization

/// Shows a run to the operator: a live view of running steps on a terminal, one line per event
/// when the output is not a terminal, JSON objects with `--json`. Every update also goes to the
/// run's log as a plain line with its UTC time. The engine reports to it from many tasks at once;
/// one lock orders what is written. It is the only part that formats run progress.
public final class RunPrinter: RunObserver {
    public enum Format: Sendable {
        /// A block at the bottom of the terminal redrawn in place (running steps, counts, ETA);
        /// finished steps scroll above it as in `.lines`.
        case live
        /// One line per update, stamped with the run time: `[01:05] etcd succeeded in 2.1s`.
        case lines
        /// One compact JSON object per update (see `RunEventJSON`), nothing else.
        case json
    }

    /// How often the live view redraws at most for what does not scroll (starts, messages,
    /// elapsed times).
    static let redrawInterval = Duration.milliseconds(100)

    private let format: Format
    private let style: TextStyle
    private let write: @Sendable (String) -> Void
    private let log: (@Sendable (String) -> Void)?
    /// Typical durations per instance of the runbook named, from earlier runs; asked once, when
    /// a new run starts (a resumed run shows no ETA).
    private let estimator: (@Sendable (String) -> [String: Duration])?
    private let parallelism: Int
    private let stateDirectory: String?
    private let clock: any RunClock
    private let now: @Sendable () -> Date
    private let columns: @Sendable () -> Int
    private let state = Mutex(State())

    private struct State: Sendable {
        var progress = RunProgress()
        var estimates: [String: Duration] = [:]
        /// Rows of the live block on screen now (0 when none is drawn).
        var drawnRows = 0
        var drawnText = ""
        var lastDraw: Duration?
        var isHidden = false
        /// Lines that arrived while a prompt was on screen: shown once it is answered, so they
        /// do not run into the question.
        var held = ""
        /// Restored steps shown one by one, and those folded into one line after that.
        var restoredShown = 0
        var restoredFolded = 0
        /// Steps not run because of one failure, held back to be shown as one count.
        var notRun: (root: String, steps: [String])?
        var isFinished = false
        var timer: Task<Void, Never>?
    }

    /// - Parameters:
    ///   - estimates: typical duration per instance from earlier runs (`RunEstimates`), for the ETA.
    ///   - estimator: looks them up by the runbook's name when a new run starts, if given.
    ///   - write: where the view goes (standard output).
    ///   - log: the run's log file, if any; gets every update as a plain line with its UTC time.
    ///   - parallelism: the run's `--parallelism`; the ETA divides the work left by it.
    ///   - stateDirectory: spelled out in the resume command when not the default one.
    ///   - clock, now, columns: run time, wall-clock time and terminal width; tests replace them.
    public init(
        format: Format, style: TextStyle, estimates: [String: Duration] = [:], estimator: (@Sendable (String) -> [String: Duration])? = nil,
        write: @escaping @Sendable (String) -> Void,
        log: (@Sendable (String) -> Void)? = nil, parallelism: Int = RunOptions().parallelism, stateDirectory: String? = nil,
        clock: any RunClock = LiveClock(), now: @escaping @Sendable () -> Date = { Date() },
        columns: @escaping @Sendable () -> Int = { TerminalWidth.of(STDOUT_FILENO) }
    ) {
        self.format = format
        self.style = style
        self.write = write
        self.log = log
        self.estimator = estimator
        self.parallelism = max(1, parallelism)
        self.stateDirectory = stateDirectory
        self.clock = clock
        self.now = now
        self.columns = columns
        state.withLock { $0.estimates = estimates }
    }

    /// A resumed run lists this many steps done earlier, then counts the rest on one line: a
    /// 10,000-step run should not scroll 9,999 lines of what it is not doing.
    static let restoredListed = 20

    public func update(_ update: RunUpdate) {
        let time = clock.elapsed
        let date = now()
        state.withLock { state in
            state.progress.apply(update, at: time)
            if format != .json {
                // What a failure leaves undone is shown quietly, as one line: the failure is the news.
                if case .stepFinished(let step, .upstreamFailed(let root), _) = update {
                    if let held = state.notRun, held.root != root { flushNotRun(&state, time: time, date: date) }
                    state.notRun = (root, (state.notRun?.steps ?? []) + [step])
                    return
                }
                flushNotRun(&state, time: time, date: date)
            }
            if format != .json, case .stepRestored = update {
                if state.restoredShown >= Self.restoredListed {
                    state.restoredFolded += 1
                    return
                }
                state.restoredShown += 1
            } else if state.restoredFolded > 0, format != .json {
                let folded = state.restoredFolded
                state.restoredFolded = 0
                self.update(.stepMessage(step: "…", message: "and \(folded) more steps done earlier"), state: &state, time: time, date: date)
            }
            self.update(update, state: &state, time: time, date: date)
        }
    }

    /// The held-back steps not run: one of them as its own line, more as a count.
    private func flushNotRun(_ state: inout State, time: Duration, date: Date) {
        guard let (root, steps) = state.notRun else { return }
        state.notRun = nil
        let step = steps.count == 1 ? steps[0] : "\(steps.count) steps"
        update(.stepFinished(step: step, result: .upstreamFailed(root), elapsed: .zero), state: &state, time: time, date: date)
    }

    /// Writes one update: to the log (plain, with its UTC time), and in the chosen format.
    private func update(_ update: RunUpdate, state: inout State, time: Duration, date: Date) {
        let elapsed = state.progress.elapsed(time)
        if let log {
            let plain = RunLineFormatter(style: .plain, stateDirectory: stateDirectory).lines(for: update, elapsed: elapsed)
            log(Self.stamped(plain, Timestamp.format(date)))
        }
        switch format {
        case .json:
            write(JSONWriter.compact(RunEventJSON.value(update, at: date, stateDirectory: stateDirectory)) + "\n")
        case .lines:
            let text = Self.stamped(formatter.lines(for: update, elapsed: elapsed), "[\(ElapsedText.clock(elapsed))]")
            if state.isHidden { state.held += text } else { write(text) }
        case .live:
            live(update, elapsed: elapsed, time: time, &state)
        }
    }

    /// Called once the run has ended (or failed to start): stops the live view's timer and
    /// takes its block off the screen, leaving only the lines that scrolled.
    public func finish() {
        let (time, date) = (clock.elapsed, now())
        let timer = state.withLock { state in
            flushNotRun(&state, time: time, date: date)
            state.isFinished = true
            if state.drawnRows > 0 { write(erase(&state)) }
            defer { state.timer = nil }
            return state.timer
        }
        timer?.cancel()
    }

    /// Takes the live block off the screen while something else writes to the terminal (an
    /// approval prompt), and holds back progress lines until `showLiveView`.
    public func hideLiveView() {
        state.withLock { state in
            state.isHidden = true
            if state.drawnRows > 0 { write(erase(&state)) }
        }
    }

    public func showLiveView() {
        state.withLock { state in
            state.isHidden = false
            if !state.held.isEmpty { write(state.held) }
            state.held = ""
            if format == .live { redraw(&state, at: clock.elapsed) }
        }
    }

    private var formatter: RunLineFormatter {
        RunLineFormatter(style: style, stateDirectory: stateDirectory)
    }

    /// Each line with the stamp in front; the lines after the first indented under it.
    static func stamped(_ lines: [String], _ stamp: String) -> String {
        let indent = String(repeating: " ", count: stamp.count)
        return lines.enumerated().map { ($0.offset == 0 ? stamp : indent) + " " + $0.element + "\n" }.joined()
    }

    // MARK: - The live view

    private func live(_ update: RunUpdate, elapsed: Duration, time: Duration, _ state: inout State) {
        if case .runStarted(_, let runbook, _, let resumed) = update, !resumed, state.estimates.isEmpty, let estimator {
            state.estimates = estimator(runbook)
        }
        if case .runStarted = update, state.timer == nil, !state.isFinished { state.timer = startTimer() }
        switch update {
        case .stepStarted, .stepMessage:
            // Only the block changes: redraw now unless it was redrawn a moment ago; the timer
            // catches up within `redrawInterval`.
            if let last = state.lastDraw, time - last < Self.redrawInterval { return }
            redraw(&state, at: time)
        default:
            let scrolled = Self.stamped(formatter.lines(for: update, elapsed: elapsed), "[\(ElapsedText.clock(elapsed))]")
            if state.isHidden {
                state.held += scrolled
                return
            }
            var out = state.drawnRows > 0 ? erase(&state) : ""
            out += scrolled
            if !state.progress.isOver && !state.isHidden && !state.isFinished {
                let lines = block(state, at: time)
                out += lines.map { $0 + "\n" }.joined()
                state.drawnRows = lines.count
                state.drawnText = lines.joined(separator: "\n")
                state.lastDraw = time
            }
            write(out)
        }
    }

    /// Redraws the block if it changed (elapsed times tick once a second).
    private func redraw(_ state: inout State, at time: Duration) {
        guard !state.progress.isOver, !state.isHidden, !state.isFinished, state.progress.start != nil else { return }
        let lines = block(state, at: time)
        let text = lines.joined(separator: "\n")
        state.lastDraw = time
        guard text != state.drawnText || state.drawnRows == 0 else { return }
        let out = (state.drawnRows > 0 ? erase(&state) : "") + lines.map { $0 + "\n" }.joined()
        state.drawnRows = lines.count
        state.drawnText = text
        write(out)
    }

    private func block(_ state: State, at time: Duration) -> [String] {
        let eta = state.progress.eta(estimates: state.estimates, parallelism: parallelism, now: time)
        return LiveBlock.render(state.progress, now: time, eta: eta, style: style, width: columns())
    }

    /// Cursor up over the block, to the start of the line, and clear to the end of the screen.
    private func erase(_ state: inout State) -> String {
        defer {
            state.drawnRows = 0
            state.drawnText = ""
        }
        return "\u{1B}[\(state.drawnRows)A\r\u{1B}[J"
    }

    private func startTimer() -> Task<Void, Never> {
        Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.redrawInterval)
                guard !Task.isCancelled, let self else { return }
                self.tick()
            }
        }
    }

    /// The timer's beat: redraws for elapsed times and for updates that came too soon.
    func tick() {
        state.withLock { state in redraw(&state, at: clock.elapsed) }
    }
}
