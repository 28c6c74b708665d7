#!/usr/bin/env python3
"""The staff console in real headless Chromium (issue 10, acceptance 1, 2, 4
and 5). Run through tests/web/run.sh, which installs Chromium, chromedriver,
axe-core and selenium and builds the server and the CLI.

Scenarios (each with its own demo server and database):
  tour-<lang>   every console page each staff role reaches (crawled from the
                navigation, one level of detail links below it), in kk, ru
                and en: axe-core finds no violation, the page is in the
                language asked for and shows no raw message id; screenshots.
  appeal-loop   JavaScript disabled: a resident queues an appeal with a photo
                offline with the real CLI and delivers it; the city official
                finds it (an official of another region does not: 404, not in
                the queue), sees its photo, registers it, redirects it to a
                department, answers; after one sync the resident's device
                shows the registration number, the redirect and the answer.
  moderation    JavaScript disabled: a moderator asks for changes with a
                published reason; a moderator cannot answer appeals.
  pages-<lang>  the pages the tour's crawl does not reach, in kk, ru and en,
                each axe-core clean, in the language asked for, with its own
                title: the 404 page (an unknown id; an appeal outside the
                caller's scope), the 403 page (a form with a wrong CSRF
                token), a form sent after the session ended (the sign-in
                pages keeping it, the page offering to send it again, and
                sending it) and the census import's report.
  session       cookie flags; a resident is refused with a clear page.
  open311-clients  PyPI's Open311 clients against /open311/v2 (see
                open311_clients.py); the partner key issued in the console.

  DAUYS_WEB_SERVER, DAUYS_WEB_CLI  binaries; DAUYS_WEB_ARTIFACTS output dir
  DAUYS_WEB_AXE  axe.min.js;  DAUYS_WEB_PHOTO  a small image
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.request
from urllib.parse import urlparse

import open311_clients
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

SERVER = os.environ["DAUYS_WEB_SERVER"]
CLI = os.environ["DAUYS_WEB_CLI"]
ART = os.environ["DAUYS_WEB_ARTIFACTS"]
AXE = open(os.environ["DAUYS_WEB_AXE"], encoding="utf-8").read()
PHOTO = os.environ["DAUYS_WEB_PHOTO"]
HTML_VALIDATE = os.environ["DAUYS_WEB_HTML_VALIDATE"]
LANGS = ["kk", "ru", "en"]
# Words that must appear on a page in each language (the sign-out button
# is on every signed-in page): proves the page is not in another language.
SIGN_OUT = {"kk": "Шығу", "ru": "Выйти", "en": "Sign out"}
STAFF = ["official, Pavlodar", "moderator, Pavlodar", "expert, Pavlodar", "administrator"]
RESULTS = []
LOCALES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "locales")


def ftl(lang, msg_id):
    """A one-line message of locales/<lang>/main.ftl (a page title)."""
    with open(os.path.join(LOCALES, lang, "main.ftl"), encoding="utf-8") as f:
        for line in f:
            if line.startswith(msg_id + " = "):
                return line[len(msg_id) + 3:].strip()
    raise KeyError(f"{msg_id} not in {lang}")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Demo:
    """`dauys-server --demo` on loopback; its census lines and one-time codes."""

    def __init__(self, work):
        self.work = work
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.lines = []
        self.people = []
        db = os.path.join(work, "server.db")
        self.proc = subprocess.Popen(
            [SERVER, "--demo", "--listen", f"127.0.0.1:{self.port}", "--database", f"sqlite:{db}"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=1).read()
                break
            except Exception:
                time.sleep(0.2)
        else:
            raise RuntimeError("server did not start:\n" + "\n".join(self.lines[-20:]))
        for line in self.lines:
            m = re.match(r"^(\d{12})\s+(\+\d+)\s+(\d+)\s+(.*)$", line)
            if m:
                self.people.append(m.groups())

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def person(self, label):
        for p in self.people:
            if p[3].strip() == label:
                return p
        raise KeyError(label)

    def otp(self, phone, after, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for line in self.lines[after:]:
                m = re.search(r"OTP\s+(\+\d+)\s+(\d+)", line)
                if m and m.group(1) == phone:
                    return m.group(2)
            time.sleep(0.1)
        raise RuntimeError(f"no one-time code for {phone}")


    def api(self, method, path, body=None, token=None):
        req = urllib.request.Request(self.url + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None)
        req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", "Bearer " + token)
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read() or b"null")

    # Valid Ed25519 public keys (RFC 8032's tests 1, 2, 3 and 1024; nothing
    # is signed with them): one per person, as the server allows a device
    # key to only one account.
    KEYS = ["d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
            "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e"]

    def token(self, label):
        """An API session with a key of this person's own."""
        iin, phone, _, _ = self.person(label)
        mark = len(self.lines)
        self.api("POST", "/v1/auth/otp", {"iin": iin})
        code = self.otp(phone, mark)
        keys = self.__dict__.setdefault("_keys", {})
        key = keys.setdefault(label, self.KEYS[len(keys) % len(self.KEYS)])
        return self.api("POST", "/v1/auth/verify", {"iin": iin, "code": code, "device_key": key,
                                                    "device_name": "web test"})["token"]

    def propose(self, token, title):
        """A proposal in the city's cycle that is collecting them; its id."""
        cycles = self.api("GET", "/v1/cycles?locality=551010000")
        cycle = next(c["id"] for c in cycles if c["phase"] == "collecting")
        r = self.api("POST", "/v1/actions/proposal.submit", {
            "cycle_id": cycle, "title": title, "description": "A bench and a lamp by the bus stop.",
            "category": "parks", "cost": 1200000}, token)
        check(r.get("status") == "accepted", f"proposal refused: {r}")
        return r["entity_id"]


