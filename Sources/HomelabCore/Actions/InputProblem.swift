/// A mistake an action finds in one of its inputs at plan time: which input, where inside its
/// value (`[.key("mac")]` of a VM entry; empty for the whole value) and what is wrong. An action
/// cannot know where its values were written; the planner does, and turns the problem into a
/// diagnostic at that place (`InputLocator`), in the runbook or in the inventory.
public struct InputProblem: Sendable, Equatable {
    public var input: String
    public var path: [Path.Segment]
    public var message: String

    public init(input: String, path: [Path.Segment] = [], _ message: String) {
        self.input = input
        self.path = path
        self.message = message
    }
}
