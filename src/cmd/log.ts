/** Structured logs: one JSON object per line on stderr; info and debug only with --verbose. */
type Fields = Record<string, unknown>;

let verbose = false;

function write(level: string, msg: string, fields: Fields = {}): void {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
}

export const log = {
  setVerbose(v: boolean): void {
    verbose = v;
  },
  debug(msg: string, fields?: Fields): void {
    if (verbose) write('debug', msg, fields);
  },
  info(msg: string, fields?: Fields): void {
    if (verbose) write('info', msg, fields);
  },
  warn(msg: string, fields?: Fields): void {
    write('warn', msg, fields);
  },
  error(msg: string, fields?: Fields): void {
    write('error', msg, fields);
  },
};
