#!/usr/bin/python3
"""Accessibility checks of the console in headless Chromium, as
tests/integration/t_web_a11y.sh sets it up (WCAG 2.1 AA, SPEC 14). Each
check measures the property itself in the browser, without any audit
library or network.

usage: web_a11y.py BASE_URL
Exit 0 when every check passed; the failing check is printed otherwise."""
import os
import shutil
import sys
import tempfile

from selenium.webdriver.common.by import By

from web_browser import Failure, browser, check, login, logout, submit

LONG = os.environ.get("LONG_UNIT", "")

# Each text of a cell of the alerts table that reaches past its cell, as
# "text (by N px)": text drawn over the next column (WCAG 1.4.4, 1.4.10).
CELL_OVERFLOW = """
var out = [];
document.querySelectorAll('table.alerts td').forEach(function (td) {
  var c = td.getBoundingClientRect(), w = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
  for (var n = w.nextNode(); n; n = w.nextNode()) {
    if (!n.textContent.trim()) continue;
    var rg = document.createRange(); rg.selectNodeContents(n);
    Array.prototype.forEach.call(rg.getClientRects(), function (r) {
      if (r.right > c.right + 1 || r.left < c.left - 1)
        out.push(n.textContent.trim() + ' (by ' + Math.round(Math.max(r.right - c.right, c.left - r.left)) + ' px)');
    });
  }
});
return out;"""

# The page's width beyond the window's, in CSS px (WCAG 1.4.10: no
# horizontal scrolling at 320 px), with every <details> open.
OVERFLOW = """
document.querySelectorAll('details').forEach(function (e) { e.open = true; });
var d = document.documentElement, cw = d.clientWidth, out = [];
document.querySelectorAll('body *').forEach(function (e) {
  var r = e.getBoundingClientRect(), p = e.parentElement.getBoundingClientRect();
  if (r.width > 0 && r.right > cw + 0.5 && p.right <= cw + 0.5)
    out.push(e.tagName.toLowerCase() + (e.className && e.className.baseVal === undefined ?
      '.' + e.className : '') + ' ' + (e.textContent || '').trim().slice(0, 40));
});
return [d.scrollWidth - cw, out.slice(0, 5)];"""


# WCAG 1.4.12's text spacing, as a user's stylesheet sets it (a
# constructed one: the Content-Security-Policy forbids inline styles).
SPACING = """
var s = new CSSStyleSheet();
s.replaceSync('* { line-height: 1.5 !important; letter-spacing: .12em !important; ' +
  'word-spacing: .16em !important; } p { margin-bottom: 2em !important; }');
document.adoptedStyleSheets = [s];"""


def alerts_table_fits(d, base):
    """At every width from a wide screen down to a phone, including
    200 % zoom of common screens (640 to 960 CSS px), no text of the alerts
    table is drawn over its neighbour: not a period, not a long rule title,
    not a long account name; nor with WCAG 1.4.12's text spacing."""
    d.get(base + "/")
    for width in (1280, 1024, 960, 900, 800, 700, 641, 600, 320):
        d.set_window_size(width, 900)
        for spacing in (False, True):
            d.get(base + "/")
            if spacing:
                d.execute_script(SPACING)
            over = d.execute_script(CELL_OVERFLOW)
            check(not over, "at %d px%s no text of the alerts table leaves its cell: %s"
                  % (width, " with text spacing" if spacing else "", over[:5]))
    d.set_window_size(1280, 900)


def reflows(d, base, pages, widths=(320,)):
    """At 320 CSS px (a phone, or 400 % zoom of a 1280 px screen) no page
    scrolls sideways, with the charts' tables open (WCAG 1.4.10): not with
    a long unit path, not with a table of values and expected values. At
    the other widths given neither (200 % zoom of common screens)."""
    for width in widths:
        d.set_window_size(width, 900)
        for p in pages:
            d.get(base + p)
            over, what = d.execute_script(OVERFLOW)
            check(over <= 0, "at %d px %s does not scroll sideways (%d px too wide: %s)"
                  % (width, p, over, what))
    d.set_window_size(1280, 900)


# What a screen reader reads of a field: its label, whether it is invalid,
# and the texts its aria-describedby points at.
FIELD = """
var e = document.getElementById(arguments[0]), ids = (e.getAttribute('aria-describedby') || '').split(' ');
return {label: e.labels.length ? e.labels[0].textContent.trim() : '',
        invalid: e.getAttribute('aria-invalid'),
        description: ids.map(function (i) { var x = document.getElementById(i);
          return x ? x.textContent.trim() : ''; }).join(' ').trim()};"""


