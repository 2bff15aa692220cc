import CCMail
import Foundation
import LDAPModel

extension ConfigurationLoader {
    /// Walks the document section by section, checking as it goes.
    struct Reader {
        let file: String
        let folder: String
        let root: ConfigNode

        func path(_ node: ConfigNode) throws(ConfigurationError) -> ConfigPath {
            let declared = try node.nonEmptyString()
            return ConfigPath(
                declaredPath: declared, resolvedPath: ConfigurationLoader.absolutePath(declared, relativeTo: folder))
        }

        func section(
            _ members: [(key: String, node: ConfigNode)], _ key: String
        ) throws(ConfigurationError) -> [(
            key: String, node: ConfigNode
        )]? {
            guard let node = root.member(key, in: members) else {
                return nil
            }
            return try node.members(allowed: ConfigurationLoader.keys[node.path])
        }

        func required(
            _ members: [(key: String, node: ConfigNode)], _ key: String, in parent: String
        )
            throws(ConfigurationError) -> ConfigNode
        {
            if let node = root.member(key, in: members) {
                return node
            }
            throw ConfigurationError(
                file: file, line: nil, keyPath: parent.isEmpty ? key : "\(parent).\(key)", message: "required")
        }

        func distinguishedName(_ node: ConfigNode) throws(ConfigurationError) -> DistinguishedName {
            let text = try node.nonEmptyString()
            do {
                return try DistinguishedName(parsing: text)
            } catch {
                throw node.error("not a DN: \(error)")
            }
        }

        mutating func configuration(configFile: String) throws(ConfigurationError) -> Configuration {
            let top = try root.members(allowed: ConfigurationLoader.keys[""])
            let version = try required(top, "version", in: "")
            guard (try? version.integer()) == 1 else {
                throw version.error("this ccdirsync reads version 1")
            }
            let profileNode = try required(top, "profile", in: "")
            guard let profile = ProfileName(rawValue: try profileNode.choice(ProfileName.allCases.map(\.rawValue)))
            else {
                throw profileNode.error("unknown profile")
            }
            let ldap = try ldapSettings(top)
            let ccmail = try ccmailSettings(top)
            let exchange = try exchangeSettings(top, profile: profile, baseDN: ldap.baseDN)
            let match = try matchSettings(top)
            let policy = try policySettings(top)
            let thresholds = try thresholdSettings(top)
            var state = StateSettings(
                directory: ConfigPath(
                    declaredPath: "state", resolvedPath: ConfigurationLoader.absolutePath("state", relativeTo: folder)))
            if let members = try section(top, "state"), let directory = root.member("directory", in: members) {
                state.directory = try path(directory)
            }
            return Configuration(
                profile: profile, ldap: ldap, ccmail: ccmail, exchange: exchange, match: match, policy: policy,
                thresholds: thresholds, state: state,
                file: ConfigPath(declaredPath: file, resolvedPath: configFile))
        }

        func ldapSettings(_ top: [(key: String, node: ConfigNode)]) throws(ConfigurationError) -> LDAPSettings {
            guard let members = try section(top, "ldap") else {
                throw ConfigurationError(file: file, line: nil, keyPath: "ldap", message: "required")
            }
            let urlNode = try required(members, "url", in: "ldap")
            let url = try urlNode.nonEmptyString()
            guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
                ["ldap", "ldaps"].contains(scheme), let host = components.host, !host.isEmpty,
                components.path.isEmpty || components.path == "/", components.query == nil, components.user == nil
            else {
                throw urlNode.error("expected ldap://host[:port] or ldaps://host[:port], not '\(url)'")
            }
            let bindDN = try distinguishedName(try required(members, "bindDN", in: "ldap"))
            let baseDN = try distinguishedName(try required(members, "baseDN", in: "ldap"))
            let passwordFile = root.member("passwordFile", in: members)
            let passwordEnv = root.member("passwordEnv", in: members)
            let password: PasswordReference
            switch (passwordFile, passwordEnv) {
            case (let file?, nil):
                password = .file(try path(file))
            case (nil, let variable?):
                let name = try variable.nonEmptyString()
                guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), name.first?.isNumber == false else {
                    throw variable.error("'\(name)' is not an environment variable name")
                }
                password = .environment(name)
            case (.some, .some(let variable)):
                throw variable.error("give passwordFile or passwordEnv, not both")
            case (nil, nil):
                throw ConfigurationError(
                    file: file, line: urlNode.line, keyPath: "ldap.passwordFile",
                    message: "required (or ldap.passwordEnv): the bind password is never written in the config")
            }
            var tls = TLSSettings(mode: scheme == "ldaps" ? .ldaps : .starttls)
            if let tlsMembers = try section(members, "tls") {
                if let modeNode = root.member("mode", in: tlsMembers) {
                    guard
                        let mode = TLSSettings.Mode(
                            rawValue: try modeNode.choice(TLSSettings.Mode.allCases.map(\.rawValue)))
                    else {
                        throw modeNode.error("unknown mode")
                    }
                    if scheme == "ldaps", mode != .ldaps {
                        throw modeNode.error("an ldaps:// URL is TLS from the first byte; use mode ldaps")
                    }
                    if scheme == "ldap", mode == .ldaps {
                        throw modeNode.error("mode ldaps needs an ldaps:// URL (or use starttls)")
                    }
                    tls.mode = mode
                    tls.modeIsExplicit = true
                }
                if let caFile = root.member("caFile", in: tlsMembers) {
                    tls.caFile = try path(caFile)
                }
                if let verify = root.member("verify", in: tlsMembers) {
                    tls.verify = try verify.boolean()
                }
            }
            var settings = LDAPSettings(url: url, bindDN: bindDN, password: password, tls: tls, baseDN: baseDN)
            if let node = root.member("pageSize", in: members) {
                settings.pageSize = try bounded(node, 1...10_000)
            }
            if let node = root.member("timeout", in: members) {
                settings.timeoutSeconds = try bounded(node, 1...86_400)
            }
            if let node = root.member("maxEntries", in: members) {
                settings.maxEntries = try bounded(node, 1...Int.max)
            }
            return settings
        }

