import CCMail
import Config

/// The configuration loader: YAML in, a checked `Configuration` or a `ConfigurationError` out, never a trap.
///
/// Input that is not UTF-8 is skipped (`ConfigurationLoader.load(file:)` refuses it before YAML sees it).
/// Properties: loading is deterministic; an error names the file it was given, a line of the input when it has one,
/// and says what is wrong; a configuration that loads keeps the limits the loader promises (page size, timeout,
/// entry and export-size limits in range, thresholds not negative, at least one export, post office names one
/// word and not exported twice) and every path in it is absolute.
package enum ConfigLoaderTarget {
    static let target = FuzzTarget.configLoader
    static let file = "/etc/ccdirsync/fuzz.yaml"

    package static func run(_ data: [UInt8]) throws(PropertyViolation) {
        guard let yaml = String(validating: data, as: UTF8.self) else {
            return
        }
        let outcome = load(yaml)
        let again = load(yaml)
        try target.require(
            outcome == again,
            "loading the same text twice gave different outcomes: \(brief(outcome)) vs \(brief(again))")
        switch outcome {
        case .failure(let error):
            let lines = lineCount(yaml)
            try target.require(error.file == file, "error names another file: \(error)")
            if let line = error.line {
                try target.require(line >= 1 && line <= lines + 1, "error at line \(line) of \(lines) lines: \(error)")
            }
            try target.require(!error.message.isEmpty, "error without a message: \(error)")
        case .success(let configuration):
            try check(configuration)
        }
    }

    static func load(_ yaml: String) -> Result<Configuration, ConfigurationError> {
        Result { () throws(ConfigurationError) in try ConfigurationLoader.load(yaml: yaml, file: file) }
    }

    static func brief(_ outcome: Result<Configuration, ConfigurationError>) -> String {
        switch outcome {
        case .success: "a configuration"
        case .failure(let error): "\(error)"
        }
    }

    static func check(_ configuration: Configuration) throws(PropertyViolation) {
        let ldap = configuration.ldap
        try target.require((1...10_000).contains(ldap.pageSize), "pageSize \(ldap.pageSize) out of range")
        try target.require((1...86_400).contains(ldap.timeoutSeconds), "timeout \(ldap.timeoutSeconds) out of range")
        try target.require(ldap.maxEntries >= 1, "maxEntries \(ldap.maxEntries) below 1")
        let ccmail = configuration.ccmail
        try target.require(ccmail.maxExportBytes >= 1, "maxExportBytes \(ccmail.maxExportBytes) below 1")
        try target.require(!ccmail.exports.isEmpty, "a configuration without exports loaded")
        let postOffices = ccmail.exports.map(\.postOffice) + ccmail.excludePostOffices + Array(ccmail.gateways.keys)
        for name in postOffices {
            try target.require(
                !name.isEmpty && !name.contains(where: \.isWhitespace), "post office name \(name.debugDescription)")
        }
        let exported = ccmail.exports.map { $0.postOffice.lowercased() }
        try target.require(Set(exported).count == exported.count, "a post office is exported twice: \(exported)")
        let thresholds = configuration.thresholds
        for limit in [thresholds.deletes, thresholds.modifies, thresholds.creates] {
            try target.require(
                limit.count >= 0 && limit.percent >= 0 && limit.percent.isFinite, "threshold \(limit) out of range")
        }
        var paths = [configuration.file, configuration.state.directory] + ccmail.exports.map(\.path)
        if case .file(let passwordFile) = ldap.password {
            paths.append(passwordFile)
        }
        paths += [ldap.tls.caFile, configuration.mappingFile].compactMap { $0 }
        for path in paths {
            try target.require(
                path.resolvedPath.hasPrefix("/") && !path.declaredPath.isEmpty,
                "path \(path.declaredPath.debugDescription) resolved to \(path.resolvedPath.debugDescription)")
        }
    }

    /// Lines as YAML counts them: LF, CR, CRLF, NEL, LS and PS break lines.
    static func lineCount(_ text: String) -> Int {
        var lines = 1
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n" where previous == "\r": break
            case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}": lines += 1
            default: break
            }
            previous = scalar
        }
        return lines
    }
}
