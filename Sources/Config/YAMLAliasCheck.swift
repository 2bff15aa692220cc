import Yams

/// Refuses YAML anchors and aliases without ever composing an alias.
///
/// ccdirsync's configuration never needs them, and a few hundred bytes of nested aliases used as a mapping key make
/// the YAML library hash about 10⁹ nodes while it checks for duplicate keys (an "alias bomb"), before any of our
/// checks run. Yams' public API composes whole documents only, so the check composes a copy of the text in which
/// every `*` is replaced by a character the text does not contain: an alias (`*name`) becomes a plain scalar that
/// starts with that character, a `*` inside a quoted, plain or block value stays text, and the copy has no alias to
/// expand. In the copy, a node with an anchor is an anchor, and a plain scalar starting with the replacement is an
/// alias (a plain scalar cannot start with `*`). The lines are those of the text, since the replacement is one
/// character for one.
enum YAMLAliasCheck {
    /// What `firstAnchorOrAlias` found: its 1-based line, and which of the two it is (plural, for the message).
    struct Found {
        let line: Int?
        let kind: String
    }

    /// No character is free to stand for `*`: the text holds every private-use character.
    struct NoFreeCharacter: Error, CustomStringConvertible {
        var description: String { "the text uses every private-use character" }
    }

    /// The first anchor or alias in document order; nil when there is none. Throws the YAML library's error when the
    /// text does not compose, anchors or not (its line and problem are the text's own: only `*` differs, and a key
    /// named in a duplicate-key error is given back with its `*`).
    static func firstAnchorOrAlias(in text: String) throws -> Found? {
        guard text.unicodeScalars.contains("*") || text.unicodeScalars.contains("&") else { return nil }
        guard let stand = freeCharacter(in: text) else { throw NoFreeCharacter() }
        let copy = String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "*" ? stand : $0 }))
        // Node keeps its anchor weakly; the parser holds the anchors while it lives.
        let parser: Parser
        let root: Node?
        do {
            parser = try Parser(yaml: copy)
            root = try parser.singleRoot()
        } catch YamlError.duplicatedKeysInMapping(let duplicates, let context) {
            let restored = duplicates.map {
                String(String.UnicodeScalarView($0.unicodeScalars.map { $0 == stand ? "*" : $0 }))
            }
            throw YamlError.duplicatedKeysInMapping(duplicates: restored, context: context)
        }
        return withExtendedLifetime(parser) { root.flatMap { first(in: $0, aliasStart: stand) } }
    }

    /// A private-use character that does not occur in `text`.
    static func freeCharacter(in text: String) -> Unicode.Scalar? {
        let used = Set(text.unicodeScalars)
        let privateUse = (0xE000...0xF8FF as ClosedRange<UInt32>).lazy.compactMap(Unicode.Scalar.init)
        return privateUse.first { !used.contains($0) }
    }

    /// Walks the nodes in document order (a node before its children, a key before its value).
    static func first(in root: Node, aliasStart: Unicode.Scalar) -> Found? {
        var pending = [root]
        while let node = pending.popLast() {
            let line = node.mark?.line
            if node.anchor != nil { return Found(line: line, kind: "anchors") }
            switch node {
            case .scalar(let scalar):
                if scalar.style == .plain, scalar.string.unicodeScalars.first == aliasStart {
                    return Found(line: line, kind: "aliases")
                }
            case .sequence(let sequence):
                pending.append(contentsOf: Array(sequence).reversed())
            case .mapping(let mapping):
                for pair in Array(mapping).reversed() {
                    pending.append(pair.value)
                    pending.append(pair.key)
                }
            case .alias:
                return Found(line: line, kind: "aliases")
            }
        }
        return nil
    }
}
