"""Demonstration cells: the code cells tagged ``demo``, which autograde does not run.

A demonstration shows something (four deployments of a stateful app, a worker killed
mid-job) and changes nothing a grade depends on, yet it cost every submission its
seconds at autograde. ``GuardedExecute`` skips a cell that :func:`skipped_at_autograde`
accepts and writes :func:`not_run_output` instead; the learner's JupyterLab, nbgrader's
Validator and the tests still run it.

Skipping a cell is only safe when nothing after it needs what it did. That holds by
construction, checked for every source notebook (tests/test_proof_pipeline.py):
:func:`demo_problems` refuses a demo that is not a locked, read-only cell (nbgrader
restores a locked cell's source from the gradebook, so the cell autograde skips is the
instructor's, checked here), that binds a name a later non-demo cell reads, writes a
file a later non-demo cell names or an exercise's app file, or runs shell commands and
magics whose effects cannot be read from its source. What the rule cannot see is a
method call that changes an object a later cell uses (``r.flushdb()``, ``cluster.close()``):
that stays the author's judgement, and the end-to-end grading of every notebook's
reference answers (tests/test_e2e_grading.py) proves the course's tags.
"""

from __future__ import annotations

import ast
import re
import shlex
from dataclasses import dataclass, field

from nbformat import NotebookNode
from nbgrader import utils

DEMO_TAG = "demo"
WRITE_MODES = re.compile(r"[wax+]")
IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
# IPython's cell magics the rule reads: %%writefile writes its body to the named file.
WRITEFILE = "writefile"


def is_demo(cell) -> bool:
    """True for a cell tagged ``demo`` (the tag alone; see :func:`skipped_at_autograde`)."""
    return DEMO_TAG in cell.get("metadata", {}).get("tags", [])


def skipped_at_autograde(cell) -> bool:
    """True for a ``demo`` code cell that autograde may skip: a locked cell that is neither
    an answer nor a test, with the grade id nbgrader checked it by. nbgrader's
    OverwriteCells (before Execute) restored its source from the gradebook and dropped
    the grade id of a locked cell the gradebook does not know, so a learner cannot turn
    their own code into a skipped cell (nor would skipping their own code gain them
    anything: the grader runs the checks on the files their answers wrote)."""
    nbgrader = cell.get("metadata", {}).get("nbgrader", {})
    return (
        cell.get("cell_type") == "code"
        and is_demo(cell)
        and utils.is_locked(cell)
        and bool(nbgrader.get("grade_id"))
        and not utils.is_grade(cell)
        and not utils.is_solution(cell)
    )


def demo_metadata(cell_id: str) -> dict:
    """The metadata that makes a code cell a demonstration: the tag, and nbgrader's
    read-only lock (as the "Create Assignment" toolbar writes it)."""
    nbgrader = {
        "grade": False,
        "grade_id": cell_id,
        "locked": True,
        "schema_version": 3,
        "solution": False,
        "task": False,
    }
    return {"nbgrader": nbgrader, "tags": [DEMO_TAG]}


def not_run_output(text: str) -> NotebookNode:
    """The one output a skipped demonstration gets: a short note, on stdout."""
    return NotebookNode(output_type="stream", name="stdout", text=text + "\n")


# --------------------------------------------------------------------------- the rule


@dataclass
class Effects:
    """What one cell does to the notebook's state, as far as its source shows."""

    binds: set[str] = field(default_factory=set)  # names bound, rebound, deleted or mutated
    reads: set[str] = field(default_factory=set)  # names read before the cell binds them
    writes: set[str] = field(default_factory=set)  # files written (paths as written)
    unreadable: list[str] = field(default_factory=list)  # effects the rule cannot see