class Resident:
    """The real `dauys` CLI as a resident's device."""

    def __init__(self, demo, label):
        self.demo = demo
        self.home = tempfile.mkdtemp(prefix="home-", dir=demo.work)
        iin, phone, _, _ = demo.person(label)
        self.run("login", "--iin", iin)
        code = demo.otp(phone, 0)
        self.run("login", "--iin", iin, "--code", code)

    def run(self, *args, ok=(0,)):
        r = subprocess.run([CLI, "--home", self.home, "--server", self.demo.url, "--key-files", "--json", *args],
                           capture_output=True, text=True, timeout=120)
        if r.returncode not in ok:
            raise AssertionError(f"dauys {' '.join(args)} -> {r.returncode}\n{r.stdout}\n{r.stderr}")
        return r.stdout

    def json(self, *args):
        return json.loads(self.run(*args))


class Browser:
    def __init__(self, demo, name, js=True):
        self.demo = demo
        self.name = name
        self.profile = tempfile.mkdtemp(prefix="chromium-", dir=demo.work)
        o = webdriver.ChromeOptions()
        o.binary_location = "/usr/bin/chromium"
        for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", f"--user-data-dir={self.profile}", "--window-size=1280,900"]:
            o.add_argument(a)
        if not js:
            o.add_argument("--blink-settings=scriptEnabled=false")
        self.js = js
        self.d = webdriver.Chrome(options=o, service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"))
        self.d.set_page_load_timeout(30)
        self.shots = 0

    def quit(self):
        try:
            self.d.quit()
        except Exception:
            pass

    def go(self, path):
        self.d.get(self.demo.url + path)

    def path(self):
        u = urlparse(self.d.current_url)
        return u.path + (("?" + u.query) if u.query else "")

    def find(self, css):
        return self.d.find_element(By.CSS_SELECTOR, css)

    def finds(self, css):
        return self.d.find_elements(By.CSS_SELECTOR, css)

    def text(self):
        return self.find("body").text

    def submit(self, form_css, fields=None):
        """Fills a form's fields (name → value) and presses its submit button,
        as a person would (the browser sends it: no script involved)."""
        form = self.find(form_css)
        for name, value in (fields or {}).items():
            el = form.find_element(By.CSS_SELECTOR, f'[name="{name}"]')
            if el.tag_name == "select":
                el.find_element(By.CSS_SELECTOR, f'option[value="{value}"]').click()
            elif el.get_attribute("type") == "file":
                el.send_keys(value)
            else:
                el.clear()
                el.send_keys(value)
        page = self.find("html")
        form.find_element(By.CSS_SELECTOR, 'button[type="submit"], button:not([type])').click()
        # The click returns before the next page is there: wait for it.
        self.gone(page)

    def gone(self, page):
        """Waits until `page` (an element of the last document) is gone: the
        next page has replaced it. Chromium reports a node of a document
        being replaced as stale, or sometimes as an inspector error: both
        mean it is gone."""
        def stale(_):
            try:
                page.is_enabled()
                return False
            except WebDriverException:
                return True
        WebDriverWait(self.d, 30).until(stale)

    def follow(self, css):
        """Clicks a link and waits for the next page (the click returns
        before it is there)."""
        page = self.find("html")
        self.find(css).click()
        self.gone(page)

    def sign_in(self, label, lang=None):
        iin, phone, _, _ = self.demo.person(label)
        self.go("/console/login")
        if lang:
            self.follow(f'a[hreflang="{lang}"]')
        mark = len(self.demo.lines)
        self.submit('form[action="/console/login"]', {"iin": iin})
        code = self.demo.otp(phone, mark)
        self.submit('form[action="/console/login/code"]', {"code": code})

    def cookie(self):
        """The browser's cookies as a Cookie header (for `status_of`)."""
        return "; ".join(f"{c['name']}={c['value']}" for c in self.d.get_cookies())

    def shot(self, label):
        """A full-page screenshot (the window grown to the page's height)."""
        self.shots += 1
        path = os.path.join(ART, f"{self.name}-{self.shots:02d}-{label}.png")
        if self.js:
            h = self.d.execute_script("return Math.min(document.documentElement.scrollHeight, 6000)")
            self.d.set_window_size(1280, max(600, int(h)))
            # The window's height includes what is not the page: grow it by that.
            inner = self.d.execute_script("return window.innerHeight")
            if inner < h:
                self.d.set_window_size(1280, max(600, int(h)) + int(h) - inner)
        self.d.save_screenshot(path)
        self.d.set_window_size(1280, 900)
        return path

    def axe(self, label):
        """axe-core on the current page: returns its violations (and writes
        them to artifacts)."""
        self.d.execute_script(AXE)
        res = self.d.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r.violations)))"
            ".catch(e => done(JSON.stringify([{id: 'axe-error', help: String(e), nodes: []}])));")
        violations = json.loads(res)
        if violations:
            with open(os.path.join(ART, f"{self.name}-axe.txt"), "a", encoding="utf-8") as f:
                for v in violations:
                    f.write(f"{label}: {v['id']} ({v.get('impact')}): {v['help']}\n")
                    for n in v.get("nodes", [])[:5]:
                        f.write(f"    {n.get('target')} {n.get('failureSummary', '')[:300]}\n")
        return violations


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def status_of(url, cookie=None, data=None):
    req = urllib.request.Request(url, data=data)
    if cookie:
        req.add_header("Cookie", cookie)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode(errors="replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


# ---------------------------------------------------------------- scenarios
DETAIL = re.compile(r"^/console/[a-z-]+/[^/?#]+$")
SKIP = ("/console/lang", "/console/logout", "/console/login", "/console/style.css")


def crawl(b, lang, role, seen_pages):
    """Visits the dashboard, every navigation link, and the first detail link
    of each; checks each page; returns the paths visited."""
    todo = ["/console"]
    visited = []
    while todo and len(visited) < 20:
        path = todo.pop(0)
        if path in visited:
            continue
        b.go(path)
        visited.append(path)
        slug = re.sub(r"[^a-z0-9]+", "-", path.strip("/")) or "root"
        html = b.find("html")
        check(html.get_attribute("lang") == lang, f"{path}: <html lang> is {html.get_attribute('lang')}, not {lang}")
        text = b.text()
        check(SIGN_OUT[lang] in text, f"{path}: not a signed-in page in {lang}")
        raw = re.findall(r"\b(?:console|error|appeal|proposal)-[a-z]+(?:-[a-z]+)+\b", text)
        check(not raw, f"{path}: raw message ids on the page: {raw[:5]}")
        v = b.axe(f"{role} {path}")
        check(not v, f"axe on {path} as {role} in {lang}: " + ", ".join(x["id"] for x in v))
        key = (lang, re.sub(r"/[0-9a-f-]{20,}", "/{id}", path))
        if key not in seen_pages:
            seen_pages.add(key)
            b.shot(slug[:40])
        if path == "/console" or path.count("/") == 2:
            links = []
            for a in b.finds("main a[href], header nav a[href]"):
                href = urlparse(a.get_attribute("href"))
                p = href.path + (("?" + href.query) if href.query else "")
                if href.netloc != urlparse(b.demo.url).netloc or not p.startswith("/console"):
                    continue
                if p.startswith(SKIP) or "flash=" in p:
                    continue
                links.append(p)
            navs = [p for p in links if p.count("/") == 2 and "?" not in p]
            details = [p for p in links if DETAIL.match(p)]
            todo.extend(p for p in navs if p not in todo)
            if path != "/console":
                # Sub-pages (admin's census, templates) and one item of each list.
                subs = [p for p in details if re.match(r"^/console/admin/[a-z-]+$", p)]
                items = [p for p in details if p not in subs]
                # And one deeper page (a cycle's confirmation page).
                deep = [p for p in links if p.count("/") >= 4 and "?" not in p]
                todo.extend(p for p in subs + items[:1] + deep[:1] if p not in todo)
    return visited


def scenario_tour(lang):
    def run(demo):
        pages = 0
        seen = set()
        for role in STAFF:
            b = Browser(demo, f"tour-{lang}-{role.split(',')[0]}")
            try:
                b.sign_in(role, lang)
                check(b.path().startswith("/console"), f"{role}: not signed in ({b.path()})")
                pages += len(crawl(b, lang, role, seen))
            finally:
                b.quit()
        # The sign-in pages themselves, and the refusal a resident gets.
        b = Browser(demo, f"tour-{lang}-signin")
        try:
            b.go("/console/login")
            b.follow(f'a[hreflang="{lang}"]')
            check(b.find("html").get_attribute("lang") == lang, "sign-in page language")
            v = b.axe("sign-in")
            b.shot("sign-in")
            iin, phone, _, _ = demo.person("official, Pavlodar")
            mark = len(demo.lines)
            b.submit('form[action="/console/login"]', {"iin": iin})
            demo.otp(phone, mark)
            v += b.axe("code")
            b.shot("code")
            check(not v, "axe on the sign-in pages: " + ", ".join(x["id"] for x in v))
            r = Browser(demo, f"tour-{lang}-resident")
            try:
                r.sign_in("resident", lang)
                check(r.path().startswith("/console/login/code"), f"resident ended at {r.path()}")
                v = r.axe("resident refused")
                r.shot("resident-refused")
                check(not v, "axe on the refusal page: " + ", ".join(x["id"] for x in v))
                h1 = r.find("main h1").text
                check(h1 == ftl(lang, "console-staff-only-title"), f"the resident's refusal is titled {h1!r}")
                check(SIGN_OUT[lang] not in r.text(), "a resident got a signed-in page")
            finally:
                r.quit()
            pages += 3
        finally:
            b.quit()
        print(f"    {pages} pages checked with axe-core in {lang}, 0 violations")
    return run


def queue_link(b, subject):
    b.go("/console/appeals?q=" + urllib.request.quote(subject))
    for a in b.finds("table a"):
        if a.text == subject:
            return urlparse(a.get_attribute("href")).path
    return None


def iin_with(serial, birth="900517", century_sex=3):
    """A valid IIN (the check digit as crates/proto/src/iin.rs computes it),
    or None when this serial has none."""
    d = [int(x) for x in f"{birth}{century_sex}{serial:04d}"]
    for offset in (0, 2):
        r = sum(x * ((i + offset) % 11 + 1) for i, x in enumerate(d)) % 11
        if r != 10:
            return "".join(map(str, d)) + str(r)
    return None


def scenario_pages(lang):
    """Pages the tour's crawl does not reach (a message, a POST's answer):
    each axe-core clean, in `lang`, with its own title."""
    def run(demo):
        checked = []

        def page(b, label, title_id, signed_in):
            check(b.find("html").get_attribute("lang") == lang, f"{label}: <html lang> is not {lang}")
            h1 = b.find("main h1").text
            check(h1 == ftl(lang, title_id), f"{label}: titled {h1!r}, not {title_id} in {lang}")
            text = b.text()
            check((SIGN_OUT[lang] in text) == signed_in, f"{label}: signed in is not {signed_in}")
            raw = re.findall(r"\b(?:console|error|appeal|proposal)-[a-z]+(?:-[a-z]+)+\b", text)
            check(not raw, f"{label}: raw message ids on the page: {raw[:5]}")
            v = b.axe(label)
            b.shot(re.sub(r"[^a-z0-9]+", "-", label))
            check(not v, f"axe on the {label} page in {lang}: " + ", ".join(x["id"] for x in v))
            checked.append(label)

        b = Browser(demo, f"pages-{lang}-official")
        other = Browser(demo, f"pages-{lang}-other")
        admin = Browser(demo, f"pages-{lang}-admin")
        try:
            b.sign_in("official, Pavlodar", lang)
            check(b.path() == "/console", f"official: not signed in ({b.path()})")
            # 404: an id that does not exist.
            b.go("/console/appeals/does-not-exist")
            page(b, "404 unknown id", "console-not-found-title", False)
            code, _ = status_of(demo.url + "/console/appeals/does-not-exist", b.cookie())
            check(code == 404, f"an unknown appeal id got {code}")
            # An appeal the city official can answer (also sent after the
            # session ended, below).
            b.go("/console/appeals")
            hrefs = [urlparse(a.get_attribute("href")).path for a in b.finds("table a")]
            href = None
            for h in hrefs:
                b.go(h)
                if b.finds(f'form[action="{h}/answer"]'):
                    href = h
                    break
            check(href, f"no appeal to answer among the official's {len(hrefs)}")
            # 404: the appeal, for an official of another region.
            other.sign_in("official, Almaty region", lang)
            other.go(href)
            page(other, "404 outside the scope", "console-not-found-title", False)
            code, _ = status_of(demo.url + href, other.cookie())
            check(code == 404, f"an official of another region got {code} for the appeal")
            # 403: the sign-out form with a wrong CSRF token; nothing applied.
            b.go("/console")
            b.d.execute_script("document.querySelector('form[action=\"/console/logout\"] "
                               "input[name=\"csrf\"]').value = 'forged';")
            b.submit('form[action="/console/logout"]')
            page(b, "403 wrong csrf", "console-csrf-title", False)
            b.go("/console")
            check(b.path() == "/console" and SIGN_OUT[lang] in b.text(), "the forged sign-out signed the official out")
            # A form sent after the session ended. The idle timeout is 30
            # minutes and not configurable, so the session is ended on the
            # server the way a timeout ends it (its row deleted): signed out
            # from another client; the browser keeps its stale cookie.
            b.go(href)
            token = b.find(f'form[action="{href}/answer"] input[name="csrf"]').get_attribute("value")
            code, _ = status_of(demo.url + "/console/logout", b.cookie(), b"csrf=" + token.encode())
            check(code == 200, f"signing the session out from another client got {code}")
            typed = f"Resume check {lang} {int(time.time())}: the schedule is on the akimat's site."
            b.submit(f'form[action="{href}/answer"]', {"text": typed})
            check(b.path() == href + "/answer", f"the late form ended at {b.path()}")
            flash = [p.text for p in b.finds('main [role="status"]')]
            check(flash == [ftl(lang, "console-session-expired")], f"the late form's sign-in page says {flash}")
            kept = b.find('form[action="/console/login"] input[name="resume_to"]').get_attribute("value")
            check(kept == href + "/answer", f"the sign-in page keeps the form for {kept!r}")
            page(b, "session ended sign-in", "console-sign-in-title", False)
            iin, phone, _, _ = demo.person("official, Pavlodar")
            mark = len(demo.lines)
            b.submit('form[action="/console/login"]', {"iin": iin})
            code = demo.otp(phone, mark)
            check(b.finds('form[action="/console/login/code"] input[name="resume"]'), "the code step dropped the kept form")
            page(b, "session ended code", "console-sign-in-title", False)
            b.submit('form[action="/console/login/code"]', {"code": code})
            page(b, "resume", "console-resume-title", True)
            shown = [li.text for li in b.finds("main li.usertext")]
            check(typed in shown, f"the resume page shows {shown}, not what was typed")
            b.submit(f'main form[action="{href}/answer"]')
            check("flash=console-flash-answered" in b.path(), f"the resent form ended at {b.path()}")
            check(typed in b.text(), "the resent answer is not on the appeal page")
            # The census import's report: one row added, one updated, four
            # left out (each reason once).
            resident = demo.person("resident")
            known = {p[0] for p in demo.people}
            fresh = [i for i in (iin_with(n) for n in range(7000, 7100)) if i and i not in known][:3]
            bad = fresh[0][:11] + str((int(fresh[0][11]) + 1) % 10)
            csv_path = os.path.join(demo.work, "census.csv")
            with open(csv_path, "w", encoding="utf-8") as f:
                f.write("iin,phone,locality\n"
                        f"{resident[0]},{resident[1]},{resident[2]}\n"
                        f"{fresh[0]},+77015550101,{resident[2]}\n"
                        f"{bad},+77015550102,{resident[2]}\n"
                        f"{fresh[1]},12,{resident[2]}\n"
                        f"{fresh[2]},+77015550103,999999999\n"
                        "only,two\n")
            admin.sign_in("administrator", lang)
            admin.go("/console/admin/census")
            admin.submit('form[action="/console/admin/census"]', {"file": csv_path})
            check(admin.path() == "/console/admin/census", f"the import ended at {admin.path()}")
            h2 = [h.text for h in admin.finds("main h2#report-h")]
            check(h2 == [ftl(lang, "console-census-report")], f"no import report on the page: {h2}")
            summary = admin.find('main section [role="status"]').text
            check(re.findall(r"\d+", summary) == ["1", "1", "4"], f"the import's summary: {summary!r}")
            rows = [[td.text for td in tr.find_elements(By.CSS_SELECTOR, "td")] for tr in admin.finds("main tbody tr")]
            check(sorted(int(r[0]) for r in rows) == [4, 5, 6, 7], f"rows left out: {rows}")
            reasons = {r[0]: r[2] for r in rows}
            want = {"4": "console-census-bad-iin", "5": "console-census-bad-phone",
                    "6": "console-census-bad-locality", "7": "console-census-bad-row"}
            for line, msg in want.items():
                check(reasons.get(line) == ftl(lang, msg), f"line {line} left out for {reasons.get(line)!r}, not {msg}")
            check(not any(fresh[0] in r[1] or r[1] == bad for r in rows), f"an IIN shown unmasked: {rows}")
            page(admin, "census report", "console-census-title", True)
        finally:
            b.quit()
            other.quit()
            admin.quit()
        print(f"    {len(checked)} pages checked with axe-core in {lang}, 0 violations: {', '.join(checked)}")
    return run


def scenario_appeal_loop(demo):
    resident = Resident(demo, "resident")
    subject = f"Streetlight out on Toraigyrov st. {int(time.time())}"
    out = resident.run("--offline", "appeal", "new", "--type", "complaint", "--to", "pvl-akimat",
                       "--subject", subject, "--body", "No light since Monday <b>dangerous</b>",
                       "--photo", PHOTO, ok=(0, 3))
    mine = resident.json("appeals")
    check(any(a.get("subject") == subject for a in mine), f"not queued on the device: {out}")
    resident.run("sync")
    mine = [a for a in resident.json("appeals") if a.get("subject") == subject]
    check(mine and mine[0].get("delivery", {}).get("state") == "accepted", f"not delivered: {mine}")

    b = Browser(demo, "loop-nojs", js=False)
    other = Browser(demo, "loop-other", js=False)
    try:
        b.sign_in("official, Pavlodar")
        href = queue_link(b, subject)
        check(href, "the appeal is not in the city official's queue")
        b.go(href)
        page = b.d.page_source
        check("<b>dangerous" not in page, "user text rendered as HTML")
        imgs = b.finds("img.thumb")
        check(len(imgs) == 1, f"{len(imgs)} photo thumbnails on the appeal page")
        b.shot("appeal")
        # Someone outside the scope: not in the queue, 404 on the URL.
        other.sign_in("official, Almaty region")
        check(queue_link(other, subject) is None, "an official of another region sees the appeal")
        other.go(href)
        check(subject not in other.text(), "the appeal's subject shown outside its scope")
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in other.d.get_cookies())
        code, _ = status_of(demo.url + href, cookie)
        check(code == 404, f"an official of another region got {code} for the appeal")
        # The private appeal's photo: served to the official in scope (the
        # console's cookie), 404 to the one outside it and to anyone
        # through the API.
        src = imgs[0].get_attribute("src")
        mine = "; ".join(f"{c['name']}={c['value']}" for c in b.d.get_cookies())
        code, _ = status_of(src, mine)
        check(code == 200, f"the official in scope got {code} for the photo {src}")
        code, _ = status_of(src, cookie)
        check(code == 404, f"an official of another region got {code} for the photo")
        code, _ = status_of(src.replace("/console/uploads/", "/v1/uploads/"))
        check(code == 404, f"an anonymous request got {code} for a private appeal's photo")
        # Register, redirect, answer: forms posted by the browser, no script.
        b.submit(f'form[action="{href}/register"]')
        check("flash=console-flash-registered" in b.path(), f"register ended at {b.path()}")
        b.submit(f'form[action="{href}/redirect"]', {"to": "pvl-housing", "text": "Street lighting is the housing department's"})
        check("flash=console-flash-redirected" in b.path(), f"redirect ended at {b.path()}")
        # The housing department's official (a grant for that body only)
        # registers what it received, then answers.
        dept = Browser(demo, "loop-department", js=False)
        try:
            dept.sign_in("official, housing department")
            check(queue_link(dept, subject) == href, "the redirected appeal is not in the department's queue")
            dept.go(href)
            dept.submit(f'form[action="{href}/register"]')
            check("flash=console-flash-registered" in dept.path(), f"second registration ended at {dept.path()}")
            dept.submit(f'form[action="{href}/answer"]', {"text": "The lamp was replaced on Thursday."})
            check("flash=console-flash-answered" in dept.path(), f"answer ended at {dept.path()}")
            dept.shot("answered")
            # The department sees nothing of the city's other appeals.
            dept.go("/console/appeals?status=any")
            addressed = {td.text for td in dept.finds("table tbody td")}
            city = {"Akimat of Pavlodar city", "Акимат города Павлодара", "Павлодар қаласының әкімдігі"}
            check(addressed and not addressed & city, f"the department sees other bodies' appeals: {addressed}")
        finally:
            dept.quit()
    finally:
        b.quit()
        other.quit()
    resident.run("sync")
    a = [a for a in resident.json("appeals") if a.get("subject") == subject][0]
    check(a["status"] == "answered", f"device shows status {a['status']}")
    check(a.get("registration_number"), "device shows no registration number")
    check(a.get("answer") == "The lamp was replaced on Thursday.", f"device shows answer {a.get('answer')!r}")
    check(a.get("addressee") == "pvl-housing", f"device shows addressee {a.get('addressee')}")
    kinds = [h.get("status") for h in a.get("history", [])]
    check("redirected" in kinds, f"device timeline {kinds} lacks the redirect")
    print(f"    device after one sync: {a['registration_number']}, redirected to {a['addressee']}, answered")


