import CCMail
import Foundation
import LDAPModel
import Yams

/// Reads a configuration file (YAML, `version: 1`) into a checked `Configuration`.
///
/// The first problem found stops the load with a `ConfigurationError` that names the file, the line and the key
/// path; unknown keys are errors too, because a misspelt `tresholds` silently ignored is a safety limit silently
/// off. The loader never reads the bind password: it only records where it is.
package enum ConfigurationLoader {
    /// The keys of each mapping, by key path (`[]` marks a list of mappings).
    static let keys: [String: [String]] = [
        "": ["version", "profile", "ldap", "ccmail", "exchange", "match", "policy", "thresholds", "state"],
        "ldap": ["url", "bindDN", "passwordFile", "passwordEnv", "tls", "baseDN", "pageSize", "timeout", "maxEntries"],
        "ldap.tls": ["mode", "caFile", "verify"],
        "ccmail": ["codepage", "exports", "gateways", "excludePostOffices", "maxExportBytes"],
        "ccmail.exports[]": ["postOffice", "path", "codepage"],
        "exchange": ["customRecipientContainer", "displayName", "aliasTemplate", "mailTemplate", "x400Template"],
        "match": ["mappingFile", "byName", "ignoreDiacritics"],
        "policy": ["onMissing", "retireOnMatch"],
        "thresholds": ["deletes", "modifies", "creates", "exportShrink"],
        "thresholds.exportShrink": ["percent"],
        "thresholds.deletes": ["count", "percent"],
        "thresholds.modifies": ["count", "percent"],
        "thresholds.creates": ["count", "percent"],
        "state": ["directory"],
    ]

    /// Every key path the loader accepts (`ccmail.exports[].path`; `ccmail.gateways.*` for the free-form map).
    package static var knownKeyPaths: Set<String> {
        var paths = Set<String>()
        for (parent, children) in keys {
            for child in children {
                paths.insert(parent.isEmpty ? child : "\(parent).\(child)")
            }
        }
        paths.insert("ccmail.gateways.*")
        return paths
    }

    /// Reads and checks the file at `path` (relative paths are taken from the current directory).
    package static func load(file path: String) throws(ConfigurationError) -> Configuration {
        let absolute = absolutePath(path, relativeTo: FileManager.default.currentDirectoryPath)
        let bytes: [UInt8]
        switch FileBytes.read(absolute) {
        case .success(let read): bytes = read
        case .failure(let problem):
            throw ConfigurationError(file: path, line: nil, keyPath: "", message: problem.message)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigurationError(file: path, line: nil, keyPath: "", message: "not UTF-8 text")
        }
        return try load(yaml: text, file: path)
    }

    /// Checks YAML text; relative paths in it resolve against the folder of `file`.
    package static func load(yaml: String, file: String) throws(ConfigurationError) -> Configuration {
        let root: Node
        do {
            // A byte order mark is what Windows editors put first; Yams would read it as text.
            let text = yaml.unicodeScalars.first == "\u{FEFF}" ? String(yaml.unicodeScalars.dropFirst()) : yaml
            if let found = try YAMLAliasCheck.firstAnchorOrAlias(in: text) {
                throw ConfigurationError(
                    file: file, line: found.line, keyPath: "",
                    message: "YAML \(found.kind) are not accepted in the configuration (& and * starting a value); "
                        + "write the value out, or quote it")
            }
            guard let composed = try Yams.compose(yaml: text) else {
                throw ConfigurationError(file: file, line: nil, keyPath: "", message: "the file is empty")
            }
            root = composed
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw syntaxError(error, file: file)
        }
        let configFile = absolutePath(file, relativeTo: FileManager.default.currentDirectoryPath)
        let reader = Reader(
            file: file, folder: (configFile as NSString).deletingLastPathComponent,
            root: ConfigNode(node: root, path: "", file: file))
        return try reader.configuration(configFile: configFile)
    }

    static func syntaxError(_ error: any Error, file: String) -> ConfigurationError {
        guard let yamlError = error as? YamlError else {
            return ConfigurationError(file: file, line: nil, keyPath: "", message: "not valid YAML: \(error)")
        }
        switch yamlError {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return ConfigurationError(file: file, line: mark.line, keyPath: "", message: "not valid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams sorts the keys with Node's `<`, which does not order a text key against a list or mapping key
            // (Yams names those "<uncovertable>"): then the order, and the key whose line Yams gives, depend on
            // hashing and change from run to run. Sort the names here, and give no line rather than a random one.
            let notText = "<uncovertable>"
            let keys = duplicates.sorted().map { $0 == notText ? "(a list or mapping)" : "'\($0)'" }
                .joined(separator: ", ")
            let message = duplicates.count == 1 ? "the key \(keys) is given twice" : "the keys \(keys) are given twice"
            let line = duplicates.count > 1 && duplicates.contains(notText) ? nil : context.mark.line
            return ConfigurationError(file: file, line: line, keyPath: "", message: message)
        default:
            return ConfigurationError(file: file, line: nil, keyPath: "", message: "not valid YAML: \(yamlError)")
        }
    }

    /// `path` made absolute against `folder`, with `.` and `..` resolved.
    static func absolutePath(_ path: String, relativeTo folder: String) -> String {
        let joined = path.hasPrefix("/") ? path : (folder as NSString).appendingPathComponent(path)
        return (joined as NSString).standardizingPath
    }
}