def python_source(source: str) -> str:
    """A cell's source as the Python IPython runs (magics and ``!`` lines become calls)."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


def cell_effects(source: str) -> Effects:
    """The names a cell binds and reads, and the files it writes (IPython syntax too)."""
    effects = Effects()
    try:
        tree = ast.parse(python_source(source))
    except SyntaxError as error:
        effects.unreadable.append(f"its source does not parse ({error.msg})")
        return effects
    _Scanner(effects).visit(tree)
    return effects


class _Scanner(ast.NodeVisitor):
    """Walks a cell in evaluation order: a name counts as read when it is loaded before
    the cell itself binds it (``x = f(x)`` reads ``x``; ``for x in ...: x`` does not)."""

    def __init__(self, effects: Effects) -> None:
        self.fx = effects
        self.local: list[set[str]] = []  # the names local to each enclosing scope
        self.comprehensions: list[bool] = []  # per scope: is it a comprehension's?

    # -- names
    def bind(self, name: str) -> None:
        if not self.local:
            self.fx.binds.add(name)
        else:
            self.local[-1].add(name)

    def read(self, name: str) -> None:
        if any(name in scope for scope in self.local):
            return
        if name not in self.fx.binds:
            self.fx.reads.add(name)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self.read(node.id)
        else:  # Store, Del
            self.bind(node.id)

    def _mutated(self, target: ast.expr) -> None:
        """``x.a = ...``, ``x[k] = ...``, ``del x[k]``: the object in ``x`` changes."""
        root = target
        while isinstance(root, ast.Attribute | ast.Subscript | ast.Starred):
            root = root.value
        if isinstance(root, ast.Name) and not self.local:
            self.read(root.id)
            self.fx.binds.add(root.id)

    def _target(self, target: ast.expr) -> None:
        if isinstance(target, ast.Attribute | ast.Subscript):
            self.visit(target.value)
            if isinstance(target, ast.Subscript):
                self.visit(target.slice)
            self._mutated(target)
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self._target(element)
        elif isinstance(target, ast.Starred):
            self._target(target.value)
        else:
            self.visit(target)

    # -- statements, in evaluation order
    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for target in node.targets:
            self._target(target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.value)
        if isinstance(node.target, ast.Name):
            self.read(node.target.id)
        self._target(node.target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
            self._target(node.target)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            self._target(target)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.visit(node.iter)
        self._target(node.target)
        for statement in [*node.body, *node.orelse]:
            self.visit(statement)

    visit_AsyncFor = visit_For

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                self._target(item.optional_vars)
        for statement in node.body:
            self.visit(statement)

    visit_AsyncWith = visit_With

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.type is not None:
            self.visit(node.type)
        if node.name:
            self.bind(node.name)
        for statement in node.body:
            self.visit(statement)

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        for alias in node.names:
            self.bind(alias.asname or alias.name.split(".")[0])

    visit_ImportFrom = visit_Import

    def visit_Global(self, node: ast.Global) -> None:
        for name in node.names:  # a function that assigns a global binds it when called
            self.fx.binds.add(name)
            if self.local:
                self.local[-1].discard(name)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        # A walrus binds in the scope around its comprehensions (PEP 572).
        scopes = [s for s, c in zip(self.local, self.comprehensions, strict=True) if not c]
        if scopes:
            scopes[-1].add(node.target.id)
        else:
            self.fx.binds.add(node.target.id)

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        if node.pattern is not None:
            self.visit(node.pattern)
        if node.name:
            self.bind(node.name)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        if node.name:
            self.bind(node.name)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        self.generic_visit(node)
        if node.rest:
            self.bind(node.rest)

    # -- scopes
    def _function(self, node, body) -> None:
        args = node.args
        for default in [*args.defaults, *(d for d in args.kw_defaults if d is not None)]:
            self.visit(default)
        names = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
        names |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
        declared_global = {
            name for n in ast.walk(node) if isinstance(n, ast.Global) for name in n.names
        }
        stored = {
            n.id
            for n in ast.walk(node)
            if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)
        }
        self._enter(names | (stored - declared_global))
        for statement in body if isinstance(body, list) else [body]:
            self.visit(statement)
        self._leave()

    def _enter(self, names: set[str], comprehension: bool = False) -> None:
        self.local.append(names)
        self.comprehensions.append(comprehension)

    def _leave(self) -> None:
        self.local.pop()
        self.comprehensions.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for decorator in node.decorator_list:
            self.visit(decorator)
        self._function(node, node.body)
        self.bind(node.name)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._function(node, node.body)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for expr in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
            self.visit(expr)
        self._enter(set())  # the class body's names are its attributes
        for statement in node.body:
            self.visit(statement)
        self._leave()
        self.bind(node.name)

    def _comprehension(self, node, results) -> None:
        self._enter(set(), comprehension=True)  # its loop variables stay inside it
        for generator in node.generators:
            self.visit(generator.iter)
            self._target(generator.target)
            for condition in generator.ifs:
                self.visit(condition)
        for result in results:
            self.visit(result)
        self._leave()

    def visit_ListComp(self, node) -> None:
        self._comprehension(node, [node.elt])

    visit_SetComp = visit_GeneratorExp = visit_ListComp

    def visit_DictComp(self, node: ast.DictComp) -> None:
        self._comprehension(node, [node.key, node.value])

    # -- files and IPython
    def visit_Call(self, node: ast.Call) -> None:
        self.generic_visit(node)
        ipython = _ipython_call(node)
        if ipython is not None:
            self._ipython(*ipython)
            return
        path = _written_path(node)
        if path is _UNKNOWN:
            self.fx.unreadable.append(f"it writes a file named by an expression ({_line(node)})")
        elif path is not None:
            self.fx.writes.add(path)

    def _ipython(self, method: str, args: list) -> None:
        if not (method == "run_cell_magic" and args and args[0] == WRITEFILE):
            # A magic's code (``%time f(x)``) and a shell line (``!cmd {x}``) may read any
            # name they hold: count every word as read. (%%writefile's body is a file.)
            for arg in args[1:] if method.endswith("magic") else args:
                for word in IDENTIFIER.findall(arg or ""):
                    self.read(word)
        if method == "run_cell_magic" and args and args[0] == WRITEFILE:
            words = [w for w in shlex.split(args[1] if len(args) > 1 else "") if w[:1] != "-"]
            if words:
                self.fx.writes.add(words[-1])
                return
        what = " ".join(str(a) for a in args[:2] if isinstance(a, str))
        self.fx.unreadable.append(f"it runs IPython {method}({what!r}), which the rule cannot read")


_UNKNOWN = object()


def _constant(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _line(node) -> str:
    return ast.unparse(node)[:60]


def _ipython_call(node: ast.Call) -> tuple[str, list] | None:
    """``(method, literal args)`` for ``get_ipython().method(...)``, else None."""
    func = node.func
    if not (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Call)
        and isinstance(func.value.func, ast.Name)
        and func.value.func.id == "get_ipython"
    ):
        return None
    return func.attr, [_constant(a) for a in node.args]


def _written_path(node: ast.Call):
    """The file a call writes: ``open(path, "w")``, ``Path(path).write_text(...)``,
    ``Path(path).open("a")``; ``_UNKNOWN`` when it writes one named by an expression;
    None when it writes no file we can tell."""
    func = node.func
    if isinstance(func, ast.Name) and func.id == "open":
        mode = node.args[1] if len(node.args) > 1 else _keyword(node, "mode")
        if mode is None or not WRITE_MODES.search(_constant(mode) or "w"):
            return None  # read-only (or a mode we would have to guess: assume a write)
        return _path_of(node.args[0] if node.args else _keyword(node, "file"))
    if isinstance(func, ast.Attribute) and func.attr in ("write_text", "write_bytes", "open"):
        if func.attr == "open":
            mode = node.args[0] if node.args else _keyword(node, "mode")
            if mode is None or not WRITE_MODES.search(_constant(mode) or "w"):
                return None
        receiver = func.value
        if (
            isinstance(receiver, ast.Call)
            and isinstance(receiver.func, ast.Name)
            and receiver.func.id == "Path"
            and receiver.args
        ):
            return _path_of(receiver.args[0])
        return _UNKNOWN if func.attr != "open" else None  # file.open is rarely a path
    return None


def _keyword(node: ast.Call, name: str):
    return next((k.value for k in node.keywords if k.arg == name), None)


def _path_of(node) -> str | object:
    path = _constant(node) if node is not None else None
    return path if path is not None else _UNKNOWN


def mentions(source: str, path: str) -> bool:
    """True when a cell names the file ``path`` (or imports it, for a ``.py`` file)."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    if name in source:
        return True
    stem = name[:-3] if name.endswith(".py") else None
    return bool(stem and re.search(rf"\b{re.escape(stem)}\b", source))


