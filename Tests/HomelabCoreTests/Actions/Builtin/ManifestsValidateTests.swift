import Foundation
import Testing

@testable import HomelabCore

/// `manifests.validate`, the recovery's preflight, on the shipped repository and on a broken copy.
@Suite struct ManifestsValidateTests {
    let context = RecordingContext()
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func theShippedRepositoryPasses() async throws {
        let outputs = try await ManifestsValidate().run(ActionCall(step: "preflight", inputs: ["root": .string(Self.repository)]), context: context)
        let services = try FileManager.default.contentsOfDirectory(atPath: Self.repository + "/flux/apps").filter { $0.hasSuffix(".yaml") }.count
        #expect(outputs["apps"] == .int(services))
        #expect(outputs["waivers"] == .int(0))
    }

    @Test func aBrokenTreeFailsWithTheViolationAtItsLine() async throws {
        let root = NSTemporaryDirectory() + "homelab-preflight-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for item in ["kubernetes", "flux", "inventory.yaml"] {
            try FileManager.default.copyItem(atPath: Self.repository + "/" + item, toPath: root + "/" + item)
        }
        let deployment = root + "/kubernetes/base/jellyfin/deployment.yaml"
        let text = try String(contentsOfFile: deployment, encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let index = try #require(lines.firstIndex { $0.contains("image: jellyfin/jellyfin:") })
        let broken = lines.enumerated().map {
            $0.offset == index ? $0.element.replacingOccurrences(of: #":[0-9][^:]*$"#, with: ":latest", options: .regularExpression) : $0.element
        }
        try broken.joined(separator: "\n").write(toFile: deployment, atomically: true, encoding: .utf8)

        do {
            _ = try await ManifestsValidate().run(ActionCall(step: "preflight", inputs: ["root": .string(root)]), context: context)
            Issue.record("a tree with a :latest image passed the preflight")
        } catch let error as ActionError {
            // The tag is wrong in the Deployment, and the README's Image section no longer names it.
            #expect(error.message.hasPrefix("2 manifest rule violations in \(root)"), "\(error.message)")
            #expect(error.message.contains("[readme]"), "\(error.message)")
            #expect(error.message.contains("\(deployment):\(index + 1):"), "\(error.message)")
            #expect(error.message.contains("[image]"), "\(error.message)")
            #expect(!error.isRetryable, "a broken tree does not mend itself")
        }
    }

    @Test func aRootWithoutManifestsIsRefused() async throws {
        await #expect(throws: ActionError.self) {
            try await ManifestsValidate().run(ActionCall(step: "preflight", inputs: ["root": .string(NSTemporaryDirectory())]), context: context)
        }
    }
}
