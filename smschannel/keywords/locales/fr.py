"""French: STOP and ARRET, as French and Canadian carriers expect, and the French opt-out phrases."""

from __future__ import annotations

from typing import Final

from smschannel.keywords.language import Locale, Phrase, words
from smschannel.keywords.locales import en

__all__ = ["FRENCH"]

AZERTY: Final = ("1234567890", "azertyuiop", "qsdfghjklm", "wxcvbn")
"""Letter rows of a French phone keyboard."""

ORDINARY: Final = en.ORDINARY | words(
    """
    annular arrest fib fion foin fon fun stoll stomp stp
    """
)
"""Common words within typo distance of the French defaults (and the English list)."""

FILLER: Final = en.FILLER | words(
    """
    svp stp svpl slvp sil s il vous plait plai merci mercii beaucoup maintenant immediatement vite tout de suite
    desuite bonjour salut ok oui ca cela les tous toutes sms textos texto msg pub pubs messages message
    bordel putain merde svp
    """
)

_NOUN: Final = (
    r"(?:sms|textos?|msgs?|messages?|pubs?|publicites?|promos?|promotions?|offres?|notifications?|alertes?"
    r"|mails?|e mails?|courriels?|newsletters?|spams?|relances?)"
)
_SEND: Final = (
    r"(?:envoy\w*|ecri\w*|contact\w*|harcel\w*|spam\w*|sollicit\w*|texto\w*|relanc\w*|appel\w*|derang\w*"
    r"|emmerd\w*|embet\w*|mail\w*|importun\w*)"
)
_SEND_ANCHORS: Final = (
    "envoy* ecri* contact* harcel* spam* sollicit* texto* relanc* appel* derang* emmerd* embet* mail* importun*"
)
_NOUN_ANCHORS: Final = (
    "sms texto* msg* message* pub* promo* offre* notification* alerte* mail* courriel* newsletter* spam* relance*"
)
_DET: Final = r"(?:(?:m|me|moi|nous|mon|ma|mes|vos|votre|ces|les|des|de|d|du|aux|au|tous|toutes|vous|plus) )*"

PHRASES: Final = (
    *en.PHRASES,
    # arrêtez de m'envoyer des messages / merci d'arrêter les SMS / stop aux pubs
    Phrase("arret* cess* stop*", rf"\b(?:arret\w*|cess\w*|stop\w*) {_DET}(?:{_SEND}|{_NOUN})\b"),
    # ne m'envoyez plus de messages / ne me contactez plus
    Phrase(_SEND_ANCHORS, rf"\bne? (?:(?:m|me|nous|vous|jamais) )*{_SEND}(?: \w+)? plus\b"),
    # ne plus m'envoyer de SMS
    Phrase(_SEND_ANCHORS, rf"\bne plus (?:(?:m|me|nous|jamais) )*{_SEND}"),
    # je ne veux plus recevoir vos SMS / je veux plus de vos messages / je ne souhaite pas être contacté
    Phrase("veux voulons veut souhaite souhaitons desire desirons",
           rf"\b(?:veux|voulons|veut|souhaite|souhaitons|desire|desirons) (?:plus|pas|aucun|aucune|rien)"
           rf" (?:(?:recevoir|avoir|etre|de|d|vos|votre|ces|les|des|ce|aucun|aucune|sms|messages) )*"
           rf"(?:{_NOUN}|{_SEND})\b"),
    # plus de SMS svp (at the start: "je voudrais plus de messages" asks for more)
    Phrase(_NOUN_ANCHORS, rf"^(?:(?:non|svp|stp|merci|stop|bon|ok|alors|bref) )*(?:plus|pas) (?:de|d) {_DET}{_NOUN}\b"),
    # je souhaite me désabonner / désinscrivez-moi / désabonnement
    Phrase("desabo* desinscri*", r"\b(?:desabonn\w*|desinscri\w*|desabonement)\b"),
    # retirez-moi de votre liste / supprimez mon numéro / enlevez-moi
    Phrase("retir* supprim* enlev* effac* otez ote sort* ray*",
           r"\b(?:retir|supprim|enlev|effac|ot|sort|ray)\w* (?:moi|nous|mon (?:numero|num|tel|telephone|portable"
           r"|contact)|mes coordonnees)\b"),
    # merci de me retirer de votre liste
    Phrase("retir* supprim* enlev* effac* ray* sort* desinscri* desabo*",
           r"\b(?:m|me|nous) (?:retir|supprim|enlev|effac|ray|sort|desinscri|desabonn)\w* (?:de|du|des|d)\b"),
    # j'en ai marre de vos SMS
    Phrase("marre", rf"\bmarre (?:de|d|des) {_DET}{_NOUN}\b"),
    # laissez-moi tranquille / foutez-moi la paix
    Phrase("laiss*", r"\blaiss\w* (?:moi|nous) (?:tranquilles?|en paix)\b"),
    Phrase("fout* fich*", r"\b(?:fout|fich)\w* (?:moi|nous) la paix\b"),
    # mauvais numéro / vous vous trompez de numéro
    Phrase("mauvais faux", r"\b(?:mauvais|faux) (?:numero|num|destinataire)\b"),
    Phrase("tromp* erreur", r"\b(?:tromp\w*|erreur) (?:de|d) (?:numero|num|personne|destinataire)\b"),
    # pas intéressé / ça ne m'intéresse pas / je ne suis pas intéressée
    Phrase("interess*", r"^(?:(?:non|merci|desole|desolee|je|ne|suis) )*pas interesse(?:e|s|es)?\b"),
    Phrase("interess*", r"\b(?:ne |n )?(?:m|me|nous) interesse(?:nt)? pas\b"),
)
"""French opt-out phrases, after the English ones."""

NEGATION: Final = (
    # n'arrêtez pas / ne vous arrêtez pas / ne cessez jamais
    r"\bne? (?:(?:vous|te|t|les|le) )?(?:arret|cess|stop)\w* (?:pas|jamais)\b"
    # je ne veux pas me désabonner
    r"|\bne? (?:\w+ )?(?:pas|jamais) (?:(?:me|m|nous|vous|de|d) )*(?:arret|cess|stop|desabonn|desinscri)\w*"
)

FRENCH: Final = Locale(
    code="fr",
    name="French",
    opt_out=("STOP", "ARRET", "ARRETER", "FIN", "DESABONNER", "DESINSCRIRE", "ANNULER"),
    opt_in=("START", "OUI", "ABONNER", "INSCRIRE"),
    help=("AIDE", "HELP", "INFO"),
    confirm=("OUI", "O"),
    keyboard=AZERTY,
    ordinary=ORDINARY,
    filler=FILLER,
    intents=words("arrete arretez arretes arretons arete aretez cessez cesse stoppez stoppe assez"),
    phrases=PHRASES,
    negation=NEGATION,
    elision=True,
    aliases=en.ENGLISH.aliases,
)
