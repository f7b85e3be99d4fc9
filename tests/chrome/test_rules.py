"""The rules file: it loads, it rejects bad files, and every rule fires on real chrome."""

from __future__ import annotations

import hashlib
import pickle
from importlib import resources
from pathlib import Path

import pytest

from cleaner.chrome import ChromeRules
from cleaner.chrome.lines import rule_verdict
from cleaner.errors import RulesError

# Every rule in rules.toml with lines it must recognise, in several languages where it has
# phrases. test_every_rule_has_samples keeps this table and the file in step.
SAMPLES: dict[str, list[str]] = {
    "ad.marker": ["- Advertisement -", "ANZEIGE", "Publicité", "Continue reading the main story", "Reklama"],
    "ad.lead-in": ["Paid Post: Is your home insured? Compare quotes", "Anzeige: Jetzt Tarif prüfen"],
    "ad.framed-label": ["― YouTube Channel for Cat Owners ―", "— Partner offers —"],
    "ad.slot-placeholder": ["spot_img", "ad_slot_2"],
    "ad.disclosure": [
        "*Werbung. Dieser Beitrag enthält Werbung für eine Modemarke.",
        "This post contains affiliate links.",
    ],
    "nav.breadcrumb-glued": ["HomeSportsFootball results are in...", "StartseitePolitikWahl"],
    "nav.breadcrumb-trail": [
        "Home > World > Asia",
        "Accueil » Politique",
        "Sei in: Home / Economia / Agricoltura",
        "You are here: News / Local",
    ],
    "nav.skip-link": ["Skip to main content", "Zum Inhalt springen"],
    "nav.menu-word": [
        "Search",
        "Categories:",
        "Latest posts",
        "Suche",
        "Rechercher",
        "Zoeken",
    ],
    "nav.contents": ["Inhaltsverzeichnis", "Table of contents", "Sommaire", "Spis treści"],
    "teaser.more-on": [
        "Weitere Artikel zum Thema Bahn",
        "Weitere aktuelle Themen aus der Arbeitswelt",
        "More stories from Europe",
        "Autres articles sur la santé",
        "Más noticias de Madrid",
    ],
    "comments.none": [
        "No comments yet",
        "Keine Kommentare (Kommentare erscheinen erst nach unserer Freigabe)",
        "Aucun commentaire",
        "Keine Kommentare / Trackbacks",
    ],
    "comments.login": [
        "You must be logged in to post a comment.",
        "Du musst eingeloggt sein, um Kommentare zu schreiben!",
        "Sie sind aktuell nicht eingeloggt.",
    ],
    "subscribe.app": [
        "For the latest stories and breaking news updates download the Nationnews apps for iOS and Android.",
        "Laden Sie jetzt unsere kostenlose App herunter",
        "Téléchargez l'application pour suivre l'actualité",
    ],
    "nav.glyph": ["×", ",", "« »"],
    "nav.tags": [
        "Filed under: Politics, Elections",
        "Themen: Kritik aus dem Internet",
        "Schlagworte",
        "Tagi: polityka",
    ],
    "subscribe.short-prompt": ["Free Subscribtion", "Subscribe", "Abonnement"],
    "subscribe.call-to-action": [
        "Join the waitlist",
        "Sign up for our morning briefing",
        "Inscrivez-vous gratuitement",
        "HAZTE MIEMBRO Y DISFRUTA DE BENEFICIOS EXCLUSIVOS",
    ],
    "subscribe.paywall": [
        "You've read 3 of 5 free articles this month. Continue reading with a subscription.",
        "Vous avez aimé cet article ? Abonnez-vous pour 1 € le premier mois.",
        "Jetzt weiterlesen mit BT Plus",
        "If you're already a subscriber, log in for access.",
    ],
    "subscribe.inbox": [
        "Get the best stories delivered to your inbox every day",
        "Mit der Anmeldung stimme ich der Datenschutzerklärung zu.",
    ],
    "subscribe.donate": [
        "Jede kleine Spende hilft uns.",
        "Support our journalism: donate now",
        "Wesprzyj nas",
    ],
    "related.lead-in": [
        "Read more: Markets rally as rates fall",
        "Lire aussi : la réforme des retraites",
        "Leia também",
        "Lesen Sie auch: Strompreisbremse – was Betriebe jetzt wissen müssen",
        "À lire aussi : Festival d'Aurillac : la sécurité renforcée",
        "Lee también: Los vecinos reclaman un calendario",
        "Leggi anche: Brunello, il consorzio punta sul mercato asiatico",
        "Don't miss: Photos from the fire line",
        "Zobacz także",
        "Pour approfondir",
    ],
    "related.glued-lead-in": [
        "À lire aussi Lait bio : pourquoi des fermes reviennent au conventionnel",
        "Leggi anche Treni regionali, in estate 40 corse in più",
    ],
    "related.in-related": ["In Related News Israel's Resolve: A Nation at War"],
    "teaser.heading": [
        "Most Popular",
        "Popular News",
        "Read Now",
        "Meistgelesen",
        "Lo más leído",
        "Ähnliche Beiträge",
        "Otras noticias",
    ],
    "teaser.box-heading": ["PFT Most Commented", "NYT Most Read"],
    "comments.form": ["Leave a Reply", "Laisser un commentaire", "Kommentare", "Kommentar erstellen"],
    "comments.count": ["12 comments", "Comments (3)", "Kommentare insgesamt: 0", "One Comment"],
    "comments.form-field": [
        "Name (required)",
        "E-Mail (wird benötigt und nicht veröffentlicht)",
        "Webseite (optional)",
        "Email (will not be published)",
    ],
    "comments.form-notice": [
        "Your email address will not be published. Required fields are marked *",
        "Deine E-Mail-Adresse wird nicht veröffentlicht.",
    ],
    "comments.header": ["Jane Roe on September 12, 2018 at 4:47 pm said:"],
    "comments.thread-title": [
        "12 thoughts on “The Loneliest Woman in Town”",
        'One response to "Spring cleaning"',
        "3 Kommentare zu „Mein Motto Konsumsparen“",
        "2 réponses à « Le marché du samedi »",
    ],
    "comments.policy": [
        "Comments are the sole responsibility of their authors.",
        "Os comentários são de responsabilidade exclusiva de seus autores e não representam a "
        "opinião deste site.",
        "Die Kommentare geben nicht die Meinung der Redaktion wieder.",
        "Les commentaires n'engagent que leurs auteurs.",
        "Los comentarios son responsabilidad exclusiva de sus autores.",
        "I commenti sono di esclusiva responsabilità degli autori.",
        "Reacties zijn voor rekening van de schrijver.",
    ],
    "share.bar": ["Facebook Twitter WhatsApp Email", "Share", "Teilen"],
    "share.button": [
        "Click to share on Twitter (Opens in new window)",
        "Partager sur Facebook",
        "Artikel teilen",
        "Envoyer par e-mail",
        "Teile diesen Beitrag auf",
    ],
    "share.follow": [
        "Follow us on Instagram",
        "Folgen Sie uns",
        "Follow The Gleaner on Twitter and Instagram",
    ],
    "cookie.notice": ["We use cookies to personalise content and ads.", "Korzystamy z plików cookie."],
    "cookie.purpose": ["Necessary cookies are essential for the website to function properly."],
    "cookie.button": ["Accept all", "Alle akzeptieren"],
    "cookie.embed-consent": [
        "Inhalt laden",
        "Klicken Sie auf den unteren Button, um den Inhalt von www.komoot.de zu laden.",
        "Click to load the video",
    ],
    "footer.copyright": [
        "Acme Media Group. All rights reserved.",
        "Tous droits réservés",
        "This article is the copyrighted property of Acme News.",
    ],
    "footer.copyright-mark": ["© 2019 Acme Media", "(c) 2021 Example"],
    "footer.links": ["Privacy Policy", "Terms of Use", "Impressum", "Mentions légales"],
    "byline.avatar": ["Tiffany Hudson Avatar", "avatar"],
    "byline.by": [
        "By Jamelle Bouie",
        "Von Max Mustermann",
        "Par Jean Dupont",
        "di Giulia Ferraresi",
        "Von Katrin Lehmann | 14.03.2025, 06:45 Uhr",
        "*By Priya Raman* · 5 min read",
    ],
    "byline.contact": ["Dana covers city hall for the Courier. Reach her at dana@example.com."],
    "subscribe.pitch": [
        "Sie lesen gern Achgut.com?",
        "2023 nichts mehr versäumen!",
        "Tú también puedes hacer periodismo incómodo. Cancela cuando quieras.",
        "Get the latest news straight to your phone with our app.",
        "Benachrichtigung aktivieren",
    ],
    "nav.prev-next": ["Next article: The best laptops", "Vorheriger Beitrag", "Older posts"],
    "nav.prev-next-glued": ["Article suivant Après une mise en quarantaine", "Nächster Artikel Neue Regeln"],
    "nav.arrow-link": ["← [Exclusif] Le montage du CNRS", "Newer post →"],
    "nav.back-to": ["Zurück zum Lexikon", "Volver a la portada", "Torna alla home"],
    "page-meta.citation": [
        "SUGGESTED CITATION Sauer, Heiko: Expert*innen in der Krise",
        "Zitiervorschlag: Roth, Eva",
    ],
    "page-meta.enlarge": [
        "Vergrößern Eine kleine runde Aussparung",
        "Zum Vergrößern auf das Bild klicken.",
        "Click to enlarge",
    ],
    "footer.license": [
        "Texte auf dieser Webseite stehen unter einer Creative Commons Namensnennung 3.0 Lizenz.",
        "This work is licensed under a Creative Commons Attribution 4.0 License.",
    ],
    "footer.disclaimer": [
        "The Post is not responsible for the opinions or statements presented by contributors.",
        "Los invitamos a reportar errores de contenido.",
    ],
    "ad.affiliate": ["Zum Shop", "Affiliatelink", "Check price", "Voir l'offre"],
    "share.download": ["Dieses Skript als PDF herunterladen", "Diesen Artikel als PDF speichern"],
    "page-meta.caption-credit": [
        "Das Hermelin ist im Winter gut getarnt. (mlharing / iStock.com)",
        "Striking members of the union last year. Photograph: Guy Smallman/Getty Images",
        "Nur die beiden Engländer waren zu stark. (Foto: Privat)",
        "Fot. Lukasz Nowaczyk / Agencja Gazeta",
    ],
    "page-meta.caption-copyright": [
        "Marco Odermatt, Ski-Star aus der Schweiz. © AFP / Marco Bertorello",
        "Le piquet de grève dans le hall de l'université / (C) Kab Niang",
    ],
    "byline.bio": [
        "Dana Whitfield is a senior reporter at the Courier, covering housing and transport.",
        "Max Muster ist freier Journalist in Leipzig und schreibt über Energiepolitik.",
        "Marie Dupont est journaliste indépendante à Lyon.",
        "Ana Gómez Ruiz es periodista especializada en salud.",
        "Lena Berg ist Head of Content bei einer Agentur in Hamburg.",
    ],
    "byline.about-author": ["About the author", "Über den Autor", "À propos de l'auteur", "O autorze"],
    "branding.logo": ["Particle logo", "Logo"],
    "page-meta.updated": [
        "10 articles | last updated: May 18 01:15:21",
        "Updated: 4:10pm",
        "12 settembre 2024 | aggiornato alle 09:14",
        "Letzte Änderung 14.02.2019",
    ],
    "page-meta.counter": [
        "5 min read",
        "Image 2 of 5",
        "Tempo de leitura: 1 minuto",
        "4 Min. Lesezeit",
        "Lecture : 5 min",
        "50 photos",
        "Rating: 9 Votes",
    ],
    "page-meta.timestamp": ["2019-11-19T08:57:40+01:00", "2024-05-18"],
    "page-meta.relative-time": [
        "10H ago",
        "12H ago 34 photos",
        "5 hours ago",
        "vor 3 Stunden",
        "il y a 2 heures",
        "hace 3 horas",
        "2 godziny temu",
        "3 часа назад",
    ],
    "page-meta.clock": ["2:54pm", "3:59 PM", "10:15 Uhr"],
    "page-meta.photo-credit": [
        "Photo: Gene J. Puskar",
        "Foto: dpa",
        "Photo by Jane Doe on Unsplash",
        "Quelle: jorisvo / Fotolia.com",
        "(crédito: Agência Brasil)",
        "Imagen: Télam",
        "Photo: Hau Dinh, AP",
    ],
    "page-meta.agency-credit": [
        "Roman Prymula, photo:",
        "TebNad/Shutterstock.com",
        "Judy Eddy/WENN.com",
        "AFP / Marco Bertorello",
    ],
    "page-meta.dateline": [
        "15/05/2025 às 06h00",
        "March 3, 2025",
        "3. März 2025, 10:15 Uhr",
        "21 mars 2025 à 07h15",
        "Wednesday, Nov. 20, 2019 at 9:28 a.m. EST",
        "sexta-feira, 22 de outubro de 2010 às 20:13",
        "14.03.2025",
    ],
}


