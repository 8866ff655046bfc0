/*
 * The native half of chat.server.net.EpollNative: thin wrappers over Linux epoll, eventfd and
 * non-blocking TCP sockets, so the event loop can hold a connection as a bare int instead of a
 * SocketChannel and its retinue of Java objects. Also the one call of
 * chat.server.net.CompilerThreads: a thread's scheduling priority.
 *
 * Each wrapper makes one system call (retried on EINTR, except where noted) and turns a failure
 * into a java.io.IOException whose message is "<call>: <strerror(errno)>". Expected non-events
 * (EAGAIN: nothing to read, no room to write, no one to accept) are return values, not
 * exceptions, because they happen on every loop iteration. Arguments the Java side can check
 * (array lengths, direct buffers) are checked there, so the C trusts them.
 */
#define _GNU_SOURCE /* accept4, MSG_NOSIGNAL */
#include <jni.h>

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

/* Must match EpollNative.PEER_BYTES: length byte, up to 16 address bytes, 2 port bytes. */
#define PEER_BYTES 19

/*
 * strerror rather than strerror_r: glibc's strerror returns a constant string for every known
 * errno (thread-safe in practice), and strerror_r has two incompatible signatures (GNU, XSI).
 */
static void throw_errno(JNIEnv *env, const char *class_name, const char *call, int error)
{
    char message[160];
    snprintf(message, sizeof message, "%s: %s", call, strerror(error));
    jclass type = (*env)->FindClass(env, class_name);
    if (type != NULL) { /* else FindClass has already thrown NoClassDefFoundError */
        (*env)->ThrowNew(env, type, message);
    }
}

static void throw_io(JNIEnv *env, const char *call, int error)
{
    throw_errno(env, "java/io/IOException", call, error);
}

JNIEXPORT jint JNICALL
Java_chat_server_net_EpollNative_eventSize(JNIEnv *env, jclass type)
{
    (void) env; (void) type;
    return (jint) sizeof(struct epoll_event); /* 12 on x86_64, where the struct is packed */
}

JNIEXPORT jint JNICALL
Java_chat_server_net_EpollNative_eventDataOffset(JNIEnv *env, jclass type)
{
    (void) env; (void) type;
    return (jint) offsetof(struct epoll_event, data);
}

JNIEXPORT jlong JNICALL
Java_chat_server_net_EpollNative_directBufferAddress(JNIEnv *env, jclass type, jobject buffer)
{
    (void) type;
    return (jlong) (intptr_t) (*env)->GetDirectBufferAddress(env, buffer);
}

JNIEXPORT jint JNICALL
Java_chat_server_net_EpollNative_epollCreate(JNIEnv *env, jclass type)
{
    (void) type;
    int epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) {
        throw_io(env, "epoll_create1", errno);
    }
    return epfd;
}

JNIEXPORT void JNICALL
Java_chat_server_net_EpollNative_epollCtl(JNIEnv *env, jclass type, jint epfd, jint op, jint fd,
                                          jint events)
{
    (void) type;
    /* Ignored for EPOLL_CTL_DEL, though kernels before 2.6.9 wanted it non-null there too. */
    struct epoll_event event = { .events = (uint32_t) events, .data = { .fd = fd } };
    if (epoll_ctl(epfd, op, fd, &event) < 0) {
        throw_io(env, "epoll_ctl", errno);
    }
}

JNIEXPORT jint JNICALL
Java_chat_server_net_EpollNative_epollWait(JNIEnv *env, jclass type, jint epfd,
                                           jlong events_address, jint max_events,
                                           jint timeout_millis)
{
    (void) type;
    struct epoll_event *events = (struct epoll_event *) (intptr_t) events_address;
    int count = epoll_wait(epfd, events, max_events, timeout_millis);
    if (count < 0) {
        /* Not retried: a retry would restart the full timeout; the loop simply iterates again. */
        if (errno == EINTR) {
            return 0;
        }
        throw_io(env, "epoll_wait", errno);
    }
    return count;
}

JNIEXPORT jint JNICALL
Java_chat_server_net_EpollNative_eventFd(JNIEnv *env, jclass type)
{
    (void) type;
    int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (fd < 0) {
        throw_io(env, "eventfd", errno);
    }
    return fd;
}

/* EAGAIN: the counter is at its maximum, so the descriptor is readable already. */
JNIEXPORT void JNICALL
Java_chat_server_net_EpollNative_eventFdSignal(JNIEnv *env, jclass type, jint fd)
{
    (void) env; (void) type;
    uint64_t one = 1;
    while (write(fd, &one, sizeof one) < 0 && errno == EINTR) {
    }
}

