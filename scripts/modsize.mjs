import { rollup } from 'rollup';
import nodeResolve from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';
import terser from '@rollup/plugin-terser';
import zlib from 'node:zlib';
const input = process.argv[2] || 'src/entries/script-tag.ts';
const b = await rollup({ input, plugins: [nodeResolve({browser:true}), typescript({tsconfig:'./tsconfig.build.json', declaration:false, declarationDir: undefined, outDir:'dist'})], onwarn(){} });
const { output } = await b.generate({ format: 'iife' });
for (const [id, m] of Object.entries(output[0].modules)) console.log(String(m.renderedLength).padStart(7), id.replace(process.cwd(),''));
