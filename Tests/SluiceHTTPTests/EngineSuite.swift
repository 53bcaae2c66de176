import Testing

/// Parent of every socket-using suite of the engine: serialized, so `/proc/self/fd` counts taken by
/// leak checks are not disturbed by other tests of this target opening sockets at the same time.
@Suite(.serialized) struct EngineSuite {}
