/// The formats a plan can be shown in.
package enum ReportFormat: String, Sendable, Hashable, CaseIterable {
    case text
    case json
    case csv
    case ldif
    case html
}
