/// A mistake in the inputs that say where an integration connects, with what the operator needs
/// to fix it: which input or setting, what it should be, what was found.
enum EndpointInputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The endpoint input is neither an address nor an inventory entry (`found`: its kind).
    case notAnEndpoint(input: String, expected: String, found: String?)
    /// Neither the input nor the entry gives the address (`what`: "'address'", "https API URL").
    case noAddress(input: String, what: String, advice: String)
    /// A setting the integration cannot do without is absent.
    case missing(setting: String, why: String)
    /// A setting has the wrong form. `endpoint` names the host when known; `found` is nil for a
    /// value that must not be shown (a token).
    case invalid(setting: String, endpoint: String?, expected: String, found: String?)

    var description: String {
        switch self {
        case .notAnEndpoint(let input, let expected, let found):
            "'\(input)' must be \(expected)" + (found.map { ", found \($0)" } ?? "")
        case .noAddress(let input, let what, let advice):
            "'\(input)' has no \(what): \(advice)"
        case .missing(let setting, let why):
            "'\(setting)' is required: \(why)"
        case .invalid(let setting, let endpoint, let expected, let found):
            "'\(setting)'" + (endpoint.map { " of \($0)" } ?? "") + " must be \(expected)"
                + (found.map { ", found '\($0)'" } ?? " (the value given is not in that form)")
        }
    }
}
