"""Running a function over many tasks for the corpus commands: on a dask.distributed cluster, with a progress bar."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any


def map_dask(fn: Callable[..., Any], tasks: Iterable[tuple[Any, ...]], *, scheduler: str | None, workers: int | None) -> Iterator[Any]:
    """Run fn(*task) on a dask.distributed cluster: a temporary LocalCluster unless a scheduler address is given."""
    # dask is the optional [dask] extra
    from dask.distributed import Client, LocalCluster
    from dask.distributed import as_completed as dask_completed

    tasks = list(tasks)
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        futs = [client.submit(fn, *t, pure=False) for t in tasks]
        for f in dask_completed(futs):
            yield f.result()
            f.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


class ProgressBar:
    """Rich progress bar (files done / total, elapsed, time left) when asked; a no-op callable otherwise."""

    def __init__(self, total: int, enabled: bool, label: str) -> None:
        self.total, self.enabled, self.label = total, enabled, label
        self._bar: Any = None

    def __enter__(self) -> Callable[[], None]:
        if not self.enabled:
            return lambda: None
        # rich loads only when a progress bar is shown
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self._bar = Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("files"),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self._bar.start()
        task = self._bar.add_task(self.label, total=self.total)
        return lambda: self._bar.advance(task)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
