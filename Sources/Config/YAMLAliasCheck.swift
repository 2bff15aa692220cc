import CYaml

/// Refuses YAML anchors and aliases before the document is composed.
///
/// ccdirsync's configuration never needs them, and a few hundred bytes of nested aliases used as a mapping key make
/// the YAML library hash about 10⁹ nodes while it checks for duplicate keys (an "alias bomb"), before any of our
/// checks run. libyaml's scanner sees `&anchor` and `*alias` as tokens of their own, so the check is exact: a `*` or
/// `&` inside a quoted or block value is not a token and passes.
enum YAMLAliasCheck {
    /// The 1-based line of the first anchor or alias, with which of the two it is (plural, for the message); nil
    /// when there is none or the text does not scan (the composer reports the syntax error then).
    static func firstAnchorOrAlias(in text: String) -> (line: Int, kind: String)? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        var utf8 = Array(text.utf8)
        return utf8.withUnsafeMutableBufferPointer { buffer -> (line: Int, kind: String)? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            while true {
                var token = yaml_token_t()
                guard yaml_parser_scan(&parser, &token) == 1 else { return nil }
                defer { yaml_token_delete(&token) }
                switch token.type {
                case YAML_STREAM_END_TOKEN, YAML_NO_TOKEN:
                    return nil
                case YAML_ALIAS_TOKEN:
                    return (Int(token.start_mark.line) + 1, "aliases")
                case YAML_ANCHOR_TOKEN:
                    return (Int(token.start_mark.line) + 1, "anchors")
                default:
                    continue
                }
            }
        }
    }
}