        func bounded(_ node: ConfigNode, _ range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
            let value = try node.integer()
            guard range.contains(value) else {
                let upper = range.upperBound == Int.max ? "" : " and \(range.upperBound)"
                throw node.error(
                    upper.isEmpty
                        ? "must be at least \(range.lowerBound)" : "must be between \(range.lowerBound)\(upper)")
            }
            return value
        }

        func codePage(_ node: ConfigNode) throws(ConfigurationError) -> CodePage {
            let name = try node.nonEmptyString()
            guard let page = CodePage(name: name) else {
                throw node.error(
                    "unknown code page '\(name)'; expected one of \(CodePage.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            return page
        }

        func ccmailSettings(_ top: [(key: String, node: ConfigNode)]) throws(ConfigurationError) -> CCMailSettings {
            guard let members = try section(top, "ccmail") else {
                throw ConfigurationError(file: file, line: nil, keyPath: "ccmail", message: "required")
            }
            var settings = CCMailSettings(exports: [])
            if let node = root.member("codepage", in: members) {
                settings.codePage = try codePage(node)
            }
            let exportsNode = try required(members, "exports", in: "ccmail")
            let items = try exportsNode.list()
            guard !items.isEmpty else {
                throw exportsNode.error("name at least one export")
            }
            var postOffices: [String: String] = [:]
            for item in items {
                let fields = try item.members(allowed: ConfigurationLoader.keys["ccmail.exports[]"])
                let postOfficeNode = try required(fields, "postOffice", in: item.path)
                let postOffice = try postOfficeNode.nonEmptyString().trimmingCharacters(in: .whitespaces)
                guard !postOffice.contains(" "), !postOffice.contains("\t") else {
                    throw postOfficeNode.error("a post office name is one word")
                }
                if let earlier = postOffices[postOffice.lowercased()] {
                    throw postOfficeNode.error("post office \(postOffice) is already exported by \(earlier)")
                }
                postOffices[postOffice.lowercased()] = item.path
                var export = CCMailSettings.Export(
                    postOffice: postOffice, path: try path(try required(fields, "path", in: item.path)))
                if let node = root.member("codepage", in: fields) {
                    export.codePage = try codePage(node)
                }
                settings.exports.append(export)
            }
            if let gateways = root.member("gateways", in: members) {
                for (name, node) in try gateways.members(allowed: nil) {
                    guard let mode = GatewayMode(rawValue: try node.choice(GatewayMode.allCases.map(\.rawValue))) else {
                        throw node.error("unknown gateway mode")
                    }
                    settings.gateways[name] = mode
                }
            }
            if let excluded = root.member("excludePostOffices", in: members) {
                settings.excludePostOffices = try excluded.list().map { (node) throws(ConfigurationError) in
                    try node.nonEmptyString()
                }
            }
            if let node = root.member("maxExportBytes", in: members) {
                settings.maxExportBytes = try bounded(node, 1...Int.max)
            }
            return settings
        }

        func exchangeSettings(
            _ top: [(key: String, node: ConfigNode)], profile: ProfileName, baseDN: DistinguishedName
        ) throws(ConfigurationError) -> ExchangeSettings {
            guard let members = try section(top, "exchange") else {
                throw ConfigurationError(file: file, line: nil, keyPath: "exchange", message: "required")
            }
            let containerNode = try required(members, "customRecipientContainer", in: "exchange")
            let container = try distinguishedName(containerNode)
            guard container.isDescendant(of: baseDN) else {
                throw containerNode.error("must be below ldap.baseDN (\(baseDN))")
            }
            var settings = ExchangeSettings(customRecipientContainer: container)
            if let node = root.member("displayName", in: members) {
                settings.displayNameTemplate = try Template.check(node, allowAlias: true)
            }
            if let node = root.member("aliasTemplate", in: members) {
                settings.aliasTemplate = try Template.check(node, allowAlias: false)
            }
            if let node = root.member("mailTemplate", in: members) {
                settings.mailTemplate = try Template.check(node, allowAlias: true)
            }
            if let node = root.member("x400Template", in: members) {
                settings.x400Template = try Template.check(node, allowAlias: true)
            }
            if profile == .exchange55 {
                for (key, value) in [("mailTemplate", settings.mailTemplate), ("x400Template", settings.x400Template)]
                where value == nil {
                    throw ConfigurationError(
                        file: file, line: containerNode.line, keyPath: "exchange.\(key)",
                        message: "required by profile exchange55 (Exchange 5.5 cannot route a custom recipient "
                            + "without mail and textEncodedORAddress)")
                }
            }
            return settings
        }

        func matchSettings(_ top: [(key: String, node: ConfigNode)]) throws(ConfigurationError) -> MatchSettings {
            var settings = MatchSettings()
            guard let members = try section(top, "match") else {
                return settings
            }
            if let node = root.member("mappingFile", in: members) {
                settings.mappingFile = try path(node)
            }
            if let node = root.member("byName", in: members),
                let byName = MatchSettings.ByName(
                    rawValue: try node.choice(MatchSettings.ByName.allCases.map(\.rawValue)))
            {
                settings.byName = byName
            }
            if let node = root.member("ignoreDiacritics", in: members) {
                settings.ignoreDiacritics = try node.boolean()
            }
            return settings
        }

        func policySettings(_ top: [(key: String, node: ConfigNode)]) throws(ConfigurationError) -> PolicySettings {
            var settings = PolicySettings()
            guard let members = try section(top, "policy") else {
                return settings
            }
            if let node = root.member("onMissing", in: members),
                let onMissing = PolicySettings.OnMissing(
                    rawValue: try node.choice(PolicySettings.OnMissing.allCases.map(\.rawValue)))
            {
                settings.onMissing = onMissing
            }
            if let node = root.member("retireOnMatch", in: members) {
                settings.retireOnMatch = try node.boolean()
            }
            return settings
        }

        func thresholdSettings(_ top: [(key: String, node: ConfigNode)]) throws(ConfigurationError) -> Thresholds {
            var thresholds = Thresholds()
            guard let members = try section(top, "thresholds") else {
                return thresholds
            }
            func limit(_ key: String, _ current: Thresholds.Limit) throws(ConfigurationError) -> Thresholds.Limit {
                guard let fields = try section(members, key) else {
                    return current
                }
                var limit = current
                if let node = root.member("count", in: fields) {
                    limit.count = try bounded(node, 0...Int.max)
                }
                if let node = root.member("percent", in: fields) {
                    let value = try node.number()
                    guard value >= 0 else {
                        throw node.error("must not be negative")
                    }
                    limit.percent = value
                }
                return limit
            }
            thresholds.deletes = try limit("deletes", thresholds.deletes)
            thresholds.modifies = try limit("modifies", thresholds.modifies)
            thresholds.creates = try limit("creates", thresholds.creates)
            return thresholds
        }
    }
}

/// Checks the templates of `exchange:`: only known placeholders, balanced braces.
enum Template {
    static let placeholders = ["given", "sur", "given1", "name", "po", "alias"]

    static func check(_ node: ConfigNode, allowAlias: Bool) throws(ConfigurationError) -> String {
        let text = try node.nonEmptyString()
        var rest = Substring(text)
        while let open = rest.firstIndex(where: { $0 == "{" || $0 == "}" }) {
            guard rest[open] == "{",
                let close = rest[rest.index(after: open)...].firstIndex(where: { $0 == "{" || $0 == "}" }),
                rest[close] == "}"
            else {
                throw node.error("unbalanced brace in '\(text)'")
            }
            let name = String(rest[rest.index(after: open)..<close])
            guard placeholders.contains(name), allowAlias || name != "alias" else {
                let allowed = placeholders.filter { allowAlias || $0 != "alias" }.map { "{\($0)}" }
                throw node.error("unknown placeholder {\(name)}; use \(allowed.joined(separator: ", "))")
            }
            rest = rest[rest.index(after: close)...]
        }
        return text
    }
}
