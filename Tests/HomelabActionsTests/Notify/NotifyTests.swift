import HomelabCore
import Testing

@testable import HomelabActions

struct NotifyTests {
    @Test func ntfyGetsTheTextAsBodyAndTheRestAsHeaders() throws {
        let message = PushMessage(
            service: .ntfy, url: "https://ntfy.sh/dr", title: "Recovery finished", message: "all 42 steps done", priority: 4, tags: ["white_check_mark"],
            token: "tk_1")
        let request = message.request(trust: .system, timeout: .seconds(5))
        #expect(request.method == "POST")
        #expect(request.url == "https://ntfy.sh/dr")
        #expect(request.body == Array("all 42 steps done".utf8))
        let headers = Dictionary(request.headers, uniquingKeysWith: { a, _ in a })
        #expect(headers["Title"] == "Recovery finished")
        #expect(headers["Priority"] == "4")
        #expect(headers["Tags"] == "white_check_mark")
        #expect(headers["Authorization"] == "Bearer tk_1")
    }

    @Test func gotifyGetsJSONAtTheMessageEndpoint() throws {
        let message = PushMessage(
            service: .gotify, url: "https://push.lab/", title: "Approval needed", message: "restore tank?", priority: 8, tags: [], token: "A1b2")
        let request = message.request(trust: .system, timeout: .seconds(5))
        #expect(request.url == "https://push.lab/message")
        #expect(String(decoding: request.body, as: UTF8.self) == #"{"message":"restore tank?","title":"Approval needed","priority":8}"#)
        #expect(request.headers.contains { $0.0 == "X-Gotify-Key" && $0.1 == "A1b2" })
    }

    @Test func aNonASCIITitleIsEncodedForTheHeader() {
        #expect(PushMessage.headerSafe("Recovery") == "Recovery")
        #expect(PushMessage.headerSafe("Wiederherstellung fertig ✅") == "=?UTF-8?B?V2llZGVyaGVyc3RlbGx1bmcgZmVydGlnIOKchQ==?=")
    }

    @Test func prioritiesAreCheckedPerService() throws {
        #expect(try PushMessage.priority(.string("urgent"), for: .ntfy) == 5)
        #expect(try PushMessage.priority(.int(9), for: .gotify) == 9)
        #expect { try PushMessage.priority(.int(9), for: .ntfy) } throws: { "\($0)".contains("must be 1-5 or min, low, default, high, urgent, found '9'") }
        #expect { try PushMessage.priority(.string("high"), for: .gotify) } throws: { "\($0)".contains("must be 0-10") }
    }

    @Test func aRefusalSaysWhyAndWhatToCheck() async {
        let web = ScriptedWeb([
            .response(
                WebResponse(
                    status: 401, body: Array(#"{"error":"Unauthorized","errorCode":401,"errorDescription":"you need to provide a valid access token"}"#.utf8)))
        ])
        await #expect {
            try await Notify(web: web).run(
                ActionCall(
                    step: "s",
                    inputs: [
                        "url": .string("https://push.lab"), "service": .string("gotify"), "message": .string("hi"), "token": .string("wrong-token"),
                    ]), context: RecordingContext())
        } throws: { error in
            let text = "\(error)"
            return text
                == "gotify at https://push.lab refused the notification: status 401 (you need to provide a valid access token); check the token (a secret) and that it may publish here"
                && !text.contains("wrong-token")
        }
    }

    @Test func theServiceIdIsTheOutput() async throws {
        let web = ScriptedWeb([.response(WebResponse(status: 200, body: Array(#"{"id":"sPs7Kx","event":"message"}"#.utf8)))])
        let outputs = try await Notify(web: web).run(
            ActionCall(step: "s", inputs: ["url": .string("https://ntfy.sh/dr"), "message": .string("hi")]), context: RecordingContext())
        #expect(outputs["id"] == .string("sPs7Kx"))
    }
}
