/** The part of web-ext's programmatic API the build tests use (web-ext ships no types). */
declare module 'web-ext' {
  export interface LintMessage {
    _type: 'error' | 'warning' | 'notice';
    code: string;
    message: string;
    description: string;
    file?: string;
  }
  export interface LintResult {
    count: number;
    summary: { errors: number; notices: number; warnings: number };
    errors: LintMessage[];
    warnings: LintMessage[];
    notices: LintMessage[];
  }
  const webExt: {
    cmd: {
      lint(
        options: {
          sourceDir: string;
          output?: 'json' | 'text' | 'none';
          selfHosted?: boolean;
          boring?: boolean;
          warningsAsErrors?: boolean;
        },
        dependencies: { shouldExitProgram: boolean },
      ): Promise<LintResult>;
    };
  };
  export default webExt;
}
