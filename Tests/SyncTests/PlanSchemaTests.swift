import Foundation
import Sync
import TestSupport
import Testing

/// `schemas/plan.schema.json` describes the plans the code writes, and its enums list exactly the code's cases.
@Suite("Plan schema")
struct PlanSchemaTests {
    static func schema() throws -> [String: Any] {
        let data = try Data(contentsOf: ProjectPaths.root.appendingPathComponent("schemas/plan.schema.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// A plan with every kind of change and finding.
    static func samplePlan() throws -> Plan {
        var scenario = Scenario(.exchange55)
        scenario.configuration.thresholds.deletes = .init(count: 0, percent: 0)
        scenario.ownedRecipient("FFormer", name: "Former, Fred", po: "LONDON", display: "Fred Former")
        scenario.ownedRecipient("NGarcon", name: "Garçon, Noël", po: "LONDON", display: "Noël Garçon")
        scenario.mailbox("JSmith", given: "John", sur: "Smith", proxies: [scenario.migrate("Smith, John", "PARIS")])
        scenario.mailbox("AMiller", given: "Ann", sur: "Miller")
        scenario.foreignRecipient("LBianchi", target: "CCMAIL:Bianchi, Lucia at GENEVA")
        scenario.user("Smith, John", "LONDON")
        scenario.user("Garçon, Noël", "PARIS")
        scenario.user("Miller, Ann", "LONDON")
        scenario.user("Bianchi, Lucia", "GENEVA")
        return try scenario.plan()
    }

    @Test("a plan with every kind of change validates against the schema")
    func planValidates() throws {
        let plan = try Self.samplePlan()
        #expect(Set(plan.changes.map(\.kind)) == [.create, .modify, .delete])
        #expect(plan.summary.overThreshold)
        let json = try JSONSerialization.jsonObject(with: Data(PlanFile.prettyJSON(plan)))
        let schema = try Self.schema()
        var problems: [String] = []
        SchemaCheck(root: schema).check(json, against: schema, at: "$", problems: &problems)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("the checker itself rejects a plan with an unknown key and a wrong type")
    func checkerCanFail() throws {
        let plan = try Self.samplePlan()
        var json = try #require(
            try JSONSerialization.jsonObject(with: Data(PlanFile.prettyJSON(plan))) as? [String: Any])
        json["surprise"] = true
        json["schemaVersion"] = "1"
        let schema = try Self.schema()
        var problems: [String] = []
        SchemaCheck(root: schema).check(json, against: schema, at: "$", problems: &problems)
        #expect(problems.contains("$.surprise: not allowed"))
        #expect(problems.contains { $0.hasPrefix("$.schemaVersion") })
    }

    @Test("the schema's enums are exactly the code's cases")
    func enumsMatch() throws {
        let schema = try Self.schema()
        let defs = try #require(schema["$defs"] as? [String: Any])
        let change = try #require((defs["change"] as? [String: Any])?["properties"] as? [String: Any])
        let finding = try #require((defs["finding"] as? [String: Any])?["properties"] as? [String: Any])
        func cases(_ properties: [String: Any], _ key: String) -> Set<String> {
            Set(((properties[key] as? [String: Any])?["enum"] as? [String]) ?? [])
        }
        #expect(cases(change, "situation") == Set(Plan.Situation.allCases.map(\.rawValue)))
        #expect(cases(change, "rule") == Set(Plan.Rule.allCases.map(\.rawValue)))
        #expect(cases(change, "kind") == Set(Plan.ChangeKind.allCases.map(\.rawValue)))
        #expect(cases(finding, "situation") == Set(Plan.FindingSituation.allCases.map(\.rawValue)))
    }
}

/// The part of JSON Schema the plan schema uses: type, enum, const, required, properties, additionalProperties,
/// items, $ref, pattern and minimum.
struct SchemaCheck {
    let root: [String: Any]

    func check(_ value: Any, against schema: [String: Any], at path: String, problems: inout [String]) {
        if let reference = schema["$ref"] as? String {
            let name = reference.replacingOccurrences(of: "#/$defs/", with: "")
            if let definition = (root["$defs"] as? [String: Any])?[name] as? [String: Any] {
                check(value, against: definition, at: path, problems: &problems)
            } else {
                problems.append("\(path): unknown $ref \(reference)")
            }
        }
        if let allowed = schema["enum"] as? [String], !allowed.contains(value as? String ?? "\u{0}") {
            problems.append("\(path): \(value) is not one of \(allowed)")
        }
        if let constant = schema["const"] as? Int, (value as? Int) != constant || value is String {
            problems.append("\(path): expected \(constant)")
        }
        switch schema["type"] as? String {
        case "object":
            guard let object = value as? [String: Any] else {
                problems.append("\(path): expected an object")
                return
            }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(path): missing \(key)")
            }
            for (key, member) in object {
                if let property = properties[key] as? [String: Any] {
                    check(member, against: property, at: "\(path).\(key)", problems: &problems)
                } else if let additional = schema["additionalProperties"] as? [String: Any] {
                    check(member, against: additional, at: "\(path).\(key)", problems: &problems)
                } else if (schema["additionalProperties"] as? Bool) == false {
                    problems.append("\(path).\(key): not allowed")
                }
            }
        case "array":
            guard let array = value as? [Any] else {
                problems.append("\(path): expected an array")
                return
            }
            if let items = schema["items"] as? [String: Any] {
                for (index, item) in array.enumerated() {
                    check(item, against: items, at: "\(path)[\(index)]", problems: &problems)
                }
            }
        case "string":
            guard let string = value as? String else {
                problems.append("\(path): expected a string")
                return
            }
            if let pattern = schema["pattern"] as? String, string.range(of: pattern, options: .regularExpression) == nil
            {
                problems.append("\(path): does not match \(pattern)")
            }
        case "integer":
            guard let number = value as? Int, type(of: value) != Bool.self, !(value is String) else {
                problems.append("\(path): expected an integer")
                return
            }
            if let minimum = schema["minimum"] as? Int, number < minimum {
                problems.append("\(path): below \(minimum)")
            }
        case "boolean":
            if !(value is Bool) {
                problems.append("\(path): expected true or false")
            }
        default:
            break
        }
    }
}
