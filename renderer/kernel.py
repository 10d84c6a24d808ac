"""Code that runs inside each chapter's kernel (its source is sent as the first cell).

It does four things, none of which the chapter sees:
- sets the working directory and the extra environment (how `--data DIR` reaches chapters);
- records, through an audit hook (PEP 578), every file the chapter opens and every directory
  it lists, and which modules it imports, so the cache can tell when a chapter is stale; and
  whether it started a subprocess or opened a network connection, whose inputs no hook in
  this process can see (such a chapter is never reused);
- shows Altair charts as their Vega-Lite spec (mime bundle), never as `alt.Chart(...)` text;
- evaluates inline `` `{python} expr` `` values: `str(value)` plus the claim dict when the
  value implements `_repr_claim_()`.
This module must stay importable without IPython (tests import it), and it must not import
anything heavy at start-up: every chapter kernel pays for it.
"""

import json
import os
import re
import sys

INLINE_MIME = "application/vnd.renderer.inline+json"

_IMPORTLIB = os.sep + "importlib" + os.sep
_VOLATILE_EVENTS = {"subprocess.Popen", "os.system", "os.posix_spawn", "os.spawn", "os.exec", "socket.connect"}
_volatile = []  # what the chapter did whose inputs the hook cannot see
_files = set()
_dirs = set()
_modules_before = set()


def start(workdir, env):
    """Prepare the kernel: cwd, environment, audit hook, chart formatter.

    `env` is what the render gave the chapter. A render starts the kernel with it already
    set; it is restated here for a replay of the kept notebook (Jupyter, nbval), where what
    the replaying shell sets comes first: a variable it sets (another data folder, another
    edition file) is kept, one it does not set is the render's."""
    os.chdir(workdir)
    for name, value in env.items():
        os.environ.setdefault(name, value)
    _modules_before.update(sys.modules)
    sys.addaudithook(_audit)
    _register_chart_formatter()


def _audit(event, args):
    """Record files opened for reading and directories listed (cheap: no filtering here)."""
    try:
        if event in _VOLATILE_EVENTS:
            if event == "subprocess.Popen" and _reads_only_system_state(args):
                return
            if len(_volatile) < 5:
                what = args[0] if event != "socket.connect" else args[1]
                _volatile.append(f"{event}: {what!r}"[:120])
            return
        if event == "open":
            path, mode = args[0], args[1]
            if isinstance(path, int) or (isinstance(mode, str) and not ("r" in mode or "+" in mode)):
                return
            _files.add(os.path.abspath(os.fsdecode(path)))
        elif event in ("os.listdir", "os.scandir"):
            caller = sys._getframe(1).f_code.co_filename
            if caller.startswith("<frozen importlib") or _IMPORTLIB in caller:
                return  # the import system (or importlib.metadata) scanning sys.path, not the chapter
            path = args[0] if args and args[0] is not None else "."
            if not isinstance(path, int):
                _dirs.add(os.path.abspath(os.fsdecode(path)))
    except Exception:  # an audit hook must never break the chapter
        pass


# Commands whose output depends only on the system (what /etc and /usr hold, which the cache
# does not track file by file either), never on the project: `ldconfig -p` lists the shared
# library cache (/etc/ld.so.cache); ctypes.util.find_library runs it, e.g. threadpoolctl
# looking up libc. A chapter that runs one is still reused.
_SYSTEM_QUERIES = {("ldconfig", "-p")}


def _reads_only_system_state(args):
    """True if a subprocess.Popen audit event (executable, args, cwd, env) is a _SYSTEM_QUERIES command."""
    try:
        argv = [os.fsdecode(a) for a in args[1]] if isinstance(args[1], (list, tuple)) else []
        return bool(argv) and (os.path.basename(argv[0]), *argv[1:]) in _SYSTEM_QUERIES
    except Exception:
        return False


