/// A value together with where it was written, for diagnostics that point at it.
public struct Located<T: Sendable>: Sendable {
    public var value: T
    public var location: SourceLocation

    public init(_ value: T, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

extension Located: Equatable where T: Equatable {}
extension Located: Hashable where T: Hashable {}
