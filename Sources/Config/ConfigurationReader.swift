import CCMail
import Foundation
import LDAPModel
import Sync

extension ConfigurationLoader {
    /// Walks the document section by section, checking as it goes.
    ///
    /// One reader per load: it knows the config file's name (for errors) and folder (for relative paths), so the
    /// section readers only deal with values.
    struct Reader {
        /// The config file as the caller named it, for error messages.
        let file: String
        /// The absolute folder relative paths resolve against.
        let folder: String
        let root: ConfigNode

        func configuration(configFile: String) throws(ConfigurationError) -> Configuration {
            let top = try ConfigMapping(root)
            let version = try top.required("version")
            guard (try? version.integer()) == 1 else {
                throw version.error("this ccdirsync reads version 1")
            }
            let profile = try choice(try top.required("profile"), of: ProfileName.self)
            let ldap = try ldapSettings(try top.requiredSection("ldap"))
            let ccmail = try ccmailSettings(try top.requiredSection("ccmail"))
            let exchange = try exchangeSettings(try top.requiredSection("exchange"), profile: profile, ldap: ldap)
            let matchSection = try top.section("match")
            var mappingFile: ConfigPath?
            if let node = matchSection?.optional("mappingFile") {
                mappingFile = try path(node)
            }
            let match = try matchSettings(matchSection)
            let policy = try policySettings(try top.section("policy"))
            let thresholds = try thresholdSettings(try top.section("thresholds"))
            var state = StateSettings(directory: resolve("state"))
            if let directory = try top.section("state")?.optional("directory") {
                state.directory = try path(directory)
            }
            return Configuration(
                profile: profile, ldap: ldap, ccmail: ccmail, exchange: exchange, match: match,
                mappingFile: mappingFile, policy: policy,
                thresholds: thresholds, state: state, file: ConfigPath(declaredPath: file, resolvedPath: configFile))
        }

        /// A path as written and resolved against the config file's folder.
        func resolve(_ declared: String) -> ConfigPath {
            ConfigPath(
                declaredPath: declared, resolvedPath: ConfigurationLoader.absolutePath(declared, relativeTo: folder))
        }

        func path(_ node: ConfigNode) throws(ConfigurationError) -> ConfigPath {
            resolve(try node.nonEmptyString())
        }

        func distinguishedName(_ node: ConfigNode) throws(ConfigurationError) -> DistinguishedName {
            let text = try node.nonEmptyString()
            do {
                return try DistinguishedName(parsing: text)
            } catch {
                throw node.error("not a valid DN (offset \(error.offset): \(error.reason))")
            }
        }

        /// A value of a string enum, spelled exactly as its raw value.
        func choice<Value: RawRepresentable & CaseIterable>(
            _ node: ConfigNode, of type: Value.Type
        ) throws(ConfigurationError) -> Value where Value.RawValue == String {
            let text = try node.choice(Value.allCases.map(\.rawValue))
            guard let value = Value(rawValue: text) else {
                throw node.error("unknown value '\(text)'")
            }
            return value
        }

        func bounded(_ node: ConfigNode, _ range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
            let value = try node.integer()
            guard range.contains(value) else {
                throw node.error(
                    range.upperBound == Int.max
                        ? "must be at least \(range.lowerBound)"
                        : "must be between \(range.lowerBound) and \(range.upperBound)")
            }
            return value
        }

        func codePage(_ node: ConfigNode) throws(ConfigurationError) -> CodePage {
            let name = try node.nonEmptyString()
            guard let page = CodePage(name: name) else {
                let names = CodePage.allCases.map(\.rawValue).joined(separator: ", ")
                throw node.error("unknown code page '\(name)'; expected one of \(names)")
            }
            return page
        }

        /// A post office name: one word, as cc:Mail allows.
        func postOffice(_ node: ConfigNode) throws(ConfigurationError) -> String {
            let name = try node.nonEmptyString().trimmingCharacters(in: .whitespaces)
            try checkPostOffice(name, at: node)
            return name
        }

        func checkPostOffice(_ name: String, at node: ConfigNode) throws(ConfigurationError) {
            guard !name.isEmpty else {
                throw node.error("a post office name must not be empty")
            }
            guard !name.contains(where: \.isWhitespace) else {
                throw node.error("a post office name is one word, not '\(name)'")
            }
        }
    }
}
