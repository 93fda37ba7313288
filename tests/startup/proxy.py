"""A loopback TCP proxy a test can switch off and on: a database outage without stopping the server."""

from __future__ import annotations

import contextlib
import socket
import threading


class SwitchableProxy:
    """Forwards 127.0.0.1:``port`` to ``upstream`` while on; while off, drops every connection at once."""

    def __init__(self, upstream: tuple[str, int]):
        self._upstream = upstream
        self._on = threading.Event()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._listener = socket.create_server(("127.0.0.1", 0))
        # A short timeout lets the accept loop notice close(); closing alone does not wake accept().
        self._listener.settimeout(0.1)
        self.port: int = self._listener.getsockname()[1]
        self._accepting = threading.Thread(target=self._accept_loop, daemon=True)
        self._accepting.start()

    def switch_on(self) -> None:
        self._on.set()

    def switch_off(self) -> None:
        self._on.clear()
        with self._lock:
            for connection in list(self._open):
                _close(connection)
            self._open.clear()

    def close(self) -> None:
        self.switch_off()
        self._stopping.set()
        self._accepting.join(timeout=5)
        self._listener.close()

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _address = self._listener.accept()
            except TimeoutError:
                continue
            client.settimeout(None)
            if not self._on.is_set():
                _close(client)
                continue
            try:
                server = socket.create_connection(self._upstream, timeout=5)
            except OSError:
                _close(client)
                continue
            server.settimeout(None)
            with self._lock:
                self._open.update((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            with self._lock:
                self._open.difference_update((source, target))
            _close(source)
            _close(target)


def _close(connection: socket.socket) -> None:
    # shutdown first: it wakes a thread blocked in recv() on this socket, which close() alone does not.
    with contextlib.suppress(OSError):
        connection.shutdown(socket.SHUT_RDWR)
    connection.close()
