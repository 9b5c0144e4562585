from __future__ import annotations

import unicodedata

import pytest

from relaydesk.agent.glossaries import GLOSSARIES
from relaydesk.agent.translate import to_english


def test_function_words_drop_and_vocabulary_maps_to_english() -> None:
    assert to_english("¿Cómo cancelo mi suscripción?", "es") == "how cancel subscription"
    assert to_english("Wie kann ich mein Passwort zurücksetzen?", "de") == "how can password reset"
    assert "trash" in to_english("Combien de temps dans la corbeille ?", "fr")
    assert to_english("Posso exportar os dados?", "pt") == "can export data"


def test_unknown_words_and_names_are_kept() -> None:
    assert to_english("¿Cuánto cuesta el plan Business?", "es") == "how much cost plan Business"


def test_elision_is_split() -> None:
    assert to_english("J'ai oublié le mot de passe", "fr") == "have forgot password"


def test_unsupported_language_is_unchanged() -> None:
    assert to_english("how do I change my password", "en") == "how do I change my password"
    assert to_english("hur ändrar jag mitt lösenord", "sv") == "hur ändrar jag mitt lösenord"


def _terms(text: str, language: str) -> set[str]:
    return set(to_english(text, language).split())


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # Spanish
        ("No recibo los pagos en mi cuenta bancaria", "es", "not receive payments bank account"),
        ("¿Todavía puedo ver las facturas antiguas?", "es", "still can see invoices old"),
        ("El cliente pagó dos veces, ¿cómo hago un reembolso?", "es", "client refund"),
        ("Quiero añadir el IVA a un presupuesto y enviarlo", "es", "add vat quote send"),
        (
            "Ya cambié la dirección de entrega del pedido",
            "es",
            "already changed address delivery order",
        ),
        ("¿Cómo puedo cancelarla? Se cobró la comisión otra vez", "es", "cancel fee again"),
        # French
        ("Je ne vois plus mes anciennes factures", "fr", "see old invoices"),
        (
            "La facture est toujours impayée, le virement n'est pas arrivé",
            "fr",
            "still unpaid transfer",
        ),
        ("Comment ajouter la TVA sur un devis ?", "fr", "how add vat quote"),
        (
            "J'ai annulé la commande par erreur, je voudrais la restaurer",
            "fr",
            "cancel order restore",
        ),
        ("Le fournisseur a envoyé un avoir et un reçu", "fr", "supplier sent credit note receipt"),
        ("Je n'arrive pas à me connecter depuis hier", "fr", "log in yesterday"),
        # German
        ("Der Kunde sieht immer noch die alte Adresse", "de", "client sees still old address"),
        ("Wie füge ich die Mehrwertsteuer zu einem Angebot hinzu?", "de", "how add vat quote"),
        ("Ich habe die Rechnung geändert und erneut gesendet", "de", "invoice changed again sent"),
        (
            "Die Überweisung auf mein Bankkonto ist noch nicht angekommen",
            "de",
            "transfer bank account not arrived",
        ),
        (
            "Kann ich die Lieferung schließen und die Gebühr erstatten?",
            "de",
            "can delivery close fee",
        ),
        (
            "Die Auszahlung ist fehlgeschlagen, ich kann mich nicht anmelden",
            "de",
            "payout failed log in",
        ),
        # Portuguese
        ("Eu ainda consigo ver as faturas antigas?", "pt", "still can see invoices old"),
        (
            "Não recebi o pagamento na minha conta bancária",
            "pt",
            "not received payment bank account",
        ),
        ("Como faço para adicionar o imposto ao orçamento?", "pt", "how add tax quote"),
        ("O fornecedor já mandou o recibo da entrega", "pt", "supplier already receipt delivery"),
        ("Cancelei o pedido por engano, dá para desfazer?", "pt", "cancel order can undo"),
        (
            "As despesas atrasadas aparecem duas vezes no relatório",
            "pt",
            "expenses overdue appear report",
        ),
        # Italian
        (
            "Ho annullato per errore una fattura, come faccio a ripristinarla?",
            "it",
            "have cancelled by mistake invoice how restore",
        ),
        ("Non vedo più le vecchie fatture nel mio account", "it", "not see old invoices account"),
        ("Come posso aggiungere l'IVA a un preventivo?", "it", "how can add vat quote"),
        (
            "Il bonifico sul conto corrente non è ancora arrivato",
            "it",
            "transfer bank account still arrived",
        ),
        (
            "Il cliente non ha ricevuto la ricevuta del pagamento",
            "it",
            "client not received receipt payment",
        ),
        (
            "Non riesco ad accedere, ho dimenticato la password",
            "it",
            "not can log in forgot password",
        ),
        (
            "Vorrei cambiare il metodo di pagamento mensile in annuale",
            "it",
            "want change payment monthly annual",
        ),
        # Dutch
        ("Hoe zet ik 21% btw op mijn facturen?", "nl", "how set 21 vat invoices"),
        ("Ik zie mijn oude facturen niet meer", "nl", "see old invoices not"),
        (
            "De klant heeft de betaling nog steeds niet ontvangen",
            "nl",
            "client payment still not receive",
        ),
        (
            "Hoe kan ik een offerte omzetten naar een factuur?",
            "nl",
            "how can quote convert invoice",
        ),
        (
            "Ik heb per ongeluk een bestelling geannuleerd, kan ik dat ongedaan maken?",
            "nl",
            "by mistake order cancelled can undo",
        ),
        ("De uitbetaling naar mijn bankrekening is mislukt", "nl", "payout bank account failed"),
        (
            "Waarom worden de verzendkosten twee keer afgeschreven?",
            "nl",
            "why shipping costs charged",
        ),
    ],
)
def test_help_desk_vocabulary_renders_in_english(text: str, language: str, expected: str) -> None:
    assert set(expected.split()) <= _terms(text, language)


