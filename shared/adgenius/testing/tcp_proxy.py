"""A TCP fault proxy: stands in front of an emulator and passes, stalls, refuses or slows traffic.

The fault tests put one in front of the Storage and the Firestore emulators (LocalStack's
`proxied=`), so a test can take a dependency away and give it back while the product runs:

  pass     bytes flow both ways unchanged.
  refuse   the listening socket is closed and every open connection is aborted: new connections
           get ECONNREFUSED, as when the service is down.
  stall    connections are accepted but nothing is forwarded in either direction (a black hole:
           the clients' timeouts are what end the wait).
  latency  `latency_s` is added before each chunk sent upstream (a slow service); it applies in
           the pass mode and can be combined with it.

One asyncio loop in a daemon thread serves every connection; the control methods are thread-safe.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Coroutine
from typing import Any, Literal

Mode = Literal["pass", "refuse", "stall"]
_CHUNK = 64 * 1024


class FaultProxy:
    def __init__(self, upstream_host: str, upstream_port: int, *, listen_port: int = 0) -> None:
        self.upstream = (upstream_host, upstream_port)
        self._sock = self._listen_socket(listen_port)
        self.port: int = self._sock.getsockname()[1]
        self.mode: Mode = "pass"
        self.latency_s = 0.0
        self.connections_total = 0
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.base_events.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._resume: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name=f"fault-proxy-{self.port}")
        self._thread.daemon = True
        self._started = threading.Event()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> FaultProxy:
        self._thread.start()
        self._started.wait(10)
        return self

    def stop(self) -> None:
        if not self._thread.is_alive():
            return
        self._call(self._close_all(listener=True))
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- control ---------------------------------------------------------------------------

    def set_mode(self, mode: Mode) -> None:
        self._call(self._set_mode(mode))

    def set_latency(self, seconds: float) -> None:
        self.latency_s = max(0.0, seconds)

    def heal(self) -> None:
        self.set_latency(0.0)
        self.set_mode("pass")

    # -- internals -------------------------------------------------------------------------

    @staticmethod
    def _listen_socket(port: int) -> socket.socket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # The same port is listened on again after a `refuse`: clients keep their address.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        sock.listen(256)
        sock.setblocking(False)
        return sock

    def _call(self, coro: Coroutine[Any, Any, None]) -> None:
        asyncio.run_coroutine_threadsafe(coro, self._loop).result(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._resume = asyncio.Event()
        self._resume.set()
        self._loop.run_until_complete(self._serve(self._sock))
        self._started.set()
        self._loop.run_forever()
        with contextlib.suppress(Exception):
            self._loop.close()

    async def _serve(self, sock: socket.socket) -> None:
        self._server = await asyncio.start_server(self._handle, sock=sock)

    async def _set_mode(self, mode: Mode) -> None:
        assert self._resume is not None
        previous, self.mode = self.mode, mode
        if mode == "refuse":
            await self._close_all(listener=True)
        elif previous == "refuse":
            await self._serve(self._listen_socket(self.port))
        if mode == "stall":
            self._resume.clear()
        else:
            self._resume.set()

    async def _close_all(self, *, listener: bool) -> None:
        if listener and self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            # abort(): an RST, as a crashed server's kernel would send, not a polite FIN.
            writer.transport.abort()
        self._writers.clear()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections_total += 1
        if self.mode == "refuse":
            writer.transport.abort()
            return
        self._writers.add(writer)
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.transport.abort()
            self._writers.discard(writer)
            return
        self._writers.add(up_writer)
        try:
            await asyncio.gather(
                self._pipe(reader, up_writer, upstream=True),
                self._pipe(up_reader, writer, upstream=False),
            )
        finally:
            for w in (writer, up_writer):
                self._writers.discard(w)
                with contextlib.suppress(Exception):
                    w.close()

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, upstream: bool
    ) -> None:
        assert self._resume is not None
        try:
            while True:
                data = await reader.read(_CHUNK)
                if not data:
                    break
                await self._resume.wait()  # a stall holds the bytes back
                if upstream and self.latency_s > 0:
                    await asyncio.sleep(self.latency_s)
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError, asyncio.CancelledError):
            pass
        finally:
            with contextlib.suppress(Exception):
                if writer.can_write_eof():
                    writer.write_eof()
