import Foundation
import Sync
import TestSupport
import Testing

@testable import Config

/// `schemas/config.schema.json` against the loader, so the editor's view of the file cannot drift from ccdirsync's.
@Suite("Config JSON Schema")
struct ConfigSchemaTests {
    static func schema() throws -> [String: Any] {
        let url = ProjectPaths.schemas.appendingPathComponent("config.schema.json")
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    /// Every object schema in the tree, by the key path that leads to it (`ccmail.exports[]`, `ccmail.gateways.*`).
    static func objects(_ node: [String: Any], _ path: String, into result: inout [(String, [String: Any])]) {
        if node["properties"] != nil || node["type"] as? String == "object" {
            result.append((path, node))
        }
        for (key, value) in node["properties"] as? [String: Any] ?? [:] {
            if let child = value as? [String: Any] {
                objects(child, path.isEmpty ? key : "\(path).\(key)", into: &result)
            }
        }
        if let items = node["items"] as? [String: Any] {
            objects(items, path + "[]", into: &result)
        }
        if let additional = node["additionalProperties"] as? [String: Any] {
            objects(additional, path + ".*", into: &result)
        }
    }

    @Test("the schema declares exactly the key paths the loader accepts")
    func keyPaths() throws {
        var objects: [(String, [String: Any])] = []
        Self.objects(try Self.schema(), "", into: &objects)
        var paths = Set<String>()
        for (path, node) in objects {
            for key in (node["properties"] as? [String: Any] ?? [:]).keys {
                paths.insert(path.isEmpty ? key : "\(path).\(key)")
            }
            if node["additionalProperties"] is [String: Any] {
                paths.insert(path + ".*")
            }
        }
        let known = ConfigurationLoader.knownKeyPaths
        #expect(paths == known, "differ: \(paths.symmetricDifference(known).sorted())")
    }

    @Test("every property has a description and every object refuses unknown keys, as the loader does")
    func descriptionsAndClosedObjects() throws {
        var objects: [(String, [String: Any])] = []
        Self.objects(try Self.schema(), "", into: &objects)
        for (path, node) in objects {
            for (key, value) in node["properties"] as? [String: Any] ?? [:] {
                let description = (value as? [String: Any])?["description"] as? String
                #expect(description?.isEmpty == false, "\(path).\(key) has no description")
            }
            if path != "ccmail.gateways" {
                #expect(node["additionalProperties"] as? Bool == false, "\(path) allows unknown keys")
            }
        }
    }

    @Test("the schema's enums are the loader's choices")
    func enums() throws {
        let schema = try Self.schema()
        func property(_ path: String) -> [String: Any]? {
            var node: [String: Any]? = schema
            for key in path.split(separator: ".") {
                node = (node?["properties"] as? [String: Any])?[String(key)] as? [String: Any]
            }
            return node
        }
        #expect(property("profile")?["enum"] as? [String] == ProfileName.allCases.map(\.rawValue))
        #expect(property("ldap.tls")?["properties"] != nil)
        #expect(property("ldap.tls.mode")?["enum"] as? [String] == TLSSettings.Mode.allCases.map(\.rawValue))
        #expect(property("match.byName")?["enum"] as? [String] == MatchSettings.ByName.allCases.map(\.rawValue))
        #expect(property("policy.onMissing")?["enum"] as? [String] == PolicySettings.OnMissing.allCases.map(\.rawValue))
        #expect(property("ldap.pageSize")?["default"] as? Int == 500)
        #expect(property("thresholds.deletes.count")?["default"] as? Int == Thresholds().deletes.count)
    }
}
