import Foundation
import Testing

@testable import HomelabCore

@Suite struct RunHistoryRendererTests {
    /// The RUN column was as wide as its title when every journal was damaged, so ids were cut
    /// to `202`: the id is what the operator needs to look at the run.
    @Test func aDamagedJournalAloneStillShowsTheWholeRunID() throws {
        let state = try RunJournalFixture.stateDirectory()
        try state.prepare()
        let id = "20261122T084700Z-0003"
        try FileManager.default.createDirectory(atPath: state.runDirectory(id), withIntermediateDirectories: true)
        try "corrupt\n".write(toFile: state.journalPath(id), atomically: true, encoding: .utf8)
        let text = RunHistoryRenderer.text(RunHistoryRenderer.rows(RunHistory(state: state)))
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[1].hasPrefix(id + "  damaged journal: "))
    }
}
