import type { Strings } from './en.js';

/** Spanish. */
export const es: Strings = {
  title: 'Cookies y su privacidad',
  text: 'Usamos cookies para medir las visitas, mostrar anuncios relevantes e insertar redes sociales, solo con su consentimiento. Puede cambiar su elección en cualquier momento.',
  policy: 'Política de privacidad',
  accept: 'Aceptar todo',
  reject: 'Rechazar todo',
  custom: 'Personalizar',
  close: 'Cerrar y rechazar todo',
  prefs: 'Preferencias de privacidad',
  save: 'Guardar selección',
  done: 'Cerrar',
  honored: 'Solicitud de exclusión respetada',
  reopen: 'Configuración de cookies',
  cookies: 'Cookies',
  cookieName: 'Nombre',
  cookieProvider: 'Proveedor',
  cookiePurpose: 'Finalidad',
  cookieDuration: 'Duración',
  blocked: 'Este contenido de {p} está bloqueado hasta que permita «{c}».',
  load: 'Permitir «{c}» y cargar',
  optedOut:
    'Este contenido de {p} sigue bloqueado: necesita «{c}», y se respeta su exclusión de la venta o el intercambio de datos personales.',
  necessary: 'Necesarias',
  necessaryText: 'Imprescindibles para que el sitio funcione. Siempre activas.',
  analytics: 'Analítica',
  analyticsText: 'Cuenta las visitas y mide cómo se usa el sitio.',
  advertising: 'Publicidad',
  advertisingText: 'Muestra anuncios relevantes y los mide. Comparte datos con socios publicitarios.',
  social: 'Redes sociales',
  socialText: 'Publicaciones, vídeos y botones para compartir de redes sociales.',
};
