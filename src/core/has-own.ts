/** Whether `key` is `o`'s own property: not inherited, and not a named element the window exposes. */
export const hasOwn = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);