@pytest.fixture(scope="module")
def rules() -> ChromeRules:
    return ChromeRules.load()


def test_every_rule_has_samples(rules: ChromeRules) -> None:
    assert {r.name for r in rules.rules} == set(SAMPLES)


@pytest.mark.parametrize(("name", "line"), [(n, s) for n, ls in SAMPLES.items() for s in ls])
def test_rule_fires_on_its_samples(rules: ChromeRules, name: str, line: str) -> None:
    rule = next(r for r in rules.rules if r.name == name)
    verdict = rule_verdict(line, rules, "text" if rule.text else "html")
    assert verdict is not None and verdict.rule == name


def test_a_date_alone_is_page_meta_in_both_modes(rules: ChromeRules) -> None:
    # A flattened page prints a date beside every teaser as well as under the headline.
    assert rule_verdict("Tuesday November 19, 2019", rules, "text").rule == "page-meta.dateline"
    assert rule_verdict("March 3, 2025", rules, "html").rule == "page-meta.dateline"


@pytest.mark.parametrize(
    "line",
    [
        "Advertising revenue fell sharply last year, the company said in its annual report.",
        "Adam Smith",
        "Home prices rose again in May.",
        "The subscription model has changed how newspapers are paid for in most countries.",
        "Graham Allison",
        "Distinct Ambitions,Shared Visions: The Sino-Russian Nexus",
        "His comments do not reflect the views of the company, a spokesman said.",
        "Wenn das so ist, gehen wir.",
        "The AP reported it first.",
        "On March 3, 2025, the council voted to extend the tram line.",
        "March 2025",
        "May 3 people died",
        "No comments were made by the minister after the vote on Tuesday.",
        "The council wants to follow the Berlin model on housing.",
        "Weitere Artikel folgen in den nächsten Wochen, sagte die Ministerin.",
        "Inhalt und Form des Vertrags sind noch offen.",
        "Hege is the CEO of the agency behind the campaign.",
        "The photo: a man and a dog on the beach at dawn.",
        "Weiter geht es mit dem Bau der Brücke im Frühjahr.",
        "Zurück in Berlin traf sie den Minister.",
        "Previous attempts to fix the bridge failed.",
        "Next article in the series will appear on Monday.",
        "Vergrößern Sie den Abstand zwischen den Pflanzen.",
        "Back to the Future is a 1985 film.",
        "Kunden können den Vertrag jederzeit kündigen, sagte die Verbraucherzentrale.",
        "The price rose → the demand fell",
        "Die Studie wurde unter einer Creative Commons Lizenz veröffentlicht, sagte die Autorin.",
        "Imprimir el documento es obligatorio para todos los solicitantes.",
        "The company sells photos: cheap ones, mostly of cats.",
        "Prices rose by 3 © percent, the report said in 2020.",
        "Maria Lopez is a nurse who has worked night shifts at the clinic for ten years.",
        "Die Autorin des Berichts ist nicht bekannt, sagte der Sprecher.",
    ],
)
def test_prose_and_names_are_not_chrome(rules: ChromeRules, line: str) -> None:
    assert rule_verdict(line, rules, "text") is None
    assert rule_verdict(line, rules, "html") is None


