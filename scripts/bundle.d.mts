/** A subpath's whole entry ('.', './ui'), bundled and minified. */
export function bundleSubpath(subpath: string): Promise<Buffer>;
/** Named imports bundled alone and minified: `imports` maps a subpath to the names taken from it. */
export function bundleImports(imports: Record<string, readonly string[]>): Promise<Buffer>;
