import Crypto
import Foundation

/// The plan file format: the plan's JSON shape (spelled once, below), the plan hash that seals it, the file's bytes,
/// and reading a file back with the checks `apply` relies on.
///
/// One writer (`JSONWriter`) writes every form: the canonical form the hash covers, the pretty form of the file, and
/// (through the same spelling of modifications and value maps) the journal's lines. Files are read by `PlanReader`
/// when they are in the form written here, and otherwise by `JSONDecoder`, whose errors are the ones reported. The
/// member names are spelled once, in the plan types' `CodingKeys`: this shape writes them, and both readers read
/// through them.
package enum PlanFile {
    /// Why a plan file was refused.
    package struct Error: Swift.Error, Sendable, Hashable, CustomStringConvertible {
        package var file: String
        package var message: String

        package init(file: String, message: String) {
            self.file = file
            self.message = message
        }

        package var description: String { "\(file): \(message)" }
    }

    /// The plan with `planHash` set to the SHA-256 of its canonical JSON (computed with the hash empty).
    package static func sealed(_ plan: Plan) -> Plan {
        var sealed = plan
        sealed.planHash = hash(of: plan)
        return sealed
    }

    /// The SHA-256 of the plan's canonical JSON with `planHash` empty, hashed as it is written: the canonical form of
    /// a million-user plan is hundreds of megabytes that no one needs to hold at once.
    package static func hash(of plan: Plan) -> String {
        SHA256.hexString(JSONWriter.sha256(.canonical) { plan.write(to: &$0, planHash: "") })
    }

    /// Compact JSON with sorted keys and unescaped slashes: the bytes the hash covers (with `planHash` empty).
    package static func canonicalJSON(_ plan: Plan) -> [UInt8] {
        var out = JSONWriter(.canonical)
        plan.write(to: &out)
        return out.bytes
    }

    /// The plan file's bytes: sorted keys, indented, a final newline — stable, so two plans diff line by line.
    package static func prettyJSON(_ plan: Plan) -> [UInt8] {
        var out = JSONWriter(.pretty)
        plan.write(to: &out)
        out.newline()
        return out.bytes
    }

    /// `prettyJSON(plan)` in pieces of about `chunkSize` bytes, handed to `chunk` in order as they are written: a plan
    /// file of a million users is hundreds of megabytes, and held whole it would be the peak of `ccdirsync plan`'s
    /// memory.
    package static func writePrettyJSON(_ plan: Plan, chunkSize: Int = 1 << 20, _ chunk: ([UInt8]) -> Void) {
        JSONWriter.chunks(
            .pretty, chunkSize: chunkSize,
            { out in
                plan.write(to: &out)
                out.newline()
            }, to: chunk)
    }

    /// Reads a plan file, refusing another schema version or a plan whose content does not match its hash.
    package static func decode(_ bytes: [UInt8], file: String) throws(PlanFile.Error) -> Plan {
        let plan: Plan
        do {
            plan = try PlanReader.read(bytes) ?? JSONDecoder().decode(Plan.self, from: Data(bytes))
        } catch {
            throw Error(file: file, message: "not a ccdirsync plan: \(describe(error, in: bytes))")
        }
        guard plan.schemaVersion == Plan.currentSchemaVersion else {
            throw Error(
                file: file,
                message: "plan schema version \(plan.schemaVersion); this ccdirsync reads version "
                    + "\(Plan.currentSchemaVersion)")
        }
        let expected = hash(of: plan)
        guard plan.planHash == expected else {
            throw Error(
                file: file,
                message: "the plan's content does not match its planHash \(plan.planHash) (content hashes to "
                    + "\(expected)): it was edited after it was made")
        }
        return plan
    }

    private static func describe(_ error: any Swift.Error, in bytes: [UInt8]) -> String {
        guard let decoding = error as? DecodingError else {
            return "\(error)"
        }
        switch decoding {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            // JSON that does not parse: JSONDecoder does not say where, JSONSerialization does.
            return "invalid JSON: \(syntaxError(in: bytes) ?? context.debugDescription)"
        case .dataCorrupted(let context):
            return "invalid JSON at \(path(context.codingPath)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "missing key \(path(context.codingPath + [key]))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at \(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    /// JSONSerialization's words for where `bytes` stop being JSON (`Invalid value around character 1234.`).
    private static func syntaxError(in bytes: [UInt8]) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: Data(bytes))
            return nil
        } catch {
            return (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        let text = keys.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
        return text.isEmpty ? "the top level" : String(text.drop { $0 == "." })
    }
}

// MARK: - The plan's JSON shape (members in sorted order, as `JSONWriter` needs them)

extension Plan {
    /// The plan as a JSON object; `planHash` replaces the plan's own (the hash covers the plan with it empty).
    func write(to out: inout JSONWriter, planHash: String? = nil) {
        out.beginObject()
        out.key(CodingKeys.baseDN)
        out.string(baseDN)
        out.key(CodingKeys.changes)
        out.beginArray()
        for index in changes.indices {
            out.element()
            changes[index].write(to: &out)
        }
        out.endArray()
        out.key(CodingKeys.customRecipientContainer)
        out.string(customRecipientContainer)
        out.key(CodingKeys.findings)
        out.beginArray()
        for index in findings.indices {
            out.element()
            findings[index].write(to: &out)
        }
        out.endArray()
        out.key(CodingKeys.inputs)
        out.beginArray()
        for index in inputs.indices {
            out.element()
            inputs[index].write(to: &out)
        }
        out.endArray()
        out.key(CodingKeys.planHash)
        out.string(planHash ?? self.planHash)
        out.key(CodingKeys.profile)
        out.string(profile.rawValue)
        out.key(CodingKeys.schemaVersion)
        out.number(schemaVersion)
        out.key(CodingKeys.summary)
        summary.write(to: &out)
        out.endObject()
    }
}

extension Plan.Input {
    func write(to out: inout JSONWriter) {
        out.beginObject()
        out.key(CodingKeys.path)
        out.string(path)
        out.key(CodingKeys.role)
        out.string(role)
        out.key(CodingKeys.sha256)
        out.string(sha256)
        if let users {
            out.key(CodingKeys.users)
            out.number(users)
        }
        out.endObject()
    }
}

extension Plan.Summary {
    func write(to out: inout JSONWriter) {
        out.beginObject()
        out.key(CodingKeys.create)
        out.number(create)
        out.key(CodingKeys.delete)
        out.number(delete)
        out.key(CodingKeys.findings)
        out.number(findings)
        out.key(CodingKeys.modify)
        out.number(modify)
        out.key(CodingKeys.overThreshold)
        out.boolean(overThreshold)
        out.key(CodingKeys.thresholdReasons)
        out.strings(thresholdReasons)
        out.endObject()
    }
}

extension Plan.Change {
    func write(to out: inout JSONWriter) {
        out.beginObject()
        out.key(CodingKeys.attributes)
        out.valueMap(attributes)
        out.key(CodingKeys.before)
        out.valueMap(before)
        out.key(CodingKeys.ccmailName)
        out.string(ccmailName)
        out.key(CodingKeys.dn)
        out.string(dn)
        out.key(CodingKeys.id)
        out.number(id)
        out.key(CodingKeys.kind)
        out.string(kind.rawValue)
        out.key(CodingKeys.modifications)
        Plan.Modification.write(modifications, to: &out)
        out.key(CodingKeys.preconditions)
        out.beginArray()
        for index in preconditions.indices {
            out.element()
            preconditions[index].write(to: &out)
        }
        out.endArray()
        out.key(CodingKeys.rule)
        out.string(rule.rawValue)
        out.key(CodingKeys.situation)
        out.string(situation.rawValue)
        out.endObject()
    }
}

extension Plan.Modification {
    /// A list of modifications: a plan's change and a journal line write them alike.
    static func write(_ modifications: [Plan.Modification], to out: inout JSONWriter) {
        out.beginArray()
        for index in modifications.indices {
            out.element()
            out.beginObject()
            out.key(CodingKeys.attribute)
            out.string(modifications[index].attribute)
            out.key(CodingKeys.op)
            out.string(modifications[index].op.rawValue)
            out.key(CodingKeys.values)
            out.strings(modifications[index].values)
            out.endObject()
        }
        out.endArray()
    }
}

extension Plan.Precondition {
    func write(to out: inout JSONWriter) {
        out.beginObject()
        out.key(CodingKeys.absent)
        out.strings(absent)
        out.key(CodingKeys.attribute)
        out.string(attribute)
        if let noOthersStartingWith {
            out.key(CodingKeys.noOthersStartingWith)
            out.string(noOthersStartingWith)
        }
        out.key(CodingKeys.present)
        out.strings(present)
        out.endObject()
    }
}

extension Plan.Finding {
    func write(to out: inout JSONWriter) {
        out.beginObject()
        out.key(CodingKeys.candidates)
        out.strings(candidates)
        out.key(CodingKeys.ccmailName)
        out.string(ccmailName)
        out.key(CodingKeys.detail)
        out.string(detail)
        out.key(CodingKeys.situation)
        out.string(situation.rawValue)
        out.endObject()
    }
}
