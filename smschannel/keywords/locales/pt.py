"""Portuguese: PARAR, PARE, SAIR, CANCELAR and DESCADASTRAR beside STOP, and the Portuguese opt-out phrases."""

from __future__ import annotations

from typing import Final

from smschannel.keywords.language import QWERTY, Locale, Phrase, words
from smschannel.keywords.locales import en

__all__ = ["PORTUGUESE"]

ORDINARY: Final = en.ORDINARY | words(
    """
    padre pae pagar par para parara paras pared pares parir parr parra pars parse parte passar pate pirar pre sai
    said saif sar sir stoll
    """
)
"""Common words within typo distance of the Portuguese defaults (and the English list)."""

FILLER: Final = en.FILLER | words(
    """
    por favor porfavor pfv pf pfvr favor obrigado obrigada obg brigado agora ja logo imediatamente ok oi ola
    mensagens mensagem sms msg msgs tudo todos todas isso isto porra caramba ne
    """
)

_NOUN: Final = (
    r"(?:mensagens?|msgs?|sms|torpedos?|textos?|promocoes|promocao|promos?|ofertas|propagandas?|publicidade"
    r"|notificacoes|emails?|spam|anuncios)"
)
_SEND: Final = r"(?:mand\w*|envi\w*|escrev\w*|contat\w*|contact\w*|lig\w*|perturb\w*|incomod\w*|encher)"
_NOUN_ANCHORS: Final = (
    "mensage* msg* sms torpedo* texto* promo* oferta* propaganda* publicidade notificacoes email* spam anuncios"
)
_DET: Final = r"(?:(?:me|nos|mim|mais|suas|seus|essas|esses|estas|estes|as|os|de|nenhuma|nenhum|minhas) )*"

PHRASES: Final = (
    *en.PHRASES,
    # stop mensagens
    Phrase("stop", rf"\bstop {_DET}{_NOUN}\b"),
    # parem de me mandar mensagens / para de enviar SMS / chega de mensagens
    Phrase("parar parem pare para deix* cess* chega",
           rf"\b(?:parar|parem|pare|para|deix\w*|cess\w*|chega) de (?:receber )?{_DET}(?:{_SEND}|{_NOUN})\b"),
    # parem com isso / não aguento mais essas mensagens / tô fora / não quero mais
    Phrase("parem para pare parar chega", rf"\b(?:parem|para|pare|parar|chega) com (?:isso|{_DET}{_NOUN})\b"),
    Phrase("aguento suporto aguentamos", rf"\bnao (?:aguento|suporto|aguentamos) mais {_DET}{_NOUN}\b"),
    Phrase("fora", r"^(?:eu )?(?:to|tou|estou) fora(?: (?:dessa|disso|obrigado|obrigada))?$"),
    Phrase("quero queremos", r"^(?:(?:obrigado|obrigada|ja) )*nao (?:quero|queremos) mais(?: (?:isso|nada|receber))?$"),
    # não me mandem mais mensagens
    Phrase("mandem mande enviem envie escrevam escreva contatem contate liguem ligue incomodem perturbem encham",
           r"\bnao (?:(?:me|nos) )?(?:mandem|mande|enviem|envie|escrevam|escreva|contatem|contate|liguem"
                  r"|ligue|incomodem|perturbem|encham)\b"),
    Phrase("manda envia escreve liga contata", r"\bnao (?:(?:me|nos) )?(?:manda|envia|escreve|liga|contata) mais\b"),
    # não quero mais receber mensagens
    Phrase(_NOUN_ANCHORS, rf"\bnao (?:quero|queremos|desejo|preciso) (?:(?:mais|receber|recebendo|continuar) )*{_DET}"
                  rf"{_NOUN}\b"),
    # quero sair da lista / como faço para sair? / sair da lista
    Phrase("sair", r"\b(?:quero|queremos|desejo|gostaria de|como faco para|como faco pra|como|posso) (?:me )?sair"
                   r"(?: (?:da|dessa|desta|do|deste|disso|daqui|dos|das)\b|$)"),
    Phrase("sair", r"\bsair (?:da|dessa|desta|do|deste|dos|das) (?:\w+ )?(?:lista|grupo|cadastro|sistema|envios?"
                   r"|mensagens|sms|promocoes)\b"),
    # quero me descadastrar / descadastre meu número
    Phrase("descadastr* desinscr*", r"\b(?:descadastr\w*|desinscre\w*|desinscri\w*)\b"),
    # me tira dessa lista / tirem meu número da lista / removam meu número
    Phrase("tir* remov* exclu* apag* delet* retir*",
           r"\b(?:tir|remov|exclu|apag|delet|retir)\w*(?: me| nos)? (?:da|dessa|desta|do|deste|desse|de|dos|das)"
           r" (?:\w+ )?(?:lista|grupo|cadastro|base|sistema|mailing|envios?|contatos)\b"),
    Phrase("tir* remov* exclu* apag* delet* retir*",
           r"\b(?:tir|remov|exclu|apag|delet|retir)\w* (?:o )?(?:meu|nosso) (?:numero|telefone|celular|contato"
           r"|cadastro|dados)\b"),
    # me deixem em paz
    Phrase("deix*", r"\bdeix\w* (?:(?:me|nos) )?em paz\b"),
    # número errado
    Phrase("numero num", r"\b(?:numero|num) (?:errado|equivocado|incorreto)\b"),
    Phrase("engan*", r"\bengan\w* de numero\b"),
    # não tenho interesse / não estou interessado / não me interessa
    Phrase("interesse", r"\bnao (?:tenho|temos) (?:nenhum |mais )?interesse\b"),
    Phrase("interessad*", r"\bnao (?:estou|estamos|sou) interessad[oa]s?\b"),
    Phrase("interessa", r"^(?:(?:obrigado|obrigada|ja) )*nao (?:me|nos) interessa\b"),
    Phrase("sem", r"^sem interesse\b"),
    # cancelar a assinatura / cancelar a inscrição
    Phrase("cancelar", r"\bcancelar (?:(?:a|minha|o|meu) )?(?:assinatura|inscricao|cadastro|recebimento|envios?)\b"),
)
"""Portuguese opt-out phrases, after the English ones."""

NEGATION: Final = (
    # não parem de mandar promoções / nunca deixem de enviar
    r"\b(?:nao|nunca) (?:(?:me|nos) )?(?:parem|pare|para|parar|deixem|deixe|deixa|deixar|cessem)\b"
    # não quero sair / não quero me descadastrar
    r"|\bnao (?:\w+ )?(?:me )?(?:sair|descadastr\w*)"
)

PORTUGUESE: Final = Locale(
    code="pt",
    name="Portuguese",
    opt_out=("STOP", "PARAR", "PARE", "SAIR", "CANCELAR", "DESCADASTRAR"),
    opt_in=("START", "SIM", "ASSINAR"),
    help=("AJUDA", "HELP", "INFO"),
    confirm=("SIM", "S"),
    keyboard=QWERTY,
    ordinary=ORDINARY,
    filler=FILLER,
    intents=words("parem para chega basta cancelem cancela chegaa"),
    phrases=PHRASES,
    negation=NEGATION,
    aliases=en.ENGLISH.aliases,
)
