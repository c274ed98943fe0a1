import type { Strings } from './en.js';

/** French. */
export const fr: Strings = {
  title: 'Les cookies et votre vie privée',
  text: 'Nous utilisons des cookies pour mesurer l’audience, afficher des publicités pertinentes et intégrer les réseaux sociaux, uniquement avec votre consentement. Vous pouvez modifier votre choix à tout moment.',
  policy: 'Politique de confidentialité',
  accept: 'Tout accepter',
  reject: 'Tout refuser',
  custom: 'Personnaliser',
  close: 'Fermer et tout refuser',
  prefs: 'Préférences de confidentialité',
  save: 'Enregistrer mes choix',
  saved: 'Vos choix ont été enregistrés.',
  done: 'Fermer',
  honored: 'Demande d’opposition respectée',
  reopen: 'Paramètres des cookies',
  cookies: 'Cookies',
  cookieName: 'Nom',
  cookieProvider: 'Fournisseur',
  cookiePurpose: 'Finalité',
  cookieDuration: 'Durée',
  blocked: 'Ce contenu {p} est bloqué tant que vous n’autorisez pas « {c} ».',
  load: 'Autoriser « {c} » et charger',
  optedOut:
    'Ce contenu {p} reste bloqué : il nécessite « {c} », et votre opposition à la vente ou au partage de vos données personnelles est respectée.',
  necessary: 'Nécessaires',
  necessaryText: 'Indispensables au fonctionnement du site. Toujours actifs.',
  analytics: 'Mesure d’audience',
  analyticsText: 'Compte les visites et mesure l’utilisation du site.',
  advertising: 'Publicité',
  advertisingText:
    'Affiche des publicités pertinentes et les mesure. Partage des données avec des partenaires publicitaires.',
  social: 'Réseaux sociaux',
  socialText: 'Publications, vidéos et boutons de partage des réseaux sociaux.',
};
