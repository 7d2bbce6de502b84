"""One completion queue per asyncio event loop, for ``AsyncClient``.

A call runs on paystar's runtime; when it ends, the runtime queues its outcome and writes one
byte to a socket this loop watches (``loop.add_reader``). The reader callback below delivers
the queued outcomes on the loop's own thread, where the awaiting coroutines resume. Nothing
calls into Python from the runtime's threads, and no runtime thread waits for the GIL.
"""

from __future__ import annotations

import asyncio
import os
import socket
import weakref

from paystar._native import _Completions

_BY_LOOP: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, tuple[int, _Completions, socket.socket]
] = weakref.WeakKeyDictionary()


def completions() -> _Completions:
    """The running loop's queue, made (and its reader registered) on first use."""
    loop = asyncio.get_running_loop()
    entry = _BY_LOOP.get(loop)
    if entry is not None and entry[0] == os.getpid():
        return entry[1]
    native = _Completions()
    reader = socket.socket(fileno=native.take_reader())
    reader.setblocking(False)

    def deliver() -> None:
        try:
            while reader.recv(4096):
                pass
        except BlockingIOError:
            pass
        native.drain()

    loop.add_reader(reader.fileno(), deliver)
    # The reader goes with the loop: its socket closes when the loop is collected, and a closed
    # loop drops its reader registration.
    weakref.finalize(loop, reader.close)
    _BY_LOOP[loop] = (os.getpid(), native, reader)
    return native