/* One read resets the counter to zero, however many signals it summed. */
JNIEXPORT void JNICALL
Java_chat_server_net_EpollNative_eventFdDrain(JNIEnv *env, jclass type, jint fd)
{
    (void) env; (void) type;
    uint64_t count;
    while (read(fd, &count, sizeof count) < 0 && errno == EINTR) {
    }
}

/* The port of a socket address in host order, or -1 for a family that has none. */
static int port_of(const struct sockaddr_storage *address)
{
    if (address->ss_family == AF_INET) {
        return ntohs(((const struct sockaddr_in *) address)->sin_port);
    }
    if (address->ss_family == AF_INET6) {
        return ntohs(((const struct sockaddr_in6 *) address)->sin6_port);
    }
    return -1;
}

/* Closes a socket that could not be set up and throws for the call that failed; returns -1. */
static int close_and_throw(JNIEnv *env, int fd, const char *class_name, const char *call)
{
    int error = errno; /* saved first: close may change it */
    close(fd);
    throw_errno(env, class_name, call, error);
    return -1;
}

JNIEXPORT jint JNICALL
Java_chat_server_net_EpollNative_listen0(JNIEnv *env, jclass type, jbyteArray address_bytes,
                                         jint port, jint backlog)
{
    (void) type;
    struct sockaddr_storage address;
    socklen_t address_length;
    memset(&address, 0, sizeof address);
    if ((*env)->GetArrayLength(env, address_bytes) == 4) {
        struct sockaddr_in *ipv4 = (struct sockaddr_in *) &address;
        ipv4->sin_family = AF_INET;
        ipv4->sin_port = htons((uint16_t) port);
        (*env)->GetByteArrayRegion(env, address_bytes, 0, 4, (jbyte *) &ipv4->sin_addr);
        address_length = sizeof *ipv4;
    } else {
        struct sockaddr_in6 *ipv6 = (struct sockaddr_in6 *) &address;
        ipv6->sin6_family = AF_INET6;
        ipv6->sin6_port = htons((uint16_t) port);
        (*env)->GetByteArrayRegion(env, address_bytes, 0, 16, (jbyte *) &ipv6->sin6_addr);
        address_length = sizeof *ipv6;
    }

    int fd = socket(address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        throw_io(env, "socket", errno);
        return -1;
    }
    int on = 1, off = 0;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) < 0) {
        return close_and_throw(env, fd, "java/io/IOException", "setsockopt");
    }
    /* Set once here, Linux gives them to every accepted socket: two system calls less per client.
     * (The accepting side checks the first accepted socket and sets them itself if they are not.) */
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) < 0
            || setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on) < 0) {
        return close_and_throw(env, fd, "java/io/IOException", "setsockopt");
    }
    /* Dual stack, as the JDK does: "::" then takes IPv4 clients too, as ::ffff:a.b.c.d. */
    if (address.ss_family == AF_INET6
            && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off) < 0) {
        return close_and_throw(env, fd, "java/io/IOException", "setsockopt");
    }
    if (bind(fd, (struct sockaddr *) &address, address_length) < 0) {
        /* The errors the JDK also reports as BindException: the address is taken, is not this
         * host's, or needs privileges; anything else is an ordinary I/O failure. */
        int taken = errno == EADDRINUSE || errno == EADDRNOTAVAIL || errno == EACCES;
        const char *exception = taken ? "java/net/BindException" : "java/io/IOException";
        return close_and_throw(env, fd, exception, "bind");
    }
    if (listen(fd, backlog) < 0) {
        return close_and_throw(env, fd, "java/io/IOException", "listen");
    }
    return fd;
}

JNIEXPORT jint JNICALL
Java_chat_server_net_EpollNative_localPort(JNIEnv *env, jclass type, jint fd)
{
    (void) type;
    struct sockaddr_storage address;
    socklen_t length = sizeof address;
    if (getsockname(fd, (struct sockaddr *) &address, &length) < 0) {
        throw_io(env, "getsockname", errno);
        return -1;
    }
    return port_of(&address);
}

