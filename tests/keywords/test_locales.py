"""The keyword engine in each locale: default and confirm keywords, accent and case folding, the locale's
tables, its keyboard, negations, and messages beyond the labelled corpora."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from smschannel.keywords import (
    LOCALES,
    Category,
    Conflict,
    Decision,
    Engine,
    KeywordRules,
    Pending,
    keyword_conflicts,
    locale_for,
    normalize,
)
from smschannel.keywords.fuzzy import OptOutMatcher
from tests.keywords.test_keyword_corpus import CORPUS, HOLDOUT, load

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
OPT_OUT_REPLY = "Bye."
AUTO_REPLY = "Stop our texts? Reply to confirm."
WORD = re.compile(r"^[a-z]+$")


def fuzzy(locale: str) -> KeywordRules:
    return KeywordRules(opt_out=None, fuzzy_opt_out=True, fuzzy_auto_reply=AUTO_REPLY, locale=locale)


def decide(rules: KeywordRules, text: str, pending: Pending | None = None) -> Decision:
    return Engine(rules).decide(text, pending=pending, now=NOW)


def spellings(keyword: str) -> list[str]:
    """A keyword as people type it: any case, surrounding punctuation, and accented where the language has
    an accent on it."""
    accented = {"ARRET": "Arrêt", "ARRETER": "ARRÊTER", "DESABONNER": "désabonner", "DESINSCRIRE": "Désinscrire",
                "SI": "Sí", "ANNULER": "Annulér"}
    return [keyword, keyword.lower(), f"{keyword.title()}!", f" {keyword.lower()}. ", accented.get(keyword, keyword)]


DEFAULTS = [(code, name, keyword) for code, locale in LOCALES.items()
            for name, keywords in (("opt_out", locale.opt_out), ("opt_in", locale.opt_in), ("help", locale.help))
            for keyword in keywords]


@pytest.mark.parametrize(("locale", "category", "keyword"), DEFAULTS, ids=[f"{c}:{k}" for c, _, k in DEFAULTS])
def test_every_default_keyword_is_honoured_in_every_spelling(locale: str, category: str, keyword: str) -> None:
    engine = Engine(fuzzy(locale))
    for text in spellings(keyword):
        decision = engine.decide(text, pending=None, now=NOW)
        assert (decision.action, decision.keyword) == (category, keyword), text
        assert decision.consent == {"opt_out": "opted_out", "opt_in": "opted_in"}.get(category)


@pytest.mark.parametrize("locale", LOCALES)
def test_stopall_counts_as_stop_in_every_locale(locale: str) -> None:
    assert decide(fuzzy(locale), "StopAll!").keyword == "STOP"


CONFIRMS = [(code, keyword) for code, locale in LOCALES.items() for keyword in locale.confirm]


@pytest.mark.parametrize(("locale", "keyword"), CONFIRMS, ids=[f"{c}:{k}" for c, k in CONFIRMS])
def test_the_locales_confirm_keywords_confirm_a_pending_fuzzy_opt_out(locale: str, keyword: str) -> None:
    rules = KeywordRules(opt_out=Category(LOCALES[locale].opt_out, OPT_OUT_REPLY), fuzzy_opt_out=True,
                         fuzzy_auto_reply=AUTO_REPLY, locale=locale)
    pending = Pending("fuzzy_confirm", NOW - timedelta(minutes=5))
    for text in (keyword, keyword.lower() + "!", keyword.title()):
        assert decide(rules, text, pending) == Decision("opt_out", keyword, OPT_OUT_REPLY, None, "opted_out")


def test_a_confirm_keyword_of_another_locale_confirms_nothing() -> None:
    pending = Pending("fuzzy_confirm", NOW - timedelta(minutes=5))
    assert decide(fuzzy("fr"), "YES", pending) == Decision("none", None, None, pending, None)
    assert decide(fuzzy("en"), "OUI", pending) == Decision("none", None, None, pending, None)
    assert decide(fuzzy("es"), "Sí", pending).consent == "opted_out"  # SI folds the accent of SÍ
    assert decide(fuzzy("it"), "Sì", pending).consent == "opted_out"


def test_declared_confirm_keywords_replace_the_locales() -> None:
    rules = KeywordRules(fuzzy_opt_out=True, fuzzy_confirm_keywords=("CONFIRMER",), locale="fr")
    pending = Pending("fuzzy_confirm", NOW)
    assert decide(rules, "Confirmer", pending).consent == "opted_out"
    assert decide(rules, "O", pending).action == "none"
    assert rules.confirm_keywords() == ("CONFIRMER",)
    assert KeywordRules(locale="de").confirm_keywords() == ("JA", "J")


def test_a_fuzzy_match_never_opts_out_in_any_locale() -> None:
    for code in LOCALES:
        engine = Engine(fuzzy(code))
        for folder in (CORPUS, HOLDOUT):
            for row in load(folder / f"{code}.tsv"):
                decision = engine.decide(row.message, pending=None, now=NOW)
                if decision.consent == "opted_out":
                    assert decision.action == "opt_out" and row.expected == "opt_out", (code, row)


def test_keywords_match_folded_and_are_reported_as_declared() -> None:
    rules = KeywordRules(opt_out=Category(("Arrêt", "STOP")), custom=Category(("Café",)), locale="fr")
    assert decide(rules, "ARRET").keyword == "ARRÊT"
    assert decide(rules, "arrêt !").keyword == "ARRÊT"
    assert decide(rules, "CAFE") == Decision("custom", "CAFÉ", None, None, None)


def test_conflicts_count_the_locales_defaults_and_fold_accents() -> None:
    assert keyword_conflicts(KeywordRules(custom=Category(("alta",)), locale="es")) == [
        Conflict("ALTA", "opt_in", "custom", "ALTA")]
    assert keyword_conflicts(KeywordRules(help=Category(("Arrêt",)), locale="fr")) == [
        Conflict("ARRÊT", "opt_out", "help", "ARRET")]
    assert keyword_conflicts(KeywordRules(custom=Category(("alta",)), locale="en")) == []
    assert keyword_conflicts(KeywordRules(opt_in=Category(("START",)), custom=Category(("ALTA",)), locale="es")) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_a_locales_defaults_never_conflict(locale: str) -> None:
    assert keyword_conflicts(KeywordRules(locale=locale)) == []


def test_an_unknown_locale_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match=r'^must be one of en, fr, es, de, pt or it, got "xx"$'):
        KeywordRules(locale="xx")
    with pytest.raises(ValueError, match=r'^must be one of en, fr, es, de, pt or it, got "EN"$'):
        locale_for("EN")


@pytest.mark.parametrize("locale", LOCALES)
def test_locale_tables_are_in_matching_form(locale: str) -> None:
    table = LOCALES[locale]
    assert table.code == locale
    keywords = [*table.opt_out, *table.opt_in, *table.help, *table.confirm]
    assert all(k == k.upper() and normalize(k) == k.lower() for k in keywords)
    for words in (table.ordinary, table.filler, table.intents):
        assert all(WORD.match(word) for word in words), sorted(w for w in words if not WORD.match(w))
    opt_out = {normalize(k) for k in table.opt_out}
    assert not opt_out & (table.filler | table.intents)  # a filler word is never read as a keyword
    # (a keyword among the common words is harmless: exact keywords are matched first; "no" in English)
    assert set(table.aliases) <= {normalize(w) for w in ("unsub",)}
    assert all(len(row) == 10 and row.isascii() for row in table.keyboard[:1])


@pytest.mark.parametrize("locale", LOCALES)
def test_every_phrase_match_in_the_labelled_messages_is_anchored(locale: str) -> None:
    """A phrase is tried only when the message holds one of its anchor words: prove on every labelled message
    that no match of a phrase is missed for want of one."""
    matcher = OptOutMatcher([(normalize(k), k) for k in LOCALES[locale].opt_out], locale=LOCALES[locale])
    index = LOCALES[locale].phrase_index
    for folder in (CORPUS, HOLDOUT):
        for row in load(folder / f"{locale}.tsv"):
            forms = [matcher._token(t)[0] for t in matcher._words_of(normalize(row.message))]
            anchored = frozenset().union(*(index.anchored_by(form) for form in forms))
            text = " ".join(forms)
            for number, pattern in enumerate(index.patterns):
                if pattern.search(text):
                    assert number in anchored, (row.message, LOCALES[locale].phrases[number].anchors)


def test_short_keywords_take_the_typos_of_the_locales_keyboard() -> None:
    # P and M touch on a French AZERTY keyboard, not on QWERTY.
    assert decide(fuzzy("fr"), "stom").action == "fuzzy_prompt"
    assert decide(fuzzy("en"), "stom").action == "none"
    # Q sits below A on AZERTY and beside it on QWERTY: a typo in both.
    assert decide(fuzzy("fr"), "stpo").keyword == decide(fuzzy("en"), "stpo").keyword == "STOP"


@pytest.mark.parametrize(("locale", "text"), [
    ("en", "don't stop texting me"),
    ("fr", "N'arrêtez pas de m'envoyer des promos"),
    ("es", "No dejen de escribirme"),
    ("es", "No quiero darme de baja"),
    ("de", "Hören Sie nicht auf"),
    ("de", "Ich will mich nicht abmelden"),
    ("pt", "Não parem de mandar promoções"),
    ("pt", "Não quero sair da lista"),
    ("it", "Non smettete di scrivermi"),
    ("it", "Non voglio disiscrivermi"),
])
def test_a_negation_cancels_a_phrase(locale: str, text: str) -> None:
    assert decide(fuzzy(locale), text).action == "none"


@pytest.mark.parametrize("locale", LOCALES)
def test_english_phrases_are_read_in_every_locale(locale: str) -> None:
    assert decide(fuzzy(locale), "please stop texting me").action == "fuzzy_prompt"
    assert decide(fuzzy(locale), "don't text me").action == "fuzzy_prompt"
    assert decide(fuzzy(locale), "I can't stop laughing").action == "none"


def test_french_elisions_split_but_english_contractions_do_not() -> None:
    assert decide(fuzzy("fr"), "Ne m'envoyez plus de messages").action == "fuzzy_prompt"
    assert decide(fuzzy("fr"), "Ne m\u2019envoyez plus de messages").action == "fuzzy_prompt"
    assert decide(fuzzy("it"), "Vorrei annullare l'iscrizione").action == "fuzzy_prompt"


PROBES = [
    # Messages tried while the rules were developed, beyond the labelled corpora.
    ("fr", "Merci de me retirer de votre liste", "fuzzy_prompt"),
    ("fr", "J'en ai marre de vos SMS", "fuzzy_prompt"),
    ("fr", "Stop merci beaucoup", "fuzzy_prompt"),
    ("fr", "Je ne reçois plus vos messages", "none"),
    ("fr", "Vous pouvez m'envoyer plus de messages ?", "none"),
    ("fr", "Plus tard", "none"),
    ("es", "Baja del servicio", "fuzzy_prompt"),
    ("es", "No gracias, no me interesa", "fuzzy_prompt"),
    ("es", "Alto a la publicidad", "fuzzy_prompt"),
    ("es", "No me envíen el pedido hasta el lunes", "none"),
    ("es", "Voy a pagar mañana", "none"),
    ("es", "¿Por qué no me envían el código?", "none"),
    ("de", "Stopp die Werbung", "fuzzy_prompt"),
    ("de", "Halt, wer ist das?", "fuzzy_prompt"),
    ("de", "Ich habe keine SMS erhalten", "none"),
    ("de", "Ich will nicht mehr warten", "none"),
    ("pt", "Parem com isso", "fuzzy_prompt"),
    ("pt", "Não aguento mais essas mensagens", "fuzzy_prompt"),
    ("pt", "Estou fora de casa", "none"),
    ("pt", "Não quero mais esperar", "none"),
    ("it", "Mi cancellate dalla lista?", "fuzzy_prompt"),
    ("it", "Non ne posso più di questi messaggi", "fuzzy_prompt"),
    ("it", "Cancella i dati della carta", "none"),
    ("it", "Non mandate altri pacchi", "none"),
]


@pytest.mark.parametrize(("locale", "text", "action"), PROBES, ids=[f"{c}:{t}" for c, t, _ in PROBES])
def test_messages_beyond_the_corpora(locale: str, text: str, action: str) -> None:
    decision = decide(fuzzy(locale), text)
    assert decision.action == action
    assert decision.consent is None
