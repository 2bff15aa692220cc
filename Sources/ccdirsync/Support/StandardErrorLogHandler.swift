import Foundation
import Logging

/// Log lines on standard error, one per message: `ccdirsync: debug: write ldap.dn="cn=A B,o=X" ldap.op=add …`.
///
/// Metadata follows the message sorted by key, a value quoted when it holds a space, a quote or an `=`, so a line
/// reads as `key=value` pairs. The level is coloured only when standard error is a terminal and `NO_COLOR` is not set
/// (`Terminal.usesColor(on:)`). Each line is one write, so lines from two threads never mix.
struct StandardErrorLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    let color: Bool

    init(label: String, logLevel: Logger.Level, color: Bool, metadataProvider: Logger.MetadataProvider?) {
        self.label = label
        self.logLevel = logLevel
        self.color = color
        self.metadataProvider = metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() {
            merged.merge(provided) { _, new in new }
        }
        if let extra = event.metadata {
            merged.merge(extra) { _, new in new }
        }
        Terminal.writeError(Self.line(level: event.level, message: event.message, metadata: merged, color: color))
    }

    @available(*, deprecated, renamed: "log(event:)")
    func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
        function: String, line: UInt
    ) {
        log(
            event: LogEvent(
                level: level, message: message, metadata: metadata, source: source, file: file, function: function,
                line: line))
    }

    /// One line, ending in a newline.
    static func line(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata, color: Bool) -> String {
        var text = "ccdirsync: "
        text += color ? "\u{1B}[\(colorCode(level))m\(level)\u{1B}[0m" : "\(level)"
        text += ": \(message)"
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            text += " \(key)=\(quoted("\(value)"))"
        }
        return text + "\n"
    }

    /// The value as it is, or in double quotes (with `"` and `\` escaped) when it would not read as one word.
    static func quoted(_ value: String) -> String {
        guard value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\\" }) else {
            return value
        }
        return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            + "\""
    }

    /// SGR colours: grey for trace and debug, plain for info and notice, yellow for warning, red for error and above.
    private static func colorCode(_ level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: "2"
        case .info, .notice: "1"
        case .warning: "33"
        case .error, .critical: "31"
        }
    }
}
