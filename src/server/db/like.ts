/**
 * A LIKE pattern that matches `text` anywhere, with the user's own % and _ taken literally
 * (PostgreSQL's default LIKE escape character is the backslash).
 */
export function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}
