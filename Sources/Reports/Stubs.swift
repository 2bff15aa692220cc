// Temporary stand-ins until the Reports renderers land.
import Sync

public enum Report {
    public static func render(_ plan: Plan, format: ReportFormat, color: Bool) throws -> [UInt8] {
        PlanFile.prettyJSON(plan)
    }
}

public enum SuggestionsCSV {
    public static func render(_ plan: Plan) -> String { "" }
}
