/**
 * .helmignore rules (helm pkg/ignore): one glob per line, `#` comments, `!` negation, trailing
 * `/` for directories only, leading `/` anchors at the chart root, patterns without `/` match the
 * base name only, `**` is refused. `templates/.?*` (dotfiles in templates/) is always ignored.
 */
import { goMatch, validatePattern } from './gomatch.js';

interface Rule { raw: string; negate: boolean; mustDir: boolean; match: (path: string) => boolean }

export class IgnoreRules {
  private readonly rules: Rule[] = [];

  static parse(text: string): IgnoreRules {
    const r = new IgnoreRules();
    const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
    for (const line of lines) r.addRule(line);
    return r;
  }

  addDefaults(): void { this.addRule('templates/.?*'); }

  addRule(line: string): void {
    let rule = line.trim();
    if (rule === '' || rule.startsWith('#')) return;
    if (rule.includes('**')) throw new Error('double-star (**) syntax is not supported');
    validatePattern(rule);
    const raw = rule;
    let negate = false;
    let mustDir = false;
    if (rule.startsWith('!')) { negate = true; rule = rule.slice(1); }
    if (rule.endsWith('/')) { mustDir = true; rule = rule.slice(0, -1); }
    let match: (p: string) => boolean;
    if (rule.startsWith('/')) {
      const anchored = rule.slice(1);
      match = (p) => safeMatch(anchored, p);
    } else if (rule.includes('/')) {
      match = (p) => safeMatch(rule, p);
    } else {
      match = (p) => safeMatch(rule, p.slice(p.lastIndexOf('/') + 1));
    }
    this.rules.push({ raw, negate, mustDir, match });
  }

  /** True when `path` (relative, `/`-separated) should be skipped. */
  ignore(path: string, isDir: boolean): boolean {
    if (path === '' || path === '.' || path === './') return false;
    for (const r of this.rules) {
      if (r.negate) {
        if (r.mustDir && !isDir) return true;
        if (!r.match(path)) return true;
        continue;
      }
      if (r.mustDir && !isDir) continue;
      if (r.match(path)) return true;
    }
    return false;
  }
}

function safeMatch(pattern: string, name: string): boolean {
  try { return goMatch(pattern, name); } catch { return false; }
}
