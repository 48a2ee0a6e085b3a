export * from './formatTable';
