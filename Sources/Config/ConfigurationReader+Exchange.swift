import LDAPModel
import Sync

extension ConfigurationLoader.Reader {
    /// `exchange:` — the container (inside `ldap.baseDN`) and the templates of new custom recipients.
    func exchangeSettings(
        _ section: ConfigMapping, profile: ProfileName, ldap: LDAPSettings
    ) throws(ConfigurationError) -> ExchangeSettings {
        let containerNode = try section.required("customRecipientContainer")
        let container = try distinguishedName(containerNode)
        guard container.isDescendant(of: ldap.baseDN) else {
            throw containerNode.error("must be below ldap.baseDN (\(ldap.baseDN))")
        }
        var settings = ExchangeSettings(customRecipientContainer: container)
        if let node = section.optional("displayName") {
            settings.displayNameTemplate = try TemplateCheck.check(node, allowAlias: true)
        }
        if let node = section.optional("aliasTemplate") {
            settings.aliasTemplate = try TemplateCheck.check(node, allowAlias: false)
        }
        if let node = section.optional("mailTemplate") {
            settings.mailTemplate = try TemplateCheck.check(node, allowAlias: true)
        }
        if let node = section.optional("x400Template") {
            settings.x400Template = try TemplateCheck.check(node, allowAlias: true)
        }
        if profile == .exchange55 {
            let why = "required by profile exchange55 (Exchange 5.5 cannot route a custom recipient without "
            if settings.mailTemplate == nil {
                throw section.missing("mailTemplate", why + "mail)")
            }
            if settings.x400Template == nil {
                throw section.missing("x400Template", why + "textEncodedORAddress)")
            }
        }
        return settings
    }
}

/// Checks the templates of `exchange:`: only known placeholders, balanced braces.
///
/// A typo such as `{first}` would otherwise reach the directory as literal text on every new custom recipient;
/// refusing it at load time costs nothing.
enum TemplateCheck {
    /// The placeholders a template may use, without braces.
    static let placeholders = ["given", "sur", "given1", "name", "po", "alias"]

    static func check(_ node: ConfigNode, allowAlias: Bool) throws(ConfigurationError) -> String {
        let text = try node.nonEmptyString()
        var rest = Substring(text)
        while let brace = rest.firstIndex(where: { $0 == "{" || $0 == "}" }) {
            guard rest[brace] == "{" else {
                throw node.error("unbalanced brace: '}' without '{' in '\(text)'")
            }
            let inside = rest[rest.index(after: brace)...]
            guard let close = inside.firstIndex(where: { $0 == "{" || $0 == "}" }), inside[close] == "}" else {
                throw node.error("unbalanced brace: '{' without '}' in '\(text)'")
            }
            let name = String(inside[..<close])
            if name == "alias", !allowAlias {
                throw node.error("cannot use {alias}: this template makes the alias")
            }
            guard placeholders.contains(name) else {
                let allowed = placeholders.filter { allowAlias || $0 != "alias" }.map { "{\($0)}" }
                throw node.error("unknown placeholder {\(name)}; use \(allowed.joined(separator: ", "))")
            }
            rest = inside[inside.index(after: close)...]
        }
        return text
    }
}
