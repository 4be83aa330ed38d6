#!/usr/bin/python3
"""Drives the Vigie console in a real browser (headless Chromium through
chromedriver), as tests/integration/t_web_browser.sh sets it up, and checks
what a user sees. With --shots DIR it only logs in and saves screenshots of
the main pages at desktop and mobile width (contrib/demo/).

usage: web_browser.py BASE_URL [--shots DIR]
Exit 0 when every check passed; the failing check is printed otherwise."""
import os
import re
import shutil
import sys
import tempfile
import time

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

PASSWORD = os.environ.get("VIGIE_PASSWORD", "correct horse battery staple")


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)
    print("ok -", what)


def browser(profile):
    opts = webdriver.ChromeOptions()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--disable-background-networking", "--disable-component-update",
              "--disable-sync", "--no-first-run", "--disable-extensions",
              "--disable-default-apps", "--user-data-dir=" + profile,
              "--window-size=1280,900", "--lang=fr-FR"):
        opts.add_argument(a)
    opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver",
                      log_output=os.devnull)
    d = webdriver.Chrome(service=service, options=opts)
    d.set_page_load_timeout(60)
    # A loaded machine may show a page late: elements are looked for up to
    # 10 s (find_elements, used for absence, is avoided below).
    d.implicitly_wait(10)
    return d


def submit(d, button):
    """Clicks a button (or link) that leads to another page, and waits until
    that page has replaced this one and finished loading."""
    d.execute_script("window.vigieOldPage = 1;")
    button.click()
    WebDriverWait(d, 60, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script("return window.vigieOldPage === undefined && "
                                   "document.readyState === 'complete';"))


def submit_keys(d, element, *keys):
    """Types keys into an element (Enter on a link or a button) and waits
    for the page it leads to, as submit does for a click."""
    d.execute_script("window.vigieOldPage = 1;")
    element.send_keys(*keys)
    WebDriverWait(d, 60, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script("return window.vigieOldPage === undefined && "
                                   "document.readyState === 'complete';"))


def tab(d):
    """Presses Tab and returns the element that has the focus then."""
    d.switch_to.active_element.send_keys(Keys.TAB)
    return d.switch_to.active_element


def no_js_alert(d):
    try:
        d.switch_to.alert
        return False
    except NoAlertPresentException:
        return True


def login(d, base, user, password=PASSWORD):
    # A login page already shown (after a failed attempt) is used as it is.
    if not d.current_url.split("?")[0].endswith("/login"):
        d.get(base + "/login")
    d.find_element(By.ID, "user").clear()
    d.find_element(By.ID, "user").send_keys(user)
    d.find_element(By.ID, "password").send_keys(password)
    submit(d, d.find_element(By.CSS_SELECTOR, "form.login button"))


def message_text(d):
    """The page's message, waited for (a slowed-down login answers late on
    a loaded machine)."""
    return WebDriverWait(d, 30, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.find_element(By.CSS_SELECTOR, ".message")).text


def logout(d):
    submit(d, d.find_element(By.CSS_SELECTOR, ".who button"))


# What a chart's texts look like on screen: each shown at 11 px at least,
# inside its chart, and none over another (a label over a label is read as
# neither). Returns the problems found, as text.
CHART_TEXTS_JS = """
var out = [];
document.querySelectorAll('svg.chart').forEach(function (s, k) {
  var sb = s.getBoundingClientRect(), scale = sb.width / s.viewBox.baseVal.width;
  var ts = Array.prototype.filter.call(s.querySelectorAll('text'), function (t) {
    return getComputedStyle(t).display != 'none'; });
  var bs = ts.map(function (t) { return t.getBoundingClientRect(); });
  for (var i = 0; i < ts.length; i++) {
    var b = bs[i], px = parseFloat(getComputedStyle(ts[i]).fontSize) * scale;
    var name = 'chart ' + k + ' "' + ts[i].textContent + '"';
    if (px < 11)
      out.push(name + ' at ' + px.toFixed(1) + ' px');
    if (b.left < sb.left - 0.5 || b.right > sb.right + 0.5 ||
        b.top < sb.top - 0.5 || b.bottom > sb.bottom + 0.5)
      out.push(name + ' outside its chart');
    for (var j = i + 1; j < ts.length; j++) {
      var c = bs[j];
      if (b.left < c.right - 1 && c.left < b.right - 1 &&
          b.top < c.bottom - 1 && c.top < b.bottom - 1)
        out.push(name + ' over "' + ts[j].textContent + '"');
    }
  }
});
return out;
"""


