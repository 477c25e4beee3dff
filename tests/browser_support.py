"""JupyterLab started as `make lab` starts it, driven in headless Chromium by Playwright.

Shared by tests/test_browser.py and scripts/screenshot.py (``make screenshot``), so the
README's picture is made by the same code the test runs. The browser is Debian's
``chromium`` (``.ci/run`` installs it); Playwright never downloads one here.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"  # gitignored: screenshots and the server's log
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DEMO_NOTEBOOK = "notebooks/dashboard-demo.ipynb"
VIEWPORT = {"width": 1280, "height": 1400}
STARTUP_SECONDS = 90
WAIT_MS = 60_000  # kernel start and the first import of the autograder can be slow in CI

# The learner's first, stateful cart; sticky routing keeps every user on one process,
# so all carts survive until a process dies.
DEMO_CART = """\
carts = {}


def add_item(user, item, qty=1):
    cart = carts.setdefault(user, {})
    cart[item] = cart.get(item, 0) + qty
    return cart[item]


def get_cart(user):
    return dict(carts.get(user, {}))
"""
DEMO_CELLS = [
    ("markdown", "intro", "# The dashboard\n\nA cart kept in process memory, on three processes."),
    ("code", "cart-app", "%%writefile cart.py\n" + DEMO_CART),
    (
        "code",
        "dashboard",
        "from autograder.dashboard import Dashboard\n\n"
        'dashboard = Dashboard.for_app("cart.py", processes=3, router="sticky")\n'
        "dashboard",
    ),
]


def missing_tools() -> str | None:
    """What the browser test lacks here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package (requirements-dev.txt)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} (apt-get install chromium)"
    if shutil.which("make") is None:
        return "make"
    return None


def write_demo_notebook(path: Path) -> Path:
    """A small notebook with stable cell ids (nbformat 4.5), like the course's."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    new = {"markdown": nbformat.v4.new_markdown_cell, "code": nbformat.v4.new_code_cell}
    nb.cells = [new[kind](source, id=cell_id) for kind, cell_id, source in DEMO_CELLS]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Lab:
    root: Path
    port: int
    token: str
    process: subprocess.Popen
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, notebook: str) -> str:
        # No ?reset: the workspace folder is new anyway, and with ?reset Lab sometimes starts
        # two kernels for the notebook and drops the first one, and the cells queued on it.
        return f"{self.base}/lab/tree/{notebook}?token={self.token}"

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(
            self.base + path, method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None


def lab_command(root: Path, notebook: str, port: int, token: str) -> list[str]:
    """`make lab` itself, run in ``root`` with this interpreter's environment as the venv.

    ``-o`` tells make that the venv and learner mode are made already: a test must not
    pip-install, nor change the environment's Jupyter settings.
    """
    venv = sys.prefix
    lab_args = f"--no-browser --port={port} --ServerApp.token={token} --ServerApp.ip=127.0.0.1"
    return [
        "make",
        "--no-print-directory",
        "-C",
        str(root),
        "-f",
        str(REPO / "Makefile"),
        "-o",
        f"{venv}/.installed",
        "-o",
        f"{venv}/.learner-mode",
        "lab",
        f"VENV={venv}",
        f"START_NOTEBOOK={notebook}",
        f"LAB_ARGS={lab_args}",
    ]


@contextmanager
def running_lab(root: Path, notebook: str, log: Path):
    """Start JupyterLab on a free port with a random token; always stop it and its kernels."""
    port, token = free_port(), secrets.token_hex(16)
    home = root.parent / f"{root.name}-jupyter-home"
    settings = home / "lab-settings"
    # Lab's per-user settings and workspaces stay out of the tester's home folder; the
    # news feed is off, as nothing may leave localhost (Lab would otherwise ask).
    notification = settings / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True, exist_ok=True)
    (notification / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    env = {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "lab-workspaces"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
    }
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as sink:
        process = subprocess.Popen(
            lab_command(root, notebook, port, token),
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # its own process group: stopped as one
        )
    lab = Lab(root, port, token, process, log)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"`make lab` exited with {process.returncode}:\n{tail(log)}")
            try:
                lab.api("/api/status")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not answer in time:\n{tail(log)}") from None
                time.sleep(0.3)
        yield lab
    finally:
        stop(lab)


def tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(parent, []).append(int(entry.name))
    return tree


def descendants(pid: int) -> list[int]:
    """Every process started under ``pid`` (kernels run in sessions of their own)."""
    tree, found, todo = _children(), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def stop(lab: Lab) -> None:
    """Shut the kernels down, then the server's process group; kill what is left, by pid."""
    started = descendants(lab.process.pid)
    try:
        for kernel in lab.api("/api/kernels") or []:
            lab.api(f"/api/kernels/{kernel['id']}", method="DELETE")
    except OSError:
        pass
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 10)):
        try:
            os.killpg(lab.process.pid, sig)
        except ProcessLookupError:
            pass
        try:
            lab.process.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    for pid in started:  # a kernel left behind by a server that had to be killed
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# -- driving the page ------------------------------------------------------------------------
@dataclass
class Run:
    """What the browser saw, and how long it took (seconds)."""

    timings: dict[str, float] = field(default_factory=dict)
    screenshots: list[Path] = field(default_factory=list)
    users_line: str = ""
    burst_updates: int = 0
    run_all_attempts: int = 0
    killed: int = 0
    users_before: str = ""


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def wait_for_kernel(lab: Lab, notebook: str, settle: float = 1.5) -> None:
    """Wait until the notebook has one kernel, idle, with the page connected to it, and the
    same kernel for ``settle`` seconds. Lab sometimes starts a second kernel while it opens
    a notebook and drops the first; cells run before that would be lost."""
    deadline = time.monotonic() + WAIT_MS / 1000
    kernel, since = None, time.monotonic()
    while time.monotonic() < deadline:
        sessions = [s for s in lab.api("/api/sessions") or [] if s["path"] == notebook]
        ready = [
            s["kernel"]["id"]
            for s in sessions
            if s["kernel"]["execution_state"] == "idle" and s["kernel"]["connections"] >= 1
        ]
        current = ready[0] if len(sessions) == 1 and ready else None
        if current != kernel:
            kernel, since = current, time.monotonic()
        elif kernel is not None and time.monotonic() - since >= settle:
            return
        time.sleep(0.1)
    raise AssertionError(f"no settled kernel for {notebook}: {lab.api('/api/sessions')}")


