"""Gather concurrent requests into shared model calls.

A model translates a batch of sentences in little more time than one: the
CTranslate2 decoder steps through all of them at once. So concurrent
``/translate`` requests wait in a queue, and one consumer takes them as a
batch: everything already waiting, plus what arrives within ``window``
seconds of the first one's arrival, up to ``max_weight`` (lines). While the
translation process works on a batch, the next one gathers, so under load
batches grow by themselves and an idle service adds at most ``window`` to a
request's latency.

``window=0`` with ``max_weight=1`` is one request per call (batching off),
for comparison.

>>> import asyncio
>>> calls = []
>>> async def run(items):
...     calls.append(list(items))
...     return [item * 10 for item in items]
>>> async def main():
...     batcher = Batcher(run, window=0.05, max_weight=10)
...     results = await asyncio.gather(*(batcher.submit(n) for n in (1, 2, 3)))
...     await batcher.close()
...     return results
>>> asyncio.run(main()), calls
([10, 20, 30], [[1, 2, 3]])
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from ..errors import PressToolkitError

__all__ = ["Batcher", "ServiceStopping"]

Item = TypeVar("Item")
Result = TypeVar("Result")


class ServiceStopping(PressToolkitError):
    """A request was still waiting when the service stopped."""


@dataclass
class _Entry(Generic[Item, Result]):
    item: Item
    weight: int
    arrived: float
    future: asyncio.Future[Result] = field(repr=False)


class Batcher(Generic[Item, Result]):
    """Run ``run`` on batches of submitted items; each :meth:`submit` gets its own item's result.

    ``run`` returns one result per item, in order; if it raises, every item
    of that batch gets the exception. ``weight`` (default 1 per item) counts
    an item against ``max_weight``; an item heavier than that goes alone.
    """

    def __init__(
        self,
        run: Callable[[Sequence[Item]], Awaitable[Sequence[Result]]],
        *,
        window: float,
        max_weight: int,
        weight: Callable[[Item], int] = lambda item: 1,
    ) -> None:
        self._run = run
        self.window = max(0.0, window)
        self.max_weight = max(1, max_weight)
        self._weight = weight
        self._queue: asyncio.Queue[_Entry[Item, Result]] | None = None
        self._carried: _Entry[Item, Result] | None = None
        self._consumer: asyncio.Task[None] | None = None
        #: Batches run and the items in them, so far (items / batches is the mean batch size).
        self.batches = 0
        self.items = 0

    async def submit(self, item: Item) -> Result:
        loop = asyncio.get_running_loop()
        if self._queue is None or self._consumer is None:
            # Made here, not in __init__, so queue and task belong to the server's running loop.
            self._queue = asyncio.Queue()
            self._consumer = loop.create_task(self._consume(), name="translation-batcher")
        entry: _Entry[Item, Result] = _Entry(item, self._weight(item), loop.time(), loop.create_future())
        self._queue.put_nowait(entry)
        return await entry.future

    async def close(self) -> None:
        """Stop gathering; requests still waiting get :class:`ServiceStopping`."""
        if self._consumer is not None:
            self._consumer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._consumer
        waiting = [self._carried] if self._carried else []
        while self._queue is not None and not self._queue.empty():
            waiting.append(self._queue.get_nowait())
        for entry in waiting:
            if not entry.future.done():
                entry.future.set_exception(ServiceStopping("the service is stopping"))
        self._queue, self._consumer, self._carried = None, None, None

    async def _consume(self) -> None:
        while True:
            batch = await self._gather()
            self.batches += 1
            self.items += len(batch)
            await self._deliver(batch)

    async def _gather(self) -> list[_Entry[Item, Result]]:
        """The next batch: the first waiting entry, then more until the window closes or the batch is full."""
        assert self._queue is not None
        loop = asyncio.get_running_loop()
        first = self._carried or await self._queue.get()
        self._carried = None
        batch, weight = [first], first.weight
        deadline = first.arrived + self.window
        while weight < self.max_weight:
            if self._queue.empty():
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                try:
                    entry = await asyncio.wait_for(self._queue.get(), remaining)
                except TimeoutError:
                    break
            else:
                entry = self._queue.get_nowait()
            if weight + entry.weight > self.max_weight:
                self._carried = entry  # it opens the next batch
                break
            batch.append(entry)
            weight += entry.weight
        return batch

    async def _deliver(self, batch: list[_Entry[Item, Result]]) -> None:
        try:
            results = await self._run([entry.item for entry in batch])
            if len(results) != len(batch):
                raise RuntimeError(f"a batch of {len(batch)} items gave {len(results)} results")
        except asyncio.CancelledError:
            for entry in batch:
                if not entry.future.done():
                    entry.future.set_exception(ServiceStopping("the service is stopping"))
            raise
        except Exception as error:  # noqa: BLE001 - handed to every waiting request
            for entry in batch:
                if not entry.future.done():
                    entry.future.set_exception(error)
            return
        for entry, result in zip(batch, results):
            if not entry.future.done():  # the request may have gone away
                entry.future.set_result(result)
