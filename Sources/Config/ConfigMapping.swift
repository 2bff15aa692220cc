/// A checked YAML mapping: its members, each already known to be an allowed key.
///
/// Lookups go through this value so that a missing required key can still be reported with a line (the line of
/// the mapping that should have held it) and the full key path, which a bare dictionary could not give.
struct ConfigMapping {
    typealias Member = (key: String, node: ConfigNode)

    /// The mapping node itself.
    let node: ConfigNode
    /// The members, in file order.
    let members: [Member]

    /// Checks that `node` is a mapping whose keys are all in the loader's key table for its path.
    init(_ node: ConfigNode) throws(ConfigurationError) {
        self.node = node
        self.members = try node.members(allowed: ConfigurationLoader.keys[node.schemaPath])
    }

    /// A mapping whose keys are free-form (`ccmail.gateways`).
    init(freeForm node: ConfigNode) throws(ConfigurationError) {
        self.node = node
        self.members = try node.members(allowed: nil)
    }

    /// The member `key`, when present and not null.
    func optional(_ key: String) -> ConfigNode? {
        guard let found = members.first(where: { $0.key == key })?.node, !found.isNull else {
            return nil
        }
        return found
    }

    /// The member `key`, or an error naming its key path at this mapping's line.
    func required(_ key: String, _ message: String = "required") throws(ConfigurationError) -> ConfigNode {
        guard let found = optional(key) else {
            throw missing(key, message)
        }
        return found
    }

    /// The member `key` as a checked mapping, when present.
    func section(_ key: String) throws(ConfigurationError) -> ConfigMapping? {
        guard let found = optional(key) else {
            return nil
        }
        return try ConfigMapping(found)
    }

    /// The member `key` as a checked mapping, or an error when it is absent.
    func requiredSection(_ key: String) throws(ConfigurationError) -> ConfigMapping {
        try ConfigMapping(try required(key))
    }

    /// The error for a key that should be here and is not.
    func missing(_ key: String, _ message: String = "required") -> ConfigurationError {
        ConfigurationError(file: node.file, line: node.line, keyPath: node.childPath(key), message: message)
    }
}
