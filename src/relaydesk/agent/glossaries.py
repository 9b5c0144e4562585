"""Glossaries from Spanish, French, German, Portuguese, Italian and Dutch to English.

Each language's table is a run of "source=english" pairs, folded (lower case, accents
removed, "ß" as "ss"); an underscore joins the words of a multi-word source ("cuenta_bancaria")
or target ("bank_account"). An empty English side drops the word (articles, pronouns,
auxiliaries, greetings). The vocabulary is that of customer-support messages for any business:
accounts and sign-in, billing and payments, banking and bookkeeping, orders and shipping,
files, settings, errors, time; with the common verbs, adjectives and adverbs of such messages
and their frequent forms (``translate._variants`` guesses the rest).
"""

from __future__ import annotations

GLOSSARIES: dict[str, str] = {
    "es": """
    el= la= los= las= un= una= unos= unas= de= del= al= a= en= y= o= que= se= me= mi= mis= te=
    tu= tus= su= sus= lo= le= les= nos= nuestro= nuestra= nuestros= nuestras= es= son= esta=
    este= estos= estas= eso= esto= con= para=for por=per sin=without pero= como=how hay=there_is
    tiene=have tienen=have tengo=have tenemos=have puedo=can puede=can pueden=can podemos=can
    quiero=want queremos=want necesito=need necesitamos=need hacer=do hago=do cuanto=how_much
    cuanta=how_much cuantos=how_many cuantas=how_many cuando=when donde=where porque=why
    por_que=why que_pasa=what_happens cuanto_tiempo=how_long cuesta=cost cuestan=cost
    precio=price precios=prices coste=cost costo=cost pagar=pay pago=payment pagos=payments
    factura=invoice facturas=invoices facturacion=billing cobro=charge cobrar=charge
    reembolso=refund devolucion=refund tarjeta=card descuento=discount descuentos=discounts
    estudiante=student estudiantes=students gratis=free gratuito=free prueba=trial
    suscripcion=subscription cancelar=cancel anular=cancel darme_de_baja=cancel plan=plan
    mensual=monthly anual=annual mes=month meses=months ano=year anos=years dia=day dias=days
    semana=week semanas=weeks hora=hour horas=hours minuto=minute minutos=minutes cuenta=account
    cuentas=accounts contrasena=password clave=password usuario=user usuarios=users
    miembro=member miembros=members equipo=team espacio_de_trabajo=workspace proyecto=project
    proyectos=projects tarea=task tareas=tasks archivo=file archivos=files adjunto=attachment
    adjuntos=attachments subir=upload descargar=download exportar=export importar=import
    borrar=delete eliminar=delete eliminado=deleted eliminada=deleted eliminadas=deleted
    eliminados=deleted borrado=deleted borrada=deleted restaurar=restore recuperar=recover
    papelera=trash archivar=archive crear=create cambiar=change editar=edit actualizar=update
    configurar=set_up configuracion=settings ajustes=settings notificacion=notification
    notificaciones=notifications correo=email mensaje=message telefono=phone movil=mobile
    celular=phone aplicacion=app app=app escritorio=desktop sin_conexion=offline
    sincronizar=sync calendario=calendar integracion=integration conectar=connect enlace=link
    compartir=share invitar=invite invitacion=invitation permiso=permission permisos=permissions
    rol=role administrador=admin propietario=owner invitado=guest invitados=guests
    cliente=client clientes=clients seguridad=security codigo=code codigos=codes
    verificar=verify restablecer=reset olvide=forgot bloqueado=locked bloqueada=locked
    error=error problema=problem funciona=works idioma=language informe=report
    plantilla=template plantillas=templates copiar=copy duplicar=duplicate regla=rule
    reglas=rules automatizacion=automation automatico=automatic automaticamente=automatically
    repetir=repeat recordatorio=reminder recordatorios=reminders fecha=date fechas=dates
    vencimiento=due vista=view lista=list tablero=board campo=field campos=fields
    personalizado=custom limite=limit maximo=maximum tamano=size almacenamiento=storage
    datos=data copia_de_seguridad=backup privado=private transferir=transfer salir=leave
    nuevo=new nueva=new cerrar=close abrir=open soporte=support ayuda=help persona=person
    humano=human agente=agent hablar=talk nota=note notas=notes documento=document
    documentos=documents yo= usted= ustedes= ellos= ellas= ella= nosotros= algo= alguien=
    alguno= alguna= algun= muy= bien= aqui= ahi= alli= asi= ha= he= has= han= hemos= habia= fue=
    era= estoy= estan= estamos= ser= estar= sido= hola= gracias= por_favor= buenas= buenos_dias=
    saludos= no=not nada=nothing ningun=no ninguna=no ninguno=no si=if todo=all todos=all
    todas=all toda=all cada=each otro=other otra=other otros=other otras=other mismo=same
    misma=same entre=between hasta=until desde=since antes=before despues=after luego=then
    ahora=now hoy=today ayer=yesterday manana=tomorrow siempre=always nunca=never mas=more
    menos=less cual=which cuales=which quien=who ya=already todavia=still aun=still tambien=also
    solo=only solamente=only unicamente=only otra_vez=again de_nuevo=again nuevamente=again
    juntos=together juntas=together a_la_vez=at_once manualmente=manually como_hago_para=how
    como_se=how como_puedo=how_can se_puede=can es_posible=can hay_forma_de=how_can
    hay_alguna_forma_de=how_can hay_manera_de=how_can ver=see veo=see ve=see vemos=see ven=see
    visto=seen visualizar=view encontrar=find encuentro=find encuentra=find encuentran=find
    encontramos=find encontrado=found buscar=search busco=search recibir=receive recibo=receive
    recibe=receive reciben=receive recibimos=receive recibi=received recibido=received
    recibida=received recibidos=received recibidas=received un_recibo=receipt el_recibo=receipt
    los_recibos=receipts recibos=receipts comprobante=receipt comprobantes=receipts enviar=send
    envio=shipping envios=shipments mandar=send mando=send envia=send enviamos=send enviado=sent
    enviada=sent enviados=sent enviadas=sent mandado=sent reenviar=resend cambio=change
    cambia=change cambiado=changed cambie=changed anadir=add agregar=add agrego=add anado=add
    agregado=added anadido=added incluir=include quitar=remove quito=remove quitado=removed
    conecto=connect conectado=connected conectada=connected desconectar=disconnect vincular=link
    vinculado=linked pagado=paid pagada=paid pagadas=paid pagados=paid pague=paid pagamos=pay
    pagan=pay impago=unpaid impagos=unpaid impagada=unpaid impagadas=unpaid sin_pagar=unpaid
    pendiente=pending pendientes=pending pendiente_de_pago=unpaid obtener=get conseguir=get
    consigo=get mantener=keep conservar=keep guardar=save guardo=save guardado=saved
    guardados=saved mostrar=show muestra=shows muestran=show aparece=appears aparecen=appear
    aparecer=appear funcionar=work funcionan=work funciono=worked parar=stop detener=stop
    dejar_de=stop deja_de=stops dejo_de=stopped dejaron_de=stopped empezar=start comenzar=start
    iniciar=start empieza=starts abre=open abierto=open abierta=open cierra=close cerrado=closed
    cerrada=closed iniciar_sesion=log_in inicio_de_sesion=login entrar=log_in acceder=log_in
    acceso=access ingresar=log_in cerrar_sesion=log_out sesion=session registrarse=sign_up
    registrarme=sign_up darme_de_alta=sign_up dar_de_alta=sign_up registrar=record
    registro=record programar=schedule programado=scheduled programada=scheduled
    agendar=schedule convertir=convert dividir=split separar=split combinar=merge fusionar=merge
    unir=merge rastrear=track seguir=track seguimiento=tracking escanear=scan exportado=exported
    importado=imported restaurado=restored deshacer=undo devolver=return devoluciones=returns
    imprimir=print aceptar=accept rechazar=decline rechazado=declined rechazada=declined
    rechazo=declined aprobar=approve asignar=assign reasignar=reassign mover=move ordenar=sort
    filtrar=filter filtro=filter calcular=calculate cobrado=charged cobrada=charged
    cobraron=charged cobran=charge cobra=charges cobros=charges facturar=invoice renovar=renew
    renovacion=renewal vencer=expire vencido=overdue vencida=overdue vencidas=overdue
    vencidos=overdue caducado=expired caducada=expired expirar=expire expirado=expired
    llegar=arrive llega=arrives llegan=arrive llego=arrived usar=use uso=use utilizar=use
    pedir=order pedido=order pedidos=orders orden=order ordenes=orders solicitar=request
    solicitud=request intentar=try intento=try intentado=tried poner=set pongo=set definir=set
    viejo=old vieja=old viejos=old viejas=old antiguo=old antigua=old antiguos=old antiguas=old
    anterior=previous anteriores=previous nuevos=new nuevas=new equivocado=wrong
    equivocada=wrong incorrecto=wrong incorrecta=wrong erroneo=wrong erronea=wrong tarde=late
    atrasado=late atrasada=late retrasado=delayed mensuales=monthly anuales=annual
    semanal=weekly diario=daily trimestral=quarterly automatica=automatic automaticos=automatic
    automaticas=automatic manual=manual duplicado=duplicate duplicada=duplicate doble=double
    correcto=correct disponible=available activo=active activa=active ultimo=last ultima=last
    primero=first primer=first primera=first siguiente=next proximo=next proxima=next banco=bank
    cuenta_bancaria=bank_account cuentas_bancarias=bank_accounts transferencia=transfer
    transferencias=transfers transferencia_bancaria=bank_transfer deposito=deposit
    retiro=withdrawal abono=payout liquidacion=payout comision=fee comisiones=fees tarifa=fee
    tarifas=fees cargo=charge cargos=charges impuesto=tax impuestos=taxes iva=vat
    impuesto_sobre_las_ventas=sales_tax impuesto_sobre_ventas=sales_tax
    impuesto_de_venta=sales_tax gasto=expense gastos=expenses presupuesto=quote
    presupuestos=quotes cotizacion=quote nota_de_credito=credit_note
    notas_de_credito=credit_notes factura_rectificativa=credit_note proveedor=supplier
    proveedores=suppliers gastos_de_envio=shipping_costs costo_de_envio=shipping_cost
    entrega=delivery entregas=deliveries direccion=address correo_electronico=email stock=stock
    existencias=stock inventario=inventory reporte=report informes=reports extracto=statement
    extracto_bancario=bank_statement saldo=balance importe=amount monto=amount cantidad=quantity
    total=total venta=sale ventas=sales compra=purchase compras=purchases producto=product
    productos=products articulo=item articulos=items servicio=service servicios=services
    contabilidad=accounting contable=accountant contador=accountant asiento=entry
    asientos=entries conciliar=reconcile conciliacion=reconciliation movimiento=transaction
    movimientos=transactions transaccion=transaction transacciones=transactions nomina=payroll
    sueldo=salary empleado=employee empleados=employees empresa=company negocio=business
    tienda=shop tienda_online=online_store carrito=cart garantia=warranty numero=number
    nombre=name apellido=last_name firma=signature logotipo=logo pantalla=screen boton=button
    pagina=page sitio_web=website navegador=browser perfil=profile dispositivo=device
    impresora=printer recurrente=recurring periodo=period pais=country ciudad=city
    codigo_postal=postal_code moneda=currency divisa=currency tarjeta_de_credito=credit_card
    domiciliacion=direct_debit cupon=coupon codigo_promocional=promo_code caido=down lento=slow
    cargar=load fallo=failure falla=failure trimestre=quarter fin_de_mes=end_of_month
    mensaje_de_error=error_message fallido=failed fallida=failed fallo_el_pago=payment_failed
    dos=two tres=three veces=times dos_veces=twice vez=time devuelvan=refund devuelven=refund
    dinero=money pasado=last el_ano_pasado=last_year plazos=installments
    a_plazos=in_installments cuotas=installments cuota=fee luz=electricity
    factura_de_la_luz=electricity_bill viene=comes vino=came alto=high alta=high altos=high
    personales=personal personal=personal verificacion=verification dice=says formato=format
    valido=valid invalido=invalid no_valido=invalid dolar=dollar dolares=dollars euro=euro
    euros=euros moroso=overdue morosos=overdue querer=want queria=want quisiera=want saber=know
    organizacion=organization organizaciones=organizations sin_animo_de_lucro=nonprofit
    sin_fines_de_lucro=nonprofit trabaja=works trabajar=work paquete=package paquetes=packages
    dato=data energia=energy agua=water gas=gas contrato=contract contratos=contracts
    tarifa_plana=flat_rate alta_de_servicio=activation baja=cancellation lectura=reading
    contador_de_luz=meter medidor=meter consumo=usage demasiado=too mucho=much poco=little
    caro=expensive barato=cheap devolver_el_dinero=refund devuelvan_el_dinero=refund
    estimacion=estimate estimado=estimated gratuita=free gratuitos=free gratuitas=free
    de_pago=paid version=version versiones=versions opcion=option opciones=options
    activar=enable activado=enabled activada=enabled desactivar=disable desactivado=disabled
    desactivada=disabled autenticacion=authentication
    autenticacion_en_dos_pasos=two_factor_authentication
    verificacion_en_dos_pasos=two_factor_authentication doble_factor=two_factor resumen=summary
    demasiados=too_many demasiadas=too_many varios=several varias=several
    al_mismo_tiempo=at_once perder=lose pierden=lose pierdo=lose perdido=lost perdida=lost
    perdidos=lost perdidas=lost desaparecer=disappear desaparece=disappears
    desaparecen=disappear desaparecido=disappeared jefe=manager responsable=manager quiere=wants
    quieren=want trabajado=worked trabajadas=worked trabajados=worked cargando=loading
    se_queda=stays queda=stays registre=signed_up registrado=signed_up pasar=switch
    cambiarme=switch enseguida=immediately inmediatamente=immediately de_inmediato=immediately
    inmediato=immediate incompleto=incomplete incompleta=incomplete falta=missing faltan=missing
    caja=box roto=damaged rota=damaged danado=damaged danada=damaged estaba= estaban=
    borre=deleted elimine=deleted cancele=cancelled sin_querer=by_mistake por_error=by_mistake
    por_equivocacion=by_mistake colega=colleague colegas=colleagues sabe=knows decir=tell
    posible=possible imposible=impossible confirmacion=confirmation confirmar=confirm
    zona_horaria=time_zone cuatro=four cinco=five diez=ten compartido=shared compartida=shared
    resuelto=resolved resolver=resolve en_proceso=pending obtuve=got deshice=undid hice= hizo=
    """,
    "fr": """
    le= la= les= l= un= une= des= de= du= d= au= aux= a= en= et= ou= que= qu= qui= se= s= me= m=
    mon= ma= mes= ton= ta= tes= son= sa= ses= notre= nos= votre= vos= leur= leurs= est= sont=
    ce= cet= cette= ces= avec= pour=for par=per sans=without mais= dans=in sur=on je= j= nous=
    vous= il= elle= ils= elles= on= y= ne= pas=not plus= comment=how il_y_a=there_is ya=
    avoir=have ai=have avons=have peut=can peux=can pouvons=can puis=can veux=want voudrais=want
    voulons=want faut=need besoin=need faire=do combien=how_much combien_de_temps=how_long
    quand=when ou_est=where pourquoi=why restent=stay reste=stays rester=stay coute=cost
    prix=price tarif=price tarifs=prices payer=pay paiement=payment facture=invoice
    factures=invoices facturation=billing remboursement=refund rembourser=refund carte=card
    reduction=discount remise=discount etudiant=student etudiants=students gratuit=free
    essai=trial abonnement=subscription annuler=cancel resilier=cancel forfait=plan offre=plan
    mensuel=monthly annuel=annual mois=month an=year ans=years annee=year jour=day jours=days
    semaine=week semaines=weeks heure=hour heures=hours minute=minute minutes=minutes temps=time
    compte=account comptes=accounts mot_de_passe=password utilisateur=user utilisateurs=users
    membre=member membres=members equipe=team espace_de_travail=workspace projet=project
    projets=projects tache=task taches=tasks fichier=file fichiers=files piece_jointe=attachment
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
    clients=clients securite=security code=code codes=codes verifier=verify reinitialiser=reset
    oublie=forgot bloque=locked bloquee=locked erreur=error probleme=problem fonctionne=works
    marche=works langue=language rapport=report modele=template modeles=templates copier=copy
    dupliquer=duplicate regle=rule regles=rules automatisation=automation automatique=automatic
    automatiquement=automatically repeter=repeat rappel=reminder rappels=reminders date=date
    dates=dates echeance=due vue=view liste=list tableau=board champ=field champs=fields
    personnalise=custom limite=limit maximum=maximum taille=size stockage=storage donnees=data
    sauvegarde=backup prive=private privee=private transferer=transfer quitter=leave nouveau=new
    nouvelle=new fermer=close ouvrir=open assistance=support aide=help personne=person
    humain=human agent=agent parler=talk note=note notes=notes document=document
    documents=documents tu= te= t= toi= moi= lui= eux= ceci= cela= ca= ici= tres= bien= si=if
    quelque= quelqu= chose= tout=all tous=all toute=all toutes=all chaque=each autre=other
    autres=other meme=same entre=between jusqu=until depuis=since avant=before apres=after
    maintenant=now aujourd_hui=today hier=yesterday demain=tomorrow jamais=never moins=less
    quel=which quelle=which quels=which quelles=which lequel=which laquelle=which deja=already
    encore=again toujours=still seulement=only uniquement=only ne_que=only de_nouveau=again
    a_nouveau=again ensemble=together aussi=also manuellement=manually merci= bonjour= salut=
    svp= plait= s_il_vous_plait= etre= suis= es= etes= ete= etait= fait= fais= faisons= as=have
    avez=have ont=have pouvez=can peuvent=can pourrait=can pourriez=can puisse=can voulez=want
    veut=want aimerais=want aimerions=want dois=must doit=must devons=must devez=must
    comment_faire_pour=how comment_puis_je=how_can est_il_possible_de=can est_ce_possible=can
    voir=see vois=see voit=see voyons=see voyez=see voient=see vu=seen vus=seen afficher=show
    affiche=shows affichent=show affichee=shown affiches=shown montrer=show apparait=appears
    apparaissent=appear apparaitre=appear trouver=find trouve=find trouvons=find trouvez=find
    trouvee=found trouves=found recevoir=receive recois=receive recoit=receive recevons=receive
    recevez=receive recoivent=receive recu=received recue=received recus=received
    recues=received un_recu=receipt le_recu=receipt les_recus=receipts des_recus=receipts
    ticket_de_caisse=receipt justificatif=receipt justificatifs=receipts envoyer=send
    envoie=send envoyons=send envoient=send envoye=sent envoyee=sent envoyes=sent envoyees=sent
    envoi=sending renvoyer=resend changement=change ajouter=add ajoute=add ajoutee=added
    ajoutes=added ajout=addition enlever=remove retirer=remove connexion=login
    se_connecter=log_in me_connecter=log_in deconnecter=disconnect deconnexion=logout
    identifiant=login identifiants=credentials paye=paid payee=paid payees=paid payes=paid
    impaye=unpaid impayee=unpaid impayees=unpaid impayes=unpaid non_paye=unpaid non_payee=unpaid
    non_payees=unpaid en_retard=overdue retard=delay obtenir=get garder=keep conserver=keep
    enregistrer=save sauvegarder=save enregistre=saved fonctionner=work fonctionnent=work
    arreter=stop arrete=stopped cesser=stop commencer=start demarrer=start lancer=start
    ouvert=open ouverte=open ferme=closed fermee=closed inscrire=sign_up inscription=sign_up
    ouvrir_une_session=log_in planifier=schedule programmer=schedule planifie=scheduled
    planifiee=scheduled convertir=convert diviser=split scinder=split fractionner=split
    separer=split fusionner=merge regrouper=merge combiner=merge suivre=track suivi=tracking
    scanner=scan numeriser=scan defaire=undo imprimer=print accepter=accept refuser=decline
    refuse=declined refusee=declined approuver=approve valider=validate attribuer=assign
    assigner=assign reaffecter=reassign deplacer=move chercher=search rechercher=search
    trier=sort filtrer=filter filtre=filter calculer=calculate facturer=invoice debiter=charge
    debite=charged prelever=charge preleve=charged prelevement=direct_debit
    prelevements=direct_debits renouveler=renew renouvellement=renewal expirer=expire
    expire=expired expiree=expired perime=expired arriver=arrive arrive=arrives arrivent=arrive
    utiliser=use utilise=use commander=order commande=order commandes=orders demander=request
    demande=request essayer=try essaye=tried mettre=set met=set mets=set mis=set
    mise_a_jour=update retourner=return retour=return retours=returns vieux=old vieil=old
    vieille=old vieilles=old ancien=old ancienne=old anciens=old anciennes=old
    precedent=previous precedente=previous nouveaux=new nouvelles=new faux=wrong fausse=wrong
    mauvais=wrong mauvaise=wrong incorrect=wrong incorrecte=wrong errone=wrong erronee=wrong
    tard=late mensuelle=monthly mensuels=monthly mensuelles=monthly annuelle=annual
    annuels=annual annuelles=annual hebdomadaire=weekly quotidien=daily trimestriel=quarterly
    automatiques=automatic manuel=manual manuelle=manual double=duplicate doublon=duplicate
    doublons=duplicates disponible=available actif=active active=enabled dernier=last
    derniere=last premier=first premiere=first prochain=next prochaine=next suivant=next
    suivante=next banque=bank compte_bancaire=bank_account comptes_bancaires=bank_accounts
    virement=transfer virements=transfers virement_bancaire=bank_transfer depot=deposit
    retrait=withdrawal versement=payout versements=payouts paiements=payments frais=fees
    commission=fee commissions=fees taxe=tax taxes=taxes impot=tax impots=taxes tva=vat
    taxe_de_vente=sales_tax taxe_sur_les_ventes=sales_tax depense=expense depenses=expenses
    note_de_frais=expense_report notes_de_frais=expense_reports devis=quote estimation=estimate
    un_avoir=credit_note les_avoirs=credit_notes des_avoirs=credit_notes avoirs=credit_notes
    note_de_credit=credit_note fournisseur=supplier fournisseurs=suppliers livraison=delivery
    livraisons=deliveries expedition=shipping frais_de_port=shipping_costs
    frais_de_livraison=delivery_costs adresse=address adresse_e_mail=email_address
    adresse_mail=email_address stock=stock stocks=stock inventaire=inventory rapports=reports
    releve=statement releve_bancaire=bank_statement releve_de_compte=bank_statement
    solde=balance montant=amount quantite=quantity total=total vente=sale ventes=sales
    achat=purchase achats=purchases produit=product produits=products article=item
    articles=items service=service services=services comptabilite=accounting
    comptable=accountant ecriture=entry ecritures=entries rapprochement=reconciliation
    rapprocher=reconcile transaction=transaction transactions=transactions operation=transaction
    operations=transactions salaire=salary paie=payroll employe=employee employes=employees
    salarie=employee salaries=employees entreprise=company societe=company boutique=shop
    magasin=store boutique_en_ligne=online_store panier=cart garantie=warranty numero=number
    nom=name prenom=first_name signature=signature logo=logo ecran=screen bouton=button
    page=page site=website site_web=website navigateur=browser session=session profil=profile
    appareil=device imprimante=printer recurrent=recurring recurrente=recurring periode=period
    pays=country ville=city code_postal=postal_code carte_bancaire=card
    carte_de_credit=credit_card devise=currency monnaie=currency coupon=coupon
    code_promo=promo_code panne=outage lent=slow charger=load chargement=loading
    trimestre=quarter fin_du_mois=end_of_month message_d_erreur=error_message n= echoue=failed
    echouee=failed echec=failure deux=two trois=three fois=times deux_fois=twice
    espace_client=customer_account rib=bank_details coordonnees_bancaires=bank_details
    colis=parcel bouge=moves plusieurs=several en_plusieurs_fois=in_installments
    electricite=electricity beaucoup= trop=too eleve=high elevee=high eleves=high souhaite=want
    souhaiterais=want souhaitons=want verification=verification relance=reminder
    relances=reminders relancer=remind invalide=invalid valide=valid format=format parti=left
    partie=left acces=access argent=money energie=energy eau=water gaz=gas contrat=contract
    contrats=contracts compteur=meter consommation=usage cher=expensive chere=expensive
    paquet=package dit=says annee_derniere=last_year l_annee_derniere=last_year
    mois_dernier=last_month association=association associations=associations ci= gratuite=free
    gratuits=free gratuites=free payant=paid payante=paid version=version e_mails=emails
    option=option options=options activer=enable desactiver=disable desactive=disabled
    authentification=authentication double_authentification=two_factor_authentication
    authentification_a_deux_facteurs=two_factor_authentication resume=summary trop_de=too_many
    en_meme_temps=at_once perdre=lose perdu=lost perdus=lost perdue=lost disparaitre=disappear
    disparait=disappears disparaissent=disappear disparu=disappeared disparus=disappeared
    responsable=manager chef=manager travaille=worked travaillees=worked travailles=worked
    bloquee_sur=stuck_on ouvre=opens inscrit=signed_up inscrite=signed_up passer=switch
    tout_de_suite=immediately immediatement=immediately immediat=immediate incomplet=incomplete
    incomplete=incomplete manque=missing manquent=missing carton=box boite=box abime=damaged
    abimee=damaged endommage=damaged endommagee=damaged casse=broken cassee=broken vers=
    par_erreur=by_mistake collegue=colleague collegues=colleagues savoir=know sais=know
    dire=tell possible=possible impossible=impossible confirmation=confirmation
    confirmer=confirm fuseau_horaire=time_zone quatre=four cinq=five dix=ten partage=shared
    partagee=shared partages=shared resolu=resolved resoudre=resolve en_attente=pending
    obtiens=get obtient=gets obtenu=got obtenue=got
    """,
    "de": """
    der= die= das= den= dem= des= ein= eine= einen= einem= einer= eines= und= oder= dass= ich=
    wir= sie= er= es= mich= mir= uns= unser= unsere= unseren= unserem= unserer= mein= meine=
    meinen= meinem= meiner= dein= ihr= ihre= ist= sind= bin= zu= zum= zur= im= in= an= am=
    auf=on mit=with fur=for von=from ohne=without aber= bei= nach= noch=still auch=
    schon=already nicht=not kein=no keine=no wie=how gibt_es=there_is gibt=there_is habe=have
    haben=have hat=have kann=can konnen=can konnte=can mochte=want mochten=want will=want
    wollen=want brauche=need brauchen=need machen=do wie_viel=how_much wie_viele=how_many
    wie_lange=how_long wann=when wo=where warum=why wieso=why kostet=cost kosten=cost
    preis=price preise=prices bezahlen=pay zahlung=payment rechnung=invoice rechnungen=invoices
    abrechnung=billing erstattung=refund ruckerstattung=refund geld_zuruck=refund karte=card
    kreditkarte=card rabatt=discount student=student studenten=students studierende=students
    kostenlos=free gratis=free testversion=trial abo=subscription abonnement=subscription
    kundigen=cancel stornieren=cancel tarif=plan monatlich=monthly jahrlich=annual monat=month
    monate=months jahr=year jahre=years tag=day tage=days tagen=days woche=week wochen=weeks
    stunde=hour stunden=hours minute=minute minuten=minutes konto=account passwort=password
    kennwort=password benutzer=user nutzer=user mitglied=member mitglieder=members team=team
    arbeitsbereich=workspace projekt=project projekte=projects aufgabe=task aufgaben=tasks
    datei=file dateien=files anhang=attachment anhange=attachments hochladen=upload
    herunterladen=download exportieren=export importieren=import loschen=delete geloscht=deleted
    geloschte=deleted entfernen=remove wiederherstellen=restore papierkorb=trash
    archivieren=archive erstellen=create anlegen=create andern=change bearbeiten=edit
    aktualisieren=update einrichten=set_up einstellungen=settings benachrichtigung=notification
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
    notizen=notes dokument=document dokumente=documents du= dich= dir= ihm= ihn= ihnen= euch=
    man= dieser= diese= dieses= diesen= diesem= jede=each jeden=each jeder=each jedes=each
    alle=all allen=all alles=all etwas= hier= da= dann= wenn=if ob= so= sehr= ja= nein=no doch=
    mal= bitte= danke= hallo= gerne= vielleicht= aus=from uber=about unter=under vor=before
    seit=since bis=until durch=through um= als= gegen= wird= werden= wurde= wurden= war= waren=
    sein= gewesen= hatte=had hast=have habt=have kannst=can konnt=can darf=may durfen=may
    muss=must mussen=must soll=should sollte=should sollen=should mochtest=want willst=want
    wer=who was=what welche=which welcher=which welches=which welchen=which weshalb=why
    bereits=already immer_noch=still noch_einmal=again noch_mal=again nochmal=again erneut=again
    wieder=again nur=only zusammen=together gemeinsam=together immer=always nie=never
    niemals=never jetzt=now heute=today gestern=yesterday morgen=tomorrow sofort=immediately
    spater=later manuell=manually ist_es_moglich=can sehen=see sehe=see sieht=sees siehst=see
    gesehen=seen sichtbar=visible anzeigen=show angezeigt=shown zeigen=show zeigt=shows
    finden=find finde=find findet=finds gefunden=found erhalten=receive erhalte=receive
    erhalt=receives bekommen=get bekomme=get bekommt=gets empfangen=receive senden=send
    sende=send sendet=sends gesendet=sent schicken=send schicke=send schickt=sends
    geschickt=sent verschicken=send versenden=send versendet=sent verschickt=sent
    geandert=changed anderung=change wechseln=switch umstellen=switch hinzufugen=add
    hinzugefugt=added fuge=add hinzu= erganzen=add entferne=remove entfernt=removed
    verbunden=connected verknupfen=link verbindung=connection zahlen=pay bezahlt=paid
    gezahlt=paid bezahlte=paid unbezahlt=unpaid unbezahlte=unpaid offene=open ausstehend=pending
    ausstehende=outstanding uberfallig=overdue uberfallige=overdue behalten=keep speichern=save
    gespeichert=saved aufbewahren=keep funktionieren=work klappt=works geht=works stoppen=stop
    aufhoren=stop anhalten=stop beenden=end starten=start beginnen=start geoffnet=opened
    geschlossen=closed anmelden=log_in anmeldung=login einloggen=log_in login=login
    abmelden=log_out ausloggen=log_out registrieren=sign_up registrierung=sign_up
    planen=schedule einplanen=schedule geplant=scheduled terminieren=schedule
    konvertieren=convert umwandeln=convert aufteilen=split splitten=split zusammenfuhren=merge
    verfolgen=track nachverfolgen=track sendungsverfolgung=shipment_tracking scannen=scan
    einscannen=scan ruckgangig=undo ruckgangig_machen=undo drucken=print akzeptieren=accept
    ablehnen=decline abgelehnt=declined genehmigen=approve freigeben=approve zuweisen=assign
    verschieben=move suchen=search sortieren=sort filtern=filter filter=filter
    berechnen=calculate abbuchen=charge abgebucht=charged belasten=charge belastet=charged
    berechnet=charged lastschrift=direct_debit verlangern=renew verlangerung=renewal
    ablaufen=expire abgelaufen=expired ankommen=arrive angekommen=arrived kommt=comes nutzen=use
    benutzen=use verwenden=use bestellen=order bestellung=order bestellungen=orders
    auftrag=order auftrage=orders anfordern=request anfrage=request versuchen=try versucht=tried
    stellen=set einstellen=set festlegen=set zuruckgeben=return rucksendung=return
    retoure=return alt=old alte=old alten=old alter=old altes=old vorherige=previous
    vorherigen=previous neuen=new neuer=new falsch=wrong falsche=wrong falschen=wrong
    falscher=wrong verspatet=late spat=late monatliche=monthly jahrliche=annual
    wochentlich=weekly taglich=daily vierteljahrlich=quarterly automatische=automatic
    doppelt=twice verfugbar=available aktiv=active letzte=last letzten=last erste=first
    ersten=first nachste=next nachsten=next bank=bank bankkonto=bank_account
    bankkonten=bank_accounts bankverbindung=bank_details uberweisung=transfer
    uberweisungen=transfers einzahlung=deposit auszahlung=payout auszahlungen=payouts gebuhr=fee
    gebuhren=fees steuer=tax steuern=taxes mehrwertsteuer=vat mwst=vat ust=vat umsatzsteuer=vat
    verkaufssteuer=sales_tax quittung=receipt beleg=receipt belege=receipts kassenbon=receipt
    ausgabe=expense ausgaben=expenses angebot=quote angebote=quotes kostenvoranschlag=estimate
    gutschrift=credit_note gutschriften=credit_notes lieferant=supplier lieferanten=suppliers
    versand=shipping versandkosten=shipping_costs lieferung=delivery lieferungen=deliveries
    adresse=address anschrift=address e_mail=email email=email e_mail_adresse=email_address
    lager=stock lagerbestand=stock bestand=stock inventar=inventory berichte=reports
    kontoauszug=bank_statement saldo=balance kontostand=balance betrag=amount menge=quantity
    summe=total verkauf=sale verkaufe=sales umsatz=revenue einkauf=purchase produkt=product
    produkte=products artikel=item dienstleistung=service buchhaltung=accounting
    buchhalter=accountant steuerberater=accountant buchung=entry buchungen=entries
    abgleich=reconciliation abgleichen=reconcile transaktion=transaction
    transaktionen=transactions zahlungen=payments lohn=payroll gehalt=salary firma=company
    unternehmen=company shop=shop onlineshop=online_store warenkorb=cart garantie=warranty
    nummer=number name=name nachname=last_name vorname=first_name unterschrift=signature
    bildschirm=screen schaltflache=button knopf=button seite=page webseite=website
    website=website browser=browser sitzung=session profil=profile gerat=device drucker=printer
    wiederkehrend=recurring wiederkehrende=recurring zeitraum=period land=country stadt=city
    postleitzahl=postal_code wahrung=currency gutschein=coupon rabattcode=promo_code
    ausfall=outage langsam=slow zahlungsart=payment_method zahlungsmethode=payment_method
    lieferschein=delivery_note mahnung=payment_reminder kundennummer=customer_number
    rechnungsnummer=invoice_number quartal=quarter monatsende=end_of_month
    fehlermeldung=error_message lieferadresse=delivery_address rechnungsadresse=billing_address
    fehlgeschlagen=failed kundenkonto=customer_account benutzerkonto=user_account
    zahlungseingang=payment_received mehr=more nicht_mehr=no_longer zweimal=twice zwei=two
    drei=three monatsbeitrag=monthly_fee beitrag=fee beitrage=fees erstatten=refund
    erstattet=refunded zuruckerstatten=refund zuruckerstattet=refunded vom= beim= viel=
    bankdaten=bank_details paket=package pakete=packages raten=installments
    ratenzahlung=installments strom=electricity stromrechnung=electricity_bill hoch=high
    hohe=high zu_hoch=too_high bestatigungscode=verification_code ungultig=invalid
    ungultige=invalid ungultiges=invalid gultig=valid format=format dollar=dollar euro=euro
    saumig=overdue saumige=overdue saumigen=overdue verein=association vereine=associations
    entziehen=revoke entziehe=revoke zugang=access zugriff=access geld=money energie=energy
    wasser=water gas=gas vertrag=contract vertrage=contracts zahler=meter
    zahlerstand=meter_reading verbrauch=usage teuer=expensive gunstig=cheap
    letztes_jahr=last_year letzten_monat=last_month mitarbeiterin=employee angestellte=employee
    bestatigung=confirmation bestatigungen=confirmations erinnern=remind version=version
    versionen=versions option=option optionen=options aktivieren=enable aktiviert=enabled
    deaktivieren=disable deaktiviert=disabled authentifizierung=authentication
    zwei_faktor_authentifizierung=two_factor_authentication zusammenfassung=summary
    zu_viele=too_many mehrere=several mehreren=several gleichzeitig=at_once verlieren=lose
    verloren=lost verschwinden=disappear verschwindet=disappears verschwunden=disappeared
    chef=manager vorgesetzter=manager gearbeitet=worked gearbeiteten=worked ladt=loads
    ewig=forever offnet=opens sich= registriert=signed_up abgerechnet=billed
    unvollstandig=incomplete fehlt=missing fehlen=missing karton=box beschadigt=damaged
    kaputt=broken kam=came jemand= jemandem= jemanden= dieselbe=same derselbe=same dasselbe=same
    pro=per versehentlich=by_mistake aus_versehen=by_mistake kollege=colleague
    kollegin=colleague kollegen=colleagues wissen=know weiss=know sagen=tell moglich=possible
    unmoglich=impossible zeitzone=time_zone vier=four funf=five zehn=ten geteilt=shared
    gelost=resolved losen=resolve in_bearbeitung=pending wiederhergestellt=restored
    """,
    "pt": """
    o= a= os= as= um= uma= uns= umas= de= do= da= dos= das= ao= aos= no= na= nos= nas= em= e=
    ou= que= se= me= meu= minha= meus= minhas= seu= sua= seus= suas= nosso= nossa= nossos=
    nossas= e_um= sao= este= esta= estes= estas= isso= isto= com= para=for pelo=by pela=by
    por=per sem=without mas= como=how eu= voce= ele= ela= tem=there_is ha=there_is tenho=have
    temos=have posso=can pode=can podem=can podemos=can quero=want queremos=want preciso=need
    precisamos=need fazer=do quanto=how_much quanta=how_much quantos=how_many quantas=how_many
    quando=when onde=where por_que=why porque=why quanto_tempo=how_long custa=cost custo=cost
    preco=price precos=prices pagar=pay pagamento=payment fatura=invoice faturas=invoices
    cobranca=billing reembolso=refund cartao=card desconto=discount estudante=student
    estudantes=students gratis=free gratuito=free teste=trial assinatura=subscription
    cancelar=cancel plano=plan mensal=monthly anual=annual mes=month meses=months ano=year
    anos=years dia=day dias=days semana=week semanas=weeks hora=hour horas=hours minuto=minute
    minutos=minutes conta=account contas=accounts senha=password usuario=user usuarios=users
    membro=member membros=members equipe=team time=team espaco_de_trabalho=workspace
    projeto=project projetos=projects tarefa=task tarefas=tasks arquivo=file arquivos=files
    anexo=attachment anexos=attachments enviar=send baixar=download exportar=export
    importar=import excluir=delete apagar=delete excluido=deleted excluida=deleted
    excluidas=deleted excluidos=deleted apagado=deleted restaurar=restore recuperar=recover
    lixeira=trash arquivar=archive criar=create mudar=change alterar=change editar=edit
    atualizar=update configurar=set_up configuracoes=settings notificacao=notification
    notificacoes=notifications email=email mensagem=message telefone=phone celular=phone
    aplicativo=app app=app computador=desktop offline=offline sincronizar=sync
    calendario=calendar integracao=integration conectar=connect link=link compartilhar=share
    convidar=invite convite=invitation permissao=permission permissoes=permissions funcao=role
    administrador=admin dono=owner proprietario=owner convidado=guest convidados=guests
    cliente=client clientes=clients seguranca=security codigo=code codigos=codes
    verificar=verify redefinir=reset esqueci=forgot bloqueado=locked bloqueada=locked erro=error
    problema=problem funciona=works idioma=language relatorio=report modelo=template
    modelos=templates copiar=copy duplicar=duplicate regra=rule regras=rules
    automacao=automation automacoes=automations automatico=automatic
    automaticamente=automatically repetir=repeat lembrete=reminder lembretes=reminders data=date
    datas=dates vencimento=due visualizacao=view lista=list quadro=board campo=field
    campos=fields personalizado=custom limite=limit maximo=maximum tamanho=size
    armazenamento=storage dados=data backup=backup privado=private transferir=transfer
    sair=leave novo=new nova=new fechar=close abrir=open suporte=support ajuda=help
    pessoa=person humano=human atendente=agent falar=talk nota=note notas=notes
    documento=document documentos=documents voces= eles= elas= muito= sim= algum= alguma= assim=
    bem= aqui= ai= la= estou= estao= estamos= foi= era= ser= estar= sido= tinha=had ter=have
    ola= obrigado= obrigada= por_favor= bom_dia= boa_tarde= fiz= fez= acho= achei=found nao=not
    nada=nothing nenhum=no nenhuma=no tudo=all todos=all todas=all todo=all toda=all cada=each
    outro=other outra=other outros=other outras=other mesmo=same mesma=same entre=between
    ate=until desde=since antes=before depois=after agora=now hoje=today ontem=yesterday
    amanha=tomorrow sempre=always nunca=never mais=more menos=less qual=which quais=which
    quem=who ja=already ainda=still so=only somente=only apenas=only de_novo=again
    novamente=again outra_vez=again juntos=together juntas=together tambem=also
    manualmente=manually como_faco_para=how como_faco=how como_posso=how_can e_possivel=can
    da_para=can tem_como=can consigo=can consegue=can conseguimos=can conseguem=can
    conseguir=can ver=see vejo=see ve=see vemos=see veem=see visto=seen vista=seen
    visualizar=view encontrar=find encontro=find encontra=find encontrei=found encontrado=found
    achar=find receber=receive recebo=receive recebe=receive recebem=receive recebemos=receive
    recebi=received recebido=received recebida=received recebidos=received recebidas=received
    recibo=receipt recibos=receipts comprovante=receipt comprovantes=receipts
    nota_fiscal=invoice notas_fiscais=invoices envio=shipping enviei=sent enviado=sent
    enviada=sent enviados=sent enviadas=sent mandar=send mando=send manda=send mandei=sent
    reenviar=resend mudei=changed alterei=changed mudanca=change alteracao=change trocar=change
    troca=exchange adicionar=add adiciono=add adicionei=added adicionado=added adicionada=added
    incluir=include acrescentar=add remover=remove removi=removed removido=removed
    removida=removed tirar=remove conectado=connected conectada=connected desconectar=disconnect
    vincular=link vinculado=linked integrar=integrate pago=paid pagos=paid paga=paid pagas=paid
    paguei=paid pendente=pending pendentes=pending em_aberto=unpaid nao_pago=unpaid
    nao_paga=unpaid nao_pagas=unpaid nao_pagos=unpaid atrasado=overdue atrasada=overdue
    atrasados=overdue atrasadas=overdue em_atraso=overdue vencido=overdue vencida=overdue
    vencidas=overdue vencidos=overdue obter=get pegar=get manter=keep guardar=keep salvar=save
    salvo=saved salva=saved mostrar=show mostra=shows mostram=show exibir=show exibe=shows
    aparece=appears aparecem=appear aparecer=appear funcionar=work funcionam=work
    funcionou=worked parar=stop parou=stopped comecar=start iniciar=start aberto=open
    aberta=open fechado=closed fechada=closed entrar=log_in login=login fazer_login=log_in
    acessar=log_in acesso=access logout=log_out sessao=session cadastrar=sign_up
    cadastro=sign_up inscrever=sign_up registrar=record agendar=schedule agendado=scheduled
    agendada=scheduled programar=schedule converter=convert dividir=split separar=split
    mesclar=merge juntar=merge unir=merge combinar=merge rastrear=track acompanhar=track
    rastreamento=tracking escanear=scan digitalizar=scan desfazer=undo imprimir=print
    aceitar=accept recusar=decline recusado=declined recusada=declined aprovar=approve
    atribuir=assign mover=move buscar=search procurar=search pesquisar=search ordenar=sort
    filtrar=filter filtro=filter calcular=calculate cobrar=charge cobrado=charged
    cobrada=charged cobraram=charged cobrou=charged debitar=charge debitado=charged
    debito_automatico=direct_debit renovar=renew renovacao=renewal expirar=expire
    expirado=expired expirou=expired chegar=arrive chega=arrives chegam=arrive chegou=arrived
    usar=use uso=use utilizar=use pedido=order pedidos=orders encomenda=order encomendas=orders
    solicitar=request solicitacao=request tentar=try tentei=tried colocar=set coloco=set
    definir=set devolver=return devolucao=return devolucoes=returns velho=old velha=old
    velhos=old velhas=old antigo=old antiga=old antigos=old antigas=old anterior=previous
    anteriores=previous novos=new novas=new errado=wrong errada=wrong errados=wrong
    erradas=wrong incorreto=wrong incorreta=wrong mensais=monthly anuais=annual semanal=weekly
    diario=daily trimestral=quarterly automatica=automatic automaticos=automatic
    automaticas=automatic manual=manual duplicado=duplicate duplicada=duplicate
    disponivel=available ativo=active ativa=active ultimo=last ultima=last primeiro=first
    primeira=first proximo=next proxima=next banco=bank conta_bancaria=bank_account
    contas_bancarias=bank_accounts conta_corrente=bank_account transferencia=transfer
    transferencias=transfers transferencia_bancaria=bank_transfer boleto=bank_slip
    boletos=bank_slips deposito=deposit saque=withdrawal repasse=payout repasses=payouts
    taxa=fee taxas=fees tarifa=fee tarifas=fees imposto=tax impostos=taxes iva=vat
    imposto_sobre_vendas=sales_tax despesa=expense despesas=expenses gasto=expense
    gastos=expenses orcamento=quote orcamentos=quotes nota_de_credito=credit_note
    notas_de_credito=credit_notes fornecedor=supplier fornecedores=suppliers frete=shipping
    entrega=delivery entregas=deliveries endereco=address estoque=stock inventario=inventory
    relatorios=reports extrato=statement extrato_bancario=bank_statement saldo=balance
    valor=amount quantidade=quantity total=total venda=sale vendas=sales compra=purchase
    compras=purchases produto=product produtos=products item=item itens=items servico=service
    servicos=services contabilidade=accounting contador=accountant lancamento=entry
    lancamentos=entries conciliacao=reconciliation conciliar=reconcile transacao=transaction
    transacoes=transactions folha_de_pagamento=payroll salario=salary funcionario=employee
    funcionarios=employees empresa=company negocio=business loja=shop loja_virtual=online_store
    carrinho=cart garantia=warranty numero=number nome=name sobrenome=last_name logotipo=logo
    tela=screen botao=button pagina=page site=website navegador=browser perfil=profile
    dispositivo=device impressora=printer recorrente=recurring periodo=period pais=country
    cidade=city cep=postal_code moeda=currency cupom=coupon cartao_de_credito=credit_card
    e_mail=email lento=slow carregar=load falha=failure trimestre=quarter
    mensagem_de_erro=error_message falhou=failed falhado=failed enviar_arquivo=upload_file
    enviar_arquivos=upload_files enviar_o_arquivo=upload_file enviar_os_arquivos=upload_files
    enviar_um_arquivo=upload_file fui= foram= duas=two dois=two tres=three vezes=times
    duas_vezes=twice vez=time mensalidade=monthly_fee mensalidades=monthly_fees dinheiro=money
    de_volta=back passado=last ano_passado=last_year mes_passado=last_month
    dados_bancarios=bank_details bancarios=bank bancaria=bank rastreio=tracking
    parcelado=in_installments parcelas=installments parcela=installment luz=electricity
    conta_de_luz=electricity_bill veio=came vem=comes alto=high alta=high altos=high
    verificacao=verification diz=says formato=format invalido=invalid valido=valid dolar=dollar
    dolares=dollars real=real reais=reais inadimplente=overdue inadimplentes=overdue
    ong=nonprofit ongs=nonprofits saiu=left tiro=remove dele= dela= pacote=package
    pacotes=packages energia=energy agua=water gas=gas contrato=contract contratos=contracts
    medidor=meter consumo=usage caro=expensive barato=cheap demais=too_many estimativa=estimate
    tarde=late gratuita=free gratuitos=free gratuitas=free versao=version versoes=versions
    e_mails=emails mails=emails opcao=option opcoes=options ativar=enable ativado=enabled
    ativada=enabled desativar=disable desativado=disabled desativada=disabled
    autenticacao=authentication autenticacao_em_dois_fatores=two_factor_authentication
    autenticacao_de_dois_fatores=two_factor_authentication resumo=summary varias=several
    varios=several ao_mesmo_tempo=at_once perder=lose perdi=lost perdido=lost perdida=lost
    sumir=disappear some=disappears somem=disappear sumiu=disappeared sumiram=disappeared
    chefe=manager gerente=manager responsavel=manager quer=wants queria=want trabalhadas=worked
    trabalhado=worked carregando=loading fica=stays ficou=stayed abre=opens cadastrei=signed_up
    cadastrado=signed_up passar=switch imediata=immediate imediato=immediate
    imediatamente=immediately na_hora=immediately incompleto=incomplete incompleta=incomplete
    falta=missing faltam=missing faltando=missing caixa=box danificado=damaged
    danificada=damaged quebrado=broken quebrada=broken alguem= querer=want apaguei=deleted
    exclui=deleted por_engano=by_mistake engano=mistake sem_querer=by_mistake colega=colleague
    colegas=colleagues saber=know dizer=tell possivel=possible impossivel=impossible
    confirmacao=confirmation confirmar=confirm fuso_horario=time_zone quatro=four cinco=five
    dez=ten compartilhado=shared compartilhada=shared resolvido=resolved resolver=resolve
    em_andamento=pending desfiz=undid obtenho=get obtive=got
    """,
    "it": """
    il= lo= la= i= gli= le= l= un= uno= una= di= d= del= dello= della= dei= degli= delle= dell=
    a= ad= al= allo= alla= ai= agli= alle= all= da= dal= dallo= dalla= dai= dagli= dalle= dall=
    in= nel= nello= nella= nei= negli= nelle= nell= su=on sul=on sullo=on sulla=on sui=on
    sulle=on sull=on con=with col= per=for tra=between fra=between e= ed= o= oppure= ma= che=
    se=if mi= ti= si= ci= c= vi= ne= me= te= lui= lei= noi= voi= loro= io= tu= mio= mia= miei=
    mie= tuo= tua= tuoi= tue= suo= sua= suoi= sue= nostro= nostra= nostri= nostre= vostro=
    vostra= vostri= vostre= questo= questa= questi= queste= quest= quello= quella= quelli=
    quelle= quel= sono= sei= siamo= siete= era= erano= stato= stata= stati= state= essere= sto=
    sta= stiamo= stanno= molto= tanto= qui= qua= li= cosi= bene= ciao= salve= buongiorno=
    buonasera= grazie= per_favore= perfavore= prego= gentilmente= qualcosa= qualcuno= qualche=
    ogni=each tutto=all tutti=all tutta=all tutte=all altro=other altra=other altri=other
    altre=other stesso=same stessa=same ho=have hai=have ha=have abbiamo=have avete=have
    hanno=have avere=have avevo=had non=not piu=more meno=less anche=also gia=already
    ancora=still solo=only soltanto=only solamente=only di_nuovo=again nuovamente=again
    ancora_una_volta=again insieme=together automaticamente=automatically manualmente=manually
    sempre=always mai=never ora=now adesso=now oggi=today ieri=yesterday domani=tomorrow
    prima=before dopo=after poi=then fino_a=until da_quando=since come=how come_faccio_a=how
    come_faccio=how come_posso=how_can come_si=how cosa=what che_cosa=what quale=which
    quali=which quanto=how_much quanta=how_much quanti=how_many quante=how_many
    quanto_tempo=how_long quando=when dove=where perche=why chi=who e_possibile=can si_puo=can
    c_e=there_is ci_sono=there_are c_e_un_modo_per=how_can c_e_modo_di=how_can posso=can puo=can
    possiamo=can potete=can possono=can potere=can potrei=can potremmo=can voglio=want
    vorrei=want vogliamo=want vorremmo=want devo=must dobbiamo=must dovrei=should bisogna=need
    ho_bisogno_di=need bisogno=need serve=need servono=need fare=do faccio=do fa=do fatto=done
    costa=cost costano=cost costo=cost costi=costs prezzo=price prezzi=prices pagare=pay
    pago=pay paghiamo=pay pagamento=payment pagamenti=payments fattura=invoice fatture=invoices
    fatturazione=billing fatturare=invoice addebito=charge addebiti=charges addebitare=charge
    addebitato=charged addebitata=charged rimborso=refund rimborsi=refunds rimborsare=refund
    carta=card carta_di_credito=credit_card sconto=discount sconti=discounts studente=student
    studenti=students gratis=free gratuito=free gratuita=free prova=trial periodo_di_prova=trial
    abbonamento=subscription abbonamenti=subscriptions annullare=cancel annullato=cancelled
    annullata=cancelled annullati=cancelled annullate=cancelled disdire=cancel
    disdetta=cancellation cancellare=delete cancellato=deleted cancellata=deleted
    cancellati=deleted cancellate=deleted piano=plan piani=plans mensile=monthly mensili=monthly
    annuale=annual annuali=annual mese=month mesi=months anno=year anni=years giorno=day
    giorni=days settimana=week settimane=weeks un_ora=hour ore=hours minuto=minute
    minuti=minutes tempo=time account=account conto=account conti=accounts password=password
    utente=user utenti=users membro=member membri=members squadra=team team=team
    spazio_di_lavoro=workspace area_di_lavoro=workspace progetto=project progetti=projects
    attivita=task compito=task compiti=tasks file=file allegato=attachment allegati=attachments
    caricare=upload scaricare=download esportare=export importare=import eliminare=delete
    eliminato=deleted eliminata=deleted eliminati=deleted eliminate=deleted rimuovere=remove
    rimosso=removed rimossa=removed ripristinare=restore ripristino=restore recuperare=recover
    cestino=trash archiviare=archive creare=create cambiare=change cambiato=changed
    modificare=edit modifica=edit aggiornare=update aggiornamento=update configurare=set_up
    impostare=set_up impostazioni=settings notifica=notification notifiche=notifications
    email=email mail=email e_mail=email posta=mail messaggio=message messaggi=messages
    telefono=phone cellulare=phone app=app applicazione=app desktop=desktop offline=offline
    sincronizzare=sync calendario=calendar integrazione=integration collegare=connect
    connettere=connect collegato=connected collegata=connected scollegare=disconnect link=link
    collegamento=link condividere=share invitare=invite invito=invitation permesso=permission
    permessi=permissions ruolo=role amministratore=admin proprietario=owner ospite=guest
    ospiti=guests cliente=client clienti=clients sicurezza=security codice=code codici=codes
    verificare=verify reimpostare=reset dimenticato=forgot ho_dimenticato=forgot bloccato=locked
    bloccata=locked errore=error errori=errors per_errore=by_mistake problema=problem
    problemi=problems funziona=works funzionano=work funzionare=work lingua=language
    rapporto=report report=report modello=template modelli=templates copiare=copy
    duplicare=duplicate regola=rule regole=rules automazione=automation automatico=automatic
    automatica=automatic automatici=automatic automatiche=automatic ripetere=repeat
    promemoria=reminder data=date date=dates scadenza=due data_di_scadenza=due_date vista=view
    elenco=list lista=list bacheca=board campo=field campi=fields personalizzato=custom
    limite=limit massimo=maximum dimensione=size archiviazione=storage spazio=storage dati=data
    backup=backup privato=private trasferire=transfer lasciare=leave uscire=leave nuovo=new
    nuova=new nuovi=new nuove=new chiudere=close aprire=open aperto=open chiuso=closed
    assistenza=support supporto=support aiuto=help persona=person umano=human operatore=agent
    agente=agent parlare=talk nota=note note=notes documento=document documenti=documents
    vedere=see vedo=see vede=see vediamo=see vedono=see visto=seen visualizzare=view
    visualizza=shows trovare=find trovo=find trova=find troviamo=find trovato=found
    ricevere=receive ricevo=receive riceve=receive riceviamo=receive ricevono=receive
    ricevuto=received ricevuti=received ricevuta=receipt ricevute=receipts scontrino=receipt
    scontrini=receipts inviare=send invio=send inviato=sent inviata=sent inviati=sent
    mandare=send spedire=ship spedizione=shipping spedizioni=shipments spedito=shipped
    aggiungere=add aggiungo=add aggiunto=added aggiunta=added togliere=remove pagato=paid
    pagata=paid pagate=paid pagati=paid non_pagato=unpaid non_pagata=unpaid non_pagate=unpaid
    non_pagati=unpaid insoluto=unpaid insoluta=unpaid insolute=unpaid insoluti=unpaid
    in_ritardo=overdue scaduto=overdue scaduta=overdue scadute=overdue scaduti=overdue
    ottenere=get tenere=keep mantenere=keep conservare=keep salvare=save salvato=saved
    mostrare=show mostra=shows appare=appears compare=appears appaiono=appear smettere=stop
    fermare=stop interrompere=stop ha_smesso_di=stopped iniziare=start avviare=start
    cominciare=start accedere=log_in accesso=access login=login entrare=log_in
    disconnettersi=log_out esci=log_out logout=log_out registrarsi=sign_up registrarmi=sign_up
    registrazione=sign_up iscriversi=sign_up iscrizione=sign_up registrare=record
    pianificare=schedule programmare=schedule pianificato=scheduled programmato=scheduled
    convertire=convert dividere=split suddividere=split separare=split unire=merge
    unificare=merge accorpare=merge tracciare=track monitorare=track tracciamento=tracking
    scansionare=scan tornare_indietro=undo stampare=print accettare=accept rifiutare=decline
    rifiutato=declined rifiutata=declined approvare=approve assegnare=assign spostare=move
    cercare=search ordinare=order ordine=order ordini=orders filtrare=filter filtro=filter
    calcolare=calculate rinnovare=renew rinnovo=renewal scadere=expire arrivare=arrive
    arriva=arrives arrivano=arrive arrivato=arrived arrivata=arrived usare=use utilizzare=use
    uso=use richiedere=request richiesta=request richieste=requests provare=try provato=tried
    mettere=set metto=set inserire=enter restituire=return reso=return resi=returns vecchio=old
    vecchia=old vecchi=old vecchie=old precedente=previous precedenti=previous sbagliato=wrong
    sbagliata=wrong sbagliati=wrong sbagliate=wrong errato=wrong errata=wrong errati=wrong
    errate=wrong ritardo=delay settimanale=weekly giornaliero=daily trimestrale=quarterly
    manuale=manual doppio=duplicate doppia=duplicate duplicato=duplicate disponibile=available
    attivo=active attiva=active ultimo=last ultima=last primo=first prossimo=next prossima=next
    successivo=next banca=bank conto_bancario=bank_account conti_bancari=bank_accounts
    conto_corrente=bank_account bonifico=transfer bonifici=transfers
    bonifico_bancario=bank_transfer trasferimento=transfer deposito=deposit prelievo=withdrawal
    versamento=payout accredito=payout accrediti=payouts commissione=fee commissioni=fees
    tariffa=fee tariffe=fees tassa=tax tasse=taxes imposta=tax imposte=taxes iva=vat
    imposta_sulle_vendite=sales_tax spesa=expense spese=expenses nota_spese=expense_report
    preventivo=quote preventivi=quotes nota_di_credito=credit_note note_di_credito=credit_notes
    fornitore=supplier fornitori=suppliers consegna=delivery consegne=deliveries
    spese_di_spedizione=shipping_costs indirizzo=address indirizzo_email=email_address
    magazzino=stock giacenza=stock giacenze=stock scorte=stock inventario=inventory
    rapporti=reports estratto_conto=bank_statement saldo=balance importo=amount importi=amounts
    quantita=quantity totale=total vendita=sale vendite=sales acquisto=purchase
    acquisti=purchases prodotto=product prodotti=products articolo=item articoli=items
    servizio=service servizi=services contabilita=accounting commercialista=accountant
    contabile=accountant riconciliazione=reconciliation riconciliare=reconcile
    transazione=transaction transazioni=transactions movimento=transaction
    movimenti=transactions stipendio=salary stipendi=payroll busta_paga=payslip
    dipendente=employee dipendenti=employees azienda=company societa=company negozio=shop
    negozio_online=online_store carrello=cart garanzia=warranty numero=number nome=name
    cognome=last_name firma=signature logo=logo schermo=screen schermata=screen pulsante=button
    bottone=button pagina=page sito=website sito_web=website browser=browser sessione=session
    profilo=profile dispositivo=device stampante=printer ricorrente=recurring
    ricorrenti=recurring periodo=period paese=country citta=city cap=postal_code valuta=currency
    moneta=currency coupon=coupon codice_sconto=promo_code lento=slow caricamento=loading
    trimestre=quarter fine_mese=end_of_month messaggio_di_errore=error_message riesco=can
    riesce=can riusciamo=can riescono=can riuscire=can fallito=failed fallita=failed due=two
    tre=three volte=times volta=time due_volte=twice canone=fee canoni=fees scorso=last
    scorsa=last anno_scorso=last_year mese_scorso=last_month iban=iban
    addebito_diretto=direct_debit domiciliazione=direct_debit coordinate_bancarie=bank_details
    pacco=parcel pacchi=parcels pacchetto=package rate=installments a_rate=in_installments
    bolletta=bill bollette=bills luce=electricity troppo=too alta=high alto=high alti=high
    formato=format valido=valid non_valido=invalid dollari=dollars dollaro=dollar euro=euro
    sollecito=payment_reminder solleciti=payment_reminders associazione=association
    associazioni=associations andato=left andata=left tolgo=remove soldi=money denaro=money
    energia=energy acqua=water gas=gas contratto=contract contratti=contracts contatore=meter
    consumo=usage consumi=usage caro=expensive economico=cheap dice=says n= stima=estimate
    tardi=late sbaglio=mistake per_sbaglio=by_mistake versione=version versioni=versions
    opzione=option opzioni=options attivare=enable attivato=enabled attivata=enabled
    disattivare=disable disattivato=disabled disattivata=disabled autenticazione=authentication
    autenticazione_a_due_fattori=two_factor_authentication riepilogo=summary troppe=too_many
    troppi=too_many diverse=several diversi=several vari=several varie=several
    contemporaneamente=at_once allo_stesso_tempo=at_once perdere=lose perso=lost persi=lost
    persa=lost perse=lost sparire=disappear sparisce=disappears spariscono=disappear
    sparito=disappeared spariti=disappeared capo=manager responsabile=manager vuole=wants
    vogliono=want lavorato=worked lavorate=worked lavorati=worked resta=stays rimane=stays
    apre=opens si_apre=opens registrato=signed_up registrata=signed_up passare=switch
    subito=immediately immediatamente=immediately immediato=immediate incompleto=incomplete
    incompleta=incomplete manca=missing mancano=missing mancante=missing scatola=box
    rovinato=damaged rovinata=damaged danneggiato=damaged danneggiata=damaged rotto=broken
    rotta=broken cui= collega=colleague colleghi=colleagues sapere=know so=know dire=tell
    una_sola=one sola=single solo_una=one risulta=shows in_sospeso=pending sospeso=pending
    conferma=confirmation confermare=confirm si_trova=is trovano=found si_trovano=are
    fuso_orario=time_zone quattro=four cinque=five dieci=ten condiviso=shared condivisa=shared
    condivisi=shared verra=will sto_cercando_di=trying_to cercando=searching risolto=resolved
    risolta=resolved risolvere=resolve possibile=possible impossibile=impossible ottengo=get
    ottiene=gets tengo=keep unisco=merge diviso=split divisa=split unito=merged unita=merged
    """,
    "nl": """
    de= het= een= en= of= maar= dat= die= dit= deze= ik= je= jij= u= we= wij= hij= zij= ze= mij=
    me= mijn= jouw= jullie= uw= zijn= haar= ons= onze= hun= is= ben= bent= was= waren= wordt=
    worden= werd= zal= zullen= zou= zouden= er= te= van= voor=for met=with zonder=without op=on
    in= aan= bij= naar= om= uit=from over=about door= tot=until sinds=since na=after
    tussen=between als=if dan= ook=also zo= heel= erg= wel= hallo= hoi= goedemorgen= bedankt=
    dank= alvast= alstublieft= aub= graag= even= eens= toch= hier= daar= iets= iemand= elke=each
    elk=each ieder=each iedere=each alle=all alles=all andere=other ander=other zelfde=same
    dezelfde=same hetzelfde=same meer=more minder=less niet=not geen=no al=already nog=still
    nog_steeds=still nog_altijd=still weer=again opnieuw=again alleen=only enkel=only
    slechts=only samen=together automatisch=automatically handmatig=manually altijd=always
    nooit=never nu=now vandaag=today gisteren=yesterday morgen=tomorrow eerst=first daarna=then
    later=later hoe=how hoe_kan_ik=how_can hoe_doe_ik=how hoe_moet_ik=how wat=what welke=which
    welk=which wie=who waar=where wanneer=when waarom=why hoeveel=how_much
    hoeveel_kost=how_much_cost hoe_lang=how_long is_het_mogelijk=can er_is=there_is
    zijn_er=there_are kan=can kunnen=can kun=can kunt=can wil=want willen=want wilt=want
    moet=must moeten=must mag=may mogen=may heb=have hebben=have heeft=have hebt=have had=had
    doen=do doe=do doet=do gedaan=done nodig=need kost=cost kosten=cost prijs=price
    prijzen=prices betalen=pay betaal=pay betaalt=pays betaling=payment betalingen=payments
    factuur=invoice facturen=invoices facturatie=billing facturering=billing factureren=invoice
    rekening=account rekeningen=accounts afschrijving=charge afschrijvingen=charges
    terugbetaling=refund terugbetalen=refund restitutie=refund geld_terug=refund kaart=card
    creditcard=credit_card korting=discount kortingen=discounts student=student
    studenten=students gratis=free kosteloos=free proefperiode=trial proefversie=trial
    abonnement=subscription abonnementen=subscriptions opzeggen=cancel annuleren=cancel
    geannuleerd=cancelled stopzetten=cancel plan=plan pakket=package maandelijks=monthly
    maandelijkse=monthly jaarlijks=annual jaarlijkse=annual maand=month maanden=months jaar=year
    jaren=years dag=day dagen=days week=week weken=weeks uur=hour uren=hours minuut=minute
    minuten=minutes tijd=time account=account wachtwoord=password gebruiker=user
    gebruikers=users lid=member leden=members team=team werkruimte=workspace project=project
    projecten=projects taak=task taken=tasks bestand=file bestanden=files bijlage=attachment
    bijlagen=attachments uploaden=upload downloaden=download exporteren=export importeren=import
    verwijderen=delete verwijder=delete verwijderd=deleted verwijderde=deleted weghalen=remove
    herstellen=restore herstel=restore hersteld=restored terugzetten=restore terughalen=recover
    prullenbak=trash archiveren=archive aanmaken=create maken=create maak=create wijzigen=change
    wijzig=change gewijzigd=changed veranderen=change aanpassen=edit bewerken=edit
    bijwerken=update updaten=update instellen=set_up instellingen=settings melding=notification
    meldingen=notifications e_mail=email email=email mail=email mails=emails bericht=message
    berichten=messages telefoon=phone mobiel=mobile app=app applicatie=app desktop=desktop
    offline=offline synchroniseren=sync agenda=calendar kalender=calendar integratie=integration
    koppelen=connect koppel=connect gekoppeld=connected koppeling=integration
    ontkoppelen=disconnect verbinden=connect verbinding=connection link=link delen=share
    uitnodigen=invite uitnodiging=invitation toestemming=permission rechten=permissions rol=role
    beheerder=admin eigenaar=owner gast=guest gasten=guests klant=client klanten=clients
    beveiliging=security veiligheid=security code=code codes=codes verifieren=verify
    resetten=reset vergeten=forgot geblokkeerd=locked fout=error fouten=errors
    foutmelding=error_message per_ongeluk=by_mistake probleem=problem problemen=problems
    werkt=works werken=work taal=language rapport=report rapporten=reports verslag=report
    sjabloon=template sjablonen=templates kopieren=copy dupliceren=duplicate regel=rule
    regels=rules automatisering=automation automatische=automatic herhalen=repeat
    herinnering=reminder herinneringen=reminders datum=date vervaldatum=due_date weergave=view
    lijst=list bord=board veld=field velden=fields aangepast=custom limiet=limit maximum=maximum
    grootte=size opslag=storage opslagruimte=storage gegevens=data back_up=backup backup=backup
    prive=private overzetten=transfer overdragen=transfer verlaten=leave nieuw=new nieuwe=new
    sluiten=close openen=open geopend=opened gesloten=closed ondersteuning=support hulp=help
    helpdesk=support persoon=person mens=human medewerker=agent spreken=talk praten=talk
    notitie=note notities=notes document=document documenten=documents zien=see zie=see ziet=see
    gezien=seen bekijken=view vinden=find vind=find vindt=find gevonden=found ontvangen=receive
    ontvang=receive ontvangt=receive sturen=send stuur=send stuurt=send verzenden=send
    versturen=send verstuur=send verstuurd=sent verzonden=sent gestuurd=sent toevoegen=add
    voeg=add toe= toegevoegd=added betaald=paid betaalde=paid onbetaald=unpaid onbetaalde=unpaid
    openstaand=outstanding openstaande=outstanding achterstallig=overdue achterstallige=overdue
    te_laat=late krijgen=get krijg=get krijgt=get houden=keep bewaren=keep behouden=keep
    opslaan=save sla=save opgeslagen=saved tonen=show toon=show toont=shows weergeven=show
    verschijnt=appears verschijnen=appear stoppen=stop stop=stop stopt=stops gestopt=stopped
    beginnen=start starten=start begint=starts inloggen=log_in log_in=log_in aanmelden=log_in
    uitloggen=log_out afmelden=log_out login=login registreren=sign_up registratie=sign_up
    inschrijven=sign_up plannen=schedule inplannen=schedule gepland=scheduled omzetten=convert
    converteren=convert splitsen=split opsplitsen=split samenvoegen=merge volgen=track
    traceren=track track_en_trace=tracking scannen=scan ongedaan_maken=undo ongedaan=undo
    zet=set zetten=set printen=print afdrukken=print accepteren=accept weigeren=decline
    geweigerd=declined goedkeuren=approve toewijzen=assign verplaatsen=move zoeken=search
    sorteren=sort filteren=filter berekenen=calculate afgeschreven=charged incasso=direct_debit
    automatische_incasso=direct_debit verlengen=renew verlenging=renewal verlopen=expired
    aankomen=arrive komt=comes aangekomen=arrived gebruiken=use gebruik=use bestellen=order
    bestelling=order bestellingen=orders order=order orders=orders aanvragen=request
    aanvraag=request verzoek=request proberen=try probeer=try geprobeerd=tried
    retourneren=return retour=return retouren=returns oud=old oude=old vorige=previous
    verkeerd=wrong verkeerde=wrong onjuist=wrong onjuiste=wrong laat=late wekelijks=weekly
    dagelijks=daily per_kwartaal=quarterly dubbel=twice dubbele=duplicate beschikbaar=available
    actief=active laatste=last eerste=first volgende=next bank=bank bankrekening=bank_account
    bankrekeningen=bank_accounts rekeningnummer=account_number overschrijving=transfer
    overboeking=transfer overboekingen=transfers storting=deposit opname=withdrawal
    uitbetaling=payout uitbetalingen=payouts vergoeding=fee transactiekosten=transaction_fees
    belasting=tax belastingen=taxes btw=vat omzetbelasting=sales_tax bon=receipt
    bonnetje=receipt kassabon=receipt ontvangstbewijs=receipt uitgave=expense uitgaven=expenses
    onkosten=expenses offerte=quote offertes=quotes creditnota=credit_note
    creditnota_s=credit_notes creditfactuur=credit_note leverancier=supplier
    leveranciers=suppliers verzending=shipping verzendkosten=shipping_costs levering=delivery
    leveringen=deliveries bezorging=delivery adres=address e_mailadres=email_address
    emailadres=email_address voorraad=stock inventaris=inventory afschrift=statement
    bankafschrift=bank_statement saldo=balance bedrag=amount bedragen=amounts aantal=quantity
    totaal=total verkoop=sale verkopen=sales omzet=revenue inkoop=purchase aankoop=purchase
    aankopen=purchases product=product producten=products artikel=item artikelen=items
    dienst=service diensten=services boekhouding=bookkeeping administratie=accounting
    boekhouder=accountant boeking=entry boekingen=entries afstemmen=reconcile
    transactie=transaction transacties=transactions salaris=salary loonadministratie=payroll
    werknemer=employee werknemers=employees bedrijf=company onderneming=business winkel=shop
    webshop=online_store winkelwagen=cart garantie=warranty nummer=number naam=name
    achternaam=last_name handtekening=signature logo=logo scherm=screen knop=button pagina=page
    website=website browser=browser sessie=session profiel=profile apparaat=device
    printer=printer terugkerend=recurring terugkerende=recurring periode=period land=country
    stad=city postcode=postal_code valuta=currency munt=currency kortingscode=promo_code
    coupon=coupon storing=outage traag=slow langzaam=slow laden=load kwartaal=quarter
    einde_van_de_maand=end_of_month mislukt=failed mislukte=failed mislukken=fail lukt=works
    lukken=work twee=two drie=three keer=times twee_keer=twice vorig=last
    vorige_maand=last_month vorig_jaar=last_year pakketten=packages bijgewerkt=updated
    termijnen=installments in_termijnen=in_installments veel= hoog=high hoge=high
    te_hoog=too_high al_mijn=all al_onze=all al_de=all laten= ongeldig=invalid ongeldige=invalid
    geldig=valid formaat=format stichting=foundation stichtingen=foundations
    vereniging=association verenigingen=associations vertrokken=left intrekken=revoke
    trek=revoke toegang=access geld=money energie=energy stroom=electricity water=water gas=gas
    contract=contract contracten=contracts meter=meter meterstand=meter_reading verbruik=usage
    duur=expensive goedkoop=cheap verificatie=verification zegt=says bevestiging=confirmation
    bevestigen=confirm herinneren=remind energierekening=energy_bill schatting=estimate
    versie=version versies=versions e_mails=emails optie=option opties=options activeren=enable
    geactiveerd=enabled uitschakelen=disable uitgeschakeld=disabled inschakelen=enable
    ingeschakeld=enabled tweestapsverificatie=two_factor_authentication
    authenticatie=authentication samenvatting=summary te_veel=too_many meerdere=several
    tegelijk=at_once tegelijkertijd=at_once kwijt=lost verliezen=lose verloren=lost
    verdwijnen=disappear verdwijnt=disappears verdwenen=disappeared leidinggevende=manager
    manager=manager baas=manager gewerkt=worked gewerkte=worked blijft=stays opent=opens
    geregistreerd=signed_up overstappen=switch meteen=immediately direct=immediately
    onmiddellijk=immediately onvolledig=incomplete ontbreekt=missing ontbreken=missing doos=box
    beschadigd=damaged kapot=broken waarmee= maximaal=maximum teamlid=team_member
    teamleden=team_members dagelijkse=daily wekelijkse=weekly aangepaste=custom
    collega=colleague collegas=colleagues weten=know weet=know vertellen=tell mogelijk=possible
    onmogelijk=impossible samen_te_voegen=merge in_behandeling=pending staat=is
    tijdzone=time_zone verdelen=split vier=four vijf=five tien=ten gedeeld=shared
    opgelost=resolved oplossen=resolve bevestigingsmail=confirmation_email gestart=started
    gekregen=got
    """,
}