@pytest.mark.parametrize(
    "line",
    ["Anzeige", "Publicidad", "Lesen Sie auch: Neue Regeln für Mieter", "Leggi anche: Il vino toscano"],
)
def test_inline_chrome_goes_in_html_mode(rules: ChromeRules, line: str) -> None:
    assert rule_verdict(line, rules, "html") is not None


def test_html_list_items_escape_the_call_to_action(rules: ChromeRules) -> None:
    line = "- Sign up for a Hulu ad-free account for $11.99 a month"
    assert rule_verdict(line, rules, "html", list_item=True) is None
    assert rule_verdict(line, rules, "html").rule == "subscribe.call-to-action"
    assert rule_verdict(line, rules, "text", list_item=True).rule == "subscribe.call-to-action"


def test_html_mode_applies_only_unambiguous_rules(rules: ChromeRules) -> None:
    assert rule_verdict("Search", rules, "html") is None
    assert rule_verdict("Home", rules, "html") is None
    assert rule_verdict("Most Popular", rules, "html").rule == "teaser.heading"
    assert rule_verdict("- Advertisement -", rules, "html").rule == "ad.marker"


def test_digest_is_sha256_of_the_file(rules: ChromeRules) -> None:
    data = resources.files("cleaner.chrome").joinpath("rules.toml").read_bytes()
    assert rules.digest == hashlib.sha256(data).hexdigest()


