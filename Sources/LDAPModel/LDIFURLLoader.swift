import Foundation

/// Loads the value behind an LDIF `attr:< URL` line.
///
/// RFC 2849 allows any URL, but a directory import must not reach out to the network, so only local `file://` URLs
/// are supported (`file:///path` or `file://localhost/path`, percent-escapes allowed); anything else is an error.
enum LDIFURLLoader {
    /// The contents of the file named by `url`, or a reason why it cannot be read.
    static func load(_ url: String) -> Result<[UInt8], LoadError> {
        let prefix = "file://"
        guard url.lowercased().hasPrefix(prefix) else {
            return .failure(LoadError(reason: "unsupported URL \"\(url)\" (only file:// URLs are supported)"))
        }
        let rest = url.dropFirst(prefix.count)
        guard let slash = rest.firstIndex(of: "/") else {
            return .failure(LoadError(reason: "file URL \"\(url)\" has no path"))
        }
        let host = rest[..<slash]
        guard host.isEmpty || host.lowercased() == "localhost" else {
            return .failure(LoadError(reason: "file URL \"\(url)\" names a remote host"))
        }
        guard let path = String(rest[slash...]).removingPercentEncoding else {
            return .failure(LoadError(reason: "file URL \"\(url)\" has invalid percent-escapes"))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(LoadError(reason: "cannot read \"\(path)\" from URL \"\(url)\""))
        }
        return .success(Array(data))
    }

    /// Why a URL value could not be loaded.
    struct LoadError: Error {
        var reason: String
    }
}
