"""Route every row to clean.csv or rejected.csv, written atomically: both go to temp files
beside their targets (linter.fileio) and are moved into place only when every row is in.

The rows are written by a thread of their own, in batch order: the thread that finishes
batches (duplicates across the file, the totals) is a split's long pole, and polars writes
CSV with the GIL released."""

from __future__ import annotations

import contextlib
import os
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO

import polars as pl

from linter.fileio import commit_all, naming, open_output

ROW, REASONS = "_row", "_reasons"


def refuse_reserved(header: Sequence[str]) -> None:
    """ValueError when the input has a column the split's rejected file adds."""
    for name in (ROW, REASONS):
        if name in header:
            raise ValueError(
                f"the input already has a column named {name!r}; rename it before splitting"
            )


# The data alone (not the times): the commit's fsync writes the metadata. macOS has no
# fdatasync.
_datasync = getattr(os, "fdatasync", os.fsync)

_QUEUED = 2  # batches waiting for the writer at most (each holds its rows in memory)


class SplitSink:
    """Appends rows to two temp files; `commit()` renames both into place."""

    def __init__(
        self,
        clean: Path,
        rejected: Path,
        header: tuple[str, ...],
        delimiter: str,
        empty_is_null: bool = False,
    ) -> None:
        refuse_reserved(header)
        self.targets = (clean, rejected)
        self.delimiter = delimiter
        # The reader made every empty cell null already (the schema's only missing value
        # is ""): nothing to blank, which saves a pass over every column of every batch.
        self.empty_is_null = empty_is_null
        self.handles: list[IO[bytes]] = []
        self.temps: list[Path | None] = []  # None: a device or FIFO written in place
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="presend-split")
        self._queued: deque[Future[None]] = deque()
        try:
            for target in self.targets:
                handle, tmp = open_output(target)
                self.handles.append(handle)
                self.temps.append(tmp)
            # Headers go first so an empty output is still a valid CSV with the input's columns.
            empty = pl.DataFrame(schema={c: pl.String for c in header})
            self._put(0, empty, header=True)
            self._put(
                1,
                empty.with_columns(
                    pl.lit(None, pl.Int64).alias(ROW), pl.lit(None, pl.String).alias(REASONS)
                ),
                header=True,
            )
        except BaseException:
            self.discard()  # e.g. the second folder is missing: no temp file of the first stays
            raise

    def _put(self, which: int, frame: pl.DataFrame, header: bool = False) -> None:
        # Empty text goes out as null so it is written bare (,,) as in a typical export, not "".
        if not self.empty_is_null:
            frame = frame.with_columns(pl.col(pl.String).replace("", None))
        with naming(self.targets[which]):
            frame.write_csv(self.handles[which], include_header=header, separator=self.delimiter)

    def write(
        self, frame: pl.DataFrame, first_row: int, reject: pl.Series, reasons: pl.Series
    ) -> None:
        """Queue a batch's rows for the writer thread; a failed write is raised here (on a
        later batch) or by commit()."""
        if frame.height == 0:
            return
        while len(self._queued) >= _QUEUED:
            self._queued.popleft().result()
        self._queued.append(self._writer.submit(self._write, frame, first_row, reject, reasons))

    def _write(
        self, frame: pl.DataFrame, first_row: int, reject: pl.Series, reasons: pl.Series
    ) -> None:
        self._put(0, frame.filter(~reject))
        if reject.any():
            rows = pl.int_range(first_row, first_row + frame.height, eager=True, dtype=pl.Int64)
            annotated = frame.with_columns(rows.alias(ROW), reasons.alias(REASONS))
            self._put(1, annotated.filter(reject))
        self._sync_written()

    def _sync_written(self) -> None:
        """Send what is written so far to the disk while later batches are checked, so the
        commit's fsync, which nothing overlaps, has little left to write (at 1M rows it
        waited ~50-170 ms for the whole clean file)."""
        for handle, tmp, target in zip(self.handles, self.temps, self.targets, strict=True):
            if tmp is not None:  # a device or pipe has nothing to sync
                with naming(target):
                    handle.flush()
                    _datasync(handle.fileno())

    def commit(self) -> None:
        while self._queued:
            self._queued.popleft().result()
        self._writer.shutdown()
        for handle, tmp, target in zip(self.handles, self.temps, self.targets, strict=True):
            with naming(target):
                handle.flush()
                if tmp is not None:  # a device or pipe has nothing to sync
                    os.fsync(handle.fileno())
                handle.close()
        commit_all(list(zip(self.temps, self.targets, strict=True)))

    def discard(self) -> None:
        self._writer.shutdown(cancel_futures=True)  # a write under way ends before the close
        for handle in self.handles:
            handle.close()
        for tmp in self.temps:
            if tmp is not None:
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()


@contextlib.contextmanager
def split_sink(
    clean: str | Path,
    rejected: str | Path,
    header: tuple[str, ...],
    delimiter: str,
    empty_is_null: bool = False,
) -> Iterator[SplitSink]:
    """Both outputs appear only if the whole run succeeds; on any error neither changes.
    `empty_is_null`: the rows come with every empty cell null (presend's reader makes them
    so when "" is the schema's only missing value)."""
    sink = SplitSink(Path(clean), Path(rejected), header, delimiter, empty_is_null)
    try:
        yield sink
        sink.commit()  # inside: the last batches' writes can still fail here
    except BaseException:
        sink.discard()
        raise