def test_inflected_forms_find_their_glossary_entry() -> None:
    assert _terms("¿Lo exporto? ¿Lo has archivado? ¿Eliminarlos?", "es") >= {
        "export",
        "archive",
        "delete",
    }
    assert _terms("Je l'ai exportée, vous l'annulez ?", "fr") >= {"export", "cancel"}
    assert _terms("Ich exportiere die Daten und archiviert", "de") >= {"export", "archive"}
    assert _terms("Cancelei e depois exportou", "pt") >= {"cancel", "export"}
    assert _terms("Restauré la copia y exportaron los datos", "es") >= {"restore", "export"}
    assert _terms("Eles excluíram e mudaram tudo", "pt") >= {"delete", "change"}
    assert _terms("J'ai converti le fichier", "fr") >= {"convert", "file"}
    assert _terms("Esporto, annullo, eliminarli, archiviata", "it") >= {
        "export",
        "cancel",
        "delete",
        "archive",
    }
    assert _terms("Hij bewerkt de bijlages, ik heb het gearchiveerd en verzendt het", "nl") >= {
        "edit",
        "attachment",
        "archive",
        "send",
    }


def test_glossary_entries_win_over_inflection_guesses() -> None:
    # "collega" is listed, so it is not taken for a form of "collegare" (connect).
    assert to_english("Il mio collega non vede la fattura", "it") == "colleague not see invoice"
    # Portuguese "enviar" is to send, and to upload only with a file.
    assert to_english("Como enviar lembretes?", "pt") == "how send reminders"
    assert to_english("Não consigo enviar o arquivo", "pt") == "not can upload file"


def test_german_and_dutch_compounds_split_into_known_words() -> None:
    assert to_english("Die Stromrechnung ist zu hoch", "de") == "electricity bill too high"
    assert _terms("Ich bekomme keinen Bestätigungscode", "de") >= {"verification", "code"}
    assert _terms("Wo sind die Zahlungserinnerungen?", "de") >= {"payment", "reminders"}
    assert _terms("Ik wil betalingsherinneringen sturen", "nl") >= {"payment", "reminders", "send"}
    assert _terms("Mijn rekeninggegevens bijwerken", "nl") >= {"account", "data", "update"}
    # A name whose parts are not both known words stays as it is.
    assert "Taskloom" in to_english("Taskloom funktioniert nicht", "de").split()


def test_sharp_s_folds_to_ss() -> None:
    assert to_english("Wie schließe ich mein Konto?", "de") == "how close account"


@pytest.mark.parametrize("language", sorted(GLOSSARIES))
def test_glossary_lists_each_source_once(language: str) -> None:
    sources = [pair.partition("=")[0] for pair in GLOSSARIES[language].split()]
    assert all("=" in pair for pair in GLOSSARIES[language].split())
    assert len(sources) == len(set(sources))
    assert sources == [_fold_like_glossary(source) for source in sources]


def _fold_like_glossary(source: str) -> str:
    return unicodedata.normalize("NFKD", source).encode("ascii", "ignore").decode().lower()
