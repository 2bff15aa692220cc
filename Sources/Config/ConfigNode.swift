import Foundation
import Yams

/// A YAML node with the key path that leads to it, so every complaint names its place.
///
/// Every accessor either returns a checked value or throws a `ConfigurationError` naming this node's key path and
/// line; the loader never sees a Yams type it has not checked.
struct ConfigNode {
    let node: Node
    let path: String
    let file: String

    var line: Int? { node.mark?.line }

    func error(_ message: String) -> ConfigurationError {
        ConfigurationError(file: file, line: line, keyPath: path, message: message)
    }

    /// The key path with list positions blanked (`ccmail.exports[]`), as the loader's key table spells it.
    var schemaPath: String {
        var result = ""
        var inIndex = false
        for character in path {
            if character == "[" {
                inIndex = true
                result.append(character)
            } else if character == "]" {
                inIndex = false
                result.append(character)
            } else if !inIndex {
                result.append(character)
            }
        }
        return result
    }

    /// The path of a member key.
    func childPath(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// The members of a mapping, after checking that every key is one of `allowed` (nil allows any key).
    func members(allowed: [String]?) throws(ConfigurationError) -> [(key: String, node: ConfigNode)] {
        guard case .mapping(let mapping) = node else {
            throw error("expected a mapping")
        }
        var result: [(key: String, node: ConfigNode)] = []
        var seen = Set<String>()
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                throw ConfigurationError(
                    file: file, line: keyNode.mark?.line, keyPath: path, message: "keys must be text")
            }
            let key = scalar.string
            let keyPath = childPath(key)
            if let allowed, !allowed.contains(key) {
                var message = "unknown key"
                if let suggestion = Self.closest(key, in: allowed) {
                    message += "; did you mean \(suggestion)?"
                }
                throw ConfigurationError(file: file, line: keyNode.mark?.line, keyPath: keyPath, message: message)
            }
            guard seen.insert(key).inserted else {
                throw ConfigurationError(
                    file: file, line: keyNode.mark?.line, keyPath: keyPath, message: "the key is given twice")
            }
            result.append((key, ConfigNode(node: valueNode, path: keyPath, file: file)))
        }
        return result
    }

    var isNull: Bool {
        guard case .scalar(let scalar) = node else {
            return false
        }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    func string() throws(ConfigurationError) -> String {
        guard case .scalar(let scalar) = node else {
            throw error("expected a string")
        }
        return scalar.string
    }

    /// A string that is not empty after trimming.
    func nonEmptyString() throws(ConfigurationError) -> String {
        let value = try string()
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw error("must not be empty")
        }
        return value
    }

    func integer() throws(ConfigurationError) -> Int {
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = Int(scalar.string) else {
            throw error("expected a whole number")
        }
        return value
    }

    func number() throws(ConfigurationError) -> Double {
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = Double(scalar.string),
            value.isFinite
        else {
            throw error("expected a number")
        }
        return value
    }

    func boolean() throws(ConfigurationError) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else {
            throw error("expected true or false")
        }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false")
        }
    }

    func list() throws(ConfigurationError) -> [ConfigNode] {
        guard case .sequence(let sequence) = node else {
            throw error("expected a list")
        }
        return sequence.enumerated().map { index, item in
            ConfigNode(node: item, path: "\(path)[\(index)]", file: file)
        }
    }

    /// One of `choices`, spelled exactly.
    func choice(_ choices: [String]) throws(ConfigurationError) -> String {
        let value = try string()
        guard choices.contains(value) else {
            throw error("expected one of \(choices.joined(separator: ", ")), not '\(value)'")
        }
        return value
    }

    /// The allowed key closest to a misspelt one (edit distance at most 3), for the error message.
    static func closest(_ key: String, in allowed: [String]) -> String? {
        let scored = allowed.map { ($0, distance(key.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= 3 else {
            return nil
        }
        return best.0
    }

    private static func distance(_ lhs: String, _ rhs: String) -> Int {
        let left = Array(lhs)
        let right = Array(rhs)
        var previous = Array(0...right.count)
        for (i, leftCharacter) in left.enumerated() {
            var current = [i + 1]
            for (j, rightCharacter) in right.enumerated() {
                current.append(
                    min(previous[j + 1] + 1, current[j] + 1, previous[j] + (leftCharacter == rightCharacter ? 0 : 1)))
            }
            previous = current
        }
        return previous[right.count]
    }
}
