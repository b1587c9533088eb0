import Testing

@testable import HomelabCore

@Suite struct RegistryTests {
    @Test func builtinActions() {
        #expect(ActionRegistry.builtin.names == ["approval", "exec", "fail", "manifests.validate", "wait"])
    }

    @Test func everyInputTypeAcceptsWhatItSays() {
        #expect(InputType.command.accepts(.list([.string("a"), .int(1)])))
        #expect(!InputType.command.accepts(.list([])))
        #expect(!InputType.command.accepts(.list([.list([])])))
        #expect(InputType.duration.accepts(.string("1h30m")))
        #expect(!InputType.duration.accepts(.string("soon")))
        #expect(InputType.string.accepts(.int(3)), "numbers are accepted where text is expected")
        #expect(!InputType.integer.accepts(.string("3")))
    }

    @Test func everyBuiltinInputIsDescribed() {
        for schema in ActionRegistry.builtin.schemas {
            #expect(!schema.summary.isEmpty)
            for input in schema.inputs { #expect(!input.description.isEmpty, "\(schema.name).\(input.name)") }
        }
    }
}