def main_text(d):
    return d.find_element(By.TAG_NAME, "main").text


def shots(base, outdir):
    profile = tempfile.mkdtemp(prefix="vigie-chromium-")
    d = browser(profile)
    try:
        login(d, base, "marie")
        pages = [("alerts", base + "/")]
        link = d.find_element(By.CSS_SELECTOR, "section.unit h2 a").get_attribute("href")
        pages.append(("unit", link))
        alert = d.find_element(By.CSS_SELECTOR, "table.alerts td a").get_attribute("href")
        pages.append(("alert", alert))
        pages.append(("rules", base + "/rules"))
        # The alert as a social worker follows it: taken in charge, a note.
        d.get(alert)
        submit(d, d.find_element(By.XPATH, "//button[text()='Prendre en charge']"))
        d.find_element(By.ID, "body").send_keys(
            "Entretien avec la responsable d'équipe prévu jeudi ; proposer une "
            "permanence du service social sur le site.")
        submit(d, d.find_element(By.XPATH, "//button[text()='Enregistrer la note']"))
        for width, height, tag in ((1280, 900, "desktop"), (390, 844, "mobile")):
            d.set_window_size(width, height)
            for name, url in pages:
                d.get(url)
                # The whole page, not the first screen.
                h = d.execute_script("return document.documentElement.scrollHeight")
                d.set_window_size(width, min(max(h + 120, height), 6000))
                d.save_screenshot(os.path.join(outdir, "web-%s-%s.png" % (name, tag)))
                d.set_window_size(width, height)
        # HR's import page after a file checked without importing (its
        # misspelt header said), as the answer to the form: not reloaded.
        logout(d)
        login(d, base, "rh")
        csv = os.path.join(profile, "novembre.csv")
        with open(csv, "w", encoding="utf-8") as f:
            f.write("unit;period;headcount;absence_days;conflits\n"
                    "valdis/nancy/qualite;2026-11;12;14;1\n")
        d.get(base + "/import")
        d.find_element(By.ID, "file").send_keys(csv)
        submit(d, d.find_element(By.XPATH, "//button[text()='Vérifier sans importer']"))
        for width, height, tag in ((1280, 900, "desktop"), (390, 844, "mobile")):
            d.set_window_size(width, height)
            h = d.execute_script("return document.documentElement.scrollHeight")
            d.set_window_size(width, min(max(h + 120, height), 6000))
            d.save_screenshot(os.path.join(outdir, "web-import-%s.png" % tag))
        # The file imported, then the page again: its warnings folded in
        # the latest imports, unfolded.
        d.set_window_size(1280, 900)
        d.get(base + "/import")
        d.find_element(By.ID, "file").send_keys(csv)
        submit(d, d.find_element(By.XPATH, "//button[text()='Importer']"))
        d.get(base + "/import")
        d.find_element(By.CSS_SELECTOR, "table.imports summary").click()
        for width, height, tag in ((1280, 900, "desktop"), (390, 844, "mobile")):
            d.set_window_size(width, height)
            h = d.execute_script("return document.documentElement.scrollHeight")
            d.set_window_size(width, min(max(h + 120, height), 6000))
            d.save_screenshot(os.path.join(outdir, "web-imports-%s.png" % tag))
    finally:
        d.quit()
        shutil.rmtree(profile, ignore_errors=True)


