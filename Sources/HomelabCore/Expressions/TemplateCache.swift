/// Templates parsed once per distinct text: every instance of a for-each step evaluates the same
/// strings, and a large runbook repeats many of them.
public final class TemplateCache {
    private var parsed: [String: Result<Template, ExpressionParser.Failure>] = [:]

    public init() {}

    public func parse(_ text: String) -> Result<Template, ExpressionParser.Failure> {
        if let known = parsed[text] { return known }
        let result = Result { () throws(ExpressionParser.Failure) -> Template in try ExpressionParser.parseTemplate(text) }
        parsed[text] = result
        return result
    }
}
