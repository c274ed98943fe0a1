/** The SDK version, replaced at build time from package.json. */
export const VERSION: string = '__VERSION__';
