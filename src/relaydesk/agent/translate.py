"""Turn a Spanish, French, German or Portuguese message into English search terms.

The knowledge base is written in English and the packaged embedding model is
English-centred, so a message in another language is searched through an English
rendering: its function words are dropped and its words looked up in a glossary of
generic help-desk vocabulary (accounts, billing, plans, files, settings, errors, time).
Words the glossary does not know (product names, numbers, English loanwords such as
"plan" or "Business") are kept as they are. The result is a bag of search terms, not a
translation for people; replies still quote the English articles.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# "source=english" pairs, folded (lower case, no accents). An empty English side drops the
# word (function words). Multi-word sources are matched before single words.
_GLOSSARY: dict[str, str] = {
    "es": """
    el= la= los= las= un= una= unos= unas= de= del= al= a= en= y= o= que= se= me= mi= mis=
    te= tu= tus= su= sus= lo= le= les= nos= nuestro= nuestra= nuestros= nuestras= es= son=
    esta= este= estos= estas= eso= esto= con= para=for por=per sin=without pero= como=how
    hay=there_is tiene=have tienen=have tengo=have tenemos=have puedo=can puede=can pueden=can
    podemos=can quiero=want queremos=want necesito=need necesitamos=need hacer=do hago=do
    cuanto=how_much cuanta=how_much cuantos=how_many cuantas=how_many cuando=when donde=where
    porque=why por_que=why que_pasa=what_happens cuanto_tiempo=how_long cuesta=cost cuestan=cost
    precio=price precios=prices coste=cost costo=cost pagar=pay pago=payment pagos=payments
    factura=invoice facturas=invoices facturacion=billing cobro=charge cobrar=charge
    reembolso=refund devolucion=refund tarjeta=card descuento=discount descuentos=discounts
    estudiante=student estudiantes=students gratis=free gratuito=free prueba=trial
    suscripcion=subscription cancelar=cancel anular=cancel darme_de_baja=cancel plan=plan
    mensual=monthly anual=annual mes=month meses=months ano=year anos=years dia=day dias=days
    semana=week semanas=weeks hora=hour horas=hours minuto=minute minutos=minutes
    cuenta=account cuentas=accounts contrasena=password clave=password usuario=user
    usuarios=users miembro=member miembros=members equipo=team espacio_de_trabajo=workspace
    proyecto=project proyectos=projects tarea=task tareas=tasks archivo=file archivos=files
    adjunto=attachment adjuntos=attachments subir=upload descargar=download exportar=export
    importar=import borrar=delete eliminar=delete eliminado=deleted eliminada=deleted
    eliminadas=deleted eliminados=deleted borrado=deleted borrada=deleted restaurar=restore
    recuperar=recover papelera=trash archivar=archive crear=create cambiar=change
    editar=edit actualizar=update configurar=set_up configuracion=settings ajustes=settings
    notificacion=notification notificaciones=notifications correo=email mensaje=message
    telefono=phone movil=mobile celular=phone aplicacion=app app=app escritorio=desktop
    sin_conexion=offline sincronizar=sync calendario=calendar integracion=integration
    conectar=connect enlace=link compartir=share invitar=invite invitacion=invitation
    permiso=permission permisos=permissions rol=role administrador=admin propietario=owner
    invitado=guest invitados=guests cliente=client clientes=clients seguridad=security
    codigo=code codigos=codes verificar=verify restablecer=reset olvide=forgot
    bloqueado=locked bloqueada=locked error=error problema=problem funciona=works
    idioma=language informe=report plantilla=template plantillas=templates copiar=copy
    duplicar=duplicate regla=rule reglas=rules automatizacion=automation automatico=automatic
    automaticamente=automatically repetir=repeat recordatorio=reminder recordatorios=reminders
    fecha=date fechas=dates vencimiento=due vista=view lista=list tablero=board campo=field
    campos=fields personalizado=custom limite=limit maximo=maximum tamano=size
    almacenamiento=storage datos=data copia_de_seguridad=backup privado=private
    transferir=transfer salir=leave nuevo=new nueva=new cerrar=close abrir=open soporte=support
    ayuda=help persona=person humano=human agente=agent hablar=talk nota=note notas=notes
    documento=document documentos=documents
    """,
    "fr": """
    le= la= les= l= un= une= des= de= du= d= au= aux= a= en= et= ou= que= qu= qui= se= s= me=
    m= mon= ma= mes= ton= ta= tes= son= sa= ses= notre= nos= votre= vos= leur= leurs= est=
    sont= ce= cet= cette= ces= avec= pour=for par=per sans=without mais= dans=in sur=on je=
    j= nous= vous= il= elle= ils= elles= on= y= ne= pas=not plus= elles= ils= comment=how
    il_y_a=there_is ya= avoir=have ai=have avons=have peut=can peux=can pouvons=can
    puis=can veux=want voudrais=want voulons=want faut=need besoin=need faire=do
    combien=how_much combien_de_temps=how_long quand=when ou_est=where pourquoi=why
    restent=stay reste=stays rester=stay coute=cost prix=price tarif=price tarifs=prices
    payer=pay paiement=payment facture=invoice factures=invoices facturation=billing
    remboursement=refund rembourser=refund carte=card reduction=discount remise=discount
    etudiant=student etudiants=students gratuit=free essai=trial abonnement=subscription
    annuler=cancel resilier=cancel forfait=plan offre=plan mensuel=monthly annuel=annual
    mois=month an=year ans=years annee=year jour=day jours=days semaine=week semaines=weeks
    heure=hour heures=hours minute=minute minutes=minutes temps=time compte=account
    comptes=accounts mot_de_passe=password utilisateur=user utilisateurs=users membre=member
    membres=members equipe=team espace_de_travail=workspace projet=project projets=projects
    tache=task taches=tasks fichier=file fichiers=files piece_jointe=attachment
    televerser=upload telecharger=download exporter=export importer=import supprimer=delete
    supprime=deleted supprimee=deleted supprimees=deleted supprimes=deleted effacer=delete
    restaurer=restore recuperer=recover corbeille=trash archiver=archive creer=create
    changer=change modifier=edit mettre_a_jour=update configurer=set_up parametres=settings
    reglages=settings notification=notification notifications=notifications courriel=email
    e_mail=email mail=email message=message telephone=phone mobile=mobile portable=phone
    application=app appli=app bureau=desktop hors_ligne=offline synchroniser=sync
    calendrier=calendar integration=integration connecter=connect relier=connect lien=link
    partager=share inviter=invite invitation=invitation permission=permission droits=permissions
    role=role administrateur=admin proprietaire=owner invite=guest invites=guests client=client
    clients=clients securite=security code=code codes=codes verifier=verify
    reinitialiser=reset oublie=forgot bloque=locked bloquee=locked erreur=error
    probleme=problem fonctionne=works marche=works langue=language rapport=report
    modele=template modeles=templates copier=copy dupliquer=duplicate regle=rule regles=rules
    automatisation=automation automatique=automatic automatiquement=automatically
    repeter=repeat rappel=reminder rappels=reminders date=date dates=dates echeance=due
    vue=view liste=list tableau=board champ=field champs=fields personnalise=custom
    limite=limit maximum=maximum taille=size stockage=storage donnees=data
    sauvegarde=backup prive=private privee=private transferer=transfer quitter=leave
    nouveau=new nouvelle=new fermer=close ouvrir=open assistance=support aide=help
    personne=person humain=human agent=agent parler=talk note=note notes=notes
    document=document documents=documents
    """,
    "de": """
    der= die= das= den= dem= des= ein= eine= einen= einem= einer= eines= und= oder= dass=
    ich= wir= sie= er= es= mich= mir= uns= unser= unsere= unseren= unserem= unserer= mein=
    meine= meinen= meinem= meiner= dein= ihr= ihre= ist= sind= bin= zu= zum= zur= im= in=
    an= am= auf=on mit=with fur=for von=from ohne=without aber= bei= nach= noch= auch= schon=
    nicht=not kein=no keine=no wie=how gibt_es=there_is gibt=there_is habe=have haben=have
    hat=have kann=can konnen=can konnte=can mochte=want mochten=want will=want wollen=want
    brauche=need brauchen=need machen=do wie_viel=how_much wie_viele=how_many
    wie_lange=how_long wann=when wo=where warum=why wieso=why kostet=cost kosten=cost
    preis=price preise=prices bezahlen=pay zahlung=payment rechnung=invoice rechnungen=invoices
    abrechnung=billing erstattung=refund ruckerstattung=refund geld_zuruck=refund
    karte=card kreditkarte=card rabatt=discount student=student studenten=students
    studierende=students kostenlos=free gratis=free testversion=trial abo=subscription
    abonnement=subscription kundigen=cancel stornieren=cancel tarif=plan monatlich=monthly
    jahrlich=annual monat=month monate=months jahr=year jahre=years tag=day tage=days
    tagen=days woche=week wochen=weeks stunde=hour stunden=hours minute=minute
    minuten=minutes konto=account passwort=password kennwort=password benutzer=user
    nutzer=user mitglied=member mitglieder=members team=team arbeitsbereich=workspace
    projekt=project projekte=projects aufgabe=task aufgaben=tasks datei=file dateien=files
    anhang=attachment anhange=attachments hochladen=upload herunterladen=download
    exportieren=export importieren=import loschen=delete geloscht=deleted geloschte=deleted
    entfernen=remove wiederherstellen=restore papierkorb=trash archivieren=archive
    erstellen=create anlegen=create andern=change bearbeiten=edit aktualisieren=update
    einrichten=set_up einstellungen=settings benachrichtigung=notification
    benachrichtigungen=notifications mail=email nachricht=message telefon=phone handy=phone
    mobil=mobile app=app anwendung=app desktop=desktop offline=offline synchronisieren=sync
    kalender=calendar integration=integration verbinden=connect link=link teilen=share
    einladen=invite einladung=invitation berechtigung=permission berechtigungen=permissions
    rolle=role administrator=admin inhaber=owner eigentumer=owner gast=guest gaste=guests
    kunde=client kunden=clients sicherheit=security code=code codes=codes bestatigen=verify
    zurucksetzen=reset vergessen=forgot gesperrt=locked fehler=error problem=problem
    funktioniert=works sprache=language bericht=report vorlage=template vorlagen=templates
    kopieren=copy duplizieren=duplicate regel=rule regeln=rules automatisierung=automation
    automatisch=automatically wiederholen=repeat erinnerung=reminder erinnerungen=reminders
    datum=date fallig=due falligkeitsdatum=due_date ansicht=view liste=list board=board
    feld=field felder=fields benutzerdefiniert=custom limit=limit grenze=limit maximal=maximum
    grosse=size speicher=storage daten=data sicherung=backup privat=private ubertragen=transfer
    verlassen=leave neu=new neue=new neues=new schliessen=close offnen=open support=support
    hilfe=help person=person mensch=human mitarbeiter=agent sprechen=talk notiz=note
    notizen=notes dokument=document dokumente=documents
    """,
    "pt": """
    o= a= os= as= um= uma= uns= umas= de= do= da= dos= das= ao= aos= no= na= nos= nas= em=
    e= ou= que= se= me= meu= minha= meus= minhas= seu= sua= seus= suas= nosso= nossa= nossos=
    nossas= e_um= sao= este= esta= estes= estas= isso= isto= com= para=for pelo=by pela=by
    por=per sem=without mas= como=how eu= voce= ele= ela= tem=there_is ha=there_is
    tenho=have temos=have posso=can pode=can podem=can podemos=can quero=want queremos=want
    preciso=need precisamos=need fazer=do quanto=how_much quanta=how_much quantos=how_many
    quantas=how_many quando=when onde=where por_que=why porque=why quanto_tempo=how_long
    custa=cost custo=cost preco=price precos=prices pagar=pay pagamento=payment fatura=invoice
    faturas=invoices cobranca=billing reembolso=refund cartao=card desconto=discount
    estudante=student estudantes=students gratis=free gratuito=free teste=trial
    assinatura=subscription cancelar=cancel plano=plan mensal=monthly anual=annual mes=month
    meses=months ano=year anos=years dia=day dias=days semana=week semanas=weeks hora=hour
    horas=hours minuto=minute minutos=minutes conta=account contas=accounts senha=password
    usuario=user usuarios=users membro=member membros=members equipe=team time=team
    espaco_de_trabalho=workspace projeto=project projetos=projects tarefa=task tarefas=tasks
    arquivo=file arquivos=files anexo=attachment anexos=attachments enviar=upload
    baixar=download exportar=export importar=import excluir=delete apagar=delete
    excluido=deleted excluida=deleted excluidas=deleted excluidos=deleted apagado=deleted
    restaurar=restore recuperar=recover lixeira=trash arquivar=archive criar=create
    mudar=change alterar=change editar=edit atualizar=update configurar=set_up
    configuracoes=settings notificacao=notification notificacoes=notifications email=email
    mensagem=message telefone=phone celular=phone aplicativo=app app=app computador=desktop
    offline=offline sincronizar=sync calendario=calendar integracao=integration
    conectar=connect link=link compartilhar=share convidar=invite convite=invitation
    permissao=permission permissoes=permissions funcao=role administrador=admin dono=owner
    proprietario=owner convidado=guest convidados=guests cliente=client clientes=clients
    seguranca=security codigo=code codigos=codes verificar=verify redefinir=reset
    esqueci=forgot bloqueado=locked bloqueada=locked erro=error problema=problem
    funciona=works idioma=language relatorio=report modelo=template modelos=templates
    copiar=copy duplicar=duplicate regra=rule regras=rules automacao=automation
    automacoes=automations automatico=automatic automaticamente=automatically
    repetir=repeat lembrete=reminder lembretes=reminders data=date datas=dates
    vencimento=due visualizacao=view lista=list quadro=board campo=field campos=fields
    personalizado=custom limite=limit maximo=maximum tamanho=size armazenamento=storage
    dados=data backup=backup privado=private transferir=transfer sair=leave novo=new
    nova=new fechar=close abrir=open suporte=support ajuda=help pessoa=person humano=human
    atendente=agent falar=talk nota=note notas=notes documento=document
    documentos=documents
    """,
}

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=8)
def _glossary(language: str) -> dict[tuple[str, ...], str]:
    entries: dict[tuple[str, ...], str] = {}
    for pair in _GLOSSARY.get(language, "").split():
        source, _, target = pair.partition("=")
        entries[tuple(source.split("_"))] = target.replace("_", " ")
    return entries


def _variants(word: str, language: str) -> list[str]:
    """Return word and plausible singular forms (a light, language-aware plural strip)."""
    forms = [word]
    if language in ("es", "fr", "pt") and word.endswith("s") and len(word) > 3:
        forms.append(word[:-1])
        if word.endswith("es"):
            forms.append(word[:-2])
    if language in ("es", "pt") and word.endswith("o") and len(word) > 4:
        # First person present ("exporto", "cancelo") -> the infinitive in the glossary.
        forms.extend(word[:-1] + ending for ending in ("ar", "er", "ir"))
    if language == "fr" and word.endswith("e") and len(word) > 4:
        forms.append(word[:-1] + "er")  # "j'exporte" -> "exporter"
    if language == "de":
        for suffix in ("e", "st", "t"):  # "exportiere", "löschst" -> the infinitive
            if word.endswith(suffix) and len(word) > len(suffix) + 3:
                forms.append(word[: -len(suffix)] + "en")
        for suffix in ("en", "n", "e", "s"):
            if word.endswith(suffix) and len(word) > len(suffix) + 3:
                forms.append(word[: -len(suffix)])
    return forms


def to_english(text: str, language: str) -> str:
    """Return English search terms for text in language (text itself when unsupported)."""
    glossary = _glossary(language)
    if not glossary:
        return text
    words = list(_WORD.findall(text))
    folded = [_fold(w).replace("’", "'") for w in words]
    # Elided articles and pronouns (l'équipe, d'un, j'ai) separate into their parts.
    expanded_words: list[str] = []
    expanded_folded: list[str] = []
    for word, fold in zip(words, folded, strict=True):
        if "'" in fold:
            head, _, tail = fold.partition("'")
            expanded_words.extend([head, word.split("'")[-1].split("’")[-1]])
            expanded_folded.extend([head, tail])
        else:
            expanded_words.append(word)
            expanded_folded.append(fold)
    out: list[str] = []
    i = 0
    longest = max((len(k) for k in glossary), default=1)
    while i < len(expanded_folded):
        for size in range(min(longest, len(expanded_folded) - i), 0, -1):
            phrase = tuple(expanded_folded[i : i + size])
            target = glossary.get(phrase)
            if target is None and size == 1:
                target = next(
                    (glossary[(v,)] for v in _variants(phrase[0], language) if (v,) in glossary),
                    None,
                )
            if target is not None:
                if target:
                    out.append(target)
                i += size
                break
        else:
            out.append(expanded_words[i])  # unknown: a name, a number, an English word
            i += 1
    return " ".join(out) if out else text