def scenario_moderation(demo):
    b = Browser(demo, "moderation-nojs", js=False)
    try:
        token = demo.token("resident")
        for n in (1, 2):
            demo.propose(token, f"Bus stop bench {n}")
        b.sign_in("moderator, Pavlodar")
        b.go("/console/proposals")
        def first(decision):
            forms = b.finds(f'form[action$="/{decision}"]')
            check(forms, "no proposal waits for moderation in the demo")
            action = urlparse(forms[0].get_attribute("action")).path
            pid = action.split("/")[3]
            return action, pid, b.find(f'[id="p-{pid}"]').text

        # Sent back for changes: out of the queue until the author revises.
        action, pid, title = first("needs_changes")
        b.submit(f'form[action="{action}"]', {"reason": "Please add the exact address."})
        check("flash=console-flash-needs-changes" in b.path(), f"moderation ended at {b.path()}")
        check(title not in [h.text for h in b.finds("article h2")], "still in the moderation queue")
        # Rejected: the reason is published with the proposal.
        action, pid, title = first("reject")
        b.submit(f'form[action="{action}"]', {"reason": "Outside the akimat's competence."})
        check("flash=console-flash-rejected" in b.path(), f"rejection ended at {b.path()}")
        _, body = status_of(f"{demo.url}/v1/proposals/{pid}")
        check("Outside the akimat" in body and "rejected" in body, f"the rejection's reason is not published: {body[:300]}")
        # A moderator has no appeal actions.
        b.go("/console/appeals")
        links = [a.get_attribute("href") for a in b.finds("table a")]
        if links:
            b.d.get(links[0])
            check(not b.finds('form[action$="/answer"]'), "a moderator is offered the answer form")
        b.shot("after")
    finally:
        b.quit()


