import CCMail

extension ConfigurationLoader.Reader {
    /// `ccmail:` — the exports (at least one, one per post office), code pages, gateways and exclusions.
    func ccmailSettings(_ section: ConfigMapping) throws(ConfigurationError) -> CCMailSettings {
        var settings = CCMailSettings(exports: [])
        if let node = section.optional("codepage") {
            settings.codePage = try codePage(node)
        }
        let exportsNode = try section.required("exports")
        let items = try exportsNode.list()
        guard !items.isEmpty else {
            throw exportsNode.error("name at least one export")
        }
        var seen: [String: String] = [:]
        for item in items {
            let fields = try ConfigMapping(item)
            let postOfficeNode = try fields.required("postOffice")
            let postOffice = try self.postOffice(postOfficeNode)
            if let earlier = seen[postOffice.lowercased()] {
                throw postOfficeNode.error("post office \(postOffice) is already exported by \(earlier)")
            }
            seen[postOffice.lowercased()] = item.path
            var export = CCMailSettings.Export(postOffice: postOffice, path: try path(try fields.required("path")))
            if let node = fields.optional("codepage") {
                export.codePage = try codePage(node)
            }
            settings.exports.append(export)
        }
        if let node = section.optional("gateways") {
            settings.gateways = try gateways(try ConfigMapping(freeForm: node))
        }
        if let node = section.optional("excludePostOffices") {
            for item in try node.list() {
                settings.excludePostOffices.append(try postOffice(item))
            }
        }
        if let node = section.optional("maxExportBytes") {
            settings.maxExportBytes = try bounded(node, 1...Int.max)
        }
        return settings
    }

    /// `ccmail.gateways:` — post office name → `ccmail` or `smtp`; names compared without regard to case.
    func gateways(_ mapping: ConfigMapping) throws(ConfigurationError) -> [String: GatewayMode] {
        var result: [String: GatewayMode] = [:]
        var seen: [String: String] = [:]
        for (name, node) in mapping.members {
            try checkPostOffice(name, at: node)
            if let earlier = seen[name.lowercased()] {
                throw node.error("gateway \(name) is already given as \(earlier)")
            }
            seen[name.lowercased()] = name
            result[name] = try choice(node, of: GatewayMode.self)
        }
        return result
    }
}
