"""What every page a browser test lands on must satisfy, and the `Visitor` that checks it.

A journey does not call the checks itself: it opens pages and presses buttons through a Visitor,
which notices each new document and checks it before the journey goes on.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

from axe_playwright_python.base import AXE_SCRIPT

PHONE = {"width": 390, "height": 844}
# BROWSER_CHECKS_SURVEY=<file>: do not stop at the first page with problems; append every page's
# problems to <file> instead (to see all that is left to mend in one run).
SURVEY_FILE = os.environ.get("BROWSER_CHECKS_SURVEY", "")
# Checks switched on as the pages come to meet them (issue 9: phones; Chinese content in English
# pages). The survey mode above lists what is still left.
CHECK_PHONE_LAYOUT = True
CHECK_CONTENT_LANGUAGE = True
ADMIN_PREFIX = "/admin/"

# axe-core with every rule of the WCAG 2.x A and AA levels and best practices, any impact.
AXE_RUN = """async () => {
  // Let transitions and animations end first (a message fading in is not yet its own colour).
  const ending = document.getAnimations()
    .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity);
  // Long ones are put at their end at once (Wagtail's admin pings its "what's new" badge for 25 s).
  ending.filter((a) => a.effect.getComputedTiming().endTime > 2000).forEach((a) => a.finish());
  await Promise.all(ending.map((a) => a.finished.catch(() => null)));
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " :: " + n.failureSummary.replace(/\\s+/g, " "))
  }));
}"""

# Text with Chinese characters must sit inside an element whose language is Chinese, when the
# page itself is not (a screen reader would read it with an English voice).
LANG_CHECK = r"""() => {
  const pageLang = (document.documentElement.getAttribute("lang") || "").toLowerCase();
  if (pageLang.startsWith("zh")) return [];
  const han = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  const found = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    if (!han.test(node.nodeValue)) continue;
    const element = node.parentElement;
    if (!element || element.closest("script, style, template")) continue;
    const marked = element.closest("[lang]");
    const lang = marked ? marked.getAttribute("lang").toLowerCase() : "";
    if (!lang.startsWith("zh")) found.add(node.nodeValue.trim().slice(0, 30) + " <" + element.tagName.toLowerCase() + ">");
  }
  return Array.from(found).slice(0, 15);
}"""

# At phone width: no sideways scrolling of the page, table headers that keep their words (not one
# character per line), and a header menu that is collapsed behind its button.
PHONE_CHECK = r"""() => {
  const problems = [];
  const width = window.innerWidth;
  const pageWidth = document.documentElement.scrollWidth;
  if (pageWidth > width) {
    const wide = Array.from(document.querySelectorAll("body *"))
      .filter((el) => el.getBoundingClientRect().right > width + 1 && !el.closest("[data-scroll-box]"))
      .slice(0, 3).map((el) => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ")[0] : ""));
    problems.push(`the page is ${pageWidth}px wide in a ${width}px window (${wide.join(", ")})`);
  }
  for (const th of document.querySelectorAll("th")) {
    const letters = th.innerText.replace(/\s+/g, "");
    if (letters.length < 2 || th.getClientRects().length === 0) continue;
    const range = document.createRange();
    range.selectNodeContents(th);
    const lines = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top)));
    if (lines.size > 1 && letters.length / lines.size < 2) {
      problems.push(`table header "${th.innerText.trim()}" breaks into ${lines.size} lines`);
    }
  }
  const toggle = document.querySelector("[data-menu-toggle]");
  if (!toggle || toggle.getClientRects().length === 0) {
    problems.push("no visible menu button in the header");
  } else if (toggle.getAttribute("aria-expanded") !== "true") {
    const menu = document.getElementById(toggle.getAttribute("aria-controls"));
    if (!menu || menu.getClientRects().length !== 0) problems.push("the header menu is not collapsed");
  }
  return problems;
}"""


class PageProblems(AssertionError):
    pass


class Visitor:
    """A browser tab that checks each page it lands on (see the module docstring).

    Use `goto`, `click` and `submit` for anything that may load a new page; `page` is the
    Playwright page for everything else (filling fields, reading text)."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.host = urlsplit(self.base_url).netloc
        self.visited: list[str] = []
        self.checks = True
        # strict: a problem fails at once; otherwise problems are collected in `found` (a survey).
        self.strict = not SURVEY_FILE
        self.found: list[str] = []
        self._problems: list[str] = []
        self._navigations = 0
        self._checked_navigation = 0
        self._status = None
        page.on("pageerror", lambda error: self._problems.append(f"JavaScript error: {error}"))
        page.on("console", self._on_console)
        page.on("framenavigated", self._on_navigated)
        page.on("response", self._on_response)
        page.on("request", self._on_request)

    # ------------------------------------------------------------------ events (no page calls here)
    def _on_console(self, message):
        if "Content Security Policy" in message.text:
            self._problems.append(f"CSP violation: {message.text}")

    def _on_navigated(self, frame):
        if frame == self.page.main_frame:
            self._navigations += 1

    def _on_response(self, response):
        request = response.request
        if request.frame == self.page.main_frame and request.is_navigation_request():
            self._status = response.status
        elif response.status >= 400 and urlsplit(response.url).netloc == self.host:
            if not self._is_refused_autosave(response):
                self._problems.append(f"{response.status} for {request.resource_type} {response.url}")

    def _is_refused_autosave(self, response) -> bool:
        """Wagtail's editor autosaves by posting the form to its own address for JSON, and is
        answered 400 while the form cannot be saved even as a draft (no title yet, a required
        quiz not chosen): the editor then says "Autosave is paused". That answer is the design, not
        a failure; any other 400 still is."""
        request = response.request
        path = urlsplit(response.url).path
        return (
            response.status == 400
            and request.method == "POST"
            and request.resource_type == "fetch"
            and request.headers.get("accept") == "application/json"
            and path.startswith(ADMIN_PREFIX)
            and path == urlsplit(self.page.url).path
        )

    def _on_request(self, request):
        scheme, netloc = urlsplit(request.url)[:2]
        if scheme in ("http", "https", "ws", "wss") and netloc != self.host:
            self._problems.append(f"request to another host: {request.url}")

    # ------------------------------------------------------------------ actions
    def url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.base_url}{path}"

    def goto(self, path: str, *, expect_status: int | None = None):
        response = self.page.goto(self.url(path))
        self.settle(expect_status=expect_status if expect_status is not None else (response.status if response else None))
        return response

    def click(self, target, *, expect_status: int | None = None):
        """Click a selector or locator, then check the page if the click loaded a new one."""
        locator = self.page.locator(target) if isinstance(target, str) else target
        locator.click()
        self.settle(expect_status=expect_status)

    def press(self, target, key: str, *, expect_status: int | None = None):
        locator = self.page.locator(target) if isinstance(target, str) else target
        locator.press(key)
        self.settle(expect_status=expect_status)

    def settle(self, *, expect_status: int | None = None):
        self.page.wait_for_load_state("load")
        if self._navigations != self._checked_navigation:
            self._checked_navigation = self._navigations
            if expect_status is not None and self._status != expect_status:
                raise PageProblems(f"{self.page.url}: status {self._status}, expected {expect_status}")
            self.check_page()
        elif self._problems:
            self._raise(self.page.url, [])

    # ------------------------------------------------------------------ checks
    def check_page(self):
        """Check the page as it is now (called after every new page; call it after a change made
        by a script, such as an opened menu or dialog, to check that state too)."""
        url = self.page.url
        path = urlsplit(url).path
        problems = []
        if self._status is not None and self._status >= 500:
            problems.append(f"server error {self._status}")
        if self.checks:
            problems += [f"axe {v['id']} ({v['impact']}): {v['help']} {v['nodes']}" for v in self.axe_violations()]
            if not path.startswith(ADMIN_PREFIX):
                if CHECK_CONTENT_LANGUAGE or SURVEY_FILE:
                    problems += [f"Chinese text without lang=zh-Hans: {t}" for t in self.page.evaluate(LANG_CHECK)]
                if CHECK_PHONE_LAYOUT or SURVEY_FILE:
                    problems += self.phone_problems()
        self.visited.append(url)
        self._raise(url, problems)

    def axe_violations(self) -> list[dict]:
        # Always our own copy: the Wagtail editor loads an axe of its own, configured with content
        # checks for the page being written (such as an empty meta description), not for the admin.
        if not self.page.evaluate("() => window.__ourAxe === true"):
            self.page.evaluate(AXE_SCRIPT)
            self.page.evaluate("() => { window.__ourAxe = true; }")
        return self.page.evaluate(AXE_RUN)

    def phone_problems(self) -> list[str]:
        desktop = self.page.viewport_size
        self.page.set_viewport_size(PHONE)
        try:
            return [f"at 390×844: {problem}" for problem in self.page.evaluate(PHONE_CHECK)]
        finally:
            self.page.set_viewport_size(desktop)

    def _raise(self, url: str, problems: list[str]):
        problems = self._problems + problems
        self._problems = []
        if problems:
            report = f"{url}:\n  " + "\n  ".join(problems)
            if self.strict:
                raise PageProblems(report)
            self.found.append(report)
            if SURVEY_FILE:
                with open(SURVEY_FILE, "a", encoding="utf-8") as survey:
                    survey.write(report + "\n")

    # ------------------------------------------------------------------ conveniences
    def log_in(self, username: str, password: str):
        self.goto("/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.click("main form button[type=submit]")

    def log_in_to_admin(self, username: str, password: str):
        self.goto("/admin/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.click("form button[type=submit]")

    def text(self, selector: str = "main") -> str:
        return self.page.locator(selector).first.inner_text()


def only_digits(text: str) -> int:
    return int(re.sub(r"\D", "", text))
