import HomelabCore
import Testing

@testable import HomelabActions

struct HTTPCheckTests {
    @Test func waitsUntilTheServiceAnswers() async throws {
        let web = ScriptedWeb([
            .failure(TransportDown()),
            .response(WebResponse(status: 503, body: Array("starting\n".utf8))),
            .response(WebResponse(status: 200, body: Array("{\"installed\":true}".utf8))),
        ])
        let context = RecordingContext()
        let outputs = try await HTTPCheck(web: web).run(
            ActionCall(
                step: "s",
                inputs: [
                    "url": .string("https://cloud.lab/status.php"), "contains": .string("installed"), "interval": .string("2s"),
                ]), context: context)
        #expect(outputs["status"] == .int(200))
        #expect(outputs["attempts"] == .int(3))
        #expect(context.slept == .seconds(4))
        #expect(context.messages.first == "https://cloud.lab/status.php: connection refused; asking again every 2s")
    }

    @Test func givesUpAfterTheWaitWithTheLastProblem() async {
        let web = ScriptedWeb([.response(WebResponse(status: 502, body: Array("Bad Gateway".utf8)))])
        let context = RecordingContext()
        await #expect {
            try await HTTPCheck(web: web).run(
                ActionCall(
                    step: "s",
                    inputs: [
                        "url": .string("https://x"), "wait": .string("1m"), "interval": .string("10s"),
                    ]), context: context)
        } throws: { error in
            "\(error)" == "https://x did not answer with status 200 within 1m (7 attempts); last: status 502 (Bad Gateway)"
        }
        // At 0s, 10s, ... 60s on the engine's clock: the last ask is at the limit, not past it.
        #expect(web.requests.count == 7)
        #expect(context.slept == .seconds(60))
    }

    @Test func aBodyWithoutTheTextIsNotEnough() {
        let expectation = ResponseExpectation(contains: "Ready")
        #expect(expectation.mismatch(WebResponse(status: 200, body: Array("Pending".utf8))) == "status 200, but the body does not contain 'Ready'")
        #expect(expectation.mismatch(WebResponse(status: 200, body: Array("Ready".utf8))) == nil)
    }

    @Test func statusesCanBeCodesClassesOrLists() throws {
        let classes = try ResponseExpectation.parse(.list([.string("2xx"), .int(401)]), contains: nil)
        #expect(classes.mismatch(WebResponse(status: 204)) == nil)
        #expect(classes.mismatch(WebResponse(status: 401)) == nil)
        #expect(classes.mismatch(WebResponse(status: 302)) == "status 302")
        #expect(classes.summary == "status 2xx or 401")
        #expect { try ResponseExpectation.parse(.string("ok"), contains: nil) } throws: { "\($0)".contains("found 'ok'") }
        #expect { try ResponseExpectation.parse(.list([]), contains: nil) } throws: { "\($0)".contains("empty list") }
    }

    @Test func theRequestCarriesMethodHeadersAndTrust() async throws {
        let web = ScriptedWeb([.response(WebResponse(status: 200))])
        _ = try await HTTPCheck(web: web).run(
            ActionCall(
                step: "s",
                inputs: [
                    "url": .string("https://pve:8006/api2/json/version"), "method": .string("GET"),
                    "headers": .map([("Authorization", .string("PVEAPIToken=x"))]), "fingerprint": .string("AA:BB"),
                ]), context: RecordingContext())
        let request = try #require(web.requests.first)
        #expect(request.headers.first?.0 == "Authorization")
        #expect(request.trust == .fingerprint("AA:BB"))
    }

    @Test func oneTrustChoiceOnly() async {
        let web = ScriptedWeb([.response(WebResponse(status: 200))])
        await #expect {
            try await HTTPCheck(web: web).run(
                ActionCall(
                    step: "s",
                    inputs: [
                        "url": .string("https://x"), "insecure": .bool(true), "ca": .string("/ca.pem"),
                    ]), context: RecordingContext())
        } throws: { "\($0)".contains("choose one of 'ca', 'fingerprint' and 'insecure'") }
        #expect(web.requests.isEmpty)
    }
}
