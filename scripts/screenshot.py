"""Regenerate docs/dashboard.png, the README's picture of the dashboard (`make screenshot`).

It runs what tests/test_browser.py runs: JupyterLab started as `make lab` starts it, the
demo notebook (a cart kept in process memory, on three processes, sticky routing), and
headless Chromium that sends requests, kills pid 1002 and sends again. The picture is
the dashboard at that moment: "N of 10 users lost their cart when pid 1002 was killed".
Prints the browser-side timings. Needs Debian's chromium and the playwright package.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests import browser_support as browser  # noqa: E402

PICTURE = REPO / "docs" / "dashboard.png"


def main() -> int:
    lacking = browser.missing_tools()
    if lacking:
        print(f"error: {lacking} is missing", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    artifacts = browser.ARTIFACTS / "screenshot"
    with tempfile.TemporaryDirectory(prefix="dashboard-screenshot-") as tmp:
        root = Path(tmp) / "course"
        browser.write_demo_notebook(root / browser.DEMO_NOTEBOOK)
        log = artifacts / "jupyter-lab.log"
        with browser.running_lab(root, browser.DEMO_NOTEBOOK, log) as lab:
            with sync_playwright() as playwright:
                chromium = browser.launch(playwright)
                try:
                    page = chromium.new_page(viewport=browser.VIEWPORT, device_scale_factor=1)
                    run = browser.drive_dashboard(
                        page, lab, browser.DEMO_NOTEBOOK, artifacts, picture=PICTURE
                    )
                finally:
                    chromium.close()
    print(f"wrote {PICTURE.relative_to(REPO)}: {run.users_line.strip()}")
    for name, seconds in run.timings.items():
        print(f"  {name}: {seconds:.2f} s")
    print(f"  Run All attempts: {run.run_all_attempts}")
    print(f"  status redraws during the 1,000-request burst: {run.burst_updates}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
