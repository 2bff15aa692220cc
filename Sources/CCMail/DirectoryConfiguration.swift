/// How a gateway post office's users are addressed from Exchange.
package enum GatewayMode: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Through the cc:Mail connector: `<FAN> at <gateway PO>` (KB Q184994).
    case ccMail = "ccmail"
    /// Directly by SMTP: `SMTP:<FAN>`, bypassing cc:Mail.
    case smtp

    package var description: String { rawValue }
}

/// What the merge needs to know beyond the exports: gateway post offices and post offices to leave out.
package struct DirectoryConfiguration: Sendable, Hashable {
    /// Gateway post offices (such as cc:Mail's SMTP gateway `INTERNET`) and how their users are addressed.
    package var gateways: [CCMailName: GatewayMode]

    /// Post offices whose users are left out of the directory, in addition to Exchange site post offices.
    package var excludedPostOffices: Set<CCMailName>

    /// Creates a configuration.
    package init(gateways: [CCMailName: GatewayMode] = [:], excludedPostOffices: Set<CCMailName> = []) {
        self.gateways = gateways
        self.excludedPostOffices = excludedPostOffices
    }
}
