import Crypto
import Foundation

/// Writing and reading plan files: canonical JSON, the plan hash, and the checks `apply` relies on.
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

    /// The SHA-256 of the plan's canonical JSON with `planHash` empty.
    package static func hash(of plan: Plan) -> String {
        var unsealed = plan
        unsealed.planHash = ""
        return SHA256.hexString(CanonicalJSON.sha256(unsealed))
    }

    /// Compact JSON with sorted keys and unescaped slashes: the bytes the hash covers.
    package static func canonicalJSON(_ plan: Plan) -> [UInt8] {
        CanonicalJSON.encode(plan)
    }

    /// The plan file's bytes: sorted keys, indented, a final newline — stable, so two plans diff line by line.
    package static func prettyJSON(_ plan: Plan) -> [UInt8] {
        CanonicalJSON.pretty(plan)
    }

    /// `prettyJSON(plan)` in pieces of about `chunkSize` bytes, handed to `chunk` in order as they are written, so a
    /// large plan file goes to disk without being held whole.
    package static func writePrettyJSON(_ plan: Plan, chunkSize: Int = 1 << 20, _ chunk: ([UInt8]) -> Void) {
        CanonicalJSON.pretty(plan, chunkSize: chunkSize, chunk)
    }

    /// Reads a plan file, refusing another schema version or a plan whose content does not match its hash.
    package static func decode(_ bytes: [UInt8], file: String) throws(PlanFile.Error) -> Plan {
        // The plan as ccdirsync writes it, read by our own reader (a plan of 100,000 users in about a fifth of
        // `JSONDecoder`'s time); anything it does not take, or a plan that fails a check, is read again below, so
        // the result and every message are `JSONDecoder`'s.
        if let plan = PlanReader.read(bytes), plan.schemaVersion == Plan.currentSchemaVersion,
            plan.planHash == hash(of: plan)
        {
            return plan
        }
        let plan: Plan
        do {
            plan = try JSONDecoder().decode(Plan.self, from: Data(bytes))
        } catch {
            throw Error(file: file, message: "not a ccdirsync plan: \(describe(error))")
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

    private static func describe(_ error: any Swift.Error) -> String {
        guard let decoding = error as? DecodingError else {
            return "\(error)"
        }
        switch decoding {
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

    private static func path(_ keys: [any CodingKey]) -> String {
        let text = keys.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
        return text.isEmpty ? "the top level" : String(text.drop { $0 == "." })
    }
}