def _ignored_prefixes(root):
    """Where the Python installation, Jupyter's own files and the OS live: not inputs.

    A prefix that contains the whole project (the project lives under /usr/src, say) is not
    applied; one inside the project (a .venv in the project folder) is.
    """
    import site
    import sysconfig

    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, "/proc", "/dev", "/sys", "/usr", "/etc", "/run"}
    prefixes.update(sysconfig.get_paths().values())
    prefixes.update(site.getsitepackages() + [site.getusersitepackages()])
    home = os.path.expanduser("~")
    prefixes.update(os.path.join(home, name) for name in (".ipython", ".jupyter", ".local", ".cache", ".config"))
    prefixes = {os.path.join(os.path.abspath(p), "") for p in prefixes if p}
    return tuple(p for p in prefixes if not root.startswith(p))


def _kept(path, ignored):
    """Keep a path outside every ignored prefix; never bytecode."""
    return "__pycache__" not in path and not path.startswith(ignored)


def record(root):
    """Print (as JSON) the files read, directories listed and modules imported so far."""
    root = os.path.join(os.path.abspath(root), "")
    ignored = _ignored_prefixes(root)
    import site

    site_dirs = tuple(os.path.join(p, "") for p in site.getsitepackages())
    modules, third_party = set(), set()
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if path and path.endswith(".py") and name not in _modules_before:
            modules.add(os.path.abspath(path))
        if path and os.path.abspath(path).startswith(site_dirs) and not name.startswith("_"):
            third_party.add(name)  # a library in use (preloaded or not): the zygote may preload it
    files = sorted(p for p in _files | modules if _kept(p, ignored))
    dirs = sorted(p for p in _dirs if _kept(os.path.join(p, ""), ignored))
    # one write, flushed: print() writes the text and its newline separately, and a busy kernel
    # can send them as two stream outputs
    sys.stdout.write(json.dumps({"files": files, "dirs": dirs, "volatile": _volatile,
                                 "third_party": sorted(third_party)}) + "\n")
    sys.stdout.flush()


def _register_chart_formatter():
    """Display Altair charts (any major version) as a Vega-Lite mime bundle, lazily."""
    try:
        ip = get_ipython()  # noqa: F821 - defined in an IPython kernel
    except NameError:
        return
    formatter = ip.display_formatter.mimebundle_formatter
    for major in ("v5", "v6", "v7"):
        formatter.for_type_by_name(f"altair.vegalite.{major}.api", "TopLevelMixin", chart_bundle)


def chart_bundle(chart, include=None, exclude=None):
    """The mime bundle of a chart: its Vega-Lite spec under the versioned mime type."""
    spec = chart.to_dict()
    version = re.search(r"/v(\d+)", spec.get("$schema", "")) or re.search(r"v(\d+)", "v5")
    mime = f"application/vnd.vegalite.v{version.group(1)}+json"
    return {mime: spec, "text/plain": f"<{type(chart).__name__}: Vega-Lite chart>"}


def inline(items):
    """Evaluate inline expressions [(source, line), ...] in the user namespace and display them.

    Each result is {"text": str(value), "claim": value._repr_claim_() or None}. An error names
    the expression and its line, so the user finds it in the .qmd file.
    """
    ns = get_ipython().user_ns  # noqa: F821
    results = []
    for source, line in items:
        try:
            value = eval(compile(source, f"<inline expression, line {line}>", "eval"), ns)
        except Exception as err:
            raise RuntimeError(f"inline expression `{source}` at line {line}: {type(err).__name__}: {err}") from err
        claim = None
        if callable(getattr(value, "_repr_claim_", None)):
            claim = _jsonable(value._repr_claim_())
        results.append({"text": str(value), "claim": claim})
    from IPython.display import display

    text = "\n".join(r["text"] for r in results)
    display({INLINE_MIME: results, "text/plain": text}, raw=True)


def _jsonable(value):
    """A JSON round-trip of `value`; numpy scalars become numbers, anything else text."""
    def default(obj):
        item = getattr(obj, "item", None)
        return item() if callable(item) else str(obj)

    def clean(obj):
        if isinstance(obj, float) and obj != obj:
            return None  # NaN is not JSON; a missing bound is None in the ledger
        if isinstance(obj, dict):
            return {str(k): clean(v) for k, v in obj.items()}
        if isinstance(obj, list):
            return [clean(v) for v in obj]
        return obj

    return clean(json.loads(json.dumps(value, default=default)))