def scenario_session(demo):
    b = Browser(demo, "session")
    try:
        b.sign_in("official, Pavlodar")
        cookies = {c["name"]: c for c in b.d.get_cookies()}
        session = [c for n, c in cookies.items() if n.startswith("dauys_console") and "pre" not in n]
        check(session, f"no session cookie among {list(cookies)}")
        for c in session:
            check(c.get("httpOnly") is True, f"{c['name']} is not HttpOnly")
            check(c.get("sameSite") == "Strict", f"{c['name']} is SameSite={c.get('sameSite')}")
            check(c.get("path") == "/console", f"{c['name']} path {c.get('path')}")
        # A form posted with the session but a wrong CSRF token: refused.
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in b.d.get_cookies())
        code, _ = status_of(demo.url + "/console/logout", cookie, b"csrf=forged")
        check(code == 403, f"a forged CSRF token got {code}")
        b.go("/console")
        check(b.path() == "/console", "the forged sign-out signed the official out")
    finally:
        b.quit()


def validate_html(demo, lang, paths):
    """The pages' bytes as the server sends them (not the browser's DOM),
    checked against the HTML standard by html-validate."""
    out = tempfile.mkdtemp(prefix=f"dauys-html-{lang}-")
    try:
        files = []
        for i, path in enumerate(paths):
            url = f"{demo.url}{path}{'&' if '?' in path else '?'}lang={lang}"
            code, html = status_of(url)
            check(code == 200, f"{url}: {code}")
            f = os.path.join(out, f"{i:02d}-{re.sub(r'[^a-z0-9]+', '-', path.strip('/'))[:40] or 'index'}.html")
            with open(f, "w", encoding="utf-8") as fh:
                fh.write(html)
            files.append(f)
        conf = os.path.join(os.path.dirname(os.path.abspath(__file__)), "htmlvalidate.json")
        r = subprocess.run([HTML_VALIDATE, "--config", conf, *files], capture_output=True, text=True)
        check(r.returncode == 0, f"html-validate in {lang}:\n{r.stdout}{r.stderr}")
    finally:
        shutil.rmtree(out, ignore_errors=True)


