import CCMail

/// What a custom recipient for one cc:Mail user should say, worked out from the user and the config.
struct DesiredRecipient {
    /// `CCMAIL:<Name> at <PO>`, or `SMTP:<address>` for a gateway configured as `smtp`.
    let target: String
    /// The same address as the primary proxy of its type, spelled for the flavour.
    let proxy: ProxyAddress
    let displayName: String
    let givenName: String?
    let surname: String
    let mark: String
    /// The comparison key of the target.
    let targetKey: AddressKey

    /// `targetKey`: the key of the user's target when the caller has it already (`targetKey(user)`).
    init(user: CCMailUser, targetKey: AddressKey? = nil, displayNameTemplate: Template) {
        switch user.address {
        case .ccMail(let address):
            target = "CCMAIL:\(address)"
            proxy = ProxyAddress(type: "CCMAIL", address: address.description)
        case .smtp(let address):
            target = "SMTP:\(address)"
            proxy = ProxyAddress(type: "SMTP", address: address)
        }
        if user.givenName == nil {
            // A name without a comma has no given name: the whole name is the display name (DESIGN.md).
            displayName = user.name.text
        } else {
            let rendered = displayNameTemplate.render(user: user, alias: nil)
            displayName = rendered.isEmpty ? user.name.text : rendered
        }
        givenName = user.givenName
        surname = user.surname
        mark = OwnershipMark.value(for: user.name)
        self.targetKey = targetKey ?? proxy.key
    }

    /// The key of a user's target address, without working out the rest of the recipient.
    static func targetKey(_ user: CCMailUser) -> AddressKey {
        targetKey(user.address)
    }

    /// The key of a target address; taking the address alone spares copying the whole user to get at it.
    static func targetKey(_ address: UserAddress) -> AddressKey {
        switch address {
        case .ccMail(let address): AddressKey(type: "CCMAIL", address: address.description)
        case .smtp(let address): AddressKey(type: "SMTP", address: address)
        }
    }
}
