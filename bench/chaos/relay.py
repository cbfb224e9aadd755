#!/usr/bin/env python3
"""A TCP relay with a stall switch: a silent network partition between the daemon and PostgreSQL.

While stalled, the relay keeps every socket open and stops forwarding in both directions: bytes already read are
held, new connections are accepted but not connected upstream. Nothing is reset or closed, so neither end learns
anything from the network: the kernel still acknowledges what the relay reads, TCP keepalives are answered, and
only the application's own deadlines can notice (the daemon's request deadline, libpq's connect_timeout). Healing
forwards what was held and carries on, like a partition that ends before TCP gives up.

As a command (SIGUSR1 stalls, SIGUSR2 heals):
    bench/chaos/relay.py LISTEN_PORT UPSTREAM_PORT
"""
import signal
import socket
import sys
import threading


class Relay:
    def __init__(self, upstream_port: int, listen_port: int = 0, upstream_host: str = "127.0.0.1"):
        self.upstream = (upstream_host, upstream_port)
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", listen_port))
        self.listener.listen(128)
        self.port = self.listener.getsockname()[1]
        self.flowing = threading.Event()
        self.flowing.set()
        self.closed = False
        self.lock = threading.Lock()
        self.sockets = []
        self.pairs = []  # one Event per connection: cleared by `sever`, never set again

    def stall(self):
        self.flowing.clear()

    def heal(self):
        self.flowing.set()

    def sever(self):
        """The connections open now go silent for good (still open, never forwarded again); new connections work:
        a hung backend, or a failover behind a TCP proxy that keeps the old client sockets."""
        with self.lock:
            for pair in self.pairs:
                pair.clear()

    def start(self):
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def close(self):
        self.closed = True
        self.flowing.set()
        with self.lock:
            for pair in self.pairs:
                pair.set()
        try:
            self.listener.close()
        except OSError:
            pass
        with self.lock:
            for s in self.sockets:
                try:
                    s.close()
                except OSError:
                    pass

    def _accept(self):
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self.lock:
                self.sockets.append(client)
            threading.Thread(target=self._connect, args=(client,), daemon=True).start()

    def _connect(self, client):
        self.flowing.wait()  # stalled: the client's connect succeeded, and then nothing happens
        if self.closed:
            return
        try:
            server = socket.create_connection(self.upstream)
        except OSError:
            client.close()
            return
        pair = threading.Event()
        pair.set()
        with self.lock:
            self.sockets.append(server)
            self.pairs.append(pair)
        threading.Thread(target=self._pump, args=(client, server, pair), daemon=True).start()
        threading.Thread(target=self._pump, args=(server, client, pair), daemon=True).start()

    def _pump(self, source, destination, pair):
        try:
            while True:
                data = source.recv(65536)
                self.flowing.wait()  # stalled: hold what was read
                pair.wait()  # severed: hold it for ever
                if not data or self.closed:
                    break
                destination.sendall(data)
        except OSError:
            pass
        for s in (source, destination):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: relay.py LISTEN_PORT UPSTREAM_PORT   (SIGUSR1 stalls, SIGUSR2 heals)")
    relay = Relay(int(sys.argv[2]), int(sys.argv[1])).start()
    signal.signal(signal.SIGUSR1, lambda *_: (relay.stall(), print("stalled", flush=True)))
    signal.signal(signal.SIGUSR2, lambda *_: (relay.heal(), print("flowing", flush=True)))
    print(f"relay 127.0.0.1:{relay.port} -> 127.0.0.1:{sys.argv[2]}", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
