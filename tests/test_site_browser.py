"""The website in a real browser (Chromium through Playwright): navigation,
search, the cite box, console errors, and screenshots of the main pages
(tests/screenshots/, not committed).  The site is built once for the module
and served by a local http.server; one test also opens it from file://.

Chromium is required: ``make`` installs it.  Without it these tests fail.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.test_site import build_site

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
MAIN_PAGES = ("index.html", "persons.html", "places.html", "organisations.html",
              "chronology.html", "sources.html", "map.html", "search.html", "method.html",
              "encoding.html")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(tmp_path_factory.mktemp("browser-site"))


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail(f"Chromium is not installed ({CHROMIUM}); run `make` (it installs it) "
                    "or `apt-get install chromium`", pytrace=False)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.problems = []  # console errors, page errors, failed requests
    tab.on("console", lambda m: m.type == "error" and tab.problems.append(m.text))
    tab.on("pageerror", lambda e: tab.problems.append(str(e)))
    tab.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "")  # by navigation
           and tab.problems.append(f"failed: {r.url} {r.failure}"))
    tab.on("response", lambda r: r.status >= 400 and tab.problems.append(f"{r.status} {r.url}"))
    yield tab
    context.close()


def test_home_text_person_and_back(page: object, base_url: str) -> None:
    page.goto(base_url + "index.html")
    first_text = page.locator("table.texts tbody a").first
    href = first_text.get_attribute("href")
    first_text.click()
    page.wait_for_url(f"**/{href}")
    person = page.locator(".reading a.person").first
    name = person.inner_text()
    target = person.get_attribute("href")
    assert target.startswith("persons.html#")
    person.click()
    page.wait_for_url(f"**/{target}")
    entry = page.locator(f"article.entry[id='{target.split('#')[1]}']")
    assert entry.is_visible()
    assert name.split()[-1].casefold() in entry.get_attribute("data-names").casefold()
    page.go_back()
    page.wait_for_url(f"**/{href}")
    assert page.locator(".reading").is_visible()
    assert not page.problems


def test_search_with_year_filter(page: object, base_url: str) -> None:
    page.goto(base_url + "search.html")
    page.fill("#q", "Stalin")
    page.press("#q", "Enter")
    status = page.locator("#search-status")
    status.filter(has_text="found").wait_for()
    results = page.locator("#search-results li:not(.more)")
    everything = int(status.inner_text().split()[0])
    assert everything > 10 and results.count() > 0
    page.select_option("#year", "1951")
    page.wait_for_function(
        "n => parseInt(document.getElementById('search-status').textContent) !== n",
        arg=everything)
    in_1951 = int(status.inner_text().split()[0])
    assert 0 < in_1951 < everything
    first = results.first.locator("a").get_attribute("href")
    assert ".html#" in first
    assert "year=1951" in page.url
    assert not page.problems


def test_search_finds_a_person_under_another_name(page: object, base_url: str) -> None:
    page.goto(base_url + "search.html?q=Filippov")
    page.locator("#search-status").filter(has_text="found").wait_for()
    assert "Joseph Stalin" in page.locator("#search-status").inner_text()
    assert not page.problems


def test_cite_box_follows_the_address(page: object, base_url: str, site: Path) -> None:
    text = next(p.name for p in sorted(site.glob("*.html")) if p.name.startswith("wilson"))
    page.goto(base_url + text)
    paragraph = page.locator(".reading p[id] .para-link").nth(3)
    anchor = paragraph.get_attribute("href")
    paragraph.click()  # the page updates the box on hashchange, a moment later
    page.wait_for_function("a => document.querySelector('#cite-url').value.endsWith(a)",
                           arg=anchor, timeout=5000)
    value = page.locator("#cite-url").input_value()
    assert value.endswith(anchor) and value.startswith("https://")
    assert anchor in page.locator("#cite-bibtex").text_content()
    assert not page.problems


def test_no_console_errors_and_screenshots(page: object, base_url: str, site: Path) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    texts = sorted(p.name for p in site.glob("*.html") if p.name not in MAIN_PAGES)
    for name in (*MAIN_PAGES, *texts):
        page.goto(base_url + name)
        page.wait_for_load_state("load")
        assert not page.problems, (name, page.problems)
        if name in MAIN_PAGES or name == texts[0]:
            page.screenshot(path=str(SCREENSHOTS / name.replace(".html", ".png")))
    page.goto(base_url + "search.html?q=Pyongyang&year=1950")
    page.locator("#search-status").filter(has_text="found").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "search-results.png"))
    assert not page.problems


def test_works_from_file_urls(page: object, site: Path) -> None:
    page.goto((site / "search.html").as_uri() + "?q=Peng")
    page.locator("#search-status").filter(has_text="found").wait_for()
    assert page.locator("#search-results li").count() > 0
    page.goto((site / "index.html").as_uri())
    page.locator("a[href='chronology.html']").first.click()
    page.wait_for_url("**/chronology.html")
    assert not page.problems


def test_keyboard_reaches_the_content(page: object, base_url: str) -> None:
    page.goto(base_url + "index.html")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "skip-link" in focused
    assert page.evaluate("getComputedStyle(document.activeElement).left") != "-999px"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
