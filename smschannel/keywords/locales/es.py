"""Spanish: BAJA, ALTO and CANCELAR beside STOP, ALTA to subscribe, and the Spanish opt-out phrases."""

from __future__ import annotations

from typing import Final

from smschannel.keywords.language import QWERTY, Locale, Phrase, words
from smschannel.keywords.locales import en

__all__ = ["SPANISH"]

ORDINARY: Final = en.ORDINARY | words(
    """
    algo allo allot alo alot alt apto ato baa baia bajas baka bama bana fib fun pagar para parara parir parra
    parral pasar stoll stomp
    """
)
"""Common words within typo distance of the Spanish defaults (and the English list)."""

FILLER: Final = en.FILLER | words(
    """
    por favor porfa porfavor porfis xfa xfavor pf pls gracias grasias ya ahora inmediatamente mismo
    todo todos los las mensajes mensaje sms msj msjs hola buenas oye ok vale eso esto carajo joder
    """
)

_NOUN: Final = (
    r"(?:mensajes?|sms|msjs?|mjs|textos?|promociones|promos?|publicidad|ofertas|notificaciones|correos?"
    r"|spam|anuncios|avisos)"
)
_SEND: Final = r"(?:envi\w*|mand\w*|escrib\w*|contact\w*|llam\w*|molest\w*|spam\w*|acos\w*|fastidi\w*)"
_SEND_IMPERATIVE: Final = (
    r"(?:envie[ns]?|mande[ns]?|escriba[ns]?|contacte[ns]?|llame[ns]?|moleste[ns]?|fastidie[ns]?|spameen)"
)
_NOUN_ANCHORS: Final = (
    "mensaje* sms msj* mjs texto* promo* publicidad oferta* notificacion* correo* spam anuncio* aviso*"
)
_DET: Final = r"(?:(?:me|nos|mas|sus|tus|estos|esos|esas|estas|los|las|el|la|de|ningun|ninguna|mis) )*"

PHRASES: Final = (
    *en.PHRASES,
    # stop publicidad / alto a la publicidad / fin de los mensajes
    Phrase("stop alto basta fin", rf"\b(?:stop|alto|basta|fin) (?:(?:a|al|con|de) )?{_DET}{_NOUN}\b"),
    # ya no más / no más por favor
    Phrase("mas", r"^(?:(?:ya|por favor|porfa|gracias) )*no mas(?: (?:por favor|porfa|gracias|please))?$"),
    # dejen de enviarme mensajes / para de escribirme / basta de mensajes
    Phrase("dej* parar paren pare para parad deten* basta ces*",
           rf"\b(?:dej\w*|parar|paren|pare|para|parad|deten\w*|basta|ces\w*) de (?:recibir )?{_DET}"
           rf"(?:{_SEND}|{_NOUN})\b"),
    # no me envíen más mensajes / no me contacten
    Phrase("vuelva* envie* mande* escrib* contacte* llame* moleste* fastidie* spameen",
           rf"\bno (?:(?:me|nos) )?(?:vuelva[ns]? a (?:(?:me|nos) )?{_SEND}|{_SEND_IMPERATIVE})"
                 rf"(?: (?:mas|nada|nunca|jamas|ningun\w*|por favor|porfa|otra vez)\b| {_DET}{_NOUN}\b|$)"),
    # no quiero recibir más mensajes / ya no quiero sus mensajes
    Phrase(_NOUN_ANCHORS,
           rf"\bno (?:(?:quiero|queremos|deseo|deseamos|necesito) (?:(?:recibir|seguir|recibiendo|mas) )*"
           rf"|(?:(?:recibir|seguir|recibiendo|mas) )+){_DET}{_NOUN}\b"),
    # quiero darme de baja / dame de baja / ¿cómo me doy de baja? / baja del servicio
    Phrase("baja", r"\bde baja\b"),
    Phrase("baja", r"\bbaja (?:del|de la|de los|de las|de) (?:servicio|lista|suscripcion|mensajes|sms|promociones"
                   r"|envios)\b"),
    # bórrenme de la lista / sáquenme de su lista
    Phrase("borr* saq* sac* elimin* quit* remuev* remov* excl* desus* dessus*",
           r"\b(?:borr|saq|sac|elimin|quit|remuev|remov|excl|des?suscrib)\w*(?:me|nos) (?:de|del) (?:(?:la|su|sus|tu"
           r"|tus|esta|este|el|los|vuestra) )?(?:lista|listas|listado|base|registro|sistema|envios|difusion"
           r"|suscripcion|grupo)\b"),
    # eliminen mi número
    Phrase("bor* elimin* quit* sac* saq* remuev* remov*",
           r"\b(?:borr|elimin|quit|sac|saq|remuev|remov|bor)\w* (?:mi|mis|el|este) (?:numero|telefono|celular|cel"
           r"|contacto|datos)\b"),
    # estoy harto de sus mensajes
    Phrase("hart* cansad*", rf"\b(?:hart[oa]s?|cansad[oa]s?) de {_DET}{_NOUN}\b"),
    # no más mensajes
    Phrase(_NOUN_ANCHORS, rf"\bno mas {_DET}{_NOUN}\b"),
    # déjenme en paz
    Phrase("dej*", r"\bdej\w*(?:me|nos) (?:en paz|tranquil[oa]s?)\b"),
    # número equivocado / se equivocó de número
    Phrase("numero num", r"\b(?:numero|num) (?:equivocado|incorrecto|errado)\b"),
    Phrase("equivoc*", r"\bequivoc\w* de (?:numero|persona)\b"),
    # no me interesa / no estoy interesado
    Phrase("interesa interesan", r"^(?:(?:no|gracias|ya|pero|la verdad) )*no (?:me|nos) interesa(?:n)?\b"),
    Phrase("interesad*", r"\bno (?:estoy|estamos) interesad[oa]s?\b"),
    # cancelar la suscripción / anular la suscripción
    Phrase("cancel* anul* quit*",
           r"\b(?:cancel\w*|anul\w*|quit\w*) (?:(?:la|mi|su|el|las) )?(?:suscripcion|subscripcion|inscripcion"
           r"|registro|envios?|mensajes|sms|promociones)\b"),
    # desuscribir / desuscribirme / desinscribirme
    Phrase("desus* dessus* desubscri* desinscri* desafili*",
           r"\b(?:des?suscri\w*|desubscri\w*|desinscri\w*|desafili\w*)\b"),
)
"""Spanish opt-out phrases, after the English ones."""

NEGATION: Final = (
    # no pares de enviar / no dejen de mandarme promociones / nunca dejes de escribir
    r"\b(?:no|nunca) (?:(?:me|nos|te) )?(?:pares|paren|pare|para|parar|dejes|dejen|deje|deja|dejar|detengas"
    r"|detengan|cances|cesen)\b"
    # no quiero darme de baja
    r"|\bno (?:\w+ )?(?:darme|dar|me den|me des|me de) de baja\b"
)

SPANISH: Final = Locale(
    code="es",
    name="Spanish",
    opt_out=("STOP", "BAJA", "ALTO", "CANCELAR", "PARAR", "FIN"),
    opt_in=("START", "ALTA", "SI", "SUSCRIBIR"),
    help=("AYUDA", "HELP", "INFO"),
    confirm=("SI", "S"),
    keyboard=QWERTY,
    ordinary=ORDINARY,
    filler=FILLER,
    intents=words("para paren pare parad parenle parale basta detente detenganse detengan cancelen cancela"),
    phrases=PHRASES,
    negation=NEGATION,
    aliases=en.ENGLISH.aliases,
)
