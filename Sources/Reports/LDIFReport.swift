import LDAPModel
import Sync

/// Why a plan could not be written as LDIF.
public struct LDIFReportError: Error, Sendable, Hashable, CustomStringConvertible {
    public var changeID: Int
    public var message: String

    public var description: String { "change \(changeID): \(message)" }
}

/// Exactly what `ldapmodify` needs to make the plan's changes, in plan order, each preceded by a comment naming
/// its id, situation and user.
///
/// Applying this file by hand skips what `apply` adds (preconditions, stale detection, retries, the journal); it is
/// for review and for administrators who want to compare with OpenLDAP's own tools.
public enum LDIFReport {
    public static func render(_ plan: Plan) throws(LDIFReportError) -> String {
        let writer = LDIFWriter()
        var output = "version: 1\n"
        for change in plan.changes {
            let record = try ldapChange(change)
            let text = writer.write([record])
            let body = text.hasPrefix("version: 1\n\n") ? String(text.dropFirst("version: 1\n\n".count)) : text
            output += "\n# \(change.id) \(change.situation.rawValue) \(Wording.visible(change.ccmailName))\n"
            output += body
        }
        return output
    }

    /// The plan change as an LDAP change.
    public static func ldapChange(_ change: Plan.Change) throws(LDIFReportError) -> Change {
        let dn: DistinguishedName
        do {
            dn = try DistinguishedName(parsing: change.dn)
        } catch {
            throw LDIFReportError(changeID: change.id, message: "'\(change.dn)' is not a DN: \(error)")
        }
        switch change.kind {
        case .create:
            let attributes = Wording.orderedAttributes(change.attributes).map { Attribute($0.0, strings: $0.1) }
            return .add(Entry(dn: dn, attributes: attributes))
        case .modify:
            return .modify(
                dn,
                change.modifications.map { modification in
                    modification.op == .add
                        ? .add(modification.attribute, strings: modification.values)
                        : .delete(modification.attribute, strings: modification.values)
                })
        case .delete:
            return .delete(dn)
        }
    }
}
