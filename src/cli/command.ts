/** One CLI command: its help text, options and what it runs. */
export interface Command {
  name: string
  args?: string
  summary: string
  details?: string
  options?: Record<string, { type: 'string' | 'boolean'; description: string }>
  /** Exit code; -1 keeps the process running (the server). */
  run(positionals: string[], values: Record<string, string | boolean | undefined>): Promise<number>
}
