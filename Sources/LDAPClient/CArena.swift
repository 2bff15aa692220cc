import CLDAP

/// Owns the C memory one request needs (strings, berval arrays, LDAPMod arrays) and frees it
/// all at once.
///
/// libldap encodes a request into BER before `ldap_*_ext` returns, so the arena only has to
/// outlive that call; a `defer { arena.free() }` next to the call is the whole lifetime.
final class CArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    deinit { free() }

    func free() {
        for pointer in allocations { pointer.deallocate() }
        allocations.removeAll()
    }

    /// A NUL-terminated copy of a Swift string.
    func string(_ text: String) -> UnsafeMutablePointer<CChar> {
        let utf8 = Array(text.utf8CString)
        let pointer = allocate(CChar.self, count: utf8.count)
        pointer.initialize(from: utf8, count: utf8.count)
        return pointer
    }

    /// A `struct berval` pointing at a copy of the bytes.
    func berval(_ bytes: [UInt8]) -> CLDAP.berval {
        let pointer = allocate(CChar.self, count: max(bytes.count, 1))
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                if let base = chars.baseAddress { pointer.initialize(from: base, count: bytes.count) }
            }
        }
        return CLDAP.berval(bv_len: ber_len_t(bytes.count), bv_val: pointer)
    }

    /// A NULL-terminated array of `struct berval *`, as `LDAPMod.mod_bvalues` wants.
    func bervalArray(_ values: [[UInt8]]) -> UnsafeMutablePointer<UnsafeMutablePointer<CLDAP.berval>?> {
        let array = allocate(UnsafeMutablePointer<CLDAP.berval>?.self, count: values.count + 1)
        for (index, value) in values.enumerated() {
            let element = allocate(CLDAP.berval.self, count: 1)
            element.initialize(to: berval(value))
            (array + index).initialize(to: element)
        }
        (array + values.count).initialize(to: nil)
        return array
    }

    /// A NULL-terminated `char **`, as the attribute list of a search wants.
    func stringArray(_ strings: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
        let array = allocate(UnsafeMutablePointer<CChar>?.self, count: strings.count + 1)
        for (index, text) in strings.enumerated() { (array + index).initialize(to: string(text)) }
        (array + strings.count).initialize(to: nil)
        return array
    }

    /// A NULL-terminated `LDAPMod **` for add and modify.
    func modArray(
        _ mods: [(operation: Int32, type: String, values: [[UInt8]])]
    )
        -> UnsafeMutablePointer<UnsafeMutablePointer<LDAPMod>?>
    {
        let array = allocate(UnsafeMutablePointer<LDAPMod>?.self, count: mods.count + 1)
        for (index, mod) in mods.enumerated() {
            let element = allocate(LDAPMod.self, count: 1)
            element.initialize(to: LDAPMod())
            element.pointee.mod_op = mod.operation | LDAP_MOD_BVALUES
            element.pointee.mod_type = string(mod.type)
            cldap_mod_set_bvalues(element, mod.values.isEmpty ? nil : bervalArray(mod.values))
            (array + index).initialize(to: element)
        }
        (array + mods.count).initialize(to: nil)
        return array
    }

    private func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: count)
        allocations.append(UnsafeMutableRawPointer(pointer))
        return pointer
    }
}
