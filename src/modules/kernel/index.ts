// Shared kernel: context, errors, tokens, pagination and the module router used by every module.
export * from './client-address.js';
export * from './context.js';
export * from './errors.js';
export * from './foreground.js';
export * from './group-commit.js';
export * from './pagination.js';
export * from './router.js';
export * from './tokens.js';
