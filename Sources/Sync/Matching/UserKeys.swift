import CCMail

/// Each user's name and target address as table keys, hashed once for the matcher and the planner.
///
/// Both look every user up by name (the mailboxes carrying a MIGRATE value for them, our recipients marked for
/// them) and by target address; hashing 100,000 names, many of them accented, once per look-up cost as much as the
/// look-ups.
struct UserKeys {
    /// `names[i]` is the name of `users[i]`.
    let names: [Prehashed<CCMailName>]
    /// `targets[i]` is the key of `users[i]`'s target address (`DesiredRecipient.targetKey`).
    let targets: [HashedAddressKey]

    init(_ users: [CCMailUser]) {
        // Read through a buffer pointer: the array's subscript copied each user's name and address out.
        (names, targets) = users.withUnsafeBufferPointer { users in
            (
                users.indices.map { Prehashed(users[$0].name) },
                users.indices.map { HashedAddressKey(DesiredRecipient.targetKey(users[$0].address)) }
            )
        }
    }
}