def scenario(base):
    profile = tempfile.mkdtemp(prefix="vigie-chromium-")
    downloads = tempfile.mkdtemp(prefix="vigie-downloads-")
    d = browser(profile)
    try:
        # A social worker sees only the units of her scope.
        login(d, base, "marie")
        check(d.title.startswith("Mes alertes"), "marie is logged in and sees her alerts")
        units = [a.text for a in d.find_elements(By.CSS_SELECTOR, "section.unit h2 a")]
        check(units and all(u == "valdis/nancy" or u.startswith("valdis/nancy/") for u in units),
              "only units of valdis/nancy are listed: %s" % units)
        check("valdis/metz" not in d.page_source and "valdis/epinal" not in d.page_source,
              "no unit of another site appears on the page")
        # The charts of a unit, on a phone (390 px) and on a desktop:
        # their texts readable, inside, apart.
        for width in (390, 1280):
            d.set_window_size(width, 900)
            d.get(base + "/units/valdis/nancy/production-nuit")
            bad = d.execute_script(CHART_TEXTS_JS)
            check(not bad and d.find_elements(By.CSS_SELECTOR, "svg.chart text"),
                  "the charts' texts at %d px: %s" % (width, "; ".join(bad[:8])))
        d.get(base + "/units/valdis/metz/restauration")
        check("Page introuvable" in main_text(d), "a unit outside the scope is not found (404)")
        d.get(base + "/alerts/conflicts@valdis/metz/restauration")
        check("Page introuvable" in main_text(d), "an alert outside the scope is not found (404)")

        # The works council report of her site, downloaded with the keyboard.
        d.get(base + "/report")
        unit = Select(d.find_element(By.ID, "unit"))
        check([o.get_attribute("value") for o in unit.options] == ["valdis/nancy"],
              "the report's one unit is her site: %s" % [o.text for o in unit.options])
        Select(d.find_element(By.ID, "format")).select_by_value("html")
        d.execute_cdp_cmd("Browser.setDownloadBehavior",
                          {"behavior": "allow", "downloadPath": downloads})
        button = d.find_element(By.XPATH, "//button[text()=\"Télécharger le rapport\"]")
        button.send_keys(Keys.ENTER)
        got = []
        for _ in range(300):
            got = [f for f in os.listdir(downloads) if not f.endswith(".crdownload")]
            if got:
                break
            time.sleep(0.1)
        check(len(got) == 1 and re.fullmatch(r"rapport-cse-valdis-nancy-\d{4}-\d{2}-\d{4}-\d{2}\.html", got[0]),
              "the report is downloaded under its name: %s" % got)
        # Chromium may show the file under its name before its last bytes
        # are written (slow under the sanitizers): read it once whole.
        html = ""
        for _ in range(300):
            with open(os.path.join(downloads, got[0]), encoding="utf-8") as f:
                html = f.read()
            if html.rstrip().endswith("</html>"):
                break
            time.sleep(0.1)
        check(html.startswith("<!DOCTYPE html>") and "valdis/nancy" in html and
              "valdis/metz" not in html, "the file is the report of valdis/nancy alone")
        check(d.title.startswith("Rapport au CSE"), "the form stays on the screen")

        # A rule title with markup renders as text, and runs nothing.
        d.get(base + "/")
        check("<script>alert" in main_text(d) and no_js_alert(d),
              "a rule title with <script> shows as text and runs nothing")

        # Take an alert in charge, write a note, close it with an outcome.
        d.get(base + "/")
        submit(d, d.find_element(By.LINK_TEXT, "Taux d'absentéisme élevé"))
        alert_url = d.current_url
        check("/alerts/absenteeism-rate@valdis/nancy/production-nuit" in alert_url,
              "the alert page opens from the list")
        submit(d, d.find_element(By.XPATH, "//button[text()='Prendre en charge']"))
        check("Alerte prise en charge." in main_text(d), "taking in charge says so")
        check("prise en charge par marie" in main_text(d), "the follow-up names marie")
        note = "RDV avec le manager le 12/11 <script>alert('note')</script> & suite"
        d.find_element(By.ID, "body").send_keys(note)
        submit(d, d.find_element(By.XPATH, "//button[text()='Enregistrer la note']"))
        check("Note enregistrée." in main_text(d), "the note is saved")
        body = d.find_element(By.CSS_SELECTOR, ".note-body").text
        check(body == note and no_js_alert(d), "the note shows as written, as text")
        note_url = d.find_element(By.CSS_SELECTOR, "ol.notes .meta a").get_attribute("href")
        check(re.search(r"/notes/\d+$", note_url), "the note has its own page: %s" % note_url)
        Select(d.find_element(By.ID, "outcome")).select_by_value("action_taken")
        submit(d, d.find_element(By.XPATH, "//button[text()=\"Clôturer l'alerte\"]"))
        check("Alerte clôturée." in main_text(d), "closing says so")
        check("clôturée (action menée) par marie" in main_text(d),
              "the follow-up shows the outcome and who closed")

        # A note with a name in it, corrected then deleted by its author
        # with the keyboard alone: a link, labelled fields, Tab, Space and
        # Enter.
        d.get(base + "/units/valdis/nancy/production-nuit")
        d.find_element(By.ID, "body").send_keys("Appel de M. Bouchardeau")
        submit(d, d.find_element(By.XPATH, "//button[text()='Enregistrer la note']"))
        # Asked about first: the words said, the text kept, a box that the
        # keyboard reaches right after the field, then saved as written.
        check("semble nommer une personne" in main_text(d) and "M. Bouchardeau" in main_text(d),
              "a note with a name is asked about")
        check(d.find_element(By.ID, "body").get_attribute("value") == "Appel de M. Bouchardeau",
              "its text is kept in its field")
        d.find_element(By.ID, "body").click()
        d.switch_to.active_element.send_keys(Keys.TAB)
        check(d.switch_to.active_element.get_attribute("id") == "anyway",
              "the box is the next Tab stop")
        d.switch_to.active_element.send_keys(Keys.SPACE)
        submit(d, d.find_element(By.XPATH, "//button[text()='Enregistrer la note']"))
        check("Note enregistrée." in main_text(d), "saved once the box is ticked")
        submit_keys(d, d.find_element(By.LINK_TEXT, "Corriger ou supprimer cette note"),
                    Keys.ENTER)
        check(re.search(r"/notes/\d+$", d.current_url), "Enter on the link opens the note's page")
        text = d.find_element(By.ID, "body")
        check(d.find_element(By.CSS_SELECTOR, "label[for=body]").text ==
              "Texte de la note (8000 caractères au plus)",
              "the correction's field has its label")
        text.send_keys(Keys.CONTROL, "a")
        text.send_keys("Appel de la responsable")
        button = tab(d)
        check(button.text == "Enregistrer la correction", "Tab leads to the button that saves it")
        submit_keys(d, button, Keys.ENTER)
        check("Note corrigée." in main_text(d), "the correction is saved")
        check("modifiée le" in d.find_element(By.CSS_SELECTOR, "p.meta").text
              and "Bouchardeau" not in d.page_source, "the note says it was corrected")
        d.find_element(By.ID, "body").send_keys(Keys.END)
        tab(d)
        box = tab(d)
        check(box.get_attribute("id") == "confirm",
              "from the field, Tab leads past its button to the confirmation box")
        box.send_keys(Keys.SPACE)
        button = tab(d)
        check(box.is_selected() and button.text == "Supprimer la note",
              "Space ticks it, Tab leads to the button that deletes")
        submit_keys(d, button, Keys.ENTER)
        check("Note supprimée." in main_text(d) and "Appel de la" not in d.page_source,
              "the note is deleted and its unit's page says so")

        # A note written while the session ends (its cookie gone) is not
        # lost: the login page keeps it, the login gives it back in its
        # field, unsaved, and saving it then works.
        d.get(base + "/units/valdis/nancy/production-nuit")
        kept = "Suivi <b>important</b> & « long »\nà relire"
        d.find_element(By.ID, "body").send_keys(kept)
        d.delete_cookie("vigie")
        submit(d, d.find_element(By.XPATH, "//button[text()='Enregistrer la note']"))
        check("Votre session a expiré" in message_text(d) and "important" not in d.current_url,
              "a note posted after the session ended leads to the login page")
        d.find_element(By.ID, "user").send_keys("marie")
        d.find_element(By.ID, "password").send_keys(PASSWORD)
        submit(d, d.find_element(By.CSS_SELECTOR, "form.login button"))
        field = d.find_element(By.ID, "body")
        check(field.get_attribute("value") == kept and d.current_url.endswith("/login#body"),
              "after the login the note is back in its field: %r" % field.get_attribute("value"))
        check("votre note n'est pas encore enregistrée" in
              d.find_element(By.ID, "body-kept").text, "and it says it is not saved")
        submit(d, d.find_element(By.XPATH, "//button[text()='Enregistrer la note']"))
        check("Note enregistrée." in main_text(d) and
              d.find_elements(By.CSS_SELECTOR, ".note-body")[0].text == kept,
              "saving it then works, the note as written")

        # A POST without its CSRF token is refused, and changes nothing.
        d.get(base + "/units/valdis/nancy/production-nuit")
        notes_before = d.page_source.count('<li id="note-')
        d.execute_script("document.querySelectorAll('input[name=csrf]')"
                         ".forEach(function (e) { e.remove(); });")
        d.find_element(By.ID, "body").send_keys("sans jeton")
        submit(d, d.find_element(By.XPATH, "//button[text()='Enregistrer la note']"))
        check("Action refusée" in main_text(d), "a POST without the CSRF token is refused")
        d.get(base + "/units/valdis/nancy/production-nuit")
        check(d.page_source.count('<li id="note-') == notes_before
              and "sans jeton" not in d.page_source, "and nothing was written")
        logout(d)
        check(d.current_url.endswith("/login?bye=1") and "Déconnexion effectuée." in main_text(d),
              "logging out leads back to the login page, which says so")
        d.get(alert_url)
        check(d.current_url.startswith(base + "/login"), "after logout the pages need a login")

        # HR sees the alert, never the social worker's note, not even by URL.
        login(d, base, "rh")
        d.get(alert_url)
        check("clôturée (action menée) par marie" in main_text(d),
              "HR sees the same follow-up record")
        check("RDV avec le manager" not in d.page_source and "Aucune note." in main_text(d),
              "HR does not see the social worker's note")
        d.get(note_url)
        check("Page introuvable" in main_text(d), "the note's URL is not found for HR (404)")

        # HR imports the month's file from the browser: the header's link,
        # the file field, the figures of the import.
        d.find_element(By.LINK_TEXT, "Importer des données").click()
        # A file over the console's 8 MB (a whole extract instead of the
        # month's figures): the page says so, with its form, not the
        # browser's "connection reset" nor a line of plain text.
        big = os.path.join(downloads, "extraction-complete.csv")
        with open(big, "w", encoding="utf-8") as f:
            f.write("1" * 9000000)
        d.find_element(By.ID, "file").send_keys(big)
        submit(d, d.find_element(By.CSS_SELECTOR, "main form button"))
        # (WebDriver's text has a plain space for the no-break one.)
        check("Le fichier dépasse 8 Mo\u202f: rien n'a été importé" in main_text(d)
              and d.find_elements(By.ID, "file"),
              "a file over 8 MB: %r" % d.page_source[:400])
        csv = os.path.join(downloads, "novembre.csv")
        with open(csv, "w", encoding="utf-8") as f:
            f.write("unit;period;headcount;conflicts\nvaldis/nancy/qualite;2026-11;12;1\n")
        d.find_element(By.ID, "file").send_keys(csv)
        submit(d, d.find_element(By.CSS_SELECTOR, "main form button"))
        check("novembre.csv\u202f: 1 ligne, 2 valeurs importées (2 ajoutées" in main_text(d),
              "the import's figures: %r" % main_text(d)[:300])
        logout(d)

        # Ten wrong passwords are slowed down.
        start = time.monotonic()
        messages = []
        for _ in range(10):
            login(d, base, "claire", "not the password")
            messages.append(message_text(d))
            answered = time.monotonic()
        checked = sum("incorrect" in m for m in messages)
        refused = sum("Trop de tentatives" in m for m in messages)
        check(all("incorrect" in m for m in messages[:5]) and 5 <= checked <= 7,
              "five wrong passwords are checked, then at most two more: %d" % checked)
        check(refused == 10 - checked and "Trop de tentatives" in messages[5],
              "the others (%d) are refused without checking the password" % refused)
        # The last refusal says how long the account waits; before that
        # even the right password is refused. On a loaded machine the delay
        # may be over by the time the browser submits it: then it gets in,
        # but not before.
        last = re.search(r"(\d+) secondes", messages[-1])
        until = answered + (int(last.group(1)) if last else 0)
        login(d, base, "claire")
        if not d.title.startswith("Mes alertes"):
            m = message_text(d)
            wait = int(re.search(r"(\d+) secondes", m).group(1))
            check("Trop de tentatives" in m and wait >= 1,
                  "even the right password waits %d s more" % wait)
            time.sleep(wait + 1)
            login(d, base, "claire")
        else:
            check(last is not None and time.monotonic() >= until - 2,
                  "the right password got in before the announced delay was over")
        took = time.monotonic() - start
        check(d.title.startswith("Mes alertes") and took >= 2,
              "claire gets in after the delay (%.1f s after the first wrong password)" % took)
    finally:
        d.quit()
        shutil.rmtree(profile, ignore_errors=True)
        shutil.rmtree(downloads, ignore_errors=True)


def main():
    base = sys.argv[1].rstrip("/")
    try:
        if len(sys.argv) > 3 and sys.argv[2] == "--shots":
            shots(base, sys.argv[3])
        else:
            scenario(base)
    except Failure as e:
        print("FAIL:", e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
