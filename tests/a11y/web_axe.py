#!/usr/bin/python3
"""axe-core on every page of the console (make a11y, tests/a11y/axe.sh).

usage: web_axe.py BASE_URL AXE_MIN_JS
Prints each page's violations; exit 1 if there is any."""
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

from web_browser import browser, login, logout, submit  # noqa: E402

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN = """
var done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: %s}})
  .then(function (r) { done(JSON.stringify(r.violations)); })
  .catch(function (e) { done(JSON.stringify([{id: 'axe-error', help: String(e), nodes: []}])); });
""" % json.dumps(TAGS)


class Audit:
    def __init__(self, d, axe):
        self.d, self.axe, self.pages, self.bad = d, axe, 0, 0

    def __call__(self, name):
        # Every <details> open: what it holds is checked too.
        self.d.execute_script("document.querySelectorAll('details')"
                              ".forEach(function (e) { e.open = true; });")
        self.d.execute_script(self.axe)
        v = json.loads(self.d.execute_async_script(RUN))
        n = sum(len(x["nodes"]) for x in v)
        self.pages += 1
        self.bad += n
        print("%-26s %d violation%s (%s)" % (name, n, "" if n == 1 else "s", self.d.title))
        for x in v:
            print("    %s (%s): %s" % (x["id"], x.get("impact"), x["help"]))
            for nd in x["nodes"][:5]:
                print("        %s" % " ".join(nd["target"]))


def button(d, text):
    return d.find_element(By.XPATH, "//button[text()=\"%s\"]" % text)


def walk(base, axe, width, actions):
    profile = tempfile.mkdtemp(prefix="vigie-axe-")
    d = browser(profile)
    d.set_window_size(width, 900)
    audit = Audit(d, axe)
    w = "@%d" % width
    unit = base + "/units/valdis/nancy/production-nuit"
    alert = base + "/alerts/absenteeism-rate@valdis/nancy/production-nuit"
    try:
        d.get(base + "/login")
        audit("login" + w)
        login(d, base, "marie", "not the password")
        audit("login-refused" + w)
        login(d, base, "marie")
        audit("alerts" + w)
        d.get(base + "/?severity=critical&state=open")
        audit("alerts-filtered" + w)
        d.get(base + "/?state=unrecorded")
        # axe.sh's two cycles leave one: its row is checked too.
        if not d.find_elements(By.CSS_SELECTOR, "table.alerts"):
            raise SystemExit("no resolved alert without an outcome to check")
        audit("alerts-unrecorded" + w)
        d.get(base + "/units")
        audit("units" + w)
        d.get(unit)
        audit("unit" + w)
        d.get(base + "/units/valdis/nancy")
        audit("unit-parent" + w)
        d.get(alert)
        audit("alert" + w)
        d.get(base + "/alerts/overtime-vs-usual@valdis/nancy/production-nuit")
        audit("alert-observed" + w)
        d.get(base + "/nowhere")
        audit("404" + w)
        d.get(unit)
        d.execute_script("document.getElementById('body').removeAttribute('required')")
        d.find_element(By.ID, "body").send_keys("   ")
        submit(d, button(d, "Enregistrer la note"))
        audit("400-note" + w)
        d.get(unit)
        d.execute_script("document.querySelectorAll('input[name=csrf]')"
                         ".forEach(function (e) { e.remove(); });")
        d.find_element(By.ID, "body").send_keys("x")
        submit(d, button(d, "Enregistrer la note"))
        audit("403-csrf" + w)
        d.get(base + "/report")
        audit("report" + w)
        # a span that ends before it starts: 400, the form again
        Select(d.find_element(By.ID, "from")).select_by_index(
            len(Select(d.find_element(By.ID, "from")).options) - 1)
        Select(d.find_element(By.ID, "to")).select_by_index(0)
        submit(d, button(d, "Télécharger le rapport"))
        audit("400-report" + w)
        if actions:
            d.get(alert)
            submit(d, button(d, "Prendre en charge"))
            audit("alert-taken" + w)
            d.find_element(By.ID, "body").send_keys("Entretien prévu jeudi")
            submit(d, button(d, "Enregistrer la note"))
            audit("alert-note-saved" + w)
            d.get(d.find_element(By.CSS_SELECTOR, "ol.notes .meta a").get_attribute("href"))
            audit("note" + w)
            submit(d, button(d, "Enregistrer la correction"))
            audit("note-corrected" + w)
            d.get(unit)
            d.find_element(By.ID, "body").send_keys("Point avec l'équipe")
            submit(d, button(d, "Enregistrer la note"))
            audit("unit-note-saved" + w)
            d.get(alert)
            Select(d.find_element(By.ID, "outcome")).select_by_value("action_taken")
            submit(d, button(d, "Clôturer l'alerte"))
            audit("alert-closed" + w)
            # (audit opened the correction's details)
            Select(d.find_element(By.ID, "corrected")).select_by_value("no_action_needed")
            submit(d, button(d, "Enregistrer l'issue corrigée"))
            audit("alert-corrected" + w)
        d.get(base + "/rules")
        audit("rules" + w)
        d.get(base + "/help")
        audit("help" + w)
        logout(d)
        login(d, base, "rh")
        audit("alerts-hr" + w)
        d.get(base + "/units")
        audit("units-hr" + w)
        d.get(base + "/units/valdis/metz")
        audit("unit-hr" + w)
        d.get(base + "/report")
        audit("report-hr" + w)
        d.get(base + "/rules")
        audit("rules-hr" + w)
        d.get(base + "/import")
        audit("import" + w)
        # an import's warnings, unfolded
        d.find_element(By.CSS_SELECTOR, "table.imports summary").click()
        audit("import-warnings" + w)
        # the count of a removal (the second step would remove the values)
        submit(d, button(d, "Compter les valeurs à retirer"))
        audit("delete-count" + w)
        # the count of a rename (the second step would move the values)
        d.get(base + "/import")
        d.find_element(By.ID, "rename-from").send_keys("valdis/nancy/qualite")
        d.find_element(By.ID, "rename-to").send_keys("valdis/nancy/qualite-methodes")
        submit(d, button(d, "Compter ce qui serait déplacé"))
        audit("rename-count" + w)
        logout(d)
        if actions:
            for _ in range(6):
                login(d, base, "claire", "not the password")
            audit("429" + w)
    finally:
        d.quit()
        shutil.rmtree(profile, ignore_errors=True)
    return audit.pages, audit.bad


def main():
    base, axe = sys.argv[1].rstrip("/"), open(sys.argv[2], encoding="utf-8").read()
    pages = bad = 0
    for width, actions in ((1280, True), (320, False)):
        p, b = walk(base, axe, width, actions)
        pages, bad = pages + p, bad + b
    print("axe-core: %d pages, %d violation%s" % (pages, bad, "" if bad == 1 else "s"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