def demo_problems(nb, app_files: set[str] = frozenset()) -> list[str]:
    """Why the ``demo`` tags of ``nb`` (a source notebook) are not safe to skip at
    autograde; empty when they are. ``app_files``: the files the notebook's checks read
    (its exercises' app files), which no demo may write."""
    problems = []
    binder: dict[str, int] = {}  # name -> index of the last cell that bound it
    written: dict[str, int] = {}  # file -> index of the demo that wrote it
    for index, cell in enumerate(nb.cells):
        where = f"cell {index} ({cell.get('id', '?')})"
        if cell.cell_type != "code":
            if is_demo(cell):
                problems.append(f"{where}: only code cells can be demonstrations")
            continue
        effects = cell_effects(cell.source)
        demo = is_demo(cell)
        if demo:
            if not skipped_at_autograde(cell):
                problems.append(
                    f"{where}: a demonstration must be a locked, read-only cell that is "
                    "neither an answer nor a test (nbgrader metadata locked: true, a grade_id)"
                )
            problems += [f"{where}: {why}" for why in effects.unreadable]
            for path in sorted(effects.writes & set(app_files)):
                problems.append(f"{where}: writes {path}, a file the checks grade")
        else:
            for name in sorted(effects.reads):
                if name in binder and is_demo(nb.cells[binder[name]]):
                    problems.append(
                        f"{where} reads {name!r}, which the demonstration cell "
                        f"{binder[name]} binds: autograde does not run that cell"
                    )
            for path, at in sorted(written.items()):
                if path not in effects.writes and mentions(cell.source, path):
                    problems.append(
                        f"{where} uses {path}, which the demonstration cell {at} writes: "
                        "autograde does not run that cell"
                    )
        for name in effects.binds:
            binder[name] = index
        for path in effects.writes:
            if demo:
                written[path] = index
            else:
                written.pop(path, None)  # this cell writes it itself, as autograde runs it
    return problems
