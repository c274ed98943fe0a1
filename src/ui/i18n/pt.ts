import type { Strings } from './en.js';

/** Portuguese. */
export const pt: Strings = {
  title: 'Cookies e a sua privacidade',
  text: 'Usamos cookies para medir visitas, mostrar anúncios relevantes e incorporar redes sociais, apenas com o seu consentimento. Pode alterar a sua escolha a qualquer momento.',
  policy: 'Política de privacidade',
  accept: 'Aceitar tudo',
  reject: 'Rejeitar tudo',
  custom: 'Personalizar',
  close: 'Fechar e rejeitar tudo',
  prefs: 'Preferências de privacidade',
  save: 'Guardar escolhas',
  done: 'Fechar',
  honored: 'Pedido de exclusão respeitado',
  reopen: 'Definições de cookies',
  cookies: 'Cookies',
  cookieName: 'Nome',
  cookieProvider: 'Fornecedor',
  cookiePurpose: 'Finalidade',
  cookieDuration: 'Duração',
  blocked: 'Este conteúdo de {p} está bloqueado até permitir «{c}».',
  load: 'Permitir «{c}» e carregar',
  optedOut:
    'Este conteúdo de {p} continua bloqueado: precisa de «{c}», e o seu pedido de exclusão da venda ou partilha de dados pessoais é respeitado.',
  necessary: 'Necessários',
  necessaryText: 'Essenciais para o funcionamento do site. Sempre ativos.',
  analytics: 'Estatísticas',
  analyticsText: 'Conta as visitas e mede como o site é usado.',
  advertising: 'Publicidade',
  advertisingText: 'Mostra anúncios relevantes e mede-os. Partilha dados com parceiros de publicidade.',
  social: 'Redes sociais',
  socialText: 'Publicações, vídeos e botões de partilha de redes sociais.',
};
