export * from './logger';
export * from './config';
export * from './db';
export * from './http';
export * from './contract';
export * from './runService';
