import LDAPModel
import Sync

/// Why a plan could not be written as LDIF.
///
/// The only cause is a DN that does not parse: such a plan cannot be applied either, so the report refuses it
/// rather than writing a record `ldapmodify` would reject half-way through the file.
package struct LDIFReportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The id of the change whose DN did not parse.
    package var changeID: Int
    package var message: String

    package var description: String { "change \(changeID): \(message)" }
}

/// Exactly what `ldapmodify` needs to make the plan's changes, in plan order, each preceded by a comment naming
/// its id, situation and user.
///
/// Applying this file by hand skips what `apply` adds (preconditions, stale detection, retries, the journal); it is
/// for review and for administrators who want to compare with OpenLDAP's own tools. Records come from LDAPModel's
/// `LDIFWriter` (base64 where a value is not a SAFE-STRING, folding); the comments are one physical line each, with
/// control characters spelled out, because a raw newline in a cc:Mail name would end the comment and turn the rest
/// of the name into LDIF.
package enum LDIFReport {
    /// The LDIF document: `version: 1`, a comment naming the plan, then one commented record per change.
    package static func render(_ plan: Plan) throws(LDIFReportError) -> String {
        let writer = LDIFWriter()
        var output = "version: 1\n# ccdirsync plan \(Wording.visible(plan.planHash))\n"
        for change in plan.changes {
            let record = try ldapChange(change)
            let text = writer.write([record])
            let body = text.hasPrefix("version: 1\n\n") ? String(text.dropFirst("version: 1\n\n".count)) : text
            output += "\n# \(change.id) \(change.situation.rawValue) \(Wording.visible(change.ccmailName))\n"
            output += body
        }
        return output
    }

    /// The plan change as an LDAP change: a create as an add of the whole entry (objectClass first, then the
    /// attributes by name, values in plan order), a modify as its value-level modifications in plan order, a delete
    /// as a delete.
    package static func ldapChange(_ change: Plan.Change) throws(LDIFReportError) -> Change {
        let dn: DistinguishedName
        do {
            dn = try DistinguishedName(parsing: change.dn, keepingSpelling: true)
        } catch {
            throw LDIFReportError(
                changeID: change.id, message: "'\(Wording.visible(change.dn))' is not a DN: \(error)")
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
