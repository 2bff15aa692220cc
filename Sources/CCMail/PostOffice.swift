/// A post office of the merged directory.
///
/// How a post office is connected is a property of the pair (exporting post office, post office): PO2 can be
/// directly connected to PO1 and reached through PO1 from PO3. The merged view keeps the closest connection any
/// export reports, and every place it was seen.
package struct PostOffice: Sendable, Hashable {
    /// How the post office is reached, as close as any export says.
    package enum Connection: Sendable, Hashable, CustomStringConvertible {
        /// An export was taken from this post office.
        case exported
        /// Some export lists it as directly connected (`P`).
        case direct
        /// Exports list it only as indirectly connected (`p`); the first route read, in export order.
        case indirect(via: CCMailName)

        package var description: String {
            switch self {
            case .exported: "exported"
            case .direct: "direct"
            case .indirect(let route): "indirect via \(route)"
            }
        }
    }

    /// How one export lists the post office.
    package struct Link: Sendable, Hashable {
        /// The post office the export was taken on.
        package var seenFrom: CCMailName
        /// `nil` when the export lists the post office as directly connected (`P`); for `p`, the post office it
        /// is reached through.
        package var route: CCMailName?
        /// The record.
        package var location: Location

        /// Creates a link.
        package init(seenFrom: CCMailName, route: CCMailName?, location: Location) {
            self.seenFrom = seenFrom
            self.route = route
            self.location = location
        }
    }

    /// The name, spelled as the command line or the first record spells it.
    package var name: CCMailName

    /// How it is reached.
    package var connection: Connection

    /// The comment of the first record with one.
    package var comments: String?

    /// Whether a record's comment marks it as an Exchange site (`MSExchangeCCMC …`).
    package var isExchangeSite: Bool

    /// The gateway mode, when configuration names this post office as a gateway.
    package var gateway: GatewayMode?

    /// Whether users homed here are left out of the directory (Exchange site, or excluded by configuration).
    package var isExcluded: Bool

    /// The export file taken from this post office, if any.
    package var exportFile: String?

    /// How each export that names this post office lists it, in export order.
    package var links: [Link]

    /// The records that name this post office, in order.
    package var sources: [Location] { links.map(\.location) }

    /// Creates a post office.
    package init(
        name: CCMailName, connection: Connection, comments: String? = nil, isExchangeSite: Bool = false,
        gateway: GatewayMode? = nil, isExcluded: Bool = false, exportFile: String? = nil, links: [Link] = []
    ) {
        self.name = name
        self.connection = connection
        self.comments = comments
        self.isExchangeSite = isExchangeSite
        self.gateway = gateway
        self.isExcluded = isExcluded
        self.exportFile = exportFile
        self.links = links
    }
}