def login_error_tied(d, base):
    """A refused login says so in the page's title, and its message is the
    description of both fields, marked invalid (WCAG 2.4.2, 3.3.1); a
    first visit has no error."""
    d.get(base + "/login")
    user = d.execute_script(FIELD, "user")
    check(d.title == "Connexion — Vigie" and not user["invalid"] and not user["description"],
          "the login page has no error: %r %r" % (d.title, user))
    login(d, base, "marie", "not the password")
    check(d.title.startswith("Erreur\u202f: connexion"), "a refused login says so in its title: %r" % d.title)
    for f in ("user", "password"):
        got = d.execute_script(FIELD, f)
        check(got["invalid"] == "true" and "mot de passe incorrect" in got["description"],
              "the field %s is invalid and described by the message: %r" % (f, got))


def hints_tied(d, base):
    """What a form's hint says is read with its field (WCAG 1.3.1, 3.3.2):
    who sees a note and that it must name no one, with the note's field;
    that a correction replaces the text for good, with the correction's;
    what closing does, with the button that closes."""
    d.get(base + "/units/valdis/nancy/production-nuit")
    got = d.execute_script(FIELD, "body")
    check("N'y écrivez ni nom ni information de santé" in got["description"],
          "a new note's field is described by its hint: %r" % got)
    d.find_element(By.ID, "body").send_keys("Point avec l'équipe")
    submit(d, d.find_element(By.XPATH, "//button[text()='Enregistrer la note']"))
    d.get(d.find_element(By.CSS_SELECTOR, "ol.notes .meta a").get_attribute("href"))
    check(d.title.startswith("Note du ") and d.title.endswith(
          " — valdis/nancy/production-nuit — Vigie"),
          "a note's page is titled with its date and its unit: %r" % d.title)
    got = d.execute_script(FIELD, "body")
    check("Le nouveau texte remplace l'ancien" in got["description"],
          "a correction's field is described by its hint: %r" % got)
    d.get(base + "/alerts/absenteeism-rate@valdis/nancy/production-nuit")
    got = d.execute_script("""var b = document.querySelector('form.close button');
      var x = document.getElementById(b.getAttribute('aria-describedby') || '');
      return x ? x.textContent : '';""")
    check("Clôturer consigne l'issue" in got, "closing's button is described by its hint: %r" % got)


# Pairs of texts of a chart drawn over each other, as "chart: a / b".
CHART_TEXTS = """
var out = [];
document.querySelectorAll('svg.chart').forEach(function (svg, k) {
  var t = Array.prototype.filter.call(svg.querySelectorAll('text'), function (e) {
    return e.getBoundingClientRect().width > 0; });
  for (var i = 0; i < t.length; i++) for (var j = i + 1; j < t.length; j++) {
    var a = t[i].getBoundingClientRect(), b = t[j].getBoundingClientRect();
    if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
      out.push(k + ': ' + t[i].textContent + ' / ' + t[j].textContent);
  }
});
return out;"""


def chart_texts_apart(d, base, pages):
    """No text of a chart is drawn over another, on a wide screen or on a
    phone, where they grow to stay readable: not the periods under the
    axis, not the axis's unit and its top value (WCAG 1.4.4, 1.4.10)."""
    for width in (1280, 800, 640, 390, 320):
        d.set_window_size(width, 900)
        for p in pages:
            d.get(base + p)
            over = d.execute_script(CHART_TEXTS)
            check(not over, "at %d px the texts of the charts of %s are apart: %s"
                  % (width, p, over[:5]))
    d.set_window_size(1280, 900)


def chart_tables_named(d, base):
    """On a unit's page, one per rule, the disclosures of the charts'
    values and their tables have names of their own, the rule's title
    (WCAG 2.4.6, 1.3.1), which start with what the eye reads (2.5.3)."""
    d.get(base + "/units/valdis/nancy/production-nuit")
    names = d.execute_script("""return [
      Array.from(document.querySelectorAll('details summary'), function (e) { return e.textContent; }),
      Array.from(document.querySelectorAll('table.values'), function (t) {
        return t.caption ? t.caption.textContent : ''; })];""")
    for kind, got in zip(("disclosures", "tables"), names):
        check(len(got) == 3 and len(set(got)) == 3 and
              all(n.startswith("Les valeurs du graphique — ") for n in got) and
              any("Taux d'absentéisme élevé" in n for n in got),
              "the charts' %s have names of their own: %r" % (kind, got))


