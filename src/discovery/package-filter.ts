import { MAX_FILE_SIZE } from '../chart/archive-reader.js';
import { readCheckoutFile } from '../shared/checkout-file.js';
import { HELMIGNORE, IgnoreRuleError, IgnoreRules } from '../chart/ignore-rules.js';
import { ChartError } from '../shared/errors.js';
import { joinPath } from './repo-paths.js';

/**
 * Which files a chart's package holds, as far as .helmignore decides it: a changed file that
 * the chart's own .helmignore excludes does not change the package and so does not select the
 * chart. Only the packaged chart's .helmignore applies (with Helm's default rule), also to
 * files under its charts/ folder (../shared/spec/helm-oci.md §1.2–1.3). Rules are read once per
 * chart and only for charts that have a changed file.
 */
export class PackageFilter {
  private readonly rules = new Map<string, IgnoreRules>();
  private readonly workspace: string;
  private readonly helmignores: ReadonlySet<string>;

  constructor(workspace: string, helmignores: ReadonlySet<string>) {
    this.workspace = workspace;
    this.helmignores = helmignores;
  }

  /**
   * The rule that leaves `rel` (a path relative to the chart) out of the package, or undefined
   * when the file is packaged. Helm skips an ignored directory's whole subtree, so every
   * directory on the way down is tested before the file itself.
   */
  excludedBy(chartDir: string, rel: string): string | undefined {
    // .helmignore decides what else is packaged: editing it can change the package even when
    // it lists itself.
    if (rel === HELMIGNORE) return undefined;
    const rules = this.rulesOf(chartDir);
    const segments = rel.split('/');
    for (let i = 1; i <= segments.length; i++) {
      const isDir = i < segments.length;
      const prefix = segments.slice(0, i).join('/');
      // explain() decides exactly as ignores() does and names the deciding rule: one pass.
      let rule: string | undefined;
      try {
        rule = rules.explain(prefix, isDir);
      } catch (error) {
        if (!(error instanceof IgnoreRuleError)) throw error;
        throw new ChartError(error.message, { file: joinPath(chartDir, HELMIGNORE) }, { cause: error });
      }
      if (rule !== undefined) return `${rule} of ${joinPath(chartDir, HELMIGNORE)}${isDir ? ` (directory ${prefix}/)` : ''}`;
    }
    return undefined;
  }

  private rulesOf(chartDir: string): IgnoreRules {
    let rules = this.rules.get(chartDir);
    if (!rules) {
      rules = this.load(chartDir);
      this.rules.set(chartDir, rules);
    }
    return rules;
  }

  private load(chartDir: string): IgnoreRules {
    if (!this.helmignores.has(chartDir)) return IgnoreRules.empty().withDefaults();
    const file = joinPath(chartDir, HELMIGNORE);
    const text = readCheckoutFile(file, { workspace: this.workspace, maxBytes: MAX_FILE_SIZE });
    // Listed by git but gone from the working tree: Helm would package without it.
    if (text === undefined) return IgnoreRules.empty().withDefaults();
    try {
      return IgnoreRules.parse(text).withDefaults();
    } catch (error) {
      if (error instanceof IgnoreRuleError) throw new ChartError(error.message, { file, line: error.line }, { cause: error });
      throw error;
    }
  }
}
