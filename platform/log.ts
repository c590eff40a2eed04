// One logger for every component. Redaction keeps tokens and assertions out of log lines even when a
// whole request or header object is logged by mistake.
import pino, { type Logger } from 'pino';

export function createLogger(component: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name: component,
    level,
    redact: {
      paths: ['authorization', 'headers.authorization', 'req.headers.authorization', '*.authorization', 'token', '*.token', 'assertion', 'headers["x-caller-assertion"]', 'clientSecret', '*.clientSecret', 'password', '*.password'],
      censor: '[redacted]',
    },
    base: { component },
  });
}

export type { Logger };
