import { parseArgs } from 'node:util'
import type { Command } from './command.ts'

// The recount loads only the counting engine: an inspector's machine needs no database for it.
const commands: Command[] = process.argv[2] === 'tally' ? [(await import('./tally.ts')).tallyCommand] : (await import('./commands.ts')).commands

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length))
  return [
    '用法：huanjie <命令> [选项]      （每个命令都可加 --help）',
    '',
    '命令：',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    '环境变量：DATA_DIR（嵌入式数据库目录，默认 ./data）、DATABASE_URL（使用 PostgreSQL 服务器）、PORT（默认 3000）',
  ].join('\n')
}

function commandHelp(c: Command): string {
  const opts = Object.entries(c.options ?? {}).map(([k, o]) => `  --${k}${o.type === 'string' ? ' <值>' : ''}  ${o.description}`)
  return [`用法：huanjie ${c.name}${c.args ? ` ${c.args}` : ''} [选项]`, '', c.summary, ...(c.details ? ['', c.details] : []), '', '选项：', ...opts, '  --help  显示本说明'].join('\n')
}

async function main(argv: string[]): Promise<number> {
  const words: string[] = []
  while (argv.length && !argv[0]!.startsWith('-')) words.push(argv.shift()!)
  if (words.length === 0 && (argv.includes('--help') || argv.includes('-h'))) {
    console.log(usage())
    return 0
  }
  if (words.length === 0) {
    console.error(usage())
    return 2
  }
  // Two-word commands ("audit verify") first, then one-word ones.
  const twoWord = words.length >= 2 ? commands.find((c) => c.name === `${words[0]} ${words[1]}`) : undefined
  const cmd = twoWord ?? commands.find((c) => c.name === words[0])
  if (!cmd) {
    console.error(`未知命令：${words.join(' ')}\n\n${usage()}`)
    return 2
  }
  const positional = words.slice(twoWord ? 2 : 1)
  const options = Object.fromEntries(Object.entries(cmd.options ?? {}).map(([k, o]) => [k, { type: o.type }]))
  let parsed
  try {
    parsed = parseArgs({ args: [...positional, ...argv], options: { ...options, help: { type: 'boolean' } }, allowPositionals: true, strict: true })
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${commandHelp(cmd)}`)
    return 2
  }
  if (parsed.values.help) {
    console.log(commandHelp(cmd))
    return 0
  }
  return cmd.run(parsed.positionals, parsed.values)
}

main(process.argv.slice(2)).then(
  (code) => {
    // `serve` keeps running; every other command ends here (PGlite would otherwise hold the loop).
    if (code >= 0) process.exit(code)
  },
  (err: unknown) => {
    console.error(`错误：${err instanceof Error ? err.message : String(err)}`)
    process.exit(1)
  },
)
