// Known crawlers and link previewers, by user agent. They get no pool number and send no consent
// receipt: neither a person nor a decision is behind them. navigator.webdriver is not used because
// test browsers set it.
const BOT = /bot\b|crawl|spider|slurp|mediapartners|facebookexternalhit|lighthouse|preview/i;

/** True when `userAgent` names a known crawler or link previewer. */
export const isBot = (userAgent: string): boolean => BOT.test(userAgent);
