import HomelabCore
import Testing

@testable import HomelabActions

/// The kit's polling on the engine's (virtual) clock: pauses are counted, never waited for.
struct PollBudgetTests {
    /// Looks (the first one, then one after each pause) until `pause` says the limit is reached.
    func looks(_ pause: (inout PollBudget, RecordingContext) async throws -> Bool) async throws -> (Int, RecordingContext, PollBudget) {
        let context = RecordingContext()
        var budget = PollBudget(.seconds(5), every: .seconds(2), clock: context.clock)
        var looks = 1
        while try await pause(&budget, context) { looks += 1 }
        return (looks, context, budget)
    }

    @Test func aFixedScheduleTakesWholePausesUntilTheLimit() async throws {
        let (looks, context, budget) = try await looks { budget, context in try await budget.pause(context: context) }
        // 0 s, 2 s, 4 s: a third pause would end at 6 s, past the limit.
        #expect(looks == 3)
        #expect(context.slept == .seconds(4))
        #expect(budget.spent == .seconds(4))
        #expect(budget.remaining == .seconds(1))
        #expect(!budget.canPause)
    }

    @Test func pausingUntilTheLimitLooksOnceMoreAtTheDeadline() async throws {
        let (looks, context, budget) = try await looks { budget, context in try await budget.pauseUntilLimit(context: context) }
        // 0 s, 2 s, 4 s and at the deadline, 5 s.
        #expect(looks == 4)
        #expect(context.slept == .seconds(5))
        #expect(budget.remaining == .zero)
    }

    @Test func timeSpentOutsideThePausesCounts() async throws {
        let context = RecordingContext()
        var budget = PollBudget(.seconds(10), every: .seconds(1), clock: context.clock)
        try await context.virtualClock.sleep(for: .seconds(9.5)) // a slow call
        #expect(budget.spent == .seconds(9.5))
        #expect(!(try await budget.pause(context: context)))
        #expect(try await budget.pauseUntilLimit(context: context))
        #expect(budget.remaining == .zero)
    }

    @Test func backoffDoublesUpToItsCeiling() async throws {
        let schedule = PollSchedule.backoff(from: .seconds(1), upTo: .seconds(10))
        #expect((0..<6).map(schedule.interval(after:)) == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(10), .seconds(10)])
        #expect(schedule.interval(after: 10_000) == .seconds(10))
        #expect(PollSchedule.every(.seconds(3)).interval(after: 7) == .seconds(3))

        let context = RecordingContext()
        var budget = PollBudget(.seconds(60), every: schedule, clock: context.clock)
        var pauses: [Duration] = []
        while budget.canPause {
            let next = budget.nextInterval
            _ = try await budget.pause(context: context)
            pauses.append(next)
        }
        // 1 + 2 + 4 + 8, then 10 s at a time: 55 s; one more pause would pass the 60 s limit.
        #expect(pauses == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(10), .seconds(10), .seconds(10), .seconds(10)])
        #expect(context.slept == .seconds(55))
    }
}
