"""Forked chapter kernels: import the kernel and the chapters' third-party libraries once,
then fork one kernel per chapter (copy-on-write) instead of starting each from scratch.

Why: a chapter kernel spends most of its CPU importing ipykernel, pandas, statsmodels, altair
(about 2 s each on this machine); eleven chapters pay that eleven times. A zygote process pays
it once. Only modules that live in the Python installation (site-packages, stdlib) are
preloaded, never project modules, so the audit hook still sees every project module a chapter
imports and every file it opens. The list comes from what chapters imported in the previous
render (`<cache>/preload.json`); with no list, kernels start the ordinary way.

jupyter_client launches kernels through a provisioner; ForkProvisioner asks the zygote for a
fork instead of spawning `python -m ipykernel_launcher`, and wraps the pid for poll/signal.
If the zygote cannot start, execution falls back to ordinary kernels.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

ZYGOTE_SOURCE = r'''
import json, os, signal, sys
import ipykernel.kernelapp
for name in json.loads(sys.argv[1]):
    try:
        __import__(name)
    except Exception:
        pass
children = set()


def reap(signum, frame):
    # wait for finished kernels (not SIG_IGN: waiting adds their CPU time to ours, and so
    # to the renderer's RUSAGE_CHILDREN when it waits for us - the benchmark counts it)
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        children.discard(pid)


signal.signal(signal.SIGCHLD, reap)
print("ready", flush=True)
for line in sys.stdin:
    req = json.loads(line)
    pid = os.fork()
    if pid == 0:
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.chdir(req["cwd"])
        os.environ.clear()
        os.environ.update(req["env"])
        sys.path[0] = req["cwd"]  # as `python -m ipykernel_launcher` run in cwd would have it
        # ipykernel read JPY_PARENT_PID when the zygote imported it (as 0: no parent watch);
        # name the zygote as parent on the command line, so a kernel exits when the zygote dies
        sys.argv = ["ipykernel_launcher"] + req["args"] + [f"--IPKernelApp.parent_handle={os.getppid()}"]
        try:
            ipykernel.kernelapp.launch_new_instance()
        finally:
            os._exit(0)
    children.add(pid)
    print(json.dumps({"pid": pid}), flush=True)
for pid in list(children):  # the renderer is done or gone: take the kernels with us
    try:
        os.kill(pid, signal.SIGTERM)
    except OSError:
        pass
signal.signal(signal.SIGCHLD, signal.SIG_DFL)
while True:
    try:
        os.wait()
    except ChildProcessError:
        break
'''


class Zygote:
    """A pre-warmed process that forks chapter kernels on request."""

    def __init__(self, preload: list[str]):
        self.lock = threading.Lock()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE_SOURCE, json.dumps(preload)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        if self.proc.stdout.readline().strip() != "ready":
            self.close()
            raise RuntimeError("the kernel zygote did not start")

    def fork(self, args: list[str], cwd: str, env: dict) -> int:
        """A new kernel process running `ipykernel_launcher <args>` in cwd with env; its pid."""
        with self.lock:
            self.proc.stdin.write(json.dumps({"args": args, "cwd": cwd, "env": env}) + "\n")
            self.proc.stdin.flush()
            reply = self.proc.stdout.readline()
        if not reply:
            raise RuntimeError("the kernel zygote exited")
        return json.loads(reply)["pid"]

    def close(self) -> None:
        """Stop the zygote (closing its stdin ends its loop)."""
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class ForkedProcess:
    """The subset of Popen that LocalProvisioner uses, for a process we did not spawn."""

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode = None
        self.stdin = self.stdout = self.stderr = None

    def poll(self):
        """None while alive, else 0 (the zygote reaps it; we cannot see its exit status)."""
        try:
            os.kill(self.pid, 0)
            with open(f"/proc/{self.pid}/stat") as fh:
                if fh.read().split(")")[-1].split()[0] == "Z":
                    self.returncode = 0
                    return 0
            return None
        except (ProcessLookupError, FileNotFoundError):
            self.returncode = 0
            return 0

    def wait(self, timeout=None):
        """Block until the process is gone."""
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.05)
        return 0

    def send_signal(self, signum):
        os.kill(self.pid, signum)

    def kill(self):
        self.send_signal(signal.SIGKILL)

    def terminate(self):
        self.send_signal(signal.SIGTERM)


_zygote: Zygote | None = None


class ForkProvisioner(LocalProvisioner):
    """Launch the kernel by asking the zygote to fork."""

    async def launch_kernel(self, cmd, **kwargs):
        args = cmd[cmd.index("ipykernel_launcher") + 1:]
        cwd = str(kwargs.get("cwd") or os.getcwd())
        env = dict(kwargs.get("env") or os.environ)
        pid = await asyncio.get_running_loop().run_in_executor(None, _zygote.fork, args, cwd, env)
        self.process = ForkedProcess(pid)
        self.pid = self.pgid = pid
        self.cwd = cwd
        return self.connection_info


class ForkKernelManager(AsyncKernelManager):
    """An AsyncKernelManager whose kernels come from the zygote."""

    async def _async_pre_start_kernel(self, **kw):
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        # Same provisioner (ports, connection file already prepared), launched by fork instead:
        # ForkProvisioner adds no state to LocalProvisioner, only another launch_kernel.
        if isinstance(self.provisioner, LocalProvisioner) and _zygote is not None:
            self.provisioner.__class__ = ForkProvisioner
        return cmd, kw

    pre_start_kernel = _async_pre_start_kernel


def start(preload: list[str]) -> bool:
    """Start the zygote; False (ordinary kernels will be used) if it cannot start."""
    global _zygote
    try:
        _zygote = Zygote(preload)
        return True
    except (OSError, RuntimeError):
        _zygote = None
        return False


def stop() -> None:
    """Stop the zygote if one runs."""
    global _zygote
    if _zygote is not None:
        _zygote.close()
        _zygote = None


def active() -> bool:
    """True while a zygote is available."""
    return _zygote is not None


# Libraries whose import depends on the kernel being set up first (matplotlib picks its
# backend when pyplot is imported; ipykernel sets the inline backend): never preloaded.
NOT_PRELOADED = ("matplotlib", "pylab", "seaborn", "plotnine", "tkinter", "PyQt5", "PyQt6", "PySide2", "PySide6")


def static_imports(root: Path, sources: list[tuple[str, Path]]) -> set[str]:
    """Library modules the chapters' code imports, directly or through project modules.

    Used before the first render has recorded anything: `import` statements of the chapter
    cells are read with `ast`, project modules they name are followed (read, not imported),
    and every module found outside the project is a preload candidate. `sources` are
    (code, folder) pairs: a chapter's folder is on its kernel's sys.path. Only top-level
    packages are located (`find_spec` of a top-level name imports nothing).
    """
    import ast
    import importlib.machinery
    import importlib.util
    import site

    root = Path(root).resolve()
    libraries = [Path(p).resolve() for p in site.getsitepackages()]
    found: set[str] = set()
    seen: set[Path] = set()
    queue = list(sources)
    while queue:
        code, folder = queue.pop()
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                try:
                    spec = (importlib.machinery.PathFinder.find_spec(top, [str(folder)])
                            or importlib.util.find_spec(top))
                except (ImportError, ValueError):
                    continue
                origin = Path(spec.origin).resolve() if spec and spec.origin else None
                if origin is None or spec.origin in ("built-in", "frozen"):
                    continue
                if any(origin.is_relative_to(lib) for lib in libraries):
                    found.add(name)  # a library (even when the venv sits inside the project)
                elif origin.is_relative_to(root):
                    for path in _module_files(origin, name):
                        if path not in seen:
                            seen.add(path)
                            queue.append((path.read_text(encoding="utf-8", errors="replace"), folder))
    return found


def _module_files(top_origin: Path, name: str) -> list[Path]:
    """Source files of a project module `a.b.c` (and its package __init__ files)."""
    base = top_origin.parent if top_origin.name == "__init__.py" else top_origin
    files = [top_origin]
    parts = name.split(".")[1:]
    for i in range(1, len(parts) + 1):
        stem = base.joinpath(*parts[:i])
        for candidate in (stem.with_suffix(".py"), stem / "__init__.py"):
            if candidate.exists():
                files.append(candidate)
    return files


def preloadable(names) -> list[str]:
    """The module names that may be preloaded: valid dotted names, none of NOT_PRELOADED."""
    return sorted(n for n in set(names) if isinstance(n, str) and all(p.isidentifier() for p in n.split("."))
                  and n.split(".")[0] not in NOT_PRELOADED)


def read_preload(cache_root: Path) -> list[str]:
    """Third-party modules chapters imported last time (empty if unknown)."""
    try:
        names = json.loads((Path(cache_root) / "preload.json").read_text())
    except (FileNotFoundError, ValueError):
        return []
    return preloadable(names if isinstance(names, list) else [])


def preload_list(cache_root: Path, root: Path, sources: list[tuple[str, Path]]) -> list[str]:
    """What the zygote imports: last render's record plus the chapters' static imports."""
    return preloadable(set(read_preload(cache_root)) | static_imports(root, sources))
