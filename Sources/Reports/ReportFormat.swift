/// The formats a plan can be shown in.
public enum ReportFormat: String, Sendable, Hashable, CaseIterable {
    case text
    case json
    case csv
    case ldif
    case html
}
