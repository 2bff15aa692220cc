import Foundation

/// Work started at once on a thread of its own, and its result collected later with `wait()`.
///
/// ccdirsync is synchronous (libldap's calls block), so this is how two things run at the same time: each side
/// uses its own LDAP connection, and nothing but the finished result crosses from one thread to the other.
package final class BackgroundWork<Value: Sendable, Failure: Error>: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)
    /// Written once by the worker before it signals `finished`; read only after waiting on it.
    private var result: Result<Value, Failure>?

    package init(_ work: @escaping @Sendable () throws(Failure) -> Value) {
        let thread = Thread { [self] in
            let outcome: Result<Value, Failure>
            do throws(Failure) {
                outcome = .success(try work())
            } catch {
                outcome = .failure(error)
            }
            result = outcome
            finished.signal()
        }
        // The main thread's size: the work runs the same code the main thread would.
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Blocks until the work is done; its value, or what it threw. May be called more than once.
    package func wait() throws(Failure) -> Value {
        finished.wait()
        finished.signal()
        guard let result else {
            preconditionFailure("the worker signalled before storing its result")
        }
        return try result.get()
    }
}
