/// The longest value a directory accepts in each attribute.
///
/// Active Directory refuses a value longer than its attribute's `rangeUpper` (`invalidAttributeSyntax`), so a
/// surname of 65 characters would be planned and then refused on every run. The planner leaves such a change out
/// and reports it as a finding instead (`PlanBuilder`). The bounds come from the server's schema where it publishes
/// them, otherwise from the profile's defaults.
package struct AttributeLimits: Sendable, Hashable {
    /// The bounds by attribute name in lower case.
    private var bounds: [String: Int]

    /// Bounds by attribute name (any case).
    package init(_ bounds: [String: Int] = [:]) {
        self.bounds = Dictionary(bounds.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: min)
    }

    /// The longest value `attribute` accepts, or nil when no bound is known.
    package func limit(of attribute: String) -> Int? {
        bounds[attribute.lowercased()]
    }

    /// These bounds, with each bound `published` knows taking the place of ours.
    package func overridden(by published: AttributeLimits) -> AttributeLimits {
        var merged = self
        merged.bounds.merge(published.bounds) { _, server in server }
        return merged
    }

    /// Whether no attribute has a bound.
    package var isEmpty: Bool { bounds.isEmpty }

    /// A value's length as Active Directory measures a `rangeUpper` of a Unicode string: in UTF-16 code units (a
    /// character outside the Basic Multilingual Plane counts twice, the cautious reading).
    package static func length(of value: String) -> Int {
        value.utf16.count
    }

    /// The first value of `values` longer than `attribute`'s bound, with that bound; nil when all fit.
    package func firstExcess(_ attribute: String, _ values: [String]) -> (value: String, limit: Int)? {
        guard let limit = limit(of: attribute) else {
            return nil
        }
        return values.first { Self.length(of: $0) > limit }.map { ($0, limit) }
    }
}
