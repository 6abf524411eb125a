"""German: STOP and STOPP, ABMELDEN, ABBESTELLEN and ENDE, and the German opt-out phrases."""

from __future__ import annotations

from typing import Final

from smschannel.keywords.language import Locale, Phrase, words
from smschannel.keywords.locales import en

__all__ = ["GERMAN"]

QWERTZ: Final = ("1234567890", "qwertzuiop", "asdfghjkl", "yxcvbnm")
"""Letter rows of a German phone keyboard (umlauts fold to plain vowels, so they are left out)."""

ORDINARY: Final = en.ORDINARY | words(
    """
    ede ended ender endes stoll stomp stoops stops
    """
)
"""Common words within typo distance of the German defaults (and the English list)."""

FILLER: Final = en.FILLER | words(
    """
    bitte bite bitteschon danke dankeschon jetzt sofort endlich sms nachrichten nachricht alle alles das
    hallo hey ok mal schon doch verdammt scheisse einfach damit nun gleich umgehend
    """
)

_NOUN: Final = (
    r"(?:sms|nachrichten|nachricht|textnachrichten|werbung|werbe\w*|newsletter|angebote|mails?|e mails?|spam"
    r"|benachrichtigungen|sms nachrichten)"
)
_SEND: Final = (
    r"(?:schreib\w*|schick\w*|send\w*|kontaktier\w*|anruf\w*|anschreib\w*|belastig\w*|nerv\w*|zuspam\w*"
    r"|spam\w*|simsen|zumull\w*|zuschicken)"
)
_WHO: Final = r"(?:(?:sie|ihr|du|mir|uns|mich|bitte|doch|endlich|einfach) )*"

PHRASES: Final = (
    *en.PHRASES,
    # keine SMS mehr / ich möchte keine Nachrichten mehr erhalten
    Phrase("keine", rf"\bkeine (?:\w+ )?{_NOUN}\b(?: \w+){{0,3}} mehr\b"),
    Phrase("keine", rf"\bkeine (?:weiteren|weitere|neuen) {_NOUN}\b"),
    Phrase("keine", rf"^(?:(?:bitte|danke|nein) )*keine (?:\w+ )?{_NOUN}\b"),
    # hören Sie auf, mir zu schreiben / hört auf
    Phrase("hor* hoer*", rf"\b(?:hor|hoer)\w* {_WHO}auf\b"),
    Phrase("aufhor*", r"\baufhor\w* (?:mir|uns|zu|damit|mit)\b"),
    # schreiben Sie mir nicht mehr / bitte nicht mehr kontaktieren
    Phrase("nicht nie", rf"\b{_SEND} {_WHO}(?:nicht|nie) mehr\b"),
    Phrase("nicht nie", rf"\b(?:nicht|nie) mehr (?:\w+ ){{0,2}}?{_SEND}"),
    # ich möchte mich abmelden / melden Sie mich ab / tragen Sie mich aus
    Phrase("mich uns", r"\b(?:mich|uns) (?:bitte )?(?:abmelden|austragen|abmeld\w*|austrag\w*|loschen|entfernen"
                       r"|streichen)\b"),
    Phrase("meld* trag*", rf"\b(?:meld|trag)\w* {_WHO}(?:mich|uns|meine nummer) (?:\w+ ){{0,3}}?(?:ab|aus)\b"),
    Phrase("will mochte mochten wollen moechte wurde",
           r"\b(?:will|mochte|mochten|wollen|moechte|wurde) (?:\w+ ){0,2}?(?:abbestellen|abmelden|austragen"
           r"|kundigen)\b"),
    Phrase("newsletter abo abonnement sms nachrichten werbung",
           r"\b(?:newsletter|abo|abonnement|sms|nachrichten|werbung|sms abo) (?:\w+ )?(?:kundig\w*|abbestell\w*"
           r"|beend\w*|abmeld\w*|stopp\w*)\b"),
    Phrase("abmeldung abbestellung austragung", r"\b(?:abmeldung|abbestellung|austragung)\b"),
    # löschen Sie meine Nummer / entfernen Sie mich aus dem Verteiler
    Phrase("losch* entfern* streich* nehm*",
           r"\b(?:losch|entfern|streich|nehm)\w* (?:sie |ihr |du )?(?:mich|uns|meine (?:nummer|handynummer"
           r"|telefonnummer|daten|kontaktdaten))\b"),
    # lassen Sie mich in Ruhe
    Phrase("lass*", r"\blass\w* (?:sie |ihr |du )?(?:mich|uns) (?:bitte )?(?:in ruhe|zufrieden)\b"),
    # stopp die Werbung / nerven Sie mich nicht / ich will das nicht mehr
    Phrase("stop*", rf"\bstopp?\w* (?:(?:die|den|das|der|alle|eure|ihre|diese|diesen) )?{_NOUN}\b"),
    Phrase("nerv* belast*", r"\b(?:nerv|belast)\w* (?:sie |ihr |du )?(?:mich|uns) (?:bitte )?nicht(?: mehr)?$"),
    Phrase("will mochte moechte brauche wollen",
           r"^(?:(?:ich|wir|danke) )*(?:will|mochte|moechte|brauche|wollen) (?:das|dies|diese|die|sie|es|euch"
           r"|eure sms|ihre sms) (?:\w+ )?nicht mehr\b"),
    # falsche Nummer
    Phrase("falsche", r"\bfalsche (?:nummer|handynummer|person)\b"),
    Phrase("falsch", r"\bfalsch verbunden\b"),
    # kein Interesse
    Phrase("kein", r"\bkein (?:interesse|bedarf)\b"),
)
"""German opt-out phrases, after the English ones."""

NEGATION: Final = (
    # hören Sie nicht auf / nicht aufhören / ich will mich nicht abmelden
    r"\b(?:hor|hoer)\w* (?:sie |ihr |du )?(?:nicht|nie) auf\b"
    r"|\b(?:nicht|nie|keinesfalls) (?:\w+ )?(?:aufhor|stopp|abmeld|abbestell|austrag)\w*"
)

GERMAN: Final = Locale(
    code="de",
    name="German",
    opt_out=("STOP", "STOPP", "ABMELDEN", "ABBESTELLEN", "ENDE"),
    opt_in=("START", "JA", "ANMELDEN"),
    help=("HILFE", "HELP", "INFO"),
    confirm=("JA", "J"),
    keyboard=QWERTZ,
    ordinary=ORDINARY,
    filler=FILLER,
    intents=words("aufhoren aufhoeren aufhorn austragen schluss genug halt stoppen abbestellung abmeldung"),
    phrases=PHRASES,
    negation=NEGATION,
    aliases=en.ENGLISH.aliases,
)
