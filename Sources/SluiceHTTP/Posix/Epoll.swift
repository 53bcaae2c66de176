import CSystem
import Glibc

/// An owned epoll instance. Thread affinity: used only by the event loop that owns it.
/// Each registration carries a 64-bit user value (the event loop packs slot + generation into it).
final class Epoll {
    let descriptor: Int32
    /// Event receive buffer; owned, freed in deinit. Safe: only touched by the owning loop's thread.
    private let events: UnsafeMutableRawPointer
    let capacity: Int

    static let readable = UInt32(EPOLLIN.rawValue)
    static let writable = UInt32(EPOLLOUT.rawValue)
    static let readHangup = UInt32(EPOLLRDHUP.rawValue)
    static let hangup = UInt32(EPOLLHUP.rawValue)
    static let error = UInt32(EPOLLERR.rawValue)
    static let edgeTriggered = UInt32(bitPattern: csystem_epollet())
    static let exclusive = UInt32(bitPattern: csystem_epollexclusive())

    init(capacity: Int = 256) throws(SystemError) {
        descriptor = try syscallValue("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        self.capacity = capacity
        events = UnsafeMutableRawPointer.allocate(byteCount: capacity * csystem_epoll_event_size(), alignment: 8)
    }

    deinit {
        events.deallocate()
        closeDescriptor(descriptor)
    }

    func add(_ fd: Int32, events mask: UInt32, data: UInt64) throws(SystemError) {
        try control(EPOLL_CTL_ADD, fd, mask, data, "epoll_ctl(ADD)")
    }

    func modify(_ fd: Int32, events mask: UInt32, data: UInt64) throws(SystemError) {
        try control(EPOLL_CTL_MOD, fd, mask, data, "epoll_ctl(MOD)")
    }

    func delete(_ fd: Int32) throws(SystemError) {
        try control(EPOLL_CTL_DEL, fd, 0, 0, "epoll_ctl(DEL)")
    }

    private func control(_ operation: Int32, _ fd: Int32, _ mask: UInt32, _ data: UInt64, _ call: StaticString) throws(SystemError) {
        var event = epoll_event()
        csystem_epoll_event_set(&event, mask, data)
        let epfd = descriptor
        try syscallValue(call) { epoll_ctl(epfd, operation, fd, &event) }
    }

    /// Waits up to `timeoutMilliseconds` (-1: forever) and returns how many events are ready;
    /// read them with `event(at:)`. EINTR returns 0 events.
    func wait(timeoutMilliseconds: Int32) throws(SystemError) -> Int {
        let pointer = events.assumingMemoryBound(to: epoll_event.self)
        let count = csystem_epoll_wait(descriptor, pointer, Int32(capacity), timeoutMilliseconds)
        if count >= 0 { return Int(count) }
        let error = csystem_errno()
        if error == EINTR { return 0 }
        throw SystemError(errno: error, call: "epoll_wait")
    }

    @inline(__always)
    func event(at index: Int) -> (events: UInt32, data: UInt64) {
        let pointer = UnsafePointer(events.assumingMemoryBound(to: epoll_event.self))
        return (csystem_epoll_event_events(pointer, Int32(index)), csystem_epoll_event_data(pointer, Int32(index)))
    }
}