def scenario_public(lang):
    """Every public page type: valid HTML as served (html-validate's
    standard rules), axe-core clean, in the language asked for; the same page
    without JavaScript shows the same text."""
    def run(demo):
        cycles = demo.api("GET", "/v1/cycles?locality=551010000")
        paths = ["/", "/l/551010000", "/l/551010000/appeals", "/l/551010000/accountability",
                 "/l/553200000"] + [f"/cycles/{c['id']}" for c in cycles] + [
                 f"/cycles/{c['id']}/receipt?r=0000-0000-0000-0000" for c in cycles
                 if c["phase"] in ("tallying", "implementation", "closed")]
        b = Browser(demo, f"public-{lang}")
        nojs = Browser(demo, f"public-{lang}-nojs", js=False)
        try:
            for path in paths:
                url = f"{path}{'&' if '?' in path else '?'}lang={lang}"
                b.go(url)
                check(b.find("html").get_attribute("lang") == lang, f"{url}: not in {lang}")
                text = b.text()
                raw = re.findall(r"\b(?:public|console|results|phase|proposal)-[a-z]+(?:-[a-z]+)+\b", text)
                check(not raw, f"{url}: raw message ids {raw[:5]}")
                v = b.axe(f"public {url}")
                check(not v, f"axe on {url} in {lang}: " + ", ".join(x["id"] for x in v))
                b.shot(re.sub(r"[^a-z0-9]+", "-", path.strip("/"))[:30] or "index")
                nojs.go(url)
                check(nojs.text() == text, f"{url}: the page without JavaScript differs")
            validate_html(demo, lang, paths)
        finally:
            b.quit()
            nojs.quit()
        print(f"    {len(paths)} public pages in {lang}: valid HTML, axe clean, same without JavaScript")
    return run


