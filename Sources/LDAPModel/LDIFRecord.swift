/// One record of an LDIF document: an entry (content record) or a change (change record).
///
/// RFC 2849 files hold either kind; keeping them apart lets callers import directory exports and replay change logs
/// with one reader.
package enum LDIFRecord: Sendable, Hashable {
    /// A content record: a DN and attribute values, no `changetype:`.
    case content(Entry)
    /// A change record; `changetype: add` becomes ``Change/add(_:)``.
    case change(Change)
}