def note_refused_in_place(d, base):
    """A note the console refuses (empty, or longer than the limit: a
    browser's required and maxlength stop neither spaces nor every client)
    comes back on its own page, not on an error page that loses it: the
    title says « Erreur », the page opens at the field, which keeps the
    text sent, is invalid and is described by why and by its hint (WCAG
    3.3.1, 3.3.3, 2.4.2)."""
    unit = base + "/units/valdis/nancy/production-nuit"
    d.get(unit)
    d.execute_script("var b = document.getElementById('body');"
                     "b.removeAttribute('required'); b.removeAttribute('maxlength');"
                     "b.value = 'Appel du 12 ' + 'x'.repeat(8000);")
    submit(d, d.find_element(By.XPATH, "//button[text()='Enregistrer la note']"))
    check(d.title.startswith("Erreur\u202f: valdis/nancy/production-nuit"),
          "a refused note's page says so in its title: %r" % d.title)
    got = d.execute_script(FIELD, "body")
    check(got["invalid"] == "true" and "trop longue : 8012 caractères".replace(" :", "\u202f:") in got["description"] and
          "N'y écrivez ni nom" in got["description"],
          "the field is invalid and described by why and by its hint: %r" % got)
    kept = d.execute_script("return document.getElementById('body').value")
    check(kept.startswith("Appel du 12 x") and len(kept) == 8012,
          "the text sent is kept (%d characters)" % len(kept))
    check(d.execute_script("var r = document.getElementById('body').getBoundingClientRect();"
                           "return r.top >= 0 && r.top < window.innerHeight;"),
          "the page opens at the field")
    # The same for a correction, on the note's page.
    d.get(unit)
    d.get(d.find_element(By.CSS_SELECTOR, "ol.notes .meta a").get_attribute("href"))
    d.execute_script("var b = document.getElementById('body');"
                     "b.removeAttribute('required'); b.value = '  ';")
    submit(d, d.find_element(By.XPATH, "//button[text()='Enregistrer la correction']"))
    got = d.execute_script(FIELD, "body")
    check(d.title.startswith("Erreur\u202f: Note du ") and got["invalid"] == "true" and
          "La note est vide" in got["description"] and
          "Le nouveau texte remplace" in got["description"],
          "a refused correction comes back with its field described by why: %r %r"
          % (d.title, got))


def card_labels(d, base):
    """On a phone each cell of a card is named by its column as the pages'
    own French texts are written: a narrow no-break space before the
    colon, so that the colon never starts a line."""
    d.set_window_size(320, 900)
    for p, sel in (("/", "table.alerts td"), ("/units/valdis/nancy/production-nuit",
                   "table.events td"), ("/units/valdis/nancy/production-nuit", "table.values td"),
                   ("/rules", "table.rules td")):
        d.get(base + p)
        got = d.execute_script("return Array.from(document.querySelectorAll(arguments[0]), "
                               "function (e) { return getComputedStyle(e, '::before').content; });",
                               sel)
        check(got and all(c.endswith('\u202f: "') and " :" not in c for c in got),
              "the cards of %s name their cells « Nom\u202f: »: %s" % (sel, sorted(set(got))[:3]))
    d.set_window_size(1280, 900)


def count_reflows(d, base):
    """The count of a removal (its first step, which writes nothing): its
    page fits at 320 px and offers the second step."""
    d.set_window_size(320, 900)
    d.get(base + "/import")
    b = d.find_element(By.XPATH, "//button[text()='Compter les valeurs à retirer']")
    submit(d, b)
    check(d.title.startswith("Retirer des valeurs"), "the count's page: %r" % d.title)
    over, what = d.execute_script(OVERFLOW)
    check(over <= 0, "at 320 px the count's page does not scroll sideways (%d px too wide: %s)"
          % (over, what))
    check(d.find_elements(By.XPATH, "//button[starts-with(text(), 'Retirer ces ')]"),
          "the count offers the removal")
    d.set_window_size(1280, 900)


def scenario(base):
    profile = tempfile.mkdtemp(prefix="vigie-chromium-")
    d = browser(profile)
    try:
        login_error_tied(d, base)
        login(d, base, "marie")
        alerts_table_fits(d, base)
        # At 200 % zoom of screens 1280 to 1920 px wide the history
        # tables of a unit and of an alert fit.
        reflows(d, base, ["/units/valdis/nancy/production-nuit", "/units/valdis/nancy",
                          "/alerts/absenteeism-rate@valdis/nancy/production-nuit"],
                (641, 800, 960, 1024))
        hints_tied(d, base)
        chart_tables_named(d, base)
        note_refused_in_place(d, base)
        card_labels(d, base)
        chart_texts_apart(d, base, ["/units/valdis/nancy/production-nuit", "/units/valdis/nancy"])
        reflows(d, base, ["/", "/units", "/rules", "/help", "/account", "/units/" + LONG, "/alerts/long-team@" + LONG,
                          "/units/valdis/nancy/production-nuit", "/units/valdis/nancy",
                          "/alerts/overtime-vs-usual@valdis/nancy/production-nuit",
                          "/units/valdis/nancy/nowhere"])
        logout(d)
        # HR's import page (a social worker has none).
        login(d, base, "rh")
        reflows(d, base, ["/import"])
        check(d.title.startswith("Importer des données"), "HR's import page: %r" % d.title)
        count_reflows(d, base)
        logout(d)
    finally:
        d.quit()
        shutil.rmtree(profile, ignore_errors=True)


def main():
    try:
        scenario(sys.argv[1].rstrip("/"))
    except Failure as e:
        print("FAIL:", e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
