"""Italian: BASTA, CANCELLA, ANNULLA and DISISCRIVI beside STOP, and the Italian opt-out phrases."""

from __future__ import annotations

from typing import Final

from smschannel.keywords.language import QWERTY, Locale, Phrase, words
from smschannel.keywords.locales import en

__all__ = ["ITALIAN"]

ORDINARY: Final = en.ORDINARY | words(
    """
    bafta baita basa basata basra bassa bast basti bastia batta busta cannella sto stoll
    """
)
"""Common words within typo distance of the Italian defaults (and the English list)."""

FILLER: Final = en.FILLER | words(
    """
    per favore perfavore xfavore pf grazie grz subito ora adesso tutto tutti tutte questi queste messaggi
    messaggio sms ciao ok dai cazzo immediatamente
    """
)

_NOUN: Final = r"(?:messaggi|messaggio|sms|msg|notifiche|promozioni|promo|offerte|pubblicita|spam|e?mails?|newsletter)"
_SEND: Final = r"(?:mand\w*|invi\w*|scriv\w*|contatt\w*|chiam\w*|disturb\w*|rompe\w*|spamm\w*|tartass\w*)"
_SEND_ANCHORS: Final = "mand* invi* scriv* contatt* chiam* disturb* rompe* spamm* tartass*"
_NOUN_ANCHORS: Final = (
    "messaggi messaggio sms msg notifiche promozioni promo offerte pubblicita spam email mail* newsletter"
)
_DET: Final = r"(?:(?:mi|ci|piu|questi|queste|i|le|gli|vostri|vostre|altri|altre|tutti|tutte|con|di) )*"

PHRASES: Final = (
    *en.PHRASES,
    # smettete di mandarmi messaggi / smettetela di scrivermi / basta con questi SMS
    Phrase("smett* finit* basta cess* ferm* piant*",
           rf"\b(?:smett\w*|finit\w*|basta|cess\w*|ferm\w*|piant\w*) (?:di|con) {_DET}(?:{_SEND}|{_NOUN})\b"),
    # non mandatemi più messaggi / non scrivetemi più / non mi contattate più
    Phrase(_SEND_ANCHORS,
           rf"\bnon (?:(?:mi|ci) )?{_SEND}(?:(?: \w+){{0,2}}? piu\b| (?:altri|altre|ulteriori) {_NOUN}\b)"),
    # non ne posso più di questi messaggi
    Phrase("posso", rf"\bnon ne posso piu (?:di|dei|delle|degli|con) {_DET}{_NOUN}\b"),
    # non voglio più ricevere messaggi
    Phrase(_NOUN_ANCHORS, rf"\bnon (?:voglio|vogliamo|desidero) (?:(?:piu|ricevere|riceverne|altri|altre|nessun|nessuna"
                  rf"|alcun) )*{_DET}{_NOUN}\b"),
    # niente più messaggi / basta messaggi
    Phrase("niente basta", rf"\b(?:niente|basta) (?:piu )?{_DET}{_NOUN}\b"),
    # cancellatemi dalla lista / toglietemi dalla vostra lista / mi cancellate dalla lista?
    Phrase("cancell* togli* toglie* rimuov* elimin* lev* esclud*",
           r"\b(?:cancell|togli|toglie|rimuov|elimin|lev|esclud)\w*(?:mi|ci) (?:da|dalla|dal|dai|dalle|dall|dagli)\b"),
    Phrase("cancell* togli* toglie* rimuov* elimin* lev* esclud*",
           r"\b(?:mi|ci) (?:cancell|togli|toglie|rimuov|elimin|lev|esclud)\w* (?:da|dalla|dal|dai|dalle|dall"
           r"|dagli)\b"),
    # rimuovete il mio numero / cancellate il mio numero / toglietemi il numero
    Phrase("cancell* togli* toglie* rimuov* elimin* lev*",
           r"\b(?:cancell|togli|toglie|rimuov|elimin|lev)\w* (?:(?:il|i) )?(?:mio|miei|nostro|nostri) (?:numero"
           r"|contatto|cellulare|nominativo|dati)\b"),
    Phrase("cancell* togli* toglie* rimuov* elimin* lev*",
           r"\b(?:cancell|togli|toglie|rimuov|elimin|lev)\w*(?:mi|ci) (?:il |i )?(?:numero|contatto|dati)\b"),
    # voglio essere cancellato
    Phrase("essere", r"\b(?:voglio|vorrei|desidero|chiedo di) essere (?:cancellat|rimoss|tolt|eliminat"
                     r"|disiscritt)\w*"),
    # stop pubblicità
    Phrase("stop", rf"\bstop (?:(?:alla|alle|ai|agli|con) )?{_DET}{_NOUN}\b"),
    # voglio disiscrivermi / annullare l'iscrizione
    Phrase("disiscri* disicri* deiscri*", r"\b(?:disiscri\w*|disicri\w*|deiscri\w*)\b"),
    Phrase("iscrizione abbonamento sottoscrizione servizio newsletter",
           r"\b(?:annull|cancell|disdi|disatt)\w* (?:(?:l|la|il|mia|mio) )?(?:iscrizione|abbonamento|sottoscrizione"
           r"|servizio sms|newsletter)\b"),
    # lasciatemi in pace
    Phrase("lascia*", r"\blascia\w*(?: mi| ci)? (?:in pace|stare)\b"),
    # numero sbagliato / avete sbagliato numero
    Phrase("numero", r"\bnumero (?:sbagliato|errato)\b"),
    Phrase("sbaglia*", r"\bsbaglia\w* (?:numero|persona)\b"),
    # non mi interessa / non sono interessato
    Phrase("interessa interessano", r"^(?:(?:grazie|ma|no) )*non (?:mi|ci) interessa(?:no)?\b"),
    Phrase("interessat*", r"\bnon (?:sono|siamo) interessat[oaie]\b"),
)
"""Italian opt-out phrases, after the English ones."""

NEGATION: Final = (
    # non smettete di mandare offerte / non fermatevi
    r"\bnon (?:(?:mi|ci) )?(?:smett|ferm|fini)\w*"
    r"|\bnon (?:\w+ )?(?:disiscri|cancellar)\w*"
)

ITALIAN: Final = Locale(
    code="it",
    name="Italian",
    opt_out=("STOP", "BASTA", "CANCELLA", "ANNULLA", "DISISCRIVI"),
    opt_in=("START", "SI", "ISCRIVI"),
    help=("AIUTO", "HELP", "INFO"),
    confirm=("SI", "S"),
    keyboard=QWERTY,
    ordinary=ORDINARY,
    filler=FILLER,
    intents=words(
        "smettila smettetela smettete smetti smettere fermati fermatevi finitela piantala piantatela rimuovetemi"
        " cancellatemi toglietemi eliminatemi disiscrivetemi cancellami toglimi rimuovimi eliminami"
    ),
    phrases=PHRASES,
    negation=NEGATION,
    elision=True,
    aliases=en.ENGLISH.aliases,
)
