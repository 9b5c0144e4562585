"""The agent's fixed replies (abstain, handoff, empty knowledge base), in each supported language."""

from __future__ import annotations

ABSTAIN: dict[str, str] = {
    "en": "I'm sorry, I don't know the answer to that: our help articles don't cover it, and I "
    "won't guess. I can connect you with a person or create a ticket for you.",
    "es": "Lo siento, no sé la respuesta: nuestros artículos de ayuda no lo cubren y no quiero "
    "adivinar. Puedo ponerte en contacto con una persona o crear un ticket.",
    "fr": "Désolé, je ne connais pas la réponse : nos articles d'aide n'en parlent pas et je ne "
    "veux pas deviner. Je peux vous mettre en relation avec une personne ou créer un ticket.",
    "de": "Das weiß ich leider nicht: Unsere Hilfeartikel behandeln das nicht, und ich möchte "
    "nicht raten. Ich kann Sie mit einer Person verbinden oder ein Ticket erstellen.",
    "pt": "Desculpe, não sei a resposta: nossos artigos de ajuda não tratam disso e não quero "
    "adivinhar. Posso colocar você em contato com uma pessoa ou abrir um chamado.",
}

HANDOFF: dict[str, str] = {
    "en": "I'll connect you with a person from our support team who can look into this.",
    "es": "Te pondré en contacto con una persona de nuestro equipo de soporte para que lo revise.",
    "fr": "Je vous mets en relation avec une personne de notre équipe d'assistance.",
    "de": "Ich verbinde Sie mit einer Person aus unserem Support-Team, die sich darum kümmert.",
    "pt": "Vou colocar você em contato com uma pessoa da nossa equipe de suporte.",
}

EMPTY_KNOWLEDGE_BASE: dict[str, str] = {
    "en": "I can't answer questions yet: no help articles have been imported. I can connect "
    "you with a person or create a ticket for you.",
    "es": "Todavía no puedo responder: no se ha importado ningún artículo de ayuda. Puedo "
    "ponerte en contacto con una persona o crear un ticket.",
    "fr": "Je ne peux pas encore répondre : aucun article d'aide n'a été importé. Je peux vous "
    "mettre en relation avec une personne ou créer un ticket.",
    "de": "Ich kann noch keine Fragen beantworten: Es wurden keine Hilfeartikel importiert. Ich "
    "kann Sie mit einer Person verbinden oder ein Ticket erstellen.",
    "pt": "Ainda não consigo responder: nenhum artigo de ajuda foi importado. Posso colocar você "
    "em contato com uma pessoa ou abrir um chamado.",
}

#: Put before an answer quoted from English articles when the customer wrote in another language.
ENGLISH_SOURCE_NOTE: dict[str, str] = {
    "es": "(Respuesta de nuestro centro de ayuda, disponible en inglés.)",
    "fr": "(Réponse tirée de notre centre d'aide, disponible en anglais.)",
    "de": "(Antwort aus unserem Hilfe-Center, das auf Englisch verfügbar ist.)",
    "pt": "(Resposta da nossa central de ajuda, disponível em inglês.)",
    "it": "(Risposta dal nostro centro assistenza, disponibile in inglese.)",
    "nl": "(Antwoord uit ons helpcentrum, beschikbaar in het Engels.)",
}


def localized(messages: dict[str, str], language: str) -> str:
    """Return the message for language, falling back to English."""
    return messages.get(language, messages["en"])