SHOWS = """([selector, text]) => {
    const element = document.querySelector(selector);
    return element !== null && element.textContent.includes(text);
}"""


def _timed(run: Run, page, name: str, action, selector: str, text: str) -> None:
    """Time from ``action`` (a click) until the page shows ``text`` under ``selector``,
    checked on every animation frame: a precise "click to visible change"."""
    started = time.perf_counter()
    action()
    page.wait_for_function(SHOWS, arg=[selector, text], polling="raf", timeout=WAIT_MS)
    run.timings[name] = time.perf_counter() - started


def drive_dashboard(page, lab: Lab, notebook: str, artifacts: Path, picture: Path | None = None):
    """Open the notebook, run all cells, and break the cluster from its (first) dashboard:
    send requests, kill the second process (pid 1002 in the demo), send again, then a
    burst of 1,000. Every step waits until the page shows its effect (a Playwright
    timeout otherwise). Works for any dashboard whose users lose state when a process
    dies, such as the demo's sticky in-memory cart."""
    from playwright.sync_api import expect

    run = Run()
    artifacts.mkdir(parents=True, exist_ok=True)

    def shoot(name: str) -> None:
        path = artifacts / f"dashboard-{len(run.screenshots) + 1}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        run.screenshots.append(path)

    # Should Lab still ask whether to fetch news, answer No: nothing may leave localhost.
    news = page.locator(".jp-Notification-Toast").filter(has_text="Jupyter news")
    page.add_locator_handler(news, lambda toast: toast.get_by_role("button", name="No").click())
    page.goto(lab.url(notebook))
    idle = page.locator(".jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status='idle']")
    idle.first.wait_for(timeout=WAIT_MS)
    wait_for_kernel(lab, notebook)
    dashboard = page.locator(".autograder-dashboard").first
    status = dashboard.locator(".autograder-dashboard-status")
    # Run All while Lab is still connecting to the kernel (its indicator may say idle by
    # then) can run nothing: the cells are queued, then dropped, or Lab opens a "Select
    # Kernel" dialog. So watch: accept the dialog if it comes, and run all again when no
    # cell has been queued or run for a few seconds.
    kernel_dialog = page.locator(".jp-Dialog").filter(has_text="Select Kernel")
    started = page.locator(".jp-CodeCell .jp-InputPrompt").filter(has_text=re.compile(r"\[[*\d]"))

    def run_all() -> None:
        deadline = time.monotonic() + WAIT_MS / 1000
        while time.monotonic() < deadline:
            run.run_all_attempts += 1
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
            quiet_since = time.monotonic()
            while time.monotonic() < deadline:
                if dashboard.is_visible():
                    return
                if kernel_dialog.is_visible():
                    kernel_dialog.locator(".jp-Dialog-button.jp-mod-accept").click()  # Select
                    kernel_dialog.wait_for(state="hidden")
                    break
                if started.count():
                    quiet_since = time.monotonic()
                elif time.monotonic() - quiet_since > 3:
                    break
                time.sleep(0.1)
        raise AssertionError(
            f"Run All Cells never showed the dashboard ({run.run_all_attempts} tries)"
        )

    _timed(run, page, "run_all_to_dashboard", run_all, ".autograder-dashboard", "Ready:")
    expect(status).to_contain_text("Ready: send requests", timeout=WAIT_MS)
    picker = dashboard.get_by_label("Process", exact=True)
    options = picker.locator("option").evaluate_all("options => options.map(o => o.value)")
    pids = [int(option.rsplit(" ", 1)[1]) for option in options]  # "web.2 · pid 1002"
    # Kill the second process (the first if there is only one); its replacement gets the
    # next pid the platform hands out.
    run.killed, replacement = pids[min(1, len(pids) - 1)], max(pids) + 1
    users = int(dashboard.get_by_label("Users", exact=True).input_value())
    shoot("rendered")

    users_line = dashboard.locator(".autograder-users-line")
    send = dashboard.get_by_role("button", name="Send requests", exact=True)
    board = ".autograder-dashboard"
    line = f"{board} .autograder-users-line"
    _timed(run, page, "click_send_to_visible", send.click, line, f"of {users} users")
    run.users_before = users_line.inner_text()
    shoot("sent")

    picker.select_option(value=options[pids.index(run.killed)])
    kill = dashboard.get_by_role("button", name="Kill", exact=True)
    new_card = f"{board} [data-pid='{replacement}']"
    _timed(run, page, "click_kill_to_visible", kill.click, new_card, str(replacement))
    expect(dashboard.locator(f".autograder-process[data-pid='{run.killed}']")).to_have_count(0)
    expect(status).to_contain_text(
        f"Killed pid {run.killed}; the platform started pid {replacement}"
    )
    shoot("killed")

    lost = f"when pid {run.killed} was killed"
    _timed(run, page, "click_send_after_kill_to_visible", send.click, line, lost)
    run.users_line = users_line.inner_text()
    shoot("users-lost")
    if picture is not None:
        picture.parent.mkdir(parents=True, exist_ok=True)
        dashboard.screenshot(path=str(picture))

    # A burst of 1,000: the page must show progress while the kernel works, not freeze
    # until the end. A MutationObserver notes when the status line changed.
    requests = dashboard.get_by_label("Requests", exact=True)
    requests.fill("1000")
    requests.press("Enter")
    status.evaluate(
        """element => {
            window.__statusChanges = [];
            new MutationObserver(() => { window.__statusChanges.push(performance.now()); })
                .observe(element.parentElement, {childList: true, subtree: true,
                                                 characterData: true});
            window.__burstClicked = performance.now();
        }"""
    )
    status_selector = f"{board} .autograder-dashboard-status"
    _timed(run, page, "burst_1000_to_visible", send.click, status_selector, "Sent 1000 request(s)")
    changes = page.evaluate("window.__statusChanges.map(t => t - window.__burstClicked)")
    if changes:
        run.timings["burst_first_progress_visible"] = changes[0] / 1000
    run.burst_updates = len(changes)
    shoot("burst")
    return run
