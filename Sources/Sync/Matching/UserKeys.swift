import CCMail

/// Each user's target address key, worked out once for the matcher and the planner (both look every user up by it).
struct UserKeys {
    /// `targets[i]` is the key of `users[i]`'s target address (`DesiredRecipient.targetKey`).
    let targets: [AddressKey]

    init(_ users: [CCMailUser]) {
        targets = users.map { DesiredRecipient.targetKey($0.address) }
    }
}
