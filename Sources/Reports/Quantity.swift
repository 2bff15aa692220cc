/// A count with its noun, in the singular for one: `1 user`, `2 users`, `0 errors`.
package enum Quantity {
    /// `count` and the noun; `plural` when adding an `s` is not how the word makes its plural.
    package static func phrase(_ count: Int, _ singular: String, plural: String? = nil) -> String {
        "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
    }
}
