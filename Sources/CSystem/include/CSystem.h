// The system headers that Glibc does not export to Swift (epoll, eventfd, timerfd) plus the socket
// option headers the engine needs. Only Sources/SluiceHTTP/Posix may import this module.
#ifndef SLUICE_CSYSTEM_H
#define SLUICE_CSYSTEM_H

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
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

/// errno of the calling thread (a macro in C, so not importable as-is).
static inline int csystem_errno(void) { return errno; }

#endif
