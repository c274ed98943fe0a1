// The fenced code blocks of the docs (README.md and docs/*.md), for the tests that check them.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** One fenced block: the doc it is in, its language as written after the fence, its first line. */
export type DocBlock = { file: string; lang: string; line: number; code: string };

/** The fenced code blocks in `text`, each without the indentation of its fence. */
export function extractBlocks(file: string, text: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  let open: { lang: string; line: number; indent: string; body: string[] } | undefined;
  for (const [index, line] of text.split('\n').entries()) {
    const fence = /^(\s*)```\s*([\w-]*)\s*$/.exec(line);
    if (fence === null) {
      // A block inside a list item is indented as its fence is.
      if (open !== undefined) open.body.push(line.startsWith(open.indent) ? line.slice(open.indent.length) : line);
      continue;
    }
    if (open === undefined) {
      open = { lang: fence[2] ?? '', line: index + 1, indent: fence[1] ?? '', body: [] };
      continue;
    }
    blocks.push({ file, lang: open.lang, line: open.line, code: open.body.join('\n') });
    open = undefined;
  }
  return blocks;
}

/** The fenced blocks of README.md and every docs/*.md page (not the generated docs/api). */
export function readDocBlocks(root: string): DocBlock[] {
  const docs = readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md'));
  const files = ['README.md', ...docs.map((name) => `docs/${name}`)];
  return files.flatMap((file) => extractBlocks(file, readFileSync(join(root, file), 'utf8')));
}
