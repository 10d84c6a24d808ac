"""Execute chapter notebooks in Jupyter kernels (nbclient), two at a time.

Each chapter gets its own kernel, started with the chapter's folder as working directory and
`env` added to its environment. A failing cell becomes a RenderError naming the chapter
file, the cell (label or line, or the inline expression) and the Python error.
"""

from __future__ import annotations

import os
import re
import signal
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from renderer import zygote
from renderer.errors import RenderError
from renderer.notebook import INLINE_TAG, SETUP_TAG, tags

ANSI = re.compile(r"\x1b\[[0-9;]*m")
CELL_TIMEOUT = 600


def execute_notebook(nb: nbformat.NotebookNode, workdir: Path, env: dict, rel: str) -> nbformat.NotebookNode:
    """Run every cell of `nb` in a fresh kernel; raise RenderError on the first failure.

    A kernel that dies before running any cell is started again (up to START_ATTEMPTS times):
    jupyter_client picks free TCP ports by probing, and another process on the machine can take
    a port between the probe and the kernel's bind ("Address already in use").

    Not after an interrupt (kill_running_kernels): that kernel died because it was killed,
    and each new one would be killed as it registers, so the retries only kept the pool's
    thread - and with it the interrupted render, which Python does not leave until its threads
    end - alive for three kernel starts (seen: an interrupted render past the test's 60 s).
    """
    for attempt in range(1, START_ATTEMPTS + 1):
        if _stopping.is_set():
            raise RenderError(f"{rel}: not executed: the render was interrupted")
        try:
            return _run_once(nb, workdir, env, rel)
        except _KernelStartFailed as failed:
            if attempt == START_ATTEMPTS:
                raise RenderError(f"{rel}: the kernel did not start: {failed}") from None
            for cell in nb.cells:
                if cell.cell_type == "code":
                    cell.outputs, cell.execution_count = [], None
    raise AssertionError("unreachable")


START_ATTEMPTS = 3


class _KernelStartFailed(Exception):
    """The kernel died or hung before executing the first cell."""


def _run_once(nb, workdir: Path, env: dict, rel: str):
    """One attempt: start a kernel, execute, shut it down."""
    extra = {"kernel_manager_class": zygote.ForkKernelManager} if zygote.active() else {}
    client = NotebookClient(
        nb, timeout=CELL_TIMEOUT, kernel_name="python3", allow_errors=False,
        resources={"metadata": {"path": str(workdir)}}, **extra,
    )
    client.on_notebook_start = lambda notebook=None, **_: _register(client)
    # The kernel's own stderr (start-up chatter such as the "unencrypted TCP" notice) goes to
    # a file, shown only if the kernel dies.
    with tempfile.TemporaryFile() as stderr:
        try:
            try:
                client.execute(env={**os.environ, **env}, stderr=stderr)
            finally:
                with _running_lock:  # never kill a pid the system may hand to another process
                    _running.pop(id(client), None)
        except CellExecutionError as err:
            raise RenderError(_describe_failure(nb, rel, err)) from None
        except (CellTimeoutError, DeadKernelError, RuntimeError) as err:
            stderr.seek(0)
            tail = stderr.read().decode(errors="replace").strip().splitlines()[-3:]
            started = any(c.get("execution_count") for c in nb.cells if c.cell_type == "code")
            detail = f"{type(err).__name__}: {err}" + ("\n" + "\n".join(tail) if tail else "")
            if not started:
                raise _KernelStartFailed(detail) from None
            raise RenderError(f"{rel}: {_failed_cell(nb)}: {detail}") from None
    return nb


