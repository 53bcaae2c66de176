// The system headers that Glibc does not export to Swift (epoll, eventfd, timerfd, signalfd) plus
// the socket option headers the engine needs. Only Sources/SluiceHTTP/Posix may import this module.
#ifndef SLUICE_CSYSTEM_H
#define SLUICE_CSYSTEM_H

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <fcntl.h>
#include <unistd.h>
#include <errno.h>
#include <signal.h>
#include <pthread.h>
#include <time.h>
#include <limits.h>
#include <stdint.h>
#include <sys/syscall.h>

/// errno of the calling thread (a macro in C, so not importable as-is).
static inline int csystem_errno(void) { return errno; }

/// IOV_MAX is only defined by some feature macros; Linux has always allowed 1024.
static inline int csystem_iov_max(void) {
#ifdef IOV_MAX
    return IOV_MAX;
#else
    return 1024;
#endif
}

// `struct epoll_event` is packed on x86_64; these accessors keep Swift away from its layout.
static inline void csystem_epoll_event_set(struct epoll_event *event, uint32_t events, uint64_t data) {
    event->events = events;
    event->data.u64 = data;
}
static inline uint32_t csystem_epoll_event_events(const struct epoll_event *events, int index) {
    return events[index].events;
}
static inline uint64_t csystem_epoll_event_data(const struct epoll_event *events, int index) {
    return events[index].data.u64;
}
static inline size_t csystem_epoll_event_size(void) { return sizeof(struct epoll_event); }

// Flags that glibc declares as enum members or behind _GNU_SOURCE.
static inline int csystem_sock_nonblock(void) { return SOCK_NONBLOCK; }
static inline int csystem_sock_cloexec(void) { return SOCK_CLOEXEC; }
static inline int csystem_sock_stream(void) { return SOCK_STREAM; }
static inline int csystem_epollet(void) { return (int)EPOLLET; }
static inline int csystem_epollexclusive(void) { return (int)EPOLLEXCLUSIVE; }
static inline int csystem_msg_nosignal(void) { return MSG_NOSIGNAL; }

// recv/send through syscall(2): glibc's wrappers are pthread cancellation points and pay for
// enabling/disabling asynchronous cancellation on every call; Sluice never cancels threads.
static inline long csystem_recv(int fd, void *buffer, size_t length) {
    return syscall(SYS_recvfrom, fd, buffer, length, 0, (void *)0, (void *)0);
}
static inline long csystem_send(int fd, const void *buffer, size_t length) {
    return syscall(SYS_sendto, fd, buffer, length, MSG_NOSIGNAL, (void *)0, 0);
}
/// writev(2) semantics through sendmsg(2), so a closed peer gives EPIPE, never SIGPIPE.
static inline long csystem_sendv(int fd, const struct iovec *vectors, int count) {
    struct msghdr message = {0};
    message.msg_iov = (struct iovec *)vectors;
    message.msg_iovlen = (size_t)count;
    return syscall(SYS_sendmsg, fd, &message, MSG_NOSIGNAL);
}
static inline long csystem_epoll_wait(int epfd, struct epoll_event *events, int capacity, int timeout) {
    return syscall(SYS_epoll_wait, epfd, events, capacity, timeout);
}

/// accept4(2) is a GNU extension: defined in CSystem.c, which is compiled with _GNU_SOURCE.
int csystem_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);

/// Names the calling thread (pthread_setname_np is a GNU extension); at most 15 bytes are used.
void csystem_set_thread_name(const char *name);

/// Blocks SIGTERM, SIGINT, SIGHUP and SIGPIPE in the calling thread (threads spawned later inherit
/// the mask) and fills `set` with the three termination signals for signalfd. Returns 0 or an errno.
int csystem_block_termination_signals(sigset_t *set);

#endif
