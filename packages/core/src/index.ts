// @jemput/core: domain rules of Jemput. Pure functions, no I/O, no clock ("today" is a parameter).
export * from './dates.ts';
export * from './identifiers.ts';
export * from './eligibility.ts';
export * from './outcomes.ts';
export * from './messages.ts';
export * from './records.ts';
export * from './tallies.ts';
export * from './imports.ts';
export * from './stock.ts';
export * from './visit-plan.ts';
