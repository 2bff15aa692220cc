import LDAPModel

extension ConfigurationLoader.Reader {
    /// `ldap:` — URL, bind identity, password source, TLS and search limits.
    func ldapSettings(_ section: ConfigMapping) throws(ConfigurationError) -> LDAPSettings {
        let urlNode = try section.required("url")
        let url = try urlNode.nonEmptyString()
        guard let endpoint = LDAPEndpoint(url) else {
            throw urlNode.error("expected ldap://host[:port] or ldaps://host[:port], not '\(url)'")
        }
        let bindDN = try distinguishedName(try section.required("bindDN"))
        let password = try passwordReference(section)
        let baseDN = try distinguishedName(try section.required("baseDN"))
        let tls = try tlsSettings(try section.section("tls"), secure: endpoint.isLDAPS)
        var settings = LDAPSettings(url: url, bindDN: bindDN, password: password, tls: tls, baseDN: baseDN)
        if let node = section.optional("pageSize") {
            settings.pageSize = try bounded(node, 1...10_000)
        }
        if let node = section.optional("timeout") {
            settings.timeoutSeconds = try bounded(node, 1...86_400)
        }
        if let node = section.optional("maxEntries") {
            settings.maxEntries = try bounded(node, 1...Int.max)
        }
        return settings
    }

    /// Exactly one of `passwordFile` and `passwordEnv`; the password itself is never read here.
    func passwordReference(_ section: ConfigMapping) throws(ConfigurationError) -> PasswordReference {
        switch (section.optional("passwordFile"), section.optional("passwordEnv")) {
        case (let file?, nil):
            return .file(try path(file))
        case (nil, let variable?):
            let name = try variable.nonEmptyString()
            guard let first = name.unicodeScalars.first, !first.isASCIIDigit,
                name.unicodeScalars.allSatisfy({ $0.isASCIIDigit || $0.isASCIILetterOrUnderscore })
            else {
                // The value is not repeated: what was put here by mistake may be the password itself.
                throw variable.error(
                    "not an environment variable name (letters, digits, _; the value is not repeated here, in case "
                        + "it is the password)")
            }
            return .environment(name)
        case (.some, .some(let variable)):
            throw variable.error("give passwordFile or passwordEnv, not both")
        case (nil, nil):
            throw section.missing(
                "passwordFile", "required (or ldap.passwordEnv): the bind password is never written in the config")
        }
    }

    /// `ldap.tls:`; the mode defaults from the URL scheme and must agree with it.
    func tlsSettings(_ section: ConfigMapping?, secure: Bool) throws(ConfigurationError) -> TLSSettings {
        var tls = TLSSettings(mode: secure ? .ldaps : .starttls)
        guard let section else {
            return tls
        }
        if let modeNode = section.optional("mode") {
            let mode = try choice(modeNode, of: TLSSettings.Mode.self)
            if secure, mode != .ldaps {
                throw modeNode.error("an ldaps:// URL is TLS from the first byte; use mode ldaps (or an ldap:// URL)")
            }
            if !secure, mode == .ldaps {
                throw modeNode.error("mode ldaps needs an ldaps:// URL (or use starttls)")
            }
            tls.mode = mode
            tls.modeIsExplicit = true
        }
        if let caFile = section.optional("caFile") {
            tls.caFile = try path(caFile)
        }
        if let verify = section.optional("verify") {
            tls.verify = try verify.boolean()
        }
        return tls
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }

    fileprivate var isASCIILetterOrUnderscore: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || self == "_"
    }
}

/// The parts of an `ldap://` or `ldaps://` URL that the loader checks.
///
/// Written out rather than left to `URLComponents`, whose acceptance of odd ports, user info and paths differs
/// between platforms; ccdirsync wants exactly scheme, host and an optional port, and nothing else.
struct LDAPEndpoint: Equatable {
    var isLDAPS: Bool
    var host: String
    var port: Int?

    init?(_ url: String) {
        let lowered = url.lowercased()
        let rest: Substring
        if lowered.hasPrefix("ldaps://") {
            isLDAPS = true
            rest = url.dropFirst("ldaps://".count)
        } else if lowered.hasPrefix("ldap://") {
            isLDAPS = false
            rest = url.dropFirst("ldap://".count)
        } else {
            return nil
        }
        var hostPort = rest.hasSuffix("/") ? rest.dropLast() : rest
        var portText: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else {
                return nil
            }
            host = String(hostPort[hostPort.startIndex...close])
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else {
                    return nil
                }
                portText = after.dropFirst()
            }
        } else {
            if let colon = hostPort.firstIndex(of: ":") {
                portText = hostPort[hostPort.index(after: colon)...]
                hostPort = hostPort[..<colon]
            }
            guard hostPort.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) }) else {
                return nil
            }
            host = String(hostPort)
        }
        guard host.count > (host.hasPrefix("[") ? 2 : 0) else {
            return nil
        }
        if let portText {
            guard !portText.isEmpty, portText.allSatisfy({ ("0"..."9").contains($0) }), let value = Int(portText),
                (1...65_535).contains(value)
            else {
                return nil
            }
            port = value
        } else {
            port = nil
        }
    }
}