def test_rules_pickle_and_are_frozen(rules: ChromeRules) -> None:
    again = pickle.loads(pickle.dumps(rules))
    assert again.digest == rules.digest
    assert rule_verdict("Free Subscribtion", again, "text").rule == "subscribe.short-prompt"
    with pytest.raises(AttributeError):
        rules.digest = "x"  # type: ignore[misc]


def test_load_from_path(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text('schema = 1\n[rules.ad.marker]\nphrases = ["werbung"]\n', encoding="utf-8")
    rules = ChromeRules.load(path)
    assert [r.name for r in rules.rules] == ["ad.marker"]
    assert rule_verdict("Werbung", rules, "text").rule == "ad.marker"
    path.write_text('schema = 1\n[rules.ad.marker]\nphrases = ["werbung"]\ntext = false\n', encoding="utf-8")
    rules = ChromeRules.load(path)
    assert rule_verdict("Werbung", rules, "text") is None


@pytest.mark.parametrize(
    "text",
    [
        "schema = 1\n[rules.ad.marker\n",
        "schema = 2\n[rules.ad.marker]\nphrases = ['x']\n",
        "schema = 1\n",
        "schema = 1\n[rules.nonsense.x]\nphrases = ['x']\n",
        "schema = 1\n[rules.ad.x]\npatterns = ['(']\n",
        "schema = 1\n[rules.ad.x]\nphrases = ['x']\ncolour = 'red'\n",
        "schema = 1\n[rules.ad.x]\nmatch = 'fuzzy'\nphrases = ['x']\n",
        "schema = 1\n[rules.ad.x]\nmatch = 'search'\npatterns = ['x+']\n",
        "schema = 1\n[rules.ad.x]\n",
        "schema = 1\n[rules.ad.x]\nphrases = ['x']\nmax_words = 0\n",
        "schema = 1\n[rules.ad.x]\nphrases = ['x']\n[structure]\nbogus = 1\n",
        "schema = 1\n[rules.ad.x]\nphrases = ['x']\n[structure]\nshort_cost = -1\n",
    ],
)
def test_bad_files_raise_rules_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesError):
        ChromeRules.load(path)


def test_missing_file_raises_rules_error(tmp_path: Path) -> None:
    with pytest.raises(RulesError):
        ChromeRules.load(tmp_path / "absent.toml")


@pytest.mark.parametrize("line", ["a" * 1_000_000, "Share " * 200_000, "- " * 500_000 + "x"])
def test_hostile_lines_do_not_hang(rules: ChromeRules, line: str) -> None:
    # Catastrophic backtracking would hang here; the length caps keep every rule linear.
    for mode in ("text", "html"):
        rule_verdict(line, rules, mode)


@pytest.mark.parametrize(
    "line", ["Photo: Gene J. Puskar", "Foto: dpa", "Titelbild: Stadt Köln", "Symbolbild"]
)
def test_photo_credits_go_in_both_modes(rules: ChromeRules, line: str) -> None:
    # A credit line is never the article's text, whether an extractor kept it or not.
    assert rule_verdict(line, rules, "html").rule == "page-meta.photo-credit"
    assert rule_verdict(line, rules, "text").rule == "page-meta.photo-credit"