SCENARIOS = [(f"tour-{lang}", scenario_tour(lang)) for lang in LANGS] + [
    (f"public-{lang}", scenario_public(lang)) for lang in LANGS] + [
    (f"pages-{lang}", scenario_pages(lang)) for lang in LANGS] + [
    ("appeal-loop", scenario_appeal_loop),
    ("moderation", scenario_moderation),
    ("session", scenario_session),
    ("open311-clients", lambda demo: open311_clients.run(demo, Browser, check)),
]


def main():
    only = sys.argv[1:]
    t0 = time.time()
    for name, fn in SCENARIOS:
        if only and not any(o in name for o in only):
            continue
        work = tempfile.mkdtemp(prefix=f"dauys-web-{name}-")
        demo = Demo(work)
        t = time.time()
        try:
            fn(demo)
            RESULTS.append((name, True, ""))
            print(f"ok   {name} ({time.time() - t:.0f} s)", flush=True)
        except Exception as e:
            RESULTS.append((name, False, str(e)))
            print(f"FAIL {name}: {e}", flush=True)
            traceback.print_exc()
            with open(os.path.join(ART, f"{name}-server.log"), "w", encoding="utf-8") as f:
                f.write("\n".join(demo.lines))
        finally:
            demo.stop()
            shutil.rmtree(work, ignore_errors=True)
    failed = [r for r in RESULTS if not r[1]]
    print(f"web: {len(RESULTS) - len(failed)} passed, {len(failed)} failed ({time.time() - t0:.0f} s)")
    sys.exit(1 if failed or not RESULTS else 0)


if __name__ == "__main__":
    main()