JNIEXPORT jint JNICALL
Java_chat_server_net_EpollNative_accept0(JNIEnv *env, jclass type, jint listen_fd, jbyteArray peer)
{
    (void) type;
    struct sockaddr_storage address;
    socklen_t length = sizeof address;
    int fd;
    do {
        fd = accept4(listen_fd, (struct sockaddr *) &address, &length,
                     SOCK_NONBLOCK | SOCK_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        /* ECONNABORTED: the client gave up while queued; there is nothing left to accept. */
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNABORTED) {
            return -1;
        }
        throw_io(env, "accept4", errno);
        return -1;
    }

    jbyte bytes[PEER_BYTES] = { 0 };
    if (address.ss_family == AF_INET) {
        bytes[0] = 4;
        memcpy(bytes + 1, &((struct sockaddr_in *) &address)->sin_addr, 4);
    } else {
        const struct in6_addr *ipv6 = &((struct sockaddr_in6 *) &address)->sin6_addr;
        /* A dual-stack socket sees IPv4 clients as ::ffff:a.b.c.d; report them as IPv4, as
         * InetAddress does, so limits per address treat both forms as one client. */
        if (IN6_IS_ADDR_V4MAPPED(ipv6)) {
            bytes[0] = 4;
            memcpy(bytes + 1, ipv6->s6_addr + 12, 4);
        } else {
            bytes[0] = 16;
            memcpy(bytes + 1, ipv6->s6_addr, 16);
        }
    }
    int port = port_of(&address);
    bytes[17] = (jbyte) (port >> 8);
    bytes[18] = (jbyte) port;
    (*env)->SetByteArrayRegion(env, peer, 0, PEER_BYTES, bytes);
    return fd;
}

JNIEXPORT jint JNICALL
Java_chat_server_net_EpollNative_read(JNIEnv *env, jclass type, jint fd, jlong address, jint length)
{
    (void) type;
    if (length == 0) {
        return 0; /* read(2) would return 0, which would pass for the end of the stream */
    }
    ssize_t count;
    do {
        count = read(fd, (void *) (intptr_t) address, (size_t) length);
    } while (count < 0 && errno == EINTR);
    if (count < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return 0;
        }
        throw_io(env, "read", errno);
        return -1;
    }
    return count == 0 ? -1 : (jint) count;
}

JNIEXPORT jint JNICALL
Java_chat_server_net_EpollNative_write(JNIEnv *env, jclass type, jint fd, jlong address,
                                       jint length)
{
    (void) type;
    ssize_t count;
    do {
        /* MSG_NOSIGNAL: a peer that has gone gives EPIPE here, not SIGPIPE to the process. */
        count = send(fd, (const void *) (intptr_t) address, (size_t) length, MSG_NOSIGNAL);
    } while (count < 0 && errno == EINTR);
    if (count < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return 0;
        }
        throw_io(env, "send", errno);
        return 0;
    }
    return (jint) count;
}

JNIEXPORT void JNICALL
Java_chat_server_net_EpollNative_setNoDelayAndKeepAlive(JNIEnv *env, jclass type, jint fd)
{
    (void) type;
    int on = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) < 0
            || setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on) < 0) {
        throw_io(env, "setsockopt", errno);
    }
}

JNIEXPORT jboolean JNICALL
Java_chat_server_net_EpollNative_hasNoDelayAndKeepAlive(JNIEnv *env, jclass type, jint fd)
{
    (void) type;
    int nodelay = 0, keepalive = 0;
    socklen_t length = sizeof nodelay;
    if (getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &nodelay, &length) < 0) {
        throw_io(env, "getsockopt", errno);
        return JNI_FALSE;
    }
    length = sizeof keepalive;
    if (getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &keepalive, &length) < 0) {
        throw_io(env, "getsockopt", errno);
        return JNI_FALSE;
    }
    return nodelay && keepalive ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT void JNICALL
Java_chat_server_net_EpollNative_shutdownOutput(JNIEnv *env, jclass type, jint fd)
{
    (void) type;
    /* ENOTCONN: the peer has already reset the connection; there is no output left to shut. */
    if (shutdown(fd, SHUT_WR) < 0 && errno != ENOTCONN) {
        throw_io(env, "shutdown", errno);
    }
}

/* Not retried on EINTR: Linux releases the descriptor before it can be interrupted, so a retry
 * could close a descriptor another thread has just been given. */
JNIEXPORT void JNICALL
Java_chat_server_net_EpollNative_close(JNIEnv *env, jclass type, jint fd)
{
    (void) env; (void) type;
    close(fd);
}

/* The socket's pending error, which reading it clears; the errno of getsockopt if it fails. */
JNIEXPORT jint JNICALL
Java_chat_server_net_EpollNative_pendingError(JNIEnv *env, jclass type, jint fd)
{
    (void) env; (void) type;
    int error = 0;
    socklen_t length = sizeof error;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) < 0) {
        return errno;
    }
    return error;
}

/* Sets the nice value of one thread of this process, by its Linux thread id (on Linux,
 * PRIO_PROCESS with a thread id names that thread alone). Lowering needs no privilege. */
JNIEXPORT void JNICALL
Java_chat_server_net_ThreadNice_setNice(JNIEnv *env, jclass type, jint tid, jint nice)
{
    (void) type;
    if (setpriority(PRIO_PROCESS, (id_t) tid, nice) != 0) {
        throw_io(env, "setpriority", errno);
    }
}
