/**
 * `$(VAR)` expansion as upstream's third_party/forked/golang/expansion does it for env values,
 * command and args: `$(NAME)` is replaced by NAME's value when known and kept literally when not;
 * `$$` is an escaped `$`; a `$` not followed by `(` or `$` is kept as it is; an unclosed `$(` is kept.
 */

/** Looks a name up in the given maps in order; an unknown name maps back to `$(name)`. */
export function mappingFor(...contexts: Array<ReadonlyMap<string, string>>): (name: string) => string {
  return (name) => {
    for (const vars of contexts) {
      const v = vars.get(name);
      if (v !== undefined) return v;
    }
    return `$(${name})`;
  };
}

/** Expands every `$(VAR)` reference of `input` with `mapping`. */
export function expand(input: string, mapping: (name: string) => string): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const next = input[cursor + 1];
    let advance = 1;
    if (next === '$') {
      out += '$';
    } else if (next === '(') {
      const close = input.indexOf(')', cursor + 2);
      if (close === -1) {
        out += '$(';
      } else {
        out += mapping(input.slice(cursor + 2, close));
        advance = close - cursor;
      }
    } else {
      out += `$${next}`;
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/**
 * Upstream's ExpandContainerCommandAndArgs: command and args with `$(VAR)` references to the
 * container's environment expanded. Absent or empty lists stay undefined.
 */
export function expandCommand(
  command: string[] | undefined,
  args: string[] | undefined,
  env: ReadonlyArray<{ key: string; value: string }>,
): { command: string[] | undefined; args: string[] | undefined } {
  const mapping = mappingFor(new Map(env.map((e) => [e.key, e.value])));
  const each = (list: string[] | undefined): string[] | undefined => (list && list.length > 0 ? list.map((s) => expand(s, mapping)) : undefined);
  return { command: each(command), args: each(args) };
}
