"""Ctrl-C kills every chapter's kernel, including one that was still starting when it came.

nbclient reports a kernel (on_notebook_start) only once it is ready. A kernel started just
before the interrupt was not killed: its chapter ran on, and Python, which waits for the
pool's threads at exit, kept the interrupted render alive until the chapter ended (seen in
tests/renderer/test_failure.py: a chapter sleeping 120 s held the render past 60 s). Here a
`sleep` process stands in for the kernel, so the test needs no Jupyter and runs in well
under a second.
"""

from __future__ import annotations

import subprocess
from types import SimpleNamespace

import nbformat
import pytest

from renderer import execute
from renderer.errors import RenderError


def _kernel_client(proc: subprocess.Popen) -> SimpleNamespace:
    """What _register reads of an nbclient client: client.km.provisioner.pid."""
    return SimpleNamespace(km=SimpleNamespace(provisioner=SimpleNamespace(pid=proc.pid)))


@pytest.fixture
def stand_in_kernel():
    proc = subprocess.Popen(["sleep", "60"])
    yield proc
    proc.kill()
    proc.wait()


@pytest.fixture(autouse=True)
def no_interrupt_left_over():
    """Each test starts, and leaves, as a render that was not interrupted."""
    execute.execute_all([])  # a new render clears the interrupt
    yield
    execute.execute_all([])


def test_a_kernel_running_when_the_render_is_interrupted_is_killed(stand_in_kernel):
    execute._register(_kernel_client(stand_in_kernel))
    assert stand_in_kernel.poll() is None  # registered, still running
    execute.kill_running_kernels()
    assert stand_in_kernel.wait(timeout=5) == -9


def test_a_kernel_that_registers_after_the_interrupt_is_killed_when_it_registers(stand_in_kernel):
    execute.kill_running_kernels()  # Ctrl-C while the kernel is still starting: nothing to kill
    assert stand_in_kernel.poll() is None
    execute._register(_kernel_client(stand_in_kernel))
    assert stand_in_kernel.wait(timeout=5) == -9


def test_the_next_render_registers_its_kernels_again(stand_in_kernel):
    execute.kill_running_kernels()
    execute.execute_all([])  # the next render starts
    execute._register(_kernel_client(stand_in_kernel))
    assert stand_in_kernel.poll() is None  # not killed: this render was not interrupted
    execute.kill_running_kernels()
    assert stand_in_kernel.wait(timeout=5) == -9


def test_after_an_interrupt_no_chapter_starts_a_kernel(monkeypatch):
    """A chapter whose kernel was killed at the interrupt is not started again (its first
    kernel's death looks like a failed start), nor is a chapter that had not started."""
    starts = []
    monkeypatch.setattr(execute, "_run_once", lambda *a: starts.append(a))
    execute.kill_running_kernels()
    with pytest.raises(RenderError, match=r"^c\.qmd: not executed: the render was interrupted$"):
        execute.execute_notebook(nbformat.v4.new_notebook(), None, {}, "c.qmd")
    assert starts == []


def test_a_kernel_killed_by_the_interrupt_is_not_started_again(monkeypatch):
    starts = []

    def killed_while_starting(*args):
        starts.append(args)
        execute.kill_running_kernels()  # Ctrl-C arrives while this kernel starts ...
        raise execute._KernelStartFailed("DeadKernelError")  # ... and it dies before a cell ran

    monkeypatch.setattr(execute, "_run_once", killed_while_starting)
    with pytest.raises(RenderError, match="interrupted"):
        execute.execute_notebook(nbformat.v4.new_notebook(), None, {}, "c.qmd")
    assert len(starts) == 1  # without the check: START_ATTEMPTS (3) kernel starts
