"""What citizens type finds the right default article in the first three, on both databases.

Wordings written for the project as a citizen would type them: no accents, everyday words,
typos, no démarche name. Aim: nine in ten in the top three (45 of 45 when written); a miss
is named so that the article's keywords can be improved.
"""

from parvis.knowledge.search import search_articles

WORDINGS = [
    ("pasport", "passeport"),
    ("renouveler ma carte d identite", "carte-nationale-d-identite"),
    ("cni perdue", "perte-ou-vol-de-papiers-d-identite"),
    ("on m a vole mon portefeuille avec mes papiers", "perte-ou-vol-de-papiers-d-identite"),
    ("acte de naisance", "acte-de-naissance"),
    ("copie integrale acte mariage", "acte-de-mariage"),
    ("mon pere est decede que faire", "declarer-un-deces"),
    ("certificat de deces pour le notaire", "acte-de-deces"),
    ("inscription liste electorale demenagement", "inscription-sur-les-listes-electorales"),
    ("voter pour quelqu un d autre", "voter-par-procuration"),
    ("je pars en vacances surveillance maison", "operation-tranquillite-vacances"),
    ("poubelle pas ramassee", "poubelles-et-collecte-des-dechets"),
    ("jeter un vieux canape", "collecte-des-encombrants"),
    ("matelas a enlever", "collecte-des-encombrants"),
    ("tas d ordures dans la foret", "depots-sauvages"),
    ("trou dans la route", "signaler-un-probleme-sur-la-voie-publique"),
    ("lampadaire eteint", "signaler-un-probleme-sur-la-voie-publique"),
    ("la haie du voisin depasse", "arbres-haies-et-espaces-verts"),
    ("voisin fait du bruit la nuit", "bruit-de-voisinage"),
    ("horaires tondeuse dimanche", "bruit-de-voisinage"),
    ("chat perdu", "animal-perdu-ou-errant"),
    ("j ai perdu mes cles", "objets-trouves-et-perdus"),
    ("voiture garee devant mon garage", "stationnement-genant-et-vehicule-ventouse"),
    ("construire un abri de jardin", "declaration-prealable-de-travaux"),
    ("agrandir ma maison 30 m2", "permis-de-construire"),
    ("terrain constructible", "consulter-le-plu"),
    ("louer la salle des fetes pour un anniversaire", "reserver-une-salle-municipale"),
    ("inscrire mon fils en maternelle", "inscription-scolaire"),
    ("tarif cantine", "cantine-et-periscolaire"),
    ("aide pour payer ma facture d electricite", "les-aides-du-ccas"),
    ("pas de domicile recevoir courrier", "domiciliation-administrative"),
    ("colis alimentaire", "aide-alimentaire"),
    ("violences conjugales numero", "numeros-d-urgence-et-d-ecoute"),
    ("subvention asso", "demander-une-subvention-associative"),
    ("emprunter des tables et chaises", "pret-de-materiel"),
    ("a quelle heure ouvre la mairie", "horaires-et-contacts-de-la-mairie"),
    ("se pacser", "pacs-en-mairie"),
    ("heberger un ami etranger", "attestation-d-accueil"),
    ("recensement 16 ans", "recensement-citoyen"),
    ("faire legaliser une signature", "legalisation-de-signature"),
    ("bebe ne declaration", "declarer-une-naissance"),
    ("livret de famille perdu", "livret-de-famille"),
    ("se marier a la mairie", "se-marier-dans-la-commune"),
    ("numero de suivi de ma demande", "suivre-une-demande-en-ligne"),
    ("certificat d urbanisme vente maison", "certificat-d-urbanisme"),
]


def test_nine_citizen_wordings_in_ten_find_their_article_in_the_top_three(knowledge):
    misses = []
    for query, wanted in WORDINGS:
        found = [article.slug for article in search_articles(query, limit=3)]
        if wanted not in found:
            misses.append(f"{query!r} → {found} (attendu : {wanted})")
    assert len(misses) <= len(WORDINGS) // 10, "\n".join(misses)
