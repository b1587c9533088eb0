import Testing

@testable import HomelabTransport

@Suite struct GRPCStatusTests {
    @Test func allSeventeenCodesHaveTheirSpecificationNames() {
        #expect(GRPCStatusCode.allCases.count == 17)
        #expect(GRPCStatusCode.allCases.map(\.rawValue) == Array(0...16))
        #expect(GRPCStatusCode.deadlineExceeded.name == "DEADLINE_EXCEEDED")
        #expect(GRPCStatusCode.internal.name == "INTERNAL")
        #expect(Set(GRPCStatusCode.allCases.map(\.name)).count == 17)
    }

    @Test(arguments: [
        (400, GRPCStatusCode.internal), (401, .unauthenticated), (403, .permissionDenied),
        (404, .unimplemented), (429, .unavailable), (502, .unavailable), (503, .unavailable),
        (504, .unavailable), (500, .unknown), (302, .unknown), (418, .unknown),
    ])
    func httpStatusMapsPerTheGRPCTable(http: Int, code: GRPCStatusCode) {
        #expect(GRPCStatusCode(httpStatus: http) == code)
    }

    @Test func statusFromTrailers() throws {
        let status = try #require(
            GRPCResponseStatus(
                HTTPHeaders([
                    ("grpc-status", "9"), ("grpc-message", "node n%C3%B6de-1 is 50%25 ready"),
                    ("grpc-status-details-bin", "CAkSBGhpIQ"),
                ])))
        #expect(status.code == .failedPrecondition)
        #expect(status.message == "node nöde-1 is 50% ready")
        // Unpadded base64 of 08 09 12 04 'h' 'i' '!' ... as servers send it.
        #expect(status.details == [0x08, 0x09, 0x12, 0x04, 0x68, 0x69, 0x21])
    }

    @Test func noGRPCStatusMeansNoStatus() {
        #expect(GRPCResponseStatus(HTTPHeaders([("grpc-message", "orphan")])) == nil)
        #expect(GRPCResponseStatus(HTTPHeaders()) == nil)
    }

    @Test func codesFromTheFutureBecomeUnknownAndSayWhich() throws {
        let status = try #require(GRPCResponseStatus(HTTPHeaders([("grpc-status", "42"), ("grpc-message", "new")])))
        #expect(status.code == .unknown)
        #expect(status.message.contains("42"))
        #expect(status.message.contains("new"))
    }

    @Test func malformedStatusIsInternal() throws {
        let status = try #require(GRPCResponseStatus(HTTPHeaders([("grpc-status", "ok")])))
        #expect(status.code == .internal)
        #expect(status.message.contains("malformed"))
    }

    @Test func errorTextNamesMethodEndpointCodeAndAdvice() {
        let error = GRPCError(
            code: .permissionDenied, message: "not allowed", method: "/machine.MachineService/Reset",
            endpoint: "https://admin:hunter2@10.0.0.10:50000", origin: .server)
        #expect(error.description.contains("/machine.MachineService/Reset"))
        #expect(error.description.contains("10.0.0.10:50000"))
        #expect(error.description.contains("PERMISSION_DENIED (7)"))
        #expect(error.description.contains("not allowed"))
        #expect(error.description.contains("os:admin"))
        #expect(!error.description.contains("hunter2"))
    }
}
