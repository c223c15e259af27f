// The query compilers' JavaScript glue (wasm-bindgen) ships without types; plan-cache.ts only
// reaches their QueryCompiler class.
declare module '@prisma/client/runtime/query_compiler_bg.sqlite.mjs' {
  export const QueryCompiler: unknown;
}
declare module '@prisma/client/runtime/query_compiler_bg.postgresql.mjs' {
  export const QueryCompiler: unknown;
}
