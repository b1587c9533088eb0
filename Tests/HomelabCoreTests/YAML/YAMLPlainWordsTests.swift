import Foundation
import Testing

@testable import HomelabCore

/// libyaml's own words ("found character that cannot start any token", "set with
/// yaml_set_max_nest_level()") mean nothing to an operator: the loader says what is wrong in
/// plain words, at the place it is wrong.
@Suite struct YAMLPlainWordsTests {
    func messages(_ text: String) -> [String] {
        YAMLLoader().load(text: text, file: "t.yaml").1.sorted.map(\.rendered)
    }

    @Test func aDuplicateKeyIsReportedWhereItRepeatsAndWhereItFirstAppears() {
        let text = "runbook: x\nsteps: []\ndescription: a\n\n\nsteps: [b]\n"
        #expect(
            messages(text) == [
                "t.yaml:2:1: note: 'steps' first appears here",
                "t.yaml:6:1: error: duplicate key 'steps' in the same mapping (first at line 2)",
            ])
    }

    @Test(arguments: ["runbook: x\nsteps:\n\t- id: a\n", "runbook: x\n\tsteps: []\n"])
    func aTabUsedForIndentationIsNamed(_ text: String) {
        let found = messages(text)
        #expect(found.count == 1)
        #expect(found.first?.contains("error: YAML syntax: a tab is not allowed for indentation; indent with spaces") == true)
        #expect(found.first?.contains("cannot start any token") == false)
        #expect(found.first?.contains("violates indentation") == false)
    }

    @Test func aCharacterThatCannotStartAValueIsShown() {
        let found = messages("runbook: x\nsteps:\n  - id: a\n    uses: exec\n    with: { command: @x }\n")
        #expect(found == ["t.yaml:5:22: error: YAML syntax: a plain value cannot start with '@'; put the value in quotes"])
    }

    @Test func nestingPastLibyamlsLimitSaysTheFileNestsTooDeeply() {
        let found = messages("runbook: x\nsteps: " + String(repeating: "[", count: 1_200) + String(repeating: "]", count: 1_200) + "\n")
        #expect(found == ["t.yaml:2:9: error: the file nests too deeply (more than 64 levels)"])
    }

    @Test func aSecondDocumentIsRefusedInPlainWords() {
        let found = messages("runbook: x\nsteps: []\n---\nrunbook: y\n")
        #expect(found == ["t.yaml:3:1: error: YAML syntax: one document per file: a second document starts here; remove the '---' line or split the file"])
    }

    @Test func aDirectoryIsNotAnEmptyFile() throws {
        let directory = NSTemporaryDirectory() + "homelab-dir-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let (node, diagnostics) = YAMLLoader().load(path: directory)
        #expect(node == nil)
        #expect(diagnostics.sorted.map(\.message) == ["cannot read file: it is a directory"])
    }
}
