import 'reflect-metadata';
import { createHttpApp } from './bootstrap/http-app.js';
import { bootProcess } from './bootstrap/boot.js';

/** The API (and, with WORKERS=on, the workers). Migrations run before it serves. */
const { config, logger } = await bootProcess('api');
const app = await createHttpApp(config, logger);
await app.listen({ port: config.port, host: '0.0.0.0' });
logger.info({ port: config.port, workers: config.workers }, 'Countersign API listening');
