import HomelabCore
import Testing

@testable import HomelabActions

@Suite("Talos failures as step errors")
struct TalosFailureTests {
    @Test func waitingHelpsOnlyWhereTheTableSaysSo() throws {
        let booting = TalosError(.notReady, call: "Version", node: "node 10.0.0.11:50000", code: .unavailable, message: "connection refused")
        let mapped = try #require(TalosFailure.mapped(booting) as? ActionError)
        #expect(mapped.isRetryable)
        #expect(mapped.message.contains("Talos Version on node 10.0.0.11:50000 failed (UNAVAILABLE): connection refused"))

        let refused = TalosError(.denied, call: "Bootstrap", node: "node 10.0.0.11:50000", code: .permissionDenied, message: "not authorized")
        #expect((TalosFailure.mapped(refused) as? ActionError)?.isRetryable == false)
    }

    @Test func otherErrorsPassThrough() {
        #expect(TalosFailure.mapped(CancellationError()) is CancellationError)
    }
}
