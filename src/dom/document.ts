// Members of a document read past page content that shadows them: named access on Document
// overrides its own members, so `<form name="body">` makes `document.body` that form and
// `<form name="createElement">` leaves no method to call (markup a CMS lets through). Elements are
// named on the document itself; the member found from its prototype is the real one.

/** A member of the document `d`, read through its prototype (see above). */
export const docOf = <K extends keyof Document>(d: Document, key: K): Document[K] =>
  Reflect.get(Object.getPrototypeOf(d) as object, key, d) as Document[K];

/** A member of the page's `document`, read through its prototype (see above). */
export const doc = <K extends keyof Document>(key: K): Document[K] => docOf(document, key);

/** Sets a member of `document` through its prototype (see {@link doc}). */
export const setDoc = <K extends keyof Document>(key: K, value: Document[K]): void => {
  Reflect.set(Object.getPrototypeOf(document) as object, key, value, document);
};