def execute_all(jobs: list, workers: int = 2, on_done=None) -> dict:
    """Execute several (key, nb, workdir, env, rel) jobs concurrently; return {key: (nb, seconds)}.

    on_done(key, nb, seconds) is called as each one finishes (so finished chapters can be
    cached even if a later one fails).

    Two workers match this machine's two cores: chapters spend most of their time importing
    pandas and friends, which is CPU-bound. The first failure cancels what has not started.
    """
    results, failure = {}, None
    _stopping.clear()  # a new render: an earlier interrupt no longer applies
    if not jobs:
        return results
    pool = ThreadPoolExecutor(max_workers=workers)
    futures = {pool.submit(_timed, *job[1:]): job[0] for job in jobs}
    try:
        for future in as_completed(futures):
            if future.cancelled():
                continue
            if future.exception() is not None:
                failure = failure or future.exception()
                for pending in futures:  # do not start more; let running ones finish
                    pending.cancel()
                continue
            key = futures[future]
            results[key] = future.result()
            if on_done:
                on_done(key, *results[key])
    except BaseException:
        # Ctrl-C: stop now - cancel what has not started, kill the kernels that run
        pool.shutdown(wait=False, cancel_futures=True)
        kill_running_kernels()
        raise
    pool.shutdown(wait=True)
    if failure is not None:
        raise failure
    return results


_running: dict[int, int] = {}  # id(client) -> kernel pid, while a chapter executes
_running_lock = threading.Lock()
_stopping = threading.Event()  # set by kill_running_kernels: a kernel that registers later dies


def _register(client) -> None:
    """nbclient hook (on_notebook_start): remember the kernel's pid so Ctrl-C can stop it.

    nbclient calls it once the kernel is ready, a second or more after it was started. A
    Ctrl-C in between finds no pid to kill; the kernel is killed here instead, when it
    registers. Otherwise its chapter would run on to the end, and Python, which waits for the
    pool's threads at exit, would not exit until it did (seen: a chapter sleeping 120 s held an
    interrupted render past the test's 60 s)."""
    pid = getattr(getattr(client.km, "provisioner", None), "pid", None)
    if pid:
        with _running_lock:
            if _stopping.is_set():
                _kill(pid)
            else:
                _running[id(client)] = pid


def kill_running_kernels() -> None:
    """SIGKILL every kernel still executing a chapter, and any that registers after (used when
    the render is interrupted)."""
    with _running_lock:
        _stopping.set()
        pids = list(_running.values())
        _running.clear()
    for pid in pids:
        _kill(pid)


def _kill(pid: int) -> None:
    """SIGKILL `pid`, if it is still there."""
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def _timed(nb, workdir, env, rel):
    """execute_notebook plus its wall time in seconds."""
    start = time.perf_counter()
    out = execute_notebook(nb, workdir, env, rel)
    return out, time.perf_counter() - start


def _failed_cell(nb) -> str:
    """Describe the cell that errored (or the last one that ran)."""
    for cell in nb.cells:
        if cell.cell_type == "code" and any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return _where(cell)
    return "a cell"


def _describe_failure(nb, rel: str, err: CellExecutionError) -> str:
    """`chapters/x.qmd: cell 'fig-a' (line 12): ZeroDivisionError: division by zero`."""
    for cell in nb.cells:
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if cell.cell_type != "code" or not errors:
            continue
        out = errors[0]
        if INLINE_TAG in tags(cell):
            return f"{rel}: {out['evalue']}"
        if SETUP_TAG in tags(cell):
            return f"{rel}: the renderer's setup cell failed: {out['ename']}: {out['evalue']}"
        return f"{rel}: {_where(cell, out)}: {out['ename']}: {out['evalue']}"
    return f"{rel}: {err.ename}: {err.evalue}"


def _where(cell, error_output=None) -> str:
    """The cell's label, and the file line of the failing statement when the traceback has it."""
    meta = cell.get("metadata", {}).get("renderer", {})
    first = meta.get("line", 0)
    label = re.search(r"^#\|\s*label:\s*(\S+)", cell.source, re.M)
    line = first
    if error_output is not None:
        frames = ANSI.sub("", "\n".join(error_output.get("traceback", [])))
        hits = re.findall(r"Cell In\[\d+\], line (\d+)", frames)
        if hits:
            line = first + int(hits[0])
    name = f"cell '{label.group(1)}'" if label else "cell"
    return f"{name} (line {line})"
