/// One write operation against the directory.
///
/// The sync planner produces these, the LDAP client applies them and the LDIF writer records them, so the same
/// value is the plan, the action and the audit trail.
package enum Change: Sendable, Hashable {
    /// Create an entry.
    case add(Entry)
    /// Change attributes of an existing entry.
    case modify(DistinguishedName, [Modification])
    /// Remove a leaf entry.
    case delete(DistinguishedName)
    /// Rename an entry and/or move it under `newSuperior`.
    case modifyRDN(
        DistinguishedName,
        newRDN: RelativeDistinguishedName,
        deleteOldRDN: Bool,
        newSuperior: DistinguishedName?
    )

    /// The DN of the entry the change applies to (before any rename).
    package var dn: DistinguishedName {
        switch self {
        case .add(let entry): entry.dn
        case .modify(let dn, _): dn
        case .delete(let dn): dn
        case .modifyRDN(let dn, _, _, _): dn
        }
    }
}
