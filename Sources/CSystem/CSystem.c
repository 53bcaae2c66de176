// The few CSystem helpers that need _GNU_SOURCE or are not simple enough to be static inline.
#define _GNU_SOURCE
#include <sys/socket.h>
#include <signal.h>
#include <pthread.h>
#include "CSystem.h"

int csystem_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags) {
    return accept4(fd, address, length, flags);
}

void csystem_set_thread_name(const char *name) {
    char truncated[16];
    size_t i = 0;
    for (; i < 15 && name[i] != 0; i++) truncated[i] = name[i];
    truncated[i] = 0;
    pthread_setname_np(pthread_self(), truncated);
}

int csystem_block_termination_signals(sigset_t *set) {
    sigset_t blocked;
    sigemptyset(set);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGHUP);
    blocked = *set;
    // SIGPIPE is ignored, never delivered: writes to a closed peer return EPIPE instead.
    signal(SIGPIPE, SIG_IGN);
    return pthread_sigmask(SIG_BLOCK, &blocked, NULL);
}
